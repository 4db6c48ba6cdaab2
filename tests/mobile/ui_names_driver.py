"""Run by test_ui_names.py under Xvfb (QA of issue 14 F4): a name with emoji wherever the app
shows one. argv: server_url data_dir result_json [shots_dir].

1. Every Label class the app can build (each ``Factory`` class deriving from Kivy's ``Label``:
   the kv rules' MessageBar, InfoLabel, ListRow, FieldLabel, buttons, spinner rows, popup
   labels…) given a name with emoji, plain and inside markup: does it draw the pictographs
   through the symbol font?
2. The real desk: registers 小明🙂😀 on 来访登记 and reads the green confirmation's own pixels
   where 🙂 follows the name (compared with 🙂 alone in the symbol font and in the CJK font, a
   box); then opens 今日来访, 同步 and the customer card, and walks every Label on every screen
   and in every open popup whose text holds a pictograph.
"""

import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.core.window import Window  # noqa: E402
from kivy.factory import Factory  # noqa: E402
from kivy.uix.label import Label  # noqa: E402
from ui_glyphs import label_glyph_check  # noqa: E402
from ui_steps import answer_walkin, run_steps  # noqa: E402 - after the window size is set

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.demo import press  # noqa: E402
from mobile.fonts import has_symbols  # noqa: E402
from mobile.screens import SCREENS  # noqa: E402
from mobile.symbol_labels import renders_symbols  # noqa: E402

server_url, data_dir, result_path = sys.argv[1:4]
shot_dir = sys.argv[4] if len(sys.argv) > 4 else data_dir
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
result: dict = {"classes": {}, "on_screen": []}
NAME = "小明🙂😀"


def label_classes() -> dict[str, type]:
    found = {}
    for name in sorted(Factory.classes):
        try:
            cls = getattr(Factory, name)
        except Exception:  # noqa: BLE001 - a registered name whose module is not importable here
            continue
        if isinstance(cls, type) and issubclass(cls, Label):
            found[name] = cls
    return found


def check_class(name: str, cls: type) -> dict | None:
    try:
        widget = cls()
    except Exception:  # noqa: BLE001 - needs arguments: built by its owner, walked on screen below
        return None
    widget.text = NAME
    widget.texture_update()
    plain = renders_symbols(widget) and "[font=FieldsyncSymbols]" in widget._label.text
    widget.markup, widget.text = True, f"[b]{NAME}[/b]"
    widget.texture_update()
    markup = renders_symbols(widget) and "[font=FieldsyncSymbols]" in widget._label.text
    built = cls(text=NAME)  # the text given when built (a list row), never set again
    built.texture_update()
    # (a class that derives its text, a date field, shows no name: nothing to draw)
    constructed = renders_symbols(built) and (not has_symbols(built.text) or "[font=FieldsyncSymbols]" in built._label.text)
    return {"plain": plain, "markup": markup, "constructed": constructed}


def walk_labels(where: str, root) -> None:
    for widget in root.walk(restrict=True):
        if isinstance(widget, Label) and has_symbols(widget.text):
            result["on_screen"].append({"where": where, "class": type(widget).__name__,
                                        "text": widget.text, "symbols": renders_symbols(widget)})


def script():
    yield lambda: app.sm.current == "enrol"
    for name, cls in label_classes().items():
        checked = check_class(name, cls)
        if checked is not None:
            result["classes"][name] = checked
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == 3
    app.show("walkin")
    walkin = app.screen("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = "139 1234 5678", NAME
    answer_walkin(app, walkin)
    yield lambda: walkin.plan_ready and walkin.status.phone_key == "+8613912345678"
    press(walkin.ids.register)
    yield lambda: walkin.message_kind == "ok"
    yield lambda: True
    message = walkin.ids.message
    message.texture_update()
    result["confirmation"] = message.text
    result["confirmation_glyph"] = label_glyph_check(message, message.text[:message.text.index("🙂")], "🙂")
    Window.screenshot(name=f"{shot_dir}/issue14_f4_confirmation_emoji.png")
    walk_labels("walkin", walkin)
    app.show("today")
    today = app.screen("today")
    yield lambda: "来人 1" in today.counts_text
    yield lambda: True
    walk_labels("today", today)
    row = today.ids.rows.children[-1]  # a ListRow built with its text (Factory.ListRow(text=…))
    row.texture_update()
    result["today_row"] = row.text
    result["today_glyph"] = label_glyph_check(row, row.text[:row.text.index("🙂")], "🙂")
    Window.screenshot(name=f"{shot_dir}/issue14_f4_today_emoji.png")
    app.sync_now()
    yield lambda: app.status.pending == 0
    app.show("sync")
    yield lambda: True
    yield lambda: True
    walk_labels("sync", app.screen("sync"))
    for name in SCREENS:  # every screen built so far, whatever it shows now
        walk_labels(name, app.screen(name))
    for child in Window.children:  # open popups and drop-downs
        walk_labels(type(child).__name__, child)


run_steps(app, script(), result, result_path)
