"""Run by test_ui_rtl_names.py under Xvfb (issue 14, right-to-left names): Arabic, Uyghur and
Hebrew names given to a search row (``ListRow`` fed ``fonts.readable`` as 查找客户 does) and a
plain label of the real app. argv: data_dir result_json [shots_dir].

For each, the ink of what the row drew is compared with the name drawn alone by a core label in
the script's font twice: shaped (direction rtl, its script: joined, right to left) and unshaped
(Kivy's default: isolated letters, left to right, as the row drew it before). Reported: the ink
widths and the overlap (intersection over union) of the row's ink with each.
"""

import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.core.text import Label as CoreLabel  # noqa: E402
from kivy.factory import Factory  # noqa: E402
from ui_glyphs import mask  # noqa: E402
from ui_steps import run_steps, save_shot  # noqa: E402

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.fonts import readable  # noqa: E402

data_dir, result_path = sys.argv[1:3]
shots = sys.argv[3] if len(sys.argv) > 3 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
NAMES = {"arabic": ("محمد علي", "FieldsyncArabic", "Arab"),
         "uyghur": ("ئابدۇرېھىم ئۆتكۈر", "FieldsyncArabic", "Arab"),
         "hebrew": ("דוד כהן", "FieldsyncHebrew", "Hebr")}
result: dict = {}


def ink(texture) -> list[list[bool]]:
    return mask(texture.pixels, texture.size[0], texture.size[1], lambda p: p[3] > 128)


def alone(name: str, font: str, size: float, shaped: bool) -> list[list[bool]]:
    """``name`` drawn alone in ``font``, as one run: shaped, or as Kivy draws it by default."""
    kw = {"font_direction": "rtl", "font_script_name": "Arab" if font.endswith("Arabic") else "Hebr"} if shaped else {}
    label = CoreLabel(text=name, font_name=font, font_size=size, color=(0, 0, 0, 1), **kw)
    label.refresh()
    return ink(label.texture)


def iou(a: list[list[bool]], b: list[list[bool]]) -> float:
    if not a or not b:
        return 0.0
    h, w = min(len(a), len(b)), min(len(a[0]), len(b[0]))
    both = sum(a[y][x] and b[y][x] for y in range(h) for x in range(w))
    either = sum(a[y][x] or b[y][x] for y in range(h) for x in range(w)) + sum(
        len(r) - w for r in a[:h]) + sum(len(r) - w for r in b[:h])
    return both / either if either else 0.0


def script():
    yield lambda: app.sm.current == "enrol"
    screen = app.screen("enrol")
    box = Factory.BoxLayout(orientation="vertical", size_hint=(1, None), height=600, pos=(0, 0))
    rows = {}
    for kind, (name, _font, _script) in NAMES.items():
        rows[kind] = Factory.ListRow(text=readable(name))
        rows[f"{kind}/label"] = Factory.InfoLabel(text=name)
        box.add_widget(rows[kind])
        box.add_widget(rows[f"{kind}/label"])
    rows["mixed"] = Factory.ListRow(text=readable("客户محمد علي来访"))
    box.add_widget(rows["mixed"])
    screen.add_widget(box)
    yield lambda: True
    yield lambda: True
    save_shot(shots, "rtl_names")
    for key, row in rows.items():
        kind = key.split("/")[0]
        if kind not in NAMES:
            result[key] = {"core_text": row._label.text}
            continue
        name, font, _ = NAMES[kind]
        row.texture_update()
        drawn = ink(row.texture)
        shaped, unshaped = alone(name, font, row.font_size, True), alone(name, font, row.font_size, False)
        result[key] = {"core_text": row._label.text, "width": len(drawn[0]) if drawn else 0,
                       "shaped_width": len(shaped[0]), "unshaped_width": len(unshaped[0]),
                       "shaped_overlap": iou(drawn, shaped), "unshaped_overlap": iou(drawn, unshaped)}


run_steps(app, script(), result, result_path)
