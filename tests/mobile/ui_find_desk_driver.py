"""Run by test_ui_find.py under Xvfb: the desk (李静, tablet 前台一号) registers 王芳, then types her
number again — the explanation names 本机 (issue 14 F3); types 李娜's number — two claims of one
minute told to the second; a registration for 张强, deactivated on the server, is refused and the
sync screen names him 张强 in Chinese and English, never zhang.qiang (F7).

argv: server_url data_dir result_json [shots_dir].
"""

import sys

from ui_steps import answer_walkin, run_steps, save_shot

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
shots_dir = sys.argv[4] if len(sys.argv) > 4 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=60)
result: dict = {}


def shot(name: str) -> None:
    save_shot(shots_dir, name)


def texts(widget) -> list[str]:
    return [str(getattr(w, "text", "")) for w in widget.walk() if str(getattr(w, "text", "")).strip()]


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "desk.li", "secret-pass-1"
    enrol.ids.device.text = "前台一号"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home" and len(app.profile.current.reps) >= 2
    app.show("walkin")
    walkin = app.screen("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = "137 0000 1111", "王芳"
    answer_walkin(app, walkin)
    yield lambda: walkin.plan_ready and walkin.status is not None and walkin.status.phone_key == "+8613700001111"
    press(walkin.ids.register)
    yield lambda: walkin.message_kind == "ok"
    yield lambda: app.status.pending == 0 and app.status.online
    walkin.ids.phone.text = "13700001111"
    yield lambda: (walkin.status is not None and walkin.status.phone_key == "+8613700001111"
                   and not walkin.status.provisional and "首次登记" in walkin.ids.explanation.text)
    result["own_explanation"] = walkin.ids.explanation.text
    shot("find14_desk_own_registration")
    walkin.ids.phone.text = "139 1234 5678"
    yield lambda: walkin.status is not None and walkin.status.verdict == "disputed" and "先登记" in walkin.ids.explanation.text
    result["disputed_explanation"] = walkin.ids.explanation.text
    shot("find14_desk_disputed_seconds")
    walkin.ids.phone.text = ""
    # 张强 left: the server refuses a registration captured now (the desk's list still had him)
    def saved(_wire) -> None:
        result["refused_saved"] = True
        app.sync_now()

    app.tasks.run(lambda: app.capture.capture("walkin", name="赵六", phone="136 0000 2222", rep="zhang.qiang",
                                              data={"visit": "first", "party_size": 1}), saved,
                  lambda exc: result.setdefault("capture_failed", repr(exc)))
    yield lambda: app.status.rejected >= 1 or "capture_failed" in result
    app.show("sync")
    sync = app.screen("sync")
    yield lambda: app.tasks.busy == 0 and any("原因" in t for t in texts(sync.ids.rows))
    result["refusal_zh"] = [t for t in texts(sync.ids.rows) if "原因" in t]
    shot("find14_sync_refusal_zh")
    app.toggle_language()
    sync.refresh()
    yield lambda: app.tasks.busy == 0 and any("Reason" in t for t in texts(sync.ids.rows))
    result["refusal_en"] = [t for t in texts(sync.ids.rows) if "Reason" in t]
    shot("find14_sync_refusal_en")
    app.toggle_language()
    yield lambda: app.tasks.busy == 0


run_steps(app, script(), result, result_path)
