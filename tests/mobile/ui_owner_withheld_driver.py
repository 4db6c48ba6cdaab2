"""Run by test_ui_owner_withheld.py under Xvfb: the real desk app against a real server whose
look-up budget for desk.li's pushed records is already spent (issue 14, the second oracle).
argv: server_url data_dir result_json.

Enrols desk.li, registers a walk-in for a number nobody has, syncs and reads the sync screen
in Chinese and in English: the record is accepted, and its owner waits for the manager.
"""

import sys

from ui_steps import run_steps

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
app = FieldsyncApp(data_dir=data_dir, sync_interval=600)
result: dict = {}
WALKIN = {"visit": "first", "party_size": 1, "intent": "B"}


def rows(sync) -> list[str]:
    return [w.text for w in sync.ids.rows.walk() if hasattr(w, "text") and w.text]


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and app.status.online
    app.tasks.run(lambda: app.capture.capture("walkin", name="周敏", phone="137 1400 0014", rep="wang.li",
                                              data=WALKIN), lambda _wire: app.sync_now())
    yield lambda: app.status.pending == 0 and not app.status.syncing and app.status.last_error_code in ("", None)
    sync = app.screen("sync")
    app.show("sync")
    sync.refresh()
    yield lambda: any("归属待经理确认" in text for text in rows(sync))
    result["rows_zh"] = rows(sync)
    app.toggle_language()
    sync.refresh()
    yield lambda: any("Owner to be confirmed" in text for text in rows(sync))
    result["rows_en"] = rows(sync)


run_steps(app, script(), result, result_path)
