"""Run by test_ui_fields.py under Xvfb: the real app, no server needed. argv: server_url data_dir
result_json [shot_dir].

Walks every screen (``mobile.screens.SCREENS``) and every popup with text fields, and records
each TextInput's class and keyboard settings (``input_type``, ``keyboard_suggestions``,
``password``) by ``screen.id``. Then types a name with an emoji and CJK into the walk-in name
field and saves a screenshot of the field: what it draws where the emoji is, compared with the emoji alone in the symbol font and in
the CJK font (a box), and where the cursor ends.
"""

import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.core.window import Window  # noqa: E402
from kivy.factory import Factory  # noqa: E402
from kivy.uix.textinput import TextInput  # noqa: E402
from ui_glyphs import mask, overlap  # noqa: E402
from ui_steps import run_steps  # noqa: E402 - after the window size is set

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.screens import SCREENS  # noqa: E402

server_url, data_dir, result_path = sys.argv[1:4]
shot_dir = sys.argv[4] if len(sys.argv) > 4 else data_dir
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
result: dict = {"fields": {}}


def record(owner: str, widget) -> None:
    for field, w in widget.ids.items():
        if isinstance(w, TextInput):
            result["fields"][f"{owner}.{field}"] = {"class": w.__class__.__name__, "input_type": w.input_type,
                                                    "suggestions": w.keyboard_suggestions, "password": w.password}


def every_text_input(widget) -> int:
    return sum(1 for w in widget.walk() if isinstance(w, TextInput))


def script():
    yield lambda: app.sm.current == "enrol"
    for name in SCREENS:
        screen = app.screen(name)
        record(name, screen)
        result.setdefault("unnamed", {})[name] = every_text_input(screen) - sum(
            1 for w in screen.ids.values() if isinstance(w, TextInput))
    for popup in ("CorrectionPopup", "UndoReceptionPopup"):
        widget = getattr(Factory, popup)()
        record(popup, widget)
    walkin = app.screen("walkin")
    app.show("walkin")
    yield lambda: app.sm.current == "walkin" and not app.sm.transition.is_active
    name = walkin.ids.name
    name.text = "张伟🙂"
    yield lambda: True
    yield lambda: True
    result["emoji"] = glyph_check(name, "张伟", "🙂")
    result["emoji_shot"] = Window.screenshot(name=f"{shot_dir}/walkin-name-emoji.png")
    name.text = "张伟"  # the cursor after the emoji sits past its glyph: typing goes on after it
    yield lambda: True
    result["emoji"]["plain_end"] = name.cursor_pos[0]
    name.text = "张伟🙂"
    yield lambda: True
    result["emoji"]["emoji_end"] = name.cursor_pos[0]


def glyph_check(field, before: str, glyph: str) -> dict:
    """What the field draws where ``glyph`` follows ``before``, from the field's own pixels
    (``export_as_image``: background, frame and text as on screen), compared with the glyph
    drawn alone in the symbol font and in the CJK font (a box when the font lacks it)."""
    from kivy.core.text import DEFAULT_FONT
    from kivy.core.text import Label as CoreLabel

    from mobile.fonts import SYMBOL_FONT

    image = field.export_as_image().texture
    width, height = image.size
    kw = field._get_line_options()
    left = int(field.padding[0] + CoreLabel(**kw).get_extents(before)[0])
    glyph_w = int(CoreLabel(**{**kw, "font_name": SYMBOL_FONT}).get_extents(glyph)[0])
    pixels, crop = image.pixels, bytearray()
    for y in range(height):
        crop += pixels[(y * width + left) * 4:(y * width + left + glyph_w + 2) * 4]
    dark = mask(bytes(crop), glyph_w + 2, height, lambda p: p[0] + p[1] + p[2] < 3 * 128)

    def alone(font: str) -> list[list[bool]]:
        label = CoreLabel(**{**kw, "font_name": font, "text": glyph, "color": (0, 0, 0, 1)})
        label.refresh()
        t = label.texture
        return mask(t.pixels, t.size[0], t.size[1], lambda p: p[3] > 128)

    return {"symbol_overlap": overlap(dark, alone(SYMBOL_FONT)), "box_overlap": overlap(dark, alone(DEFAULT_FONT)),
            "ink_rows": len(dark)}


run_steps(app, script(), result, result_path)
