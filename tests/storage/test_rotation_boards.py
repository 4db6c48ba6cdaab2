"""The server's rotation boards (排班, issue 12 follow-ups) on SQLite and PostgreSQL: a withdrawn
rotation record leaves the board, a turn owed for the manager's errand (补接) carries over to the
next day of the week, and a past day's board does not change when a rep is deactivated later."""

from __future__ import annotations

from datetime import date

from sync_server.services.rotation import day_boards
from sync_server.storage.base import User
from tests.storage.records import make_record, seed

MONDAY, TUESDAY = date(2026, 11, 16), date(2026, 11, 17)


def rotation(store, seq: int, day: str, at: str, event: str, rep: str | None, **data) -> str:
    rid = f"00000000-0000-4000-8000-{seq:012d}"  # replayable
    wire = {"id": rid, "seq": seq, "type": "rotation", "captured_at": at, "rep": rep,
            "data": {"day": day, "event": event, **data}}
    with store.write("s1"):
        store.insert_records([make_record(seq=seq, id=rid, type="rotation", rep=rep, phone_key="", name="",
                                          estimated_at=at, wire=wire, change_id=store.next_change_id())])
    return rid


def withdraw(store, seq: int, at: str, record_id: str) -> None:
    rid = f"00000000-0000-4000-9000-{seq:012d}"
    wire = {"id": rid, "seq": seq, "type": "withdrawal", "captured_at": at, "rep": None, "supersedes": record_id,
            "data": {"reason": "点错了售楼员"}}
    with store.write("s1"):
        store.insert_records([make_record(seq=seq, id=rid, type="withdrawal", rep=None, phone_key="", name="",
                                          supersedes=record_id, estimated_at=at, wire=wire,
                                          change_id=store.next_change_id())])


def boards(store, reporting):
    site = store.get_site("s1")
    return day_boards(reporting, site, store.list_users("s1"), MONDAY, TUESDAY)[0]


def test_owed_turns_carry_over_withdrawn_events_leave_and_past_boards_keep_their_reps(store, reporting):
    seed(store)
    store.add_user(User("li.na", "s1", "李娜", "rep", "hash-li.na"))
    # Monday: 陈杰 is away on the manager's errand at his turn (owed); 李娜 takes turn 1
    rotation(store, 1, "2026-11-16", "2026-11-16T09:00:00.000+08:00", "assigned", "chen.jie")
    rotation(store, 2, "2026-11-16", "2026-11-16T09:30:00.000+08:00", "receive", "li.na", visit="new", turn=1,
             reason="turn")
    # Tuesday: the desk taps 王丽 by mistake, withdraws it, and 陈杰 makes up his owed turn
    wrong = rotation(store, 3, "2026-11-17", "2026-11-17T09:00:00.000+08:00", "receive", "wang.li", visit="new",
                     turn=1, reason="turn")
    withdraw(store, 4, "2026-11-17T09:01:00.000+08:00", wrong)
    rotation(store, 5, "2026-11-17", "2026-11-17T09:02:00.000+08:00", "receive", "chen.jie", visit="new", turn=1,
             reason="makeup")
    monday, tuesday = boards(store, reporting)
    assert monday.rotation.owed == {"chen.jie": 1} and monday.clashes == ()
    assert tuesday.rotation.queue[:2] == monday.rotation.queue[:2]  # Tuesday starts where Monday ended
    assert [(r.rep, r.reason) for r in tuesday.receptions] == [("chen.jie", "makeup")]
    assert wrong not in tuesday.event_ids and tuesday.clashes == ()
    assert tuesday.rotation.owed.get("chen.jie", 0) == 0

    # 李娜 leaves later (now): Monday and Tuesday are what they were
    store.update_user("li.na", active=False)
    assert boards(store, reporting) == [monday, tuesday]
    # QA: reactivated (a mistaken click undone) — still the days before are what they were
    store.update_user("li.na", active=True)
    assert boards(store, reporting) == [monday, tuesday]


def test_a_rep_added_on_monday_afternoon_does_not_make_the_mornings_turns_out_of_order(store, reporting):
    """QA (issue 12): the 排班 duty list counted a rep added later that day from the day's start
    and blamed the desk's morning turns as 未按顺序."""
    seed(store)
    store.add_user(User("li.na", "s1", "李娜", "rep", "hash-li.na", duty_periods=(("2026-11-16T07:00:00.000Z", None),)))
    reps = sorted(u.username for u in store.list_users("s1") if u.role == "rep" and u.username != "li.na")
    for n, rep in enumerate(reps, start=1):  # the morning: every rep listed then takes a turn in order
        rotation(store, n, "2026-11-16", f"2026-11-16T09:{n:02d}:00.000+08:00", "receive", rep, visit="new", turn=n,
                 reason="turn")
    monday, tuesday = boards(store, reporting)
    assert monday.clashes == ()
    assert monday.rotation.queue[-1] == "li.na"  # joined the back at 15:00
    assert "li.na" in tuesday.rotation.queue
