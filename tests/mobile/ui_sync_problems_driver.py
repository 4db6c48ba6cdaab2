"""Run by test_ui_sync_problems.py under Xvfb: the real app against a real server behind a
fault proxy (issue 8). argv: server_url data_dir result_json.

Enrols desk.li; with the tablet's wall clock reset to 1970 it registers a walk-in and syncs,
then reads the clock warning on home and sync; registers a walk-in for 坏记录 (the proxy answers
its push 500) and a good one, syncs, and reads the status line and the sync screen. Then a
shared tablet (切换用户): a walk-in the server refuses (a rep it does not know) is not offered
for 更正/撤回 to wang.li signed in after the desk — the row says who entered it and who may —
and is again to desk.li signed in back.
"""

import sys
from datetime import UTC, datetime

from ui_steps import run_steps

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
app = FieldsyncApp(data_dir=data_dir, sync_interval=600)
result: dict = {}
WALKIN = {"visit": "first", "party_size": 1, "intent": "B"}


def register(name: str, phone: str) -> None:
    app.tasks.run(lambda: app.capture.capture("walkin", name=name, phone=phone, rep="wang.li", data=WALKIN),
                  lambda _wire: app.sync_now())


def sign_in(username: str) -> None:
    app.show("enrol")
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, username, "secret-pass-1"
    press(enrol.ids.submit)


def row_texts() -> list[str]:
    return [w.text for w in app.screen("sync").ids.rows.walk() if hasattr(w, "text") and w.text]


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and app.status.online
    result["warning_before"] = app.clock_warning
    app.client.now = lambda: datetime(1970, 1, 1, 0, 5, tzinfo=UTC)  # the wall clock was reset
    register("周敏", "137 1970 0101")
    yield lambda: app.clock_warning != "" and app.status.pending == 0
    home = app.screen("home")
    result["home_warning"] = home.ids.clock_warning.text
    app.show("sync")
    yield lambda: app.screen("sync").ids.clock_warning.text != ""
    result["sync_warning"] = app.screen("sync").ids.clock_warning.text
    register("坏记录", "137 1970 0202")
    register("好记录", "137 1970 0303")
    yield lambda: app.status.last_error_code == "server_error" and app.status.pending == 1 and not app.status.syncing
    result["status_line"] = app.sync_line
    sync = app.screen("sync")
    sync.refresh()
    yield lambda: "服务器出错" in sync.detail and "暂存本机" in " ".join(w.text for w in sync.ids.rows.walk()
                                                                  if hasattr(w, "text"))
    result["sync_detail"] = sync.detail
    result["sync_rows"] = [w.text for w in sync.ids.rows.walk() if hasattr(w, "text") and w.text]
    app.toggle_language()
    sync.refresh()
    yield lambda: "Server error" in sync.detail
    result["sync_detail_en"] = sync.detail
    result["clock_warning_en"] = app.clock_warning
    app.toggle_language()  # 中文 again
    app.tasks.run(lambda: app.capture.capture("walkin", name="错接待", phone="137 1970 0404", rep="no.such.rep",
                                              data=WALKIN), lambda _wire: app.sync_now())
    yield lambda: app.status.rejected == 1 and not app.status.syncing
    sign_in("wang.li")  # 切换用户 on the desk's tablet
    yield lambda: app.sm.current == "home" and (app.user or {}).get("username") == "wang.li"
    app.show("sync")
    sync.refresh()
    yield lambda: any("错接待" in text for text in row_texts()) and any("录入" in text for text in row_texts())
    result["rep_rows"] = row_texts()
    sign_in("desk.li")  # the desk is back
    yield lambda: app.sm.current == "home" and (app.user or {}).get("username") == "desk.li"
    app.show("sync")
    sync.refresh()
    yield lambda: "更正" in row_texts()
    result["desk_rows"] = row_texts()


run_steps(app, script(), result, result_path)
