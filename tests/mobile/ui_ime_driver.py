"""Run by test_ui_chinese_input.py in a subprocess under Xvfb, with fcitx5 (pinyin) on the
session bus: the real app, a real input method, keys typed by xdotool as a keyboard would.

argv: server_url data_dir result_json shot_dir. Enrols desk.li, opens 来访登记, focuses the
name field and types ``zhangwei`` then space through fcitx5's pinyin engine; records every
composition (SDL textedit) and commit (SDL textinput) with the field's text at that moment,
saves a screenshot while the composition is shown, then registers the visitor. Also records
each text field's Android keyboard settings (``input_type``, ``keyboard_suggestions``).
"""

import subprocess
import sys
import time

from kivy.core.window import Window
from kivy.uix.textinput import TextInput
from ui_steps import answer_walkin, run_steps

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path, shot_dir = sys.argv[1:5]
app = FieldsyncApp(data_dir=data_dir, sync_interval=60)
result: dict = {"edits": [], "commits": []}


def xdotool(*args: str) -> subprocess.Popen:
    """Keys as the X server delivers them from a keyboard; not waited for on the UI thread."""
    return subprocess.Popen(["xdotool", *args])


def settled(process: subprocess.Popen, after_s: float = 0.8):
    """A step condition: ``process`` has exited and ``after_s`` seconds have passed since."""
    ended: list[float] = []

    def check() -> bool:
        if process.poll() is None:
            return False
        ended[:1] = ended[:1] or [time.monotonic()]
        return time.monotonic() - ended[0] > after_s
    return check


def keyboard_settings() -> dict:
    found = {}
    for name in ("walkin", "call", "follow", "visit", "complaint", "deal", "sync", "enrol"):
        for field, widget in app.screen(name).ids.items():
            if isinstance(widget, TextInput):
                found[f"{name}.{field}"] = [widget.input_type, widget.keyboard_suggestions]
    return found


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == 3
    result["keyboards"] = keyboard_settings()
    app.show("walkin")
    walkin = app.screen("walkin")
    name = walkin.ids.name
    yield lambda: app.sm.current == "walkin" and not app.sm.transition.is_active
    name.focus = True
    Window.bind(on_textedit=lambda _w, text: result["edits"].append([text, name.text]))
    Window.bind(on_textinput=lambda _w, text: result["commits"].append([text, name.text]))

    # SDL waits 300 ms for fcitx5's answer to each key (src/core/linux/SDL_dbus.c); a key the
    # engine answers later (its first one, or any on a loaded machine) reaches the app as a
    # letter *and* is composed: "zzhang wei". One throwaway key loads the engine, and a run with
    # such a stray letter is retried (docs/mobile.md, "Chinese input").
    xdotool("type", "a")
    yield lambda: any(edit == "a" for edit, _ in result["edits"]) or name.text.endswith("a")
    xdotool("key", "BackSpace")  # the engine takes it: the composition is emptied
    deadline = time.monotonic() + 1.0
    yield lambda: time.monotonic() > deadline
    result["attempts"] = []
    looked_up: list = []
    check = app.lookup.check

    def recorded(phone: str, typed_name: str):  # the real look-up, each call noted (issue 14)
        looked_up.append([phone, typed_name])
        return check(phone, typed_name)

    app.lookup.check = recorded
    for _attempt in range(4):
        name.text = ""
        result["edits"].clear()
        result["commits"].clear()
        looked_up.clear()
        # waits for the keys, not for a given text: a stray letter must not hang the run
        yield settled(xdotool("type", "--delay", "150", "zhangwei"))
        composing = {"text": name.text, "composition": name._ime_composition, "looked_up": list(looked_up)}
        shot = Window.screenshot(name=f"{shot_dir}/walkin-composing.png")
        yield settled(xdotool("key", "space"))
        result["attempts"].append({"composing": composing, "committed": name.text,
                                   "commits": [text for text, _ in result["commits"]]})
        if name.text == "张伟":
            result["composing"], result["composing_shot"] = composing, shot
            result["zhangwei_edits"] = list(result["edits"])
            break
    result["committed_text"] = name.text
    yield lambda: any(typed == "张伟" for _, typed in looked_up)  # the commit is looked up
    result["looked_up"] = list(looked_up)
    result["committed_shot"] = Window.screenshot(name=f"{shot_dir}/walkin-committed.png")

    # a tap elsewhere while still composing: the pinyin must not stay in the field
    result["edits"].clear()
    xdotool("type", "--delay", "150", "lina")
    yield lambda: any(edit == "li na" for edit, _ in result["edits"])
    result["blur_composing"] = name.text
    name.focus = False
    deadline = time.monotonic() + 1.0
    yield lambda: time.monotonic() > deadline
    result["blurred"] = {"text": name.text, "composition": name._ime_composition}
    name.focus = True
    deadline = time.monotonic() + 1.0
    yield lambda: time.monotonic() > deadline
    xdotool("key", "BackSpace")
    yield lambda: name.text != "张伟" or time.monotonic() > deadline + 3
    result["after_backspace"] = name.text
    name.text = "张伟"

    walkin.ids.phone.text = "139 1234 5678"
    answer_walkin(app, walkin)
    yield lambda: walkin.plan_ready and walkin.status.phone_key == "+8613912345678"
    # a real tap on 登记 (the X pointer) while "li na" is still being composed after 张伟
    name.focus = True
    deadline = time.monotonic() + 1.0
    yield lambda: time.monotonic() > deadline
    result["edits"].clear()
    xdotool("type", "--delay", "150", "lina")
    yield lambda: any(edit == "li na" for edit, _ in result["edits"])
    x, y = walkin.ids.register.to_window(*walkin.ids.register.center)
    # X screen coordinates: the window's top-left corner plus the button's centre from the top
    xdotool("mousemove", str(int(Window.left + x)), str(int(Window.top + Window.height - y)), "click", "1")
    deadline = time.monotonic() + 3
    yield lambda: walkin.message_kind == "ok" or time.monotonic() > deadline
    result["after_tap"] = {"text": name.text, "message": walkin.message, "kind": walkin.message_kind,
                           "focus": name.focus}
    result["tap_shot"] = Window.screenshot(name=f"{shot_dir}/walkin-tap.png")
    yield lambda: walkin.message_kind == "ok"
    result["saved_message"] = walkin.message

    # 查找客户: the search waits for the commit too
    searched: list = []
    find_real = app.search.find

    def find_recorded(query: str):
        searched.append(query)
        return find_real(query)

    app.search.find = find_recorded
    app.show("find")
    find = app.screen("find")
    yield lambda: app.sm.current == "find" and not app.sm.transition.is_active
    find.ids.query.focus = True
    deadline = time.monotonic() + 1.0
    yield lambda: time.monotonic() > deadline
    for _attempt in range(4):
        find.ids.query.text = ""
        searched.clear()
        yield settled(xdotool("type", "--delay", "150", "zhangwei"))
        result["find_composing"] = {"text": find.ids.query.text, "searched": list(searched)}
        yield settled(xdotool("key", "space"))
        if find.ids.query.text == "张伟":
            break
    yield lambda: "张伟" in searched and find.ids.query.text == "张伟"
    result["find_searched"] = list(searched)


run_steps(app, script(), result, result_path)
