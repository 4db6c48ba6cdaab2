"""Run by test_ui.py in a subprocess under Xvfb: the desk registers 张伟 for whoever the rotation
names and syncs; then 王丽's tablet, offline until now, brings an earlier claim of 张伟. After the
desk's next sync its home and sync screens must say so (issue 9, item 13).

argv: server_url data_dir result_json shots_dir.
"""

import sys
from datetime import timedelta

from ui_steps import answer_walkin, run_steps, save_shot

from mobile.app import FieldsyncApp
from mobile.demo import press
from tests.console.seed import Tablet

server_url, data_dir, result_path, shots_dir = sys.argv[1:5]
app = FieldsyncApp(data_dir=data_dir, sync_interval=60)
result: dict = {}


class Server:  # what tests.console.seed.Tablet needs of a server
    base_url = server_url

    @staticmethod
    def url(path: str) -> str:
        return server_url + "/api/v1" + path


def shot(name: str) -> None:
    save_shot(shots_dir, name)


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == 3
    app.show("walkin")
    walkin = app.screen("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = "138 0013 8000", "张伟"
    answer_walkin(app, walkin)
    yield lambda: walkin.plan_ready  # planned for the inputs now in the form (QA of issue 12 F5)
    result["new_verdict"] = walkin.verdict_text
    press(walkin.ids.register)
    yield lambda: walkin.message_kind == "ok"
    result["saved_message"] = walkin.message
    yield lambda: app.status.pending == 0 and app.status.online
    app.show("home")
    yield lambda: True
    result["alerts_before"] = app.screen("home").alerts
    # 王丽's tablet was offline: its registration of 张伟, 30 minutes before the desk's, arrives now
    wang = Tablet(Server, "wang.li", "王丽的平板")
    wang.push([wang.record("walkin", timedelta(minutes=30), rep="wang.li", name="张伟", phone="138 0013 8000")])
    app.sync_now()
    home = app.screen("home")
    yield lambda: bool(home.alerts)
    result["home_alert"] = home.alerts
    shot("home_alert_zh")
    app.show("sync")
    sync = app.screen("sync")
    yield lambda: bool(sync.alerts)
    result["sync_alert"] = sync.alerts
    shot("sync_alert_zh")
    app.toggle_language()
    yield lambda: sync.alerts.startswith("Note:")
    result["sync_alert_en"] = sync.alerts
    shot("sync_alert_en")
    app.show("home")
    yield lambda: home.alerts.startswith("Note:")
    result["home_alert_en"] = home.alerts
    app.toggle_language()
    yield lambda: app.tasks.busy == 0


run_steps(app, script(), result, result_path)
