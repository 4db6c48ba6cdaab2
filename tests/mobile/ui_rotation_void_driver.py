"""Run by test_ui_rotation_void.py under Xvfb: the real app against a real server.
argv: server_url data_dir result_json.

Enrols desk.li; records a rotation status change and a walk-in for a rep the site does not have
(the server refuses both: ``unknown_rep``), syncs, reads the buttons of each refused row on the
sync screen, then voids (作废) the rotation record with a reason and reads the screen again.
"""

import sys

from ui_steps import run_steps

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
app = FieldsyncApp(data_dir=data_dir, sync_interval=600)
result: dict = {}


def rows(sync) -> list[dict]:
    """Each row of the sync screen: its texts and its buttons, top to bottom."""
    found = []
    for box in reversed(sync.ids.rows.children):
        widgets = list(box.walk(restrict=True))
        found.append({"texts": [w.text for w in widgets if type(w).__name__ == "InfoLabel" and w.text],
                      "buttons": [w.text for w in widgets if type(w).__name__ == "SmallButton"]})
    return found


def record_refused() -> None:
    def work():
        day = app.rotation.today()
        app.capture.save(app.capture.build_rotation("no.such.rep", {"day": day, "event": "absent"}))
        app.capture.capture("walkin", name="周敏", phone="137 1970 0101", rep="no.such.rep",
                            data={"visit": "first", "party_size": 1})
    app.tasks.run(work, lambda _none: app.sync_now())


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and app.status.online
    record_refused()
    yield lambda: app.status.rejected == 2 and not app.status.syncing
    app.show("sync")
    sync = app.screen("sync")
    sync.refresh()
    yield lambda: sum(1 for r in rows(sync) if r["buttons"]) == 2
    result["before"] = rows(sync)
    rotation_row = next(box for box in reversed(sync.ids.rows.children)
                        if any(type(w).__name__ == "SmallButton" and w.text == "作废" for w in box.walk(restrict=True)))
    press(next(w for w in rotation_row.walk(restrict=True) if type(w).__name__ == "SmallButton"))
    yield lambda: sync.popup is not None
    popup = sync.popup
    result["popup_title"] = popup.title
    result["popup_apply"] = popup.ids.apply.text
    press(popup.ids.apply)  # no reason yet
    yield lambda: popup.error != ""
    result["popup_error"] = popup.error
    popup.ids.reason.text = "售楼员选错了，重新登记"
    press(popup.ids.apply)
    yield lambda: sync.popup is None and sum(1 for r in rows(sync) if r["buttons"]) == 1
    result["message"] = sync.message
    result["after"] = rows(sync)


run_steps(app, script(), result, result_path)
