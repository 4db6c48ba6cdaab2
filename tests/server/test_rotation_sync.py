"""Issue 12: rotation events are records every tablet of the site pushes and pulls, so two desks
and a rep's tablet fold one board (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.rotation_log import RotationEvent, fold_day
from tests.server.helpers import Tablet, now_cst


def _shift_minutes() -> float:
    """Minutes every event of this module is moved back so that all fall on one site day: the
    module captures events up to 30 minutes apart, so near midnight in Beijing (CI at 16:00 UTC
    split the fixture's day from a test's event) they all go to the evening before."""
    local = now_cst()
    if local.hour == 0 and local.minute < 45:
        return local.minute + 60
    if local.hour == 23 and local.minute >= 15:
        return local.minute - 10
    return 0.0


SHIFT = _shift_minutes()


def rotation(tablet: Tablet, event: str, rep: str | None, *, minutes_ago: float, **data) -> dict:
    record = tablet.record("rotation", rep=rep, ago=timedelta(minutes=minutes_ago + SHIFT))
    day = record["data"]["day"]
    record["data"] = {"day": day, "event": event, **data}
    return record


def board_of(tablet: Tablet, day: str):
    """What a tablet folds from what it pulled: the site's active reps by username, then the
    day's rotation records in their own order."""
    changes, _ = tablet.pull_all()
    users = {c["user"]["username"]: c["user"] for c in changes if c["kind"] == "user"}
    reps = sorted(u for u, user in users.items() if user["role"] == "rep" and user["active"])
    records = [c["record"] for c in changes if c["kind"] == "record"]
    events = [RotationEvent.from_record(r) for r in records if r["type"] == "rotation"
              or (r["type"] == "withdrawal" and not r.get("customer"))]
    return fold_day(reps, events, day), records


@pytest.fixture(scope="module")
def day(live_server):
    desk1 = Tablet(live_server, "desk.li", "desk-1")
    desk2 = Tablet(live_server, "desk.li", "desk-2")
    wang = Tablet(live_server, "wang.li")
    first = rotation(desk1, "assigned", "zhang.qiang", minutes_ago=30)
    # both desks, each offline on the same board, give turn 1 to 陈杰
    turn_1 = rotation(desk1, "receive", "chen.jie", minutes_ago=20, visit="new", turn=1, reason="turn")
    turn_1_again = rotation(desk2, "receive", "chen.jie", minutes_ago=19, visit="new", turn=1, reason="turn")
    # the desk records the rotation (001 §12.3): a rep's own tablet only reads the board
    designated = rotation(desk2, "receive", "wang.li", minutes_ago=10, visit="designated", reason="designated")
    walkin = desk1.record(rep="zhang.qiang", name="李娜", phone="139 1234 5678")
    # pushed in another order than captured, in several batches
    assert desk2.statuses(turn_1_again) == ["accepted"]
    assert desk2.statuses(designated) == ["accepted"]
    assert desk1.statuses(turn_1, walkin, first) == ["accepted"] * 3
    assert desk1.statuses(first) == ["duplicate"]
    return {"desk1": desk1, "desk2": desk2, "wang": wang, "day": first["data"]["day"], "walkin": walkin}


def test_two_desks_and_a_rep_tablet_fold_the_same_board_after_sync(day):
    boards = {name: board_of(day[name], day["day"])[0] for name in ("desk1", "desk2", "wang")}
    assert boards["desk1"] == boards["desk2"] == boards["wang"]
    board = boards["desk1"]
    assert board.rotation.counted == {"chen.jie": 2} and board.rotation.status["zhang.qiang"] == "assigned"
    assert [c.kind for c in board.clashes] == ["same_turn"]
    assert board.next_up.rep == "wang.li"
    assert board.tally()["wang.li"].designated == 1


def test_a_rep_pulls_every_rotation_record_but_still_not_other_reps_registrations(day):
    _, records = board_of(day["wang"], day["day"])
    assert {r["type"] for r in records} == {"rotation"}  # the walk-in for 张强 stays private
    assert len(records) == 4


def test_rotation_records_make_no_customer(day):
    response = day["desk1"].get("/customers/lookup", phone="139 1234 5678")
    assert response.status_code == 200 and response.json()["owner"] == "zhang.qiang"
    changes, _ = day["desk2"].pull_all()
    assert all(c["customer"]["phone_masked"] for c in changes if c["kind"] == "ownership")


def test_a_rotation_record_with_a_customer_or_without_its_rep_is_rejected_saying_what_to_fix(day):
    with_customer = rotation(day["desk1"], "present", "chen.jie", minutes_ago=1)
    with_customer["customer"] = {"name": "张伟", "phone": "138 0013 8000"}
    without_rep = rotation(day["desk1"], "absent", None, minutes_ago=1)
    results = day["desk1"].push(with_customer, without_rep)["results"]
    assert [(r["error"]["code"], r["error"]["field"]) for r in results] == [("unknown_field", "customer"),
                                                                          ("missing_field", "rep")]


def withdrawal_of(tablet: Tablet, record: dict, reason: str = "点错了售楼员") -> dict:
    """The withdrawal of a rotation record: no customer (it names none)."""
    withdrawal = tablet.record("withdrawal", ago=timedelta(0), data={"reason": reason})
    withdrawal.pop("customer", None)
    withdrawal["supersedes"] = record["id"]
    return withdrawal


def test_a_reception_tapped_for_the_wrong_rep_is_withdrawn_on_every_tablet_and_changes_no_ownership(day):
    before = board_of(day["wang"], day["day"])[0]
    wrong = rotation(day["desk1"], "receive", "zhang.qiang", minutes_ago=2, visit="new", turn=before.next_turn,
                     reason="turn")
    assert day["desk1"].statuses(wrong) == ["accepted"]
    assert len(board_of(day["wang"], day["day"])[0].receptions) == len(before.receptions) + 1
    assert day["desk2"].statuses(withdrawal_of(day["desk2"], wrong)) == ["accepted"]  # another desk may undo it
    boards = [board_of(day[name], day["day"]) for name in ("desk1", "desk2", "wang")]
    assert all(board == boards[0][0] for board, _ in boards)
    assert boards[0][0].receptions == before.receptions and wrong["id"] not in boards[0][0].event_ids
    assert boards[0][0].next_up == before.next_up
    # the rep's tablet pulled the withdrawal although neither its author nor its rep
    assert any(r["type"] == "withdrawal" and r["supersedes"] == wrong["id"] for r in boards[2][1])
    response = day["desk1"].get("/customers/lookup", phone="139 1234 5678")
    assert response.status_code == 200 and response.json()["owner"] == "zhang.qiang"


def test_a_withdrawal_names_a_customer_exactly_when_the_record_withdrawn_does(day):
    reception = rotation(day["desk1"], "receive", "wang.li", minutes_ago=1, visit="designated", reason="designated")
    with_customer = withdrawal_of(day["desk1"], reception)
    with_customer["customer"] = {"name": "张伟", "phone": "138 0013 8000"}
    of_walkin = withdrawal_of(day["desk1"], day["walkin"])
    results = day["desk1"].push(reception, with_customer, of_walkin)["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected"]
    assert [(r["error"]["code"], r["error"]["field"]) for r in results[1:]] == [("unknown_field", "customer"),
                                                                              ("missing_field", "customer")]
    assert all("customer" in r["error"]["message"] for r in results[1:])


def test_a_rotation_record_naming_a_rep_deactivated_since_is_kept_the_walkin_is_not(day, live_server):
    # runs last in this module: it deactivates 张强
    live_server.cli("users", "deactivate", "zhang.qiang")
    back = rotation(day["desk1"], "present", "zhang.qiang", minutes_ago=0)
    walkin = day["desk1"].record(rep="zhang.qiang", name="王芳", phone="137 0000 1111", ago=timedelta(0))
    assert day["desk1"].statuses(back, walkin) == ["accepted", "rep_inactive"]


def test_a_reps_tablet_may_not_set_a_colleague_absent_or_itself_on_an_errand(day, live_server):
    """QA of issue 12 F3: 王丽 set 周鑫 缺席 and herself 经理派出 from her own tablet and the
    server took both. Every rotation event from a rep is refused with ``rotation_desk_only``
    (a reception too); the board is unchanged."""
    wang = day["wang"]
    before = board_of(day["desk1"], day["day"])[0]
    attempts = [rotation(wang, "absent", "chen.jie", minutes_ago=1), rotation(wang, "assigned", "wang.li", minutes_ago=1),
                rotation(wang, "present", "zhang.qiang", minutes_ago=1), rotation(wang, "lunch_start", None, minutes_ago=1),
                rotation(wang, "receive", "wang.li", minutes_ago=1, visit="new", turn=9, reason="turn")]
    results = wang.push(*attempts)["results"]
    assert [(r["status"], r["error"]["code"], r["error"]["field"]) for r in results] == [
        ("rejected", "rotation_desk_only", "type")] * len(attempts)
    assert "desk" in results[0]["error"]["message"]
    assert board_of(day["desk1"], day["day"])[0] == before


def test_a_manager_and_a_desk_may_set_statuses_errands_included(day, live_server):
    manager = Tablet(live_server, "zhao.min")
    errand = rotation(manager, "assigned", "chen.jie", minutes_ago=1)
    back = rotation(day["desk2"], "present", "chen.jie", minutes_ago=0.5)
    assert manager.statuses(errand) == ["accepted"]
    assert day["desk2"].statuses(back) == ["accepted"]
