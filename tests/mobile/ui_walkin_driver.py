"""Run by test_ui.py in a subprocess under Xvfb: the real app, driven through its widgets.

argv: server_url data_dir result_json. Enrols desk.li, types a phone, reads the verdict,
presses register, types the same phone again and reads the new verdict; visits the other
desk screens and switches language. Every store call made on the UI thread after the first
frame is recorded (house rule: none).
"""

import sys
import threading
import traceback

from ui_steps import answer_walkin, run_steps

from mobile.app import FieldsyncApp
from mobile.demo import press
from mobile.store import LocalStore

ui_thread_store_calls: list[str] = []
watching = [False]


def on_ui_thread_is_recorded(method):
    def wrapper(self, *args, **kwargs):
        if watching[0] and threading.current_thread() is threading.main_thread():
            ui_thread_store_calls.append("".join(traceback.format_stack(limit=8)[:-1]))
        return method(self, *args, **kwargs)
    return wrapper


LocalStore._rows = on_ui_thread_is_recorded(LocalStore._rows)
LocalStore._tx = on_ui_thread_is_recorded(LocalStore._tx)

server_url, data_dir, result_path = sys.argv[1:4]
app = FieldsyncApp(data_dir=data_dir, sync_interval=60)
result: dict = {"steps": []}


def script():
    watching[0] = True  # the app is built and its first frame drawn
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == 3
    app.show("walkin")
    walkin = app.screen("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = "139 1234 5678", "李娜"
    answer_walkin(app, walkin)
    yield lambda: walkin.plan_ready and walkin.status.phone_key == "+8613912345678"
    result["first_verdict"] = walkin.verdict_text
    result["receiver"] = walkin.receiver_text
    press(walkin.ids.register)
    yield lambda: walkin.message_kind == "ok"
    result["saved_message"] = walkin.message
    walkin.ids.phone.text = "+86 139-1234-5678"
    yield lambda: walkin.status is not None and walkin.status.verdict == "returning"
    result["second_verdict"] = walkin.verdict_text
    result["second_provisional"] = walkin.status.provisional
    result["second_explanation"] = walkin.ids.explanation.text
    yield lambda: app.status.pending == 0 and app.status.online
    result["synced"] = True
    for name in ("sync", "rotation", "call", "complaint", "home"):
        app.show(name)
        yield lambda: True
    app.toggle_language()
    app.show("walkin")
    walkin.ids.phone.text = "13912345678"
    yield lambda: walkin.verdict_text.startswith("Returning customer") and walkin.explanation_text.startswith("first registration")
    result["english_provisional"] = walkin.status.provisional
    result["english_explanation"] = walkin.ids.explanation.text
    app.toggle_language()
    app.go_back()
    yield lambda: app.tasks.busy == 0
    result["ui_thread_store_calls"] = ui_thread_store_calls[:5]


run_steps(app, script(), result, result_path)
