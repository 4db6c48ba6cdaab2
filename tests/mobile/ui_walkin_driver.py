"""Run by test_ui.py in a subprocess under Xvfb: the real app, driven through its widgets.

argv: server_url data_dir result_json. Enrols desk.li, types a phone, reads the verdict,
presses register, types the same phone again and reads the new verdict.
"""

import json
import sys
import time

from kivy.clock import Clock

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
app = FieldsyncApp(data_dir=data_dir, sync_interval=60)
result: dict = {"steps": []}


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.store.users(role="rep")) == 3
    app.show("walkin")
    walkin = app.screen("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = "139 1234 5678", "李娜"
    yield lambda: walkin.status is not None and walkin.status.phone_key == "+8613912345678" and walkin.turn is not None
    result["first_verdict"] = walkin.verdict_text
    result["receiver"] = walkin.receiver_text
    press(walkin.ids.register)
    yield lambda: walkin.message_kind == "ok"
    result["saved_message"] = walkin.message
    walkin.ids.phone.text = "+86 139-1234-5678"
    yield lambda: walkin.status is not None and walkin.status.verdict == "returning"
    result["second_verdict"] = walkin.verdict_text
    yield lambda: app.status.pending == 0 and app.status.online
    result["synced"] = True


steps = script()
deadline = [time.monotonic() + 30]


def tick(_dt, waiting=[None]):  # noqa: B006 - one mutable slot for the current wait
    if waiting[0] is not None and not waiting[0]():
        if time.monotonic() > deadline[0]:
            result["error"] = "timed out"
            app.stop()
            return
        Clock.schedule_once(tick, 0.1)
        return
    try:
        waiting[0] = next(steps)
        deadline[0] = time.monotonic() + 30
    except StopIteration:
        app.stop()
        return
    Clock.schedule_once(tick, 0.1)


Clock.schedule_once(tick, 0.5)
app.run()
with open(result_path, "w", encoding="utf-8") as f:
    json.dump(result, f, ensure_ascii=False)
