"""Run by test_ui_rotation.py under Xvfb (issue 12): one tablet of the site in the real app, one
phase per run (its store persists between runs). argv: server_url data_dir result_json phase
[username device_name | expected_events].

Phases:
- ``enrol``: sign in as ``username`` on a tablet called ``device_name``;
- ``errand_and_turn`` (offline): on 排班 mark 张强 away on the manager's errand, then register a
  new walk-in for whoever the board names; note the board;
- ``turn`` (offline): register a new walk-in for whoever the board names;
- ``sync``: sync, then read the board once it holds ``expected_events`` rotation events.
"""

import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from ui_steps import answer_walkin, run_steps  # noqa: E402 - after the window size is set

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.demo import press  # noqa: E402

server_url, data_dir, result_path, phase = sys.argv[1:5]
extra = sys.argv[5:]
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
result: dict = {}


def board_texts(rotation) -> dict:
    return {"next": rotation.next_text, "queue": rotation.queue_text, "owed": rotation.owed_text,
            "out": rotation.out_text, "clashes": rotation.clash_text,
            "counted": dict(rotation.board.rotation.counted), "events": len(rotation.board.event_ids),
            "message": rotation.message, "message_bar_height": rotation.ids.message_bar.height}


def register(walkin, name: str, phone: str):
    app.show("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = phone, name
    answer_walkin(app, walkin)
    yield lambda: walkin.plan_ready  # the plan for these inputs, never the previous visitor's (QA of issue 12 F5)
    result["receiver"] = walkin.turn.rep
    press(walkin.ids.register)
    yield lambda: walkin.message_kind in ("ok", "error")
    result["saved"] = walkin.message


def script():
    if phase == "enrol":
        username, device = extra
        enrol = app.screen("enrol")
        enrol.ids.server.text, enrol.ids.username.text = server_url, username
        enrol.ids.password.text, enrol.ids.device.text = "secret-pass-1", device
        press(enrol.ids.submit)
        yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == 3
        app.sync_now()
        yield lambda: app.status.last_report is not None and not app.status.syncing
        return
    rotation = app.screen("rotation")
    walkin = app.screen("walkin")
    if phase in ("errand_and_turn", "turn"):
        yield lambda: app.sm.current == "home"
        if phase == "errand_and_turn":
            app.show("rotation")
            yield lambda: rotation.board is not None
            errand = app.t("rotation.assigned", app.lang)
            button = next(w for row in rotation.ids.rows.children for w in row.children
                          if getattr(w, "group", None) == "rot-zhang.qiang" and w.text == errand)
            press(button)
            yield lambda: rotation.board.rotation.status.get("zhang.qiang") == "assigned"
        name, phone = ("张伟", "138 0013 8000") if phase == "errand_and_turn" else ("李娜", "139 1234 5678")
        yield from register(walkin, name, phone)
        app.show("rotation")
        yield lambda: rotation.board is not None and len(rotation.board.event_ids) == (2 if phase == "errand_and_turn" else 1)
        result["board"] = board_texts(rotation)
        return
    expected = int(extra[0])
    yield lambda: app.sm.current == "home"
    app.show("rotation")
    app.sync_now()
    yield lambda: (app.status.last_report is not None and not app.status.syncing and app.status.pending == 0
                   and rotation.board is not None and len(rotation.board.event_ids) == expected)
    result["board"] = board_texts(rotation)
    result["pending"] = app.status.pending


run_steps(app, script(), result, result_path, timeout_s=60)
