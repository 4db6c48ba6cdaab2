"""The demo's desk day (``--demo-shots``): the desk enrols, sets the rotation, registers walk-ins
(one new, one returning), goes offline (registrations keep working), comes back, finds a
rejected record and corrects it; the manager confirms two walk-ins in the console and the desk
sees who confirmed them; a dispute, today's visitors, 查找客户 and the customer card; the
排班 undo dialog. Yields the demo's waits, as ``Demo.script`` does."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .demo_kit import press
from .demo_server import PASSWORD

__all__ = ["desk_steps"]


def desk_steps(demo) -> Iterator:
    app, t = demo.app, demo.app.t
    yield demo.until(lambda: app.sm.current == "enrol", 10, "enrol screen shown")
    demo.type_into("enrol", "server", demo.server.base_url)
    demo.type_into("enrol", "username", "desk.li")
    demo.type_into("enrol", "password", PASSWORD)
    demo.type_into("enrol", "device", "前台平板-1")
    yield 0.3
    demo.shot("enrol")
    press(demo.screen("enrol").ids.submit)
    yield demo.until(lambda: app.sm.current == "home", 20, "desk signed in")
    yield demo.until(lambda: app.status.last_success and app.status.pending == 0 and
                     len(app.profile.current.reps) == 3, 20, "first sync brought the reps")
    app.screen("home").refresh()
    yield 0.3
    demo.shot("home_reception")

    # rotation: zhang.qiang is on an errand for the manager (keeps priority, 补接)
    app.show("rotation")
    yield demo.until(lambda: demo.screen("rotation").board is not None, 10)
    demo.tap("rotation", lambda w: getattr(w, "group", None) == "rot-zhang.qiang" and w.text == t("rotation.assigned"))
    yield demo.until(lambda: demo.screen("rotation").board.rotation.status.get("zhang.qiang") == "assigned", 10)
    yield 0.3
    demo.shot("rotation_errand")

    # a new customer
    app.show("walkin")
    demo.type_into("walkin", "phone", "138 0013 8000")
    demo.type_into("walkin", "name", "张伟")
    demo.answer_walkin()
    yield demo.until(lambda: demo.walkin_status("+8613800138000"), 10, "lookup answered")
    yield demo.until(lambda: demo.screen("walkin").turn is not None, 10)
    demo.check("张伟 is a new customer", demo.walkin_status("+8613800138000").verdict == "new")
    first_rep = demo.screen("walkin").turn.rep
    demo.check("new walk-in goes to the head of the rotation (陈杰)", first_rep == "chen.jie")
    yield 0.2
    demo.shot("walkin_new_customer")
    press(demo.screen("walkin").ids.register)
    yield demo.until(lambda: demo.screen("walkin").message_kind == "ok", 10, "registration saved")
    yield demo.until(lambda: app.status.pending == 0 and app.status.online, 20, "registration synced")

    # the same customer comes back: returning, hand over, not counted
    demo.type_into("walkin", "phone", "+86 138-0013-8000")
    yield demo.until(lambda: (s := demo.walkin_status("+8613800138000")) and s.verdict == "returning", 10)
    yield demo.until(lambda: demo.screen("walkin").turn is not None and demo.screen("walkin").turn.reason == "returning", 10)
    status = demo.walkin_status("+8613800138000")
    demo.check("returning customer of 陈杰 recognised from the server's index", status.owner == "chen.jie")
    why = demo.screen("walkin").explanation_text
    demo.check("the desk sees why in plain words: first registration, received by 陈杰, protected until",
               "首次登记" in why and "陈杰" in why and "保护期至" in why and "R1" not in why)
    yield 0.2
    demo.shot("walkin_returning_customer")
    demo.type_into("walkin", "name", "张伟")
    demo.answer_walkin()
    press(demo.screen("walkin").ids.register)
    yield demo.until(lambda: demo.screen("walkin").message_kind == "ok", 10)
    # the returning walk-in reaches the server before it goes away (else it races the stop)
    yield demo.until(lambda: app.status.pending == 0 and app.status.online, 20, "returning walk-in synced")

    # chen.jie's own tablet (enrolled while online)
    chen = demo.rep_tablet("chen.jie")
    # offline stretch: the server goes away
    demo.server.stop()
    app.sync_now()  # the last sync may have finished before the stop; the next timed one is a minute away
    yield demo.until(lambda: app.status.online is False, 30, "the tablet notices it is offline")
    # chen.jie's tablet captures 李娜 first, offline as well
    chen[1].capture("walkin", name="李娜", phone="139 1234 5678", rep="chen.jie",
                         data={"visit": "first", "party_size": 2, "intent": "A"})
    yield 1.0
    app.show("walkin")
    demo.type_into("walkin", "phone", "139 1234 5678")
    demo.type_into("walkin", "name", "李娜")
    demo.answer_walkin()
    yield demo.until(lambda: (s := demo.walkin_status("+8613912345678")) and s.verdict == "new", 10)
    yield demo.until(lambda: demo.screen("walkin").turn is not None and demo.screen("walkin").turn.reason == "turn", 10)
    demo.check("offline, the next new walk-in goes to 王丽", demo.screen("walkin").turn.rep == "wang.li")
    press(demo.screen("walkin").ids.register)
    yield demo.until(lambda: demo.screen("walkin").message_kind == "ok"
                     and "李娜" in demo.screen("walkin").message, 10)
    # next up would be zhang.qiang, still on the errand: skipped now, owed a turn (补接)
    demo.type_into("walkin", "phone", "136 2222 3333")
    demo.type_into("walkin", "name", "刘洋")
    demo.answer_walkin()
    yield demo.until(lambda: (s := demo.walkin_status("+8613622223333")) and s.verdict == "new", 10)
    yield demo.until(lambda: demo.screen("walkin").turn is not None and demo.screen("walkin").turn.rep == "chen.jie", 10,
                     "zhang.qiang skipped while away")
    press(demo.screen("walkin").ids.register)
    yield demo.until(lambda: demo.screen("walkin").message_kind == "ok"
                     and "刘洋" in demo.screen("walkin").message, 10)
    # zhang.qiang is back from the errand: his missed turn is made up (补接)
    app.show("rotation")
    yield 0.3
    demo.tap("rotation", lambda w: getattr(w, "group", None) == "rot-zhang.qiang" and w.text == t("rotation.present"))
    yield demo.until(lambda: demo.screen("rotation").board.rotation.status.get("zhang.qiang") == "present", 10)
    yield 0.3
    demo.shot("rotation_back_owed_turns")
    # meanwhile the manager deactivated zhang.qiang (he left); the offline desk cannot know yet
    demo.server.cli("users", "deactivate", "zhang.qiang")
    app.show("walkin")
    demo.type_into("walkin", "phone", "137 0000 1111")
    demo.type_into("walkin", "name", "王芳")
    demo.answer_walkin()
    yield demo.until(lambda: (s := demo.walkin_status("+8613700001111")) and s.verdict == "new", 10)
    yield demo.until(lambda: demo.screen("walkin").turn is not None and demo.screen("walkin").turn.reason == "makeup", 10)
    demo.check("zhang.qiang gets his make-up turn (补接)", demo.screen("walkin").turn.rep == "zhang.qiang")
    yield 0.2
    demo.shot("walkin_offline_makeup_turn")
    press(demo.screen("walkin").ids.register)
    yield demo.until(lambda: demo.screen("walkin").message_kind == "ok"
                     and "王芳" in demo.screen("walkin").message, 10)
    app.show("sync")
    yield demo.until(lambda: app.status.pending == 7 and app.status.online is False, 10)
    yield 0.5
    demo.shot("sync_offline_pending")

    demo.server.start()
    yield demo.until(lambda: app.status.pending == 0 and app.status.online, 60, "synced after the outage")
    # captured after his deactivation: refused (what was captured before would be accepted)
    demo.check("the make-up walk-in for a departed rep is rejected", app.status.rejected == 1)
    chen[2].sync()  # chen.jie's tablet syncs later; its earlier capture wins (R1) → dispute
    app.sync_now()
    yield 2.0
    sync = demo.screen("sync")
    sync.refresh()
    yield demo.until(lambda: any(e.needs_attention for e in sync.entries), 10, "rejected record listed")
    rejected = next(e for e in sync.entries if e.needs_attention)
    demo.check("rejected record shows the server's reason", rejected.error_code == "rep_inactive")
    yield 0.3
    demo.shot("sync_rejected_with_reason")
    demo.tap("sync", lambda w: getattr(w, "text", None) == t("sync.correct"))
    yield demo.until(lambda: sync.popup is not None, 5)
    sync.popup.ids.rep.text = "王丽"
    yield 0.3
    demo.shot("sync_correct_rejected")
    press(sync.popup.ids.apply)
    yield demo.until(lambda: sync.popup is None, 10, "correction saved")
    yield demo.until(lambda: app.status.pending == 0 and app.status.rejected == 0, 30, "correction accepted")
    sync.refresh()
    yield 0.8
    demo.shot("sync_after_correction")

    # the manager confirms two of the day's walk-ins in the console (审核确认, R4); the desk's
    # next sync brings the confirmations and the sync screen says who confirmed them, and when
    chosen = [e.id for e in sync.entries if e.state == "accepted" and e.customer_name in ("张伟", "刘洋")][:2]
    demo.server.confirm(chosen)
    app.sync_now()
    yield demo.until(lambda: {e.id for e in sync.entries if e.confirmed} == set(chosen), 20,
                     "the confirmations reached the desk")
    rows = [w.text for w in sync.ids.rows.walk() if "已确认" in str(getattr(w, "text", ""))]
    demo.check("the sync screen shows 已确认：赵敏 beside the confirmed walk-ins",
               len(rows) == 2 and all("已确认：赵敏" in text for text in rows))
    yield 0.3
    demo.shot("sync_confirmed_by_manager")

    # the dispute: 李娜 was registered by chen.jie's tablet first
    app.show("walkin")
    demo.type_into("walkin", "phone", "")
    yield 0.3
    demo.type_into("walkin", "phone", "13912345678")
    yield demo.until(lambda: (s := demo.walkin_status("+8613912345678")) and s.verdict == "disputed", 20,
                     "the desk sees the dispute")
    demo.check("dispute: 陈杰 holds 李娜 by R1 until a manager decides",
               demo.walkin_status("+8613912345678").owner == "chen.jie")
    told = demo.screen("walkin").explanation_text
    demo.check("the dispute is explained: who registered first, to the second when both fall in one minute "
               "(issue 14 F3), no 某台平板", "先登记" in told and "某台平板" not in told and first_is_seen(told))
    yield 0.3
    demo.shot("walkin_disputed")
    # the desk's day, and finding a customer by pinyin initials (issue 14)
    app.show("today")
    yield demo.until(lambda: "来人" in demo.screen("today").counts_text, 10, "today's visitors listed")
    demo.shot("today_visitors")
    app.show("find")
    demo.type_into("find", "query", "zw")
    yield demo.until(lambda: any(f.name == "张伟" for f in demo.screen("find").found), 10, "zw finds 张伟")
    demo.shot("find_zw")
    demo.screen("find").open(next(f for f in demo.screen("find").found if f.name == "张伟"))
    yield demo.until(lambda: demo.screen("card").card is not None, 10, "the card of 张伟")
    demo.shot("customer_card")

    # 排班: today's receptions by this desk, and the dialog that undoes one (issue 12); nothing
    # is undone here (the day goes on), the dialog is cancelled
    app.show("rotation")
    rotation = demo.screen("rotation")
    yield demo.until(lambda: rotation.board is not None, 10)
    popup = rotation.open_undo()
    yield demo.until(lambda: any(type(w).__name__ == "SmallButton" for row in popup.ids.rows.children
                                 for w in row.children), 10, "today's receptions listed for undo")
    demo.check("the undo list shows the desk's receptions of today", len(popup.ids.rows.children) >= 4)
    yield 0.3
    demo.shot("rotation_undo_list")
    press(next(w for row in reversed(popup.ids.rows.children) for w in row.children
               if type(w).__name__ == "SmallButton"))
    yield demo.until(lambda: popup.mode == "confirm", 5, "the undo asks for confirmation")
    popup.ids.reason.text = "点错了售楼员"
    yield 0.3
    demo.shot("rotation_undo_confirm")
    press(popup.ids.cancel)
    yield demo.until(lambda: rotation.popup is None, 5, "the undo is cancelled")


def first_is_seen(told: str) -> bool:
    """In the 先登记 line of an explanation, can one see which registration came first? Two
    times in different minutes, or in one minute both with seconds, the first earlier."""
    line = next((x for x in told.splitlines() if "先登记" in x), "")
    times = re.findall(r"(\d{4}-\d\d-\d\d \d\d:\d\d)(:\d\d)?", line)
    if len(times) != 2:
        return False
    (minute_a, sec_a), (minute_b, sec_b) = times
    return minute_a < minute_b or (minute_a == minute_b and bool(sec_a) and bool(sec_b) and sec_a <= sec_b)
