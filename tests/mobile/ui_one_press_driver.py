"""Run by test_ui_one_press.py under Xvfb (QA of issue 12): one tablet in the real app, one phase
per run (its store persists between runs). argv: server_url data_dir result_json phase [args].

Phases:
- ``enrol`` username device reps: sign in, wait for ``reps`` active reps, sync;
- ``desk``: on a desk, every save button tapped twice — 80 ms apart (a fast double tap) and
  200 ms apart (after the save) — on 来访登记, 来电登记, 排班 (a status, lunch) and 撤销接待;
  and 登记 tapped at once after the phone changes to a returning customer's (F5);
- ``rep``: on a rep's tablet, the same for 跟进, 投诉 and 成交登记; 排班 read-only; a rotation
  record the tablet made anyway is refused by the server and kept with its reason (F3);
- ``board`` shots_dir: 排班 at 1280×800 with its rows and clashes, in Chinese then English.
"""

import sys
from pathlib import Path

from kivy.config import Config

Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.metrics import dp  # noqa: E402
from ui_steps import answer_walkin, run_steps  # noqa: E402 - after the window size is set

from mobile.app import FieldsyncApp  # noqa: E402
from mobile.demo import press  # noqa: E402
from mobile.messages import refusal_text  # noqa: E402

server_url, data_dir, result_path, phase = sys.argv[1:5]
extra = sys.argv[5:]
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
result: dict = {}
settled = [0.0]  # seconds waited after a double tap (the second tap's own effects show)


def count(*types: str) -> int:
    return len(app.store.own_records_of_types(types))


def double_tap(button, gap_s: float):
    """Tap ``button``, and again ``gap_s`` later (as a finger would: the press runs whatever the
    button's state, a disabled one included, so the screen's own guard is what is tested)."""
    press(button)
    done = []
    Clock.schedule_once(lambda _dt: (press(button), done.append(True)), gap_s)
    yield lambda: bool(done)
    waited = []
    Clock.schedule_once(lambda _dt: waited.append(True), 0.6)  # the second tap's save would be back
    yield lambda: bool(waited) and not app.tasks.busy


def pause(seconds: float):
    """Let the app run ``seconds`` (frames, layout) before the script goes on."""
    over: list[bool] = []
    Clock.schedule_once(lambda _dt: over.append(True), seconds)
    yield lambda: bool(over)


def fill_walkin(walkin, name: str, phone: str):
    app.show("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = phone, name
    answer_walkin(app, walkin, "2")
    yield lambda: walkin.plan_ready and walkin.status.phone_key.endswith(phone[-4:])


def desk():
    yield lambda: app.sm.current == "home"
    walkin = app.screen("walkin")
    for key, gap, name, phone in (("walkin_80ms", 0.08, "双击甲", "138 0000 1001"),
                                  ("walkin_200ms", 0.2, "双击乙", "138 0000 1002")):
        before = (count("walkin"), count("rotation"))
        yield from fill_walkin(walkin, name, phone)
        yield from double_tap(walkin.ids.register, gap)
        result[key] = {"walkins": count("walkin") - before[0], "rotation": count("rotation") - before[1],
                       "message_kind": walkin.message_kind, "message": walkin.message}
    # F5: the next visitor is 双击甲 again (returning, owned by the rep who received them); 登记
    # tapped in the same frame as the number changes must not use the previous plan
    yield from fill_walkin(walkin, "新客丙", "138 0000 1003")
    result["stale_plan_before"] = walkin.turn.rep
    before = count("walkin")
    walkin.ids.phone.text, walkin.ids.name.text = "138 0000 1001", "双击甲"
    answer_walkin(app, walkin, "2")
    result["stale_ready_at_once"] = walkin.plan_ready
    press(walkin.ids.register)
    result["stale_saved"] = count("walkin") - before
    yield lambda: walkin.plan_ready and walkin.status.phone_key.endswith("1001")
    result["returning_plan"] = {"verdict": walkin.status.verdict, "owner": walkin.status.owner,
                                "rep": walkin.turn.rep, "reason": walkin.turn.reason}
    call = app.screen("call")
    app.show("call")
    call.ids.phone.text, call.ids.name.text, call.ids.topic.text = "139 0000 2001", "来电甲", "价格"
    yield lambda: call.status is not None and call.status.phone_key.endswith("2001")
    before = count("call")
    yield from double_tap(call.ids.save, 0.08)
    result["call_80ms"] = {"calls": count("call") - before, "message_kind": call.message_kind}
    rotation = app.screen("rotation")
    app.show("rotation")
    yield lambda: rotation.board is not None and not rotation.read_only
    absent = app.t("rotation.absent", app.lang)
    button = next(w for row in rotation.ids.rows.children for w in row.children
                  if getattr(w, "group", None) == "rot-zhang.qiang" and w.text == absent)
    before = count("rotation")
    yield from double_tap(button, 0.08)
    result["status_80ms"] = count("rotation") - before
    before = count("rotation")
    yield from double_tap(rotation.ids.lunch, 0.08)
    result["lunch_80ms"] = count("rotation") - before
    yield from double_tap(rotation.ids.lunch, 0.08)  # lunch over again
    before = count("withdrawal")
    press(rotation.ids.undo_last)
    yield lambda: rotation.popup is not None and rotation.popup.mode == "confirm"
    rotation.popup.ids.reason.text = "点错了"
    yield from double_tap(rotation.popup.ids.apply, 0.08)
    result["undo_80ms"] = count("withdrawal") - before
    result["undo_message_kind"] = rotation.message_kind


def rep():
    yield lambda: app.sm.current == "home"
    follow = app.screen("follow")
    app.show("follow")
    follow.ids.name.text, follow.ids.phone.text = "跟进甲", "137 0000 3001"
    follow.ids.content.text = "电话回访，客户考虑中"
    press(follow.ids.method_phone)
    before = count("follow_up")
    yield from double_tap(follow.ids.save, 0.08)
    result["follow_80ms"] = {"records": count("follow_up") - before, "message_kind": follow.message_kind,
                             "message": follow.message}
    complaint = app.screen("complaint")
    app.show("complaint")
    complaint.ids.name.text, complaint.ids.phone.text = "投诉甲", "137 0000 3002"
    complaint.ids.content.text = "停车位不够"
    result["severity_preselected"] = [s for s in ("general", "major") if complaint.ids[s].state == "down"]
    press(complaint.ids.general)
    before = count("complaint")
    yield from double_tap(complaint.ids.save, 0.2)
    result["complaint_200ms"] = {"records": count("complaint") - before, "message_kind": complaint.message_kind,
                                 "message": complaint.message}
    deal = app.screen("deal")
    app.show("deal")
    deal.ids.name.text, deal.ids.phone.text = "成交甲", "137 0000 3003"
    deal.ids.unit.text, deal.ids.amount.text = "5-0801", "20000"
    press(deal.ids.stage_small_deposit)
    before = count("deal")
    yield from double_tap(deal.ids.save, 0.08)
    result["deal_80ms"] = {"records": count("deal") - before, "message_kind": deal.message_kind,
                           "message": deal.message}
    rotation = app.screen("rotation")
    app.show("rotation")
    yield lambda: rotation.board is not None and rotation.ids.rows.children
    result["read_only"] = rotation.read_only
    result["status_buttons"] = sum(1 for row in rotation.ids.rows.children for w in row.children
                                   if getattr(w, "group", "").startswith("rot-"))
    result["lunch_shown"] = rotation.ids.lunch.opacity > 0 and not rotation.ids.lunch.disabled
    result["undo_shown"] = rotation.ids.undo_last.opacity > 0 and not rotation.ids.undo_last.disabled
    before = count("rotation")
    rotation.set_status("chen.jie", "absent")  # what a tap on a status would have done
    result["set_status_on_rep_tablet"] = count("rotation") - before
    # a rotation record the tablet made anyway (an app from before the rule): refused, kept
    app.rotation.set_status("wang.li", "assigned")
    app.sync_now()
    yield lambda: not app.status.syncing and any(e.type == "rotation" for e in app.store.outbox(("rejected",)))
    refused = next(e for e in app.store.outbox(("rejected",)) if e.type == "rotation")
    result["refused"] = {"code": refused.error_code, "state": refused.state,
                         "zh": refusal_text({"code": refused.error_code, "message": refused.error_message,
                                             "field": refused.error_field}, "zh", "rotation"),
                         "en": refusal_text({"code": refused.error_code, "message": refused.error_message,
                                             "field": refused.error_field}, "en", "rotation")}
    # a person deals with it on 同步: withdraws it, tapping 撤回 twice within 80 ms
    sync = app.screen("sync")
    app.show("sync")
    yield lambda: app.sm.current == "sync" and not app.tasks.busy
    popup = sync.open_popup(refused, "withdraw")
    popup.ids.reason.text = "前台会登记"
    before = count("withdrawal")
    yield from double_tap(popup.ids.apply, 0.08)
    result["withdraw_refused_80ms"] = {"records": count("withdrawal") - before, "message_kind": sync.message_kind}


def board():
    shots = Path(extra[0])
    yield lambda: app.sm.current == "home"
    rotation = app.screen("rotation")
    app.show("rotation")
    app.sync_now()
    yield lambda: (not app.status.syncing and app.status.last_report is not None and rotation.board is not None
                   and len(rotation.board.clashes) == 3 and len(rotation.ids.rows.children) == 6)
    for lang in ("zh", "en"):
        app.set_language(lang)
        rotation.refresh()
        yield lambda: not app.tasks.busy
        yield from pause(0.3)  # the layout settles
        scroll = rotation.ids.board_scroll
        rows = []
        for row in reversed(rotation.ids.rows.children):  # top to bottom
            scroll.scroll_to(row, padding=0, animate=False)
            yield from pause(0.15)
            _, bottom = row.to_window(row.x, row.y)
            _, top = row.to_window(row.x, row.top)
            _, view_bottom = scroll.to_window(scroll.x, scroll.y)
            _, view_top = scroll.to_window(scroll.x, scroll.top)
            buttons = [w for w in row.children if getattr(w, "group", "").startswith("rot-")]
            rows.append({"height_dp": row.height / dp(1), "buttons": len(buttons),
                         "button_height_dp": min((b.height / dp(1) for b in buttons), default=0),
                         "fully_visible": bottom >= view_bottom - 1 and top <= view_top + 1})
        result[lang] = {"rows": rows, "clash_text": rotation.clash_text, "queue": rotation.queue_text,
                        "out": rotation.out_text, "clash_area_dp": rotation.ids.clash_scroll.height / dp(1),
                        "view_dp": scroll.height / dp(1)}
        scroll.scroll_y = 1
        yield from pause(0.3)
        Window.screenshot(name=str(shots / f"rotation-1280x800-{lang}.png"))
    result["name_of_deactivated"] = app.profile.current.name_of("chen.jie")


def script():
    if phase == "enrol":
        username, device, reps = extra
        enrol = app.screen("enrol")
        enrol.ids.server.text, enrol.ids.username.text = server_url, username
        enrol.ids.password.text, enrol.ids.device.text = "secret-pass-1", device
        press(enrol.ids.submit)
        yield lambda: app.sm.current == "home" and len(app.profile.current.reps) == int(reps)
        app.sync_now()
        yield lambda: app.status.last_report is not None and not app.status.syncing
        return
    yield from {"desk": desk, "rep": rep, "board": board}[phase]()


run_steps(app, script(), result, result_path, timeout_s=60)
