"""QA of issue 12 M1, on SQLite and PostgreSQL: a desk offline overnight pushes yesterday's
receptions the next morning; today's board, whose turns desk 1 gave in the order every desk
showed, must not call them out of order (nor change the week's fairness), and says which late
records it did not let reorder it. The server's board (the console's) and a tablet's fold of
what it pulled agree."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from shared.rotation_log import RotationEvent
from shared.rotation_week import board_of
from sync_server.services.rotation import day_boards
from sync_server.storage import open_reporting, open_store
from tests.console.conftest import requests_session
from tests.server.helpers import CST, Tablet, now_cst


def _board(server, day: date):
    store = open_store(server.db_url)
    try:
        site = store.get_site("s1")
        (board,), _ = day_boards(open_reporting(store), site, store.list_users("s1"), day, day)
        return board
    finally:
        store.close()


def _record(tablet: Tablet, rep: str, at: datetime, day: date, turn: int) -> dict:
    record = tablet.record("rotation", rep=rep, ago=now_cst() - at)
    record["data"] = {"day": day.isoformat(), "event": "receive", "visit": "new", "turn": turn, "reason": "turn"}
    return record


def test_yesterdays_late_receptions_do_not_make_todays_turns_out_of_order(live_server):
    today = now_cst().date()
    # the day judged: today, or yesterday on a Monday (a week starts afresh: nothing carries into Monday)
    day = today if today.weekday() != 0 else today - timedelta(days=1)
    desk1, desk2 = Tablet(live_server, "desk.li", "前台一"), Tablet(live_server, "desk.li", "前台离线过夜")
    for desk in (desk1, desk2):  # on since the day before yesterday (a record's boot time is never negative)
        desk.boot_started = now_cst() - timedelta(days=3)
    start = min(now_cst() - timedelta(minutes=40), datetime.combine(day, time(10, 0), tzinfo=CST))
    for turn in (1, 2, 3):  # desk 1 gives each turn to the rep its board names
        rep = _board(live_server, day).next_up.rep
        assert desk1.statuses(_record(desk1, rep, start + timedelta(minutes=turn), day, turn)) == ["accepted"]
    before = _board(live_server, day)
    assert before.clashes == () and before.late == ()

    yesterday = day - timedelta(days=1)
    first_two = list(_board(live_server, yesterday).rotation.queue)[:2]
    evening = datetime.combine(yesterday, time(18, 0), tzinfo=CST)
    late = [_record(desk2, rep, evening + timedelta(minutes=5 * i), yesterday, i + 1) for i, rep in enumerate(first_two)]
    assert desk2.statuses(*late) == ["accepted", "accepted"]

    after = _board(live_server, day)
    assert after.clashes == ()  # before the fix: 第 1 轮未按顺序：应由 王丽 接待，实际 陈杰 …
    assert after.rotation == before.rotation and after.tally() == before.tally()
    assert sorted(e.id for e in after.late) == sorted(r["id"].lower() for r in late)
    assert [r.rep for r in _board(live_server, yesterday).receptions] == first_two  # they stand, on their day
    page = requests_session(live_server).get(live_server.base_url + f"/console/rotation?day={day.isoformat()}",
                                             timeout=30).text
    assert "当日没有需要核对的接待" in page and 'data-testid="clash"' not in page
    note = page.split('data-testid="late-records">')[1].split("</p>")[0]
    assert "因其他平板迟到的记录" in note and yesterday.isoformat() in note and "前台离线过夜" in note

    # a tablet folding what it pulled (receipt times included) shows the same board
    changes, _ = desk1.pull_all()
    users = {c["user"]["username"]: c["user"] for c in changes if c["kind"] == "user"}
    reps = sorted(u for u, user in users.items() if user["role"] == "rep" and user["active"])
    events = [RotationEvent.from_record(c["record"]) for c in changes
              if c["kind"] == "record" and c["record"]["type"] == "rotation"]
    tablet = board_of(lambda _d: reps, events, day.isoformat(), 480)
    assert tablet.clashes == () and tablet.rotation.queue == after.rotation.queue
    assert {e.id for e in tablet.late} == {e.id for e in after.late}


def test_a_rep_deactivated_and_reactivated_by_mistake_keeps_their_place_in_todays_queue(live_server):
    """QA of issue 12 M2 (evidence/reactivate-*.txt): 停用 then 重新启用 of 陈杰 one second apart put
    him at the back of today's queue. Missing no turn, he keeps his place (the console's board
    and a tablet's fold agree); the audit log has both acts."""
    today = now_cst().date()
    desk = Tablet(live_server, "desk.li", "前台一")
    rep = _board(live_server, today).next_up.rep  # desk gives one turn so the order is today's own
    assert desk.statuses(_record(desk, rep, now_cst() - timedelta(minutes=2), today,
                                 _board(live_server, today).next_turn)) == ["accepted"]
    before = _board(live_server, today)
    second = before.rotation.queue[0]
    live_server.cli("users", "deactivate", second)
    assert second not in _board(live_server, today).rotation.queue
    live_server.cli("users", "activate", second)
    after = _board(live_server, today)
    assert after.rotation.queue == before.rotation.queue and after.next_up == before.next_up
