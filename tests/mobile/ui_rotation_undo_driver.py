"""Run by test_ui_rotation_undo.py under Xvfb (issue 12 leftovers): undoing receptions on the
排班 screen of the real app. One phase per run (the store persists between runs).
argv: server_url data_dir result_json phase [shot_dir].

Phases:
- ``enrol``: sign in as desk.li;
- ``undo`` (no network): register a new walk-in on 来访登记, correct its rep to 张强 (its
  reception moves: a coded withdrawal), register a second one (whoever the board names), then on
  排班 tap 撤销上一位接待, tap 确认撤销 with no reason (refused), type one and confirm; read the
  board before and after, then the 今日本机接待 list in Chinese and in English;
- ``sync``: sync; read what is left to send and the board.
"""

import sys

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.core.window import Window  # noqa: E402
from ui_steps import answer_walkin, run_steps  # noqa: E402 - after the window size is set

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.demo import press  # noqa: E402

server_url, data_dir, result_path, phase = sys.argv[1:5]
shot_dir = sys.argv[5] if len(sys.argv) > 5 else ""
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
result: dict = {}


def register(walkin, name: str, phone: str):
    app.show("walkin")
    walkin.say("")
    walkin.ids.phone.text, walkin.ids.name.text = phone, name
    answer_walkin(app, walkin)
    # the plan for these inputs, never the previous visitor's (QA of issue 12 F5)
    yield lambda: walkin.plan_ready and walkin.status.phone_key.endswith(phone[-4:])
    press(walkin.ids.register)
    yield lambda: walkin.message_kind in ("ok", "error") and walkin.message
    result.setdefault("saved", []).append(walkin.message)


def list_rows(popup) -> list[str]:
    return [w.text for row in reversed(popup.ids.rows.children) for w in reversed(row.children)
            if type(w).__name__ in ("InfoLabel", "SmallButton")]


def read_list(rotation, key: str):
    popup = rotation.open_undo()
    yield lambda: len(popup.ids.rows.children) >= 2
    result[key] = list_rows(popup)
    if shot_dir:
        Window.screenshot(name=f"{shot_dir}/rotation-undo-{key}.png")
    popup.dismiss()
    yield lambda: rotation.popup is None


def script():
    if phase == "enrol":
        enrol = app.screen("enrol")
        enrol.ids.server.text, enrol.ids.username.text = server_url, "desk.li"
        enrol.ids.password.text, enrol.ids.device.text = "secret-pass-1", "前台一"
        press(enrol.ids.submit)
        yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == 3
        app.sync_now()
        yield lambda: app.status.last_report is not None and not app.status.syncing
        return
    rotation, walkin = app.screen("rotation"), app.screen("walkin")
    yield lambda: app.sm.current == "home"
    if phase == "sync":
        app.show("rotation")
        app.sync_now()
        yield lambda: (app.status.last_report is not None and not app.status.syncing and app.status.pending == 0
                       and rotation.board is not None)
        rotation.refresh()
        yield lambda: len(rotation.board.receptions) == 1
        result["pending"], result["rejected"] = app.status.pending, app.status.rejected
        result["next"] = rotation.next_text
        result["receptions"] = [r.rep for r in rotation.board.receptions]
        return
    yield from register(walkin, "张伟", "138 0013 8000")

    def correct_first() -> None:  # 张伟 was 张强's customer after all: his reception moves
        walkin_id = next(e.id for e in app.store.outbox(("pending", "held"), limit=50)
                         if e.type == "walkin" and e.customer_name == "张伟")
        app.capture.correct(walkin_id, rep="zhang.qiang")

    app.tasks.run(correct_first, lambda _none: result.update(moved=True))
    yield lambda: result.get("moved")
    yield from register(walkin, "李娜", "139 1234 5678")
    app.show("rotation")
    rotation.refresh()
    yield lambda: rotation.board is not None and len(rotation.board.receptions) == 2
    result["before"] = {"next": rotation.next_text, "receptions": [r.rep for r in rotation.board.receptions],
                        "last_name": rotation.person(rotation.board.receptions[-1].rep)}
    press(rotation.ids.undo_last)
    yield lambda: rotation.popup is not None and rotation.popup.mode == "confirm"
    popup = rotation.popup
    result["confirm_text"] = popup.chosen_text
    press(popup.ids.apply)  # no reason yet
    yield lambda: popup.error != ""
    result["no_reason"] = popup.error
    popup.ids.reason.text = "点错了，客户找的是别人"
    if shot_dir:
        Window.screenshot(name=f"{shot_dir}/rotation-undo-confirm.png")
    press(popup.ids.apply)
    yield lambda: rotation.popup is None and rotation.message_kind == "ok"
    # shown at once: the next sync is far off (the network is down)
    result["after"] = {"next": rotation.next_text, "receptions": [r.rep for r in rotation.board.receptions],
                       "message": rotation.message}
    result["pending"] = app.status.pending
    yield from read_list(rotation, "list_zh")
    app.set_language("en")
    yield from read_list(rotation, "list_en")
    app.set_language("zh")
    # the undo on 同步: a row that says what it takes back (QA re-check of issue 12, C: "撤回 · · - ·")
    sync = app.screen("sync")
    app.show("sync")
    yield lambda: app.sm.current == "sync" and any("撤回" in getattr(w, "text", "") for w in sync.ids.rows.walk())
    result["sync_rows"] = [w.text for w in sync.ids.rows.walk() if type(w).__name__ == "InfoLabel" and w.text]


run_steps(app, script(), result, result_path, timeout_s=60)
