"""Run by test_ui_rtl_names.py under Xvfb (issue 14, right-to-left names). argv: server_url
data_dir result_json [shots_dir].

1. The real desk against a real server: registers محمد علي on 来访登记, finds the customer on
   查找客户 by the phone's last four digits and opens the card. The card's title (the name
   alone) is read by its pixels; the search row by what it draws, in order.
2. Arabic, Uyghur (ئابدۇرېھىم ئۆتكۈر), Hebrew (דוד כהן) and Devanagari (राहुल शर्मा) names in a
   list row (``ListRow`` fed ``fonts.readable``, as 查找客户 builds its rows) and in a plain label;
   an Arabic note in a narrow label, wrapped over lines (each line read right to left, the
   lines top to bottom).

Pixels: the ink a label drew is compared with the name drawn alone by a core label in the
script's font twice: shaped (direction rtl and the script: joined, right to left) and as Kivy
draws it by default (isolated letters, left to right: what these labels drew before). Reported:
ink widths and the overlap (intersection over union) of the label's ink with each.
"""

import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.core.text import Label as CoreLabel  # noqa: E402
from kivy.factory import Factory  # noqa: E402
from ui_glyphs import mask  # noqa: E402
from ui_steps import answer_walkin, run_steps, save_shot  # noqa: E402

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.demo import press  # noqa: E402
from mobile.fonts import readable  # noqa: E402

server_url, data_dir, result_path = sys.argv[1:4]
shots = sys.argv[4] if len(sys.argv) > 4 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
ARABIC = "محمد علي"
NAMES = {"arabic": (ARABIC, "FieldsyncArabic"), "uyghur": ("ئابدۇرېھىم ئۆتكۈر", "FieldsyncArabic"),
         "hebrew": ("דוד כהן", "FieldsyncHebrew"), "devanagari": ("राहुल शर्मा", "FieldsyncDevanagari")}
SCRIPTS = {"FieldsyncArabic": ("rtl", "Arab"), "FieldsyncHebrew": ("rtl", "Hebr"), "FieldsyncDevanagari": ("ltr", "Deva")}
# "this customer wants a three-room flat near the school": wraps over lines in a narrow label
NOTE = "هذا العميل يريد شقة بثلاث غرف قرب المدرسة"
result: dict = {}


def ink(texture) -> list[list[bool]]:
    return mask(texture.pixels, texture.size[0], texture.size[1], lambda p: p[3] > 128)


def alone(name: str, font: str, size: float, shaped: bool) -> list[list[bool]]:
    """``name`` drawn alone in ``font`` as one run: shaped (its direction and script), or as a
    Kivy Label draws it by default (ltr, script Latn). Drawn twice: Kivy measures before it puts
    the direction and script on the font, the second drawing is measured with them."""
    direction, script = SCRIPTS[font] if shaped else ("ltr", "Latn")
    label = CoreLabel(text=name, font_name=font, font_size=size, color=(0, 0, 0, 1), font_direction=direction,
                      font_script_name=script)
    label.refresh()
    label.refresh()
    return ink(label.texture)


def iou(a: list[list[bool]], b: list[list[bool]]) -> float:
    """Intersection over union of two ink masks laid on each other at their top left corners."""
    if not a or not b:
        return 0.0
    h, w = max(len(a), len(b)), max(len(a[0]), len(b[0]))

    def at(m, y, x):
        return y < len(m) and x < len(m[0]) and m[y][x]

    both = sum(at(a, y, x) and at(b, y, x) for y in range(h) for x in range(w))
    either = sum(at(a, y, x) or at(b, y, x) for y in range(h) for x in range(w))
    return both / either if either else 0.0


def compare(key: str, widget, name: str, font: str) -> None:
    widget.texture_update()
    drawn = ink(widget.texture)
    shaped, unshaped = alone(name, font, widget.font_size, True), alone(name, font, widget.font_size, False)
    result[key] = {"core_text": widget._label.text, "width": len(drawn[0]) if drawn else 0,
                   "shaped_width": len(shaped[0]), "unshaped_width": len(unshaped[0]),
                   "shaped_overlap": iou(drawn, shaped), "unshaped_overlap": iou(drawn, unshaped)}


def drawn_order(widget) -> str:
    """The text as the label draws it, left to right (its laid-out words, line by line)."""
    widget.texture_update()
    return "\n".join("".join(word.text for word in line.words) for line in widget._label._cached_lines)


def search(find, query: str):
    done = find.searches_done
    find.ids.query.text = query
    return lambda: find.searches_done > done and app.tasks.busy == 0 and find.ids.query.text == query


def script():
    yield lambda: app.sm.current == "enrol"
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.profile.current.reps) >= 2
    app.show("walkin")
    walkin = app.screen("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = "139 1234 5678", ARABIC
    answer_walkin(app, walkin)
    yield lambda: walkin.plan_ready and walkin.status is not None and walkin.status.phone_key == "+8613912345678"
    press(walkin.ids.register)
    yield lambda: walkin.message_kind == "ok"
    result["confirmation"] = walkin.ids.message.text
    app.show("find")
    find = app.screen("find")
    yield search(find, "5678")
    yield lambda: True
    rows = [w for w in find.ids.rows.children if hasattr(w, "on_release")]
    result["find_rows"] = [row.text for row in rows]
    if rows:
        row = rows[-1]
        row.texture_update()
        result["find_row_drawn"] = drawn_order(row)
        save_shot(shots, "rtl_find_row")
        press(row)
    yield lambda: app.sm.current == "card" and app.screen("card").title_text != ""
    yield lambda: True
    card = app.screen("card")
    compare("card_title", card.ids.name, ARABIC, "FieldsyncArabic")
    save_shot(shots, "rtl_card")
    app.show("home")
    yield lambda: True
    screen = app.screen("home")
    box = Factory.BoxLayout(orientation="vertical", size_hint=(1, None), height=600, pos=(0, 0))
    widgets = {}
    for kind, (name, _font) in NAMES.items():
        widgets[kind] = Factory.ListRow(text=readable(name))
        widgets[f"{kind}/label"] = Factory.InfoLabel(text=name)
    for widget in widgets.values():
        box.add_widget(widget)
    note = Factory.Label(text=NOTE, font_size=20, color=(0, 0, 0, 1), size_hint=(None, None), size=(260, 120),
                         text_size=(260, None), pos=(1000, 100))
    screen.add_widget(box)
    screen.add_widget(note)
    yield lambda: True
    yield lambda: True
    save_shot(shots, "rtl_names")
    result["note_lines"] = drawn_order(note).split("\n")
    for key, widget in widgets.items():
        name, font = NAMES[key.split("/")[0]]
        compare(key, widget, name, font)


run_steps(app, script(), result, result_path)
