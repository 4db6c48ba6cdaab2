"""Issue 12: rotation events are records every tablet of the site pushes and pulls, so two desks
and a rep's tablet fold one board (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.rotation_log import RotationEvent, fold_day
from tests.server.helpers import Tablet


def rotation(tablet: Tablet, event: str, rep: str | None, *, minutes_ago: float, **data) -> dict:
    record = tablet.record("rotation", rep=rep, ago=timedelta(minutes=minutes_ago))
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
    events = [RotationEvent.from_record(r) for r in records if r["type"] == "rotation"]
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
    designated = rotation(wang, "receive", "wang.li", minutes_ago=10, visit="designated", reason="designated")
    walkin = desk1.record(rep="zhang.qiang", name="李娜", phone="139 1234 5678")
    # pushed in another order than captured, in several batches
    assert desk2.statuses(turn_1_again) == ["accepted"]
    assert wang.statuses(designated) == ["accepted"]
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


def test_a_rotation_record_naming_a_rep_deactivated_since_is_kept_the_walkin_is_not(day, live_server):
    # runs last in this module: it deactivates 张强
    live_server.cli("users", "deactivate", "zhang.qiang")
    back = rotation(day["desk1"], "present", "zhang.qiang", minutes_ago=0)
    walkin = day["desk1"].record(rep="zhang.qiang", name="王芳", phone="137 0000 1111", ago=timedelta(0))
    assert day["desk1"].statuses(back, walkin) == ["accepted", "rep_inactive"]
