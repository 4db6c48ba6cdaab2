"""A past day's rotation board on the tablet (排班, issue 12 leftovers): the duty list of a
day is the reps active *that day* (``deactivated_at`` from the pull's user change), as on the
server; today's is the reps active now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.rotation_duty import duty_list, duty_spans
from shared.timeutil import site_zone
from tests.mobile.offline_desk import MONDAY_10, TUESDAY_10, offline_desk, rep_change


def _user(change_id: int, rep: str, active: bool = True, deactivated_at: str | None = None) -> dict:
    return rep_change(change_id, rep, active=active, deactivated_at=deactivated_at)


@pytest.fixture
def desk(tmp_path):
    store, rotation, clock = offline_desk(tmp_path / "desk.db", MONDAY_10)
    yield store, rotation, clock
    store.close()


def test_a_rep_deactivated_today_still_counts_on_yesterdays_board(desk):
    store, rotation, clock = desk
    rotation.set_status("chen.jie", "absent")  # Monday: 陈杰 away, 王丽 then 张强 take the turns
    for _ in range(2):
        turn = rotation.plan("new")
        rotation.capture.save(rotation.reception("new", turn, None)(f"00000000-0000-4000-8000-00000000000{_}"))
    clock.at = TUESDAY_10
    # the manager deactivated 张强 on Tuesday at 09:00 Beijing time
    store.apply_changes([_user(5, "zhang.qiang", active=False, deactivated_at="2026-12-01T01:00:00.000Z")], "5")
    monday = rotation.board("2026-11-30")
    assert monday.rotation.queue == ("chen.jie", "wang.li", "zhang.qiang")  # 陈杰 lost his turn: absent
    assert monday.clashes == ()  # 张强 received in his turn (before: "out of order", he was not on the list)
    assert [r.rep for r in monday.receptions] == ["wang.li", "zhang.qiang"]
    assert monday.tally()["zhang.qiang"].taken == 1
    tuesday = rotation.board()
    assert "zhang.qiang" not in tuesday.rotation.queue and tuesday.next_up.rep == "chen.jie"


def test_a_rep_deactivated_before_the_day_began_is_not_on_its_board(desk):
    store, rotation, clock = desk
    clock.at = TUESDAY_10
    store.apply_changes([_user(5, "zhang.qiang", active=False, deactivated_at="2026-11-29T15:59:00.000Z")], "5")
    assert "zhang.qiang" not in rotation.board("2026-11-30").rotation.queue  # Sunday 23:59 in Beijing


def test_the_tablet_keeps_deactivated_at_and_clears_it_on_reactivation(desk):
    store, _, _ = desk
    store.apply_changes([_user(5, "wang.li", active=False, deactivated_at="2026-12-01T01:00:00.000Z")], "5")
    assert [u["deactivated_at"] for u in store.users(role="rep", active_only=False)
            if u["username"] == "wang.li"] == ["2026-12-01T01:00:00.000Z"]
    store.apply_changes([_user(6, "wang.li", deactivated_at=None)], "6")
    assert [u["deactivated_at"] for u in store.users(role="rep") if u["username"] == "wang.li"] == [None]


def test_duty_list_is_the_servers_rule_and_leaves_out_an_inactive_rep_of_unknown_time():
    users = [{"username": "b", "role": "rep", "active": True},
             {"username": "a", "role": "rep", "active": False, "deactivated_at": "2026-11-30T16:00:00.000Z"},
             {"username": "c", "role": "rep", "active": False, "deactivated_at": None},
             {"username": "d", "role": "reception", "active": True}]
    spans, beijing = duty_spans(users), site_zone(480)
    assert duty_list(spans, "2026-12-01", beijing)[0] == ["a", "b"]  # deactivated at 00:00 Beijing: that day still
    assert duty_list(spans, "2026-12-02", beijing)[0] == ["b"]


def test_a_rep_added_this_afternoon_joins_the_back_on_the_tablet_as_on_the_server(desk):
    """QA (issue 12): a rep added at 15:00 was on the desk's list from the day's start, so the
    morning's turns, given in order, read as 未按顺序 once the user reached the tablet."""
    store, rotation, clock = desk
    for n in range(3):  # the morning: 陈杰, 王丽, 张强 in turn
        turn = rotation.plan("new")
        rotation.capture.save(rotation.reception("new", turn, None)(f"00000000-0000-4000-8000-00000000001{n}"))
    store.apply_changes([{"change_id": 5, "kind": "user", "user": {
        "username": "li.na", "name": "李娜", "role": "rep", "active": True, "deactivated_at": None,
        "duty_periods": [["2026-11-30T07:00:00.000Z", None]]}}], "5")  # added at 15:00 Beijing
    clock.at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    board = rotation.board()
    assert board.clashes == ()
    assert board.rotation.queue == ("chen.jie", "wang.li", "zhang.qiang", "li.na")
    assert board.next_up is not None and board.next_up.rep == "chen.jie"
