"""Who may correct or withdraw a record (QA of issue 14, HIGH-3), both backends against a real
server: its author; the desk for the desk's records (reception staff share the desk's day); a
manager for any. A rep's tablet pushed a walk-in superseding the desk's with herself as the rep
and became the customer's owner, and withdrew another rep's follow-up: now ``not_own_record``
on ``supersedes``, naming the author in ``params``."""

from __future__ import annotations

import pytest

from tests.live_server import PASSWORD, SITE_ID
from tests.server.helpers import Tablet


@pytest.fixture(scope="module")
def tablets(live_server):
    live_server.cli("users", "add", "--site", SITE_ID, "--username", "desk.two", "--password", PASSWORD,
                    "--role", "reception", "--name", "前台乙")
    return {name: Tablet(live_server, name, f"authz {name}")
            for name in ("desk.li", "desk.two", "wang.li", "chen.jie", "zhao.min")}


def _lookup_owner(tablet: Tablet, phone: str) -> str | None:
    return tablet.get("/customers/lookup", phone=phone).json().get("owner")


def test_qa14_high3_a_rep_cannot_take_the_desks_walkin_by_correcting_it(tablets):
    desk, wang = tablets["desk.li"], tablets["wang.li"]
    walkin = desk.record(rep="zhang.qiang", name="吴刚", phone="138 0013 8501")
    assert desk.statuses(walkin) == ["accepted"]
    taken = wang.record(rep="wang.li", name="吴刚", phone="138 0013 8501", supersedes=walkin["id"])
    (result,) = wang.push(taken)["results"]
    assert result["status"] == "rejected" and result["error"]["code"] == "not_own_record", result
    assert result["error"]["field"] == "supersedes" and result["error"]["params"] == {"author": "desk.li"}
    assert _lookup_owner(tablets["zhao.min"], "138 0013 8501") == "zhang.qiang"


def test_qa14_high3_a_rep_cannot_withdraw_another_reps_follow_up(tablets):
    chen, wang = tablets["chen.jie"], tablets["wang.li"]
    follow = chen.record("follow_up", rep="chen.jie", name="吴刚", phone="138 0013 8501")
    assert chen.statuses(follow) == ["accepted"]
    withdraw = wang.record("withdrawal", rep="chen.jie", name="吴刚", phone="138 0013 8501", supersedes=follow["id"])
    assert wang.statuses(withdraw) == ["not_own_record"]
    own = chen.record("withdrawal", rep="chen.jie", name="吴刚", phone="138 0013 8501", supersedes=follow["id"])
    assert chen.statuses(own) == ["accepted"]  # her own: fine


def test_qa14_high3_the_desk_corrects_the_desks_records_and_a_manager_any(tablets):
    desk, other_desk, manager = tablets["desk.li"], tablets["desk.two"], tablets["zhao.min"]
    walkin = desk.record(rep="zhang.qiang", name="郑洁", phone="138 0013 8502")
    assert desk.statuses(walkin) == ["accepted"]
    by_desk = other_desk.record(rep="chen.jie", name="郑洁", phone="138 0013 8502", supersedes=walkin["id"])
    assert other_desk.statuses(by_desk) == ["accepted"]  # the next shift at the desk
    by_manager = manager.record(rep="wang.li", name="郑洁", phone="138 0013 8502", supersedes=by_desk["id"])
    assert manager.statuses(by_manager) == ["accepted"]
    # a record and its correction in one push: the caller's own
    wang = tablets["wang.li"]
    mine = wang.record("follow_up", rep="wang.li", name="郑洁", phone="138 0013 8502")
    fixed = wang.record("follow_up", rep="wang.li", name="郑洁", phone="138 0013 8502", supersedes=mine["id"])
    assert wang.statuses(mine, fixed) == ["accepted", "accepted"]


def test_qa14_recheck_a_copy_of_the_desks_id_in_the_same_push_is_no_way_round(tablets):
    """QA re-check (HIGH-A): a push of any record carrying the desk's walk-in id (refused
    id_reused) beside a correction of that id counted the target as the pusher's own record."""
    desk, wang = tablets["desk.li"], tablets["wang.li"]
    walkin = desk.record(rep="zhang.qiang", name="秦岚", phone="138 0013 8503")
    assert desk.statuses(walkin) == ["accepted"]
    copy = wang.record("follow_up", rep="wang.li", name="秦岚", phone="138 0013 8503", id=walkin["id"])
    taken = wang.record(rep="wang.li", name="秦岚", phone="138 0013 8503", supersedes=walkin["id"])
    assert wang.statuses(copy, taken) == ["id_reused", "not_own_record"]
    assert _lookup_owner(tablets["zhao.min"], "138 0013 8503") == "zhang.qiang"


def test_qa14_recheck_the_desk_undoes_a_turn_the_manager_made_covering_its_board(tablets):
    """QA re-check (HIGH-C): the manager covered the desk (a walk-in and its 排班 turn); the desk,
    back at its board, 撤销 the turn — the board is the desk's, and a turn names no customer. The
    manager's walk-in stays hers to correct (QA fourth round: allowing the desk to correct a
    manager's walk-in let it re-point a rep's walk-in the manager had corrected). A rep may
    neither."""
    desk, manager, wang = tablets["desk.li"], tablets["zhao.min"], tablets["wang.li"]
    walkin = manager.record(rep="zhang.qiang", name="何静", phone="138 0013 8504")
    turn = manager.record("rotation", rep="zhang.qiang", data={"registration": walkin["id"]})
    assert manager.statuses(walkin, turn) == ["accepted", "accepted"]
    undo = desk.record("withdrawal", rep="zhang.qiang", supersedes=turn["id"])
    del undo["customer"]  # a rotation record's withdrawal names no customer
    fixed = desk.record(rep="chen.jie", name="何静", phone="138 0013 8504", supersedes=walkin["id"])
    assert desk.statuses(undo, fixed) == ["accepted", "not_own_record"]
    by_rep = wang.record(rep="wang.li", name="何静", phone="138 0013 8504", supersedes=walkin["id"])
    assert wang.statuses(by_rep) == ["not_own_record"]
    assert _lookup_owner(manager, "138 0013 8504") == "zhang.qiang"


def test_qa14_fourth_round_the_desk_cannot_re_point_a_reps_walkin_the_manager_corrected(tablets):
    """QA fourth round (critical): wang.li's own walk-in, corrected by the manager (still hers);
    the desk's correction of the manager's version naming 陈杰 made him the owner."""
    wang, manager, desk = tablets["wang.li"], tablets["zhao.min"], tablets["desk.li"]
    own = wang.record(rep="wang.li", name="柏林", phone="138 0013 8505")
    assert wang.statuses(own) == ["accepted"]
    kept = manager.record(rep="wang.li", name="柏林", phone="138 0013 8505", supersedes=own["id"])
    assert manager.statuses(kept) == ["accepted"]
    taken = desk.record(rep="chen.jie", name="柏林", phone="138 0013 8505", supersedes=kept["id"])
    assert desk.statuses(taken) == ["not_own_record"]
    assert _lookup_owner(manager, "138 0013 8505") == "wang.li"


def test_qa14_fourth_round_a_rep_cannot_cancel_another_reps_deal_and_a_refused_target_is_no_target(tablets):
    """QA fourth round: a rep's 退订 referring to another rep's deal was accepted (it counts in
    the funnel); and a correction of a record refused in the same push was stored, pointing at
    nothing."""
    chen, wang, desk = tablets["chen.jie"], tablets["wang.li"], tablets["desk.li"]
    deal = chen.record("deal", rep="chen.jie", name="柏林", phone="138 0013 8506", data={"amount": 50000})
    assert chen.statuses(deal) == ["accepted"]
    cancel = wang.record("deal", rep="wang.li", name="柏林", phone="138 0013 8506",
                         data={"event": "cancellation", "reason": "客户放弃", "refers_to": deal["id"], "amount": 50000})
    assert wang.statuses(cancel) == ["not_own_record"]
    walkin = desk.record(rep="zhang.qiang", name="柏林", phone="138 0013 8506")
    assert desk.statuses(walkin) == ["accepted"]
    c1 = wang.record(rep="wang.li", name="柏林", phone="138 0013 8506", supersedes=walkin["id"])
    c2 = wang.record(rep="wang.li", name="柏林", phone="138 0013 8506", supersedes=c1["id"])
    assert wang.statuses(c1, c2) == ["not_own_record", "unknown_record"]


def test_qa14_fifth_round_a_rep_cancels_her_deal_whoever_wrote_its_entry(tablets):
    """QA fifth round: the manager corrected wang's 小定 to 大定 (still hers) or recorded a deal
    for her; wang's 退订 referring to that entry was refused not_own_record (R9: the rep keeps
    the deal). Another rep's 退订 of it still is."""
    wang, manager, chen = tablets["wang.li"], tablets["zhao.min"], tablets["chen.jie"]
    deal = wang.record("deal", rep="wang.li", name="司南", phone="138 0013 8507", data={"amount": 50000})
    assert wang.statuses(deal) == ["accepted"]
    bigger = manager.record("deal", rep="wang.li", name="司南", phone="138 0013 8507", supersedes=deal["id"],
                            data={"stage": "large_deposit", "amount": 100000})
    for_her = manager.record("deal", rep="wang.li", name="司南", phone="138 0013 8507",
                             data={"stage": "small_deposit", "unit": "5-0802", "amount": 30000})
    assert manager.statuses(bigger, for_her) == ["accepted", "accepted"]
    cancels = [wang.record("deal", rep="wang.li", name="司南", phone="138 0013 8507",
                           data={"event": "cancellation", "reason": "客户放弃", "refers_to": target["id"],
                                 "amount": target["data"]["amount"]})  # all of it back (no more: QA15 A)
               for target in (bigger, for_her)]
    assert wang.statuses(*cancels) == ["accepted", "accepted"]
    other = chen.record("deal", rep="chen.jie", name="司南", phone="138 0013 8507",
                        data={"event": "cancellation", "reason": "客户放弃", "refers_to": for_her["id"], "amount": 1})
    assert chen.statuses(other) == ["not_own_record"]
