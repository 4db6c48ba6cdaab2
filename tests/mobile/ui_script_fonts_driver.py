"""Run by test_ui_script_fonts.py under Xvfb (issue 14 leftovers, fonts): names in Hebrew,
Arabic, Thai, Devanagari and emoji with a skin tone, a ZWJ family or a keycap, each given to a
plain label, a button and a markup label of the real app. argv: data_dir result_json [shots_dir].

For every character a label draws (read from what its core label renders: each run in the font
its markup names, the rest in the label's own font), the glyph drawn alone in that font is
compared with that font's .notdef glyph (a character no font has, drawn alone): equal is a box.
"""

import re
import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.factory import Factory  # noqa: E402
from ui_glyphs import glyph_alone, overlap  # noqa: E402
from ui_steps import run_steps, save_shot  # noqa: E402

from mobile.app import FieldsyncApp  # noqa: E402

data_dir, result_path = sys.argv[1:3]
shots = sys.argv[3] if len(sys.argv) > 3 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
NAMES = {"hebrew": "דוד כהן", "arabic": "محمد علي", "thai": "สมชาย ใจดี", "devanagari": "राहुल शर्मा",
         "skin_tone": "小明👍🏽", "zwj_family": "张家👨\u200d👩\u200d👧", "keycap": "李娜1\ufe0f\u20e3",
         "mixed": "王丽 דוד 👍🏿 سارا", "flag": "中国🇨🇳队",  # flag: QA5 F6g
         "rare_han": "𠀾𡈼龘", "rare_han_a": "王㛃"}  # 生僻字 (QA of issue 14, M4): extensions B and A
NOTDEF = "\U0010fffd"  # in no font: every font draws its .notdef box for it
SEGMENT = re.compile(r"\[font=([^\]]+)\](.*?)\[/font\]", re.S)
result: dict = {"boxes": [], "drawn": {}, "fonts": {}}


def segments(core_text: str, own_font: str, markup: bool) -> list[tuple[str, str]]:
    """(font, text) pieces of what a core label renders."""
    if not markup:
        return [(own_font, core_text)]
    pieces, at = [], 0
    for match in SEGMENT.finditer(core_text):
        pieces.append((own_font, re.sub(r"\[/?[a-z]+[^\]]*\]", "", core_text[at:match.start()])))
        pieces.append((match.group(1), match.group(2)))
        at = match.end()
    pieces.append((own_font, re.sub(r"\[/?[a-z]+[^\]]*\]", "", core_text[at:])))
    return [(font, text.replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")) for font, text in pieces]


def check(kind: str, where: str, widget) -> None:
    widget.texture_update()
    core = widget._label
    markup = core.__class__.__name__ != "LabelSDL2" and "[font=" in core.text or widget.markup
    kw = {"font_size": widget.font_size, "bold": widget.bold}
    drawn = ""
    for font, text in segments(core.text, widget.font_name, markup):
        box = glyph_alone(kw, font, NOTDEF)
        for char in text:
            drawn += char
            if char.isspace():
                continue
            ink = glyph_alone(kw, font, char)
            if ink and overlap(ink, box) > 0.9:
                result["boxes"].append([kind, where, char, hex(ord(char)), font])
    result["drawn"][f"{kind}/{where}"] = drawn
    result["fonts"][f"{kind}/{where}"] = sorted({font for font, _ in segments(core.text, widget.font_name, markup)})
    if widget.texture is None or widget.texture.size[0] < 4:
        result["boxes"].append([kind, where, "no texture", "", ""])


def script():
    yield lambda: app.sm.current == "enrol"
    screen = app.screen("enrol")
    box = Factory.BoxLayout(orientation="vertical", size_hint=(1, None), height=700, pos=(0, 0))
    widgets = []
    for kind, name in NAMES.items():
        plain = Factory.InfoLabel(text=name)
        button = Factory.Button(text=f"{name} ({kind})", size_hint_y=None, height=40)
        markup = Factory.InfoLabel(text=f"[b]{name}[/b]：{kind}", markup=True)
        widgets += [(kind, "label", plain), (kind, "button", button), (kind, "markup", markup)]
        for widget in (plain, button, markup):
            box.add_widget(widget)
    screen.add_widget(box)
    yield lambda: True
    yield lambda: True
    save_shot(shots, "script_fonts")
    for kind, where, widget in widgets:
        check(kind, where, widget)


run_steps(app, script(), result, result_path)
