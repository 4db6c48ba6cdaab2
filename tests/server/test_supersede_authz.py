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
