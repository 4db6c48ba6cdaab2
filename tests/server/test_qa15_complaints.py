"""QA15 A, third finding: complaint steps were accepted on a withdrawn complaint, and out of the
office's order. Over HTTP against a real server (both backends): a step on a withdrawn complaint
is refused (``complaint_withdrawn``), a step captured after the case's 结案 (``complaint_closed``),
a satisfaction check captured before the resolution (``satisfaction_before_resolved``) — by
capture time, never arrival: steps of two tablets arriving in another order than captured are
taken, and the kept case (the care page's ``complaint_cases``) reads the same in any order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync_server.storage import open_reporting, open_store
from tests.server.helpers import Tablet, now_cst


@pytest.fixture(scope="module")
def desk(live_server) -> Tablet:
    return Tablet(live_server, "desk.li", "complaints desk")


@pytest.fixture(scope="module")
def rep(live_server) -> Tablet:
    return Tablet(live_server, "zhang.qiang", "complaints rep")


def _open(tablet: Tablet, phone: str, ago: timedelta) -> dict:
    return tablet.record("complaint", rep="zhang.qiang", phone=phone, ago=ago,
                         data={"status": "open", "content": "样板间漏水", "severity": "general"})


def _step(tablet: Tablet, opening: dict, status: str, ago: timedelta, phone: str) -> dict:
    data = {"status": status, "refers_to": opening["id"], "note": "已处理"}
    if status == "satisfaction_checked":
        data["satisfaction"] = "satisfied"
    return tablet.record("complaint", rep="zhang.qiang", phone=phone, ago=ago, data=data)


def _open_cases(server) -> set[str]:
    """Ids of the site's unfinished complaint cases as the care page reads them."""
    store = open_store(server.db_url)
    try:
        _, _, _, page = open_reporting(store).open_cases("s1", now_cst(), limit=1000)
        return set(page)
    finally:
        store.close()


def test_qa15_a_step_on_a_withdrawn_complaint_is_refused(desk, rep, live_server):
    phone = "138 0015 4001"
    opening = _open(desk, phone, timedelta(hours=3))
    early = _step(rep, opening, "responded", timedelta(hours=2, minutes=30), phone)  # offline, before the withdrawal
    assert desk.statuses(opening) == ["accepted"]
    assert opening["id"] in _open_cases(live_server)
    withdrawal = desk.record("withdrawal", rep=None, phone=phone, supersedes=opening["id"], ago=timedelta(hours=2),
                             data={"reason": "登记错误"})
    assert desk.statuses(withdrawal) == ["accepted"]
    late = _step(desk, opening, "resolved", timedelta(hours=1), phone)
    (result,) = desk.push(late)["results"]
    assert (result["status"], result["error"]["code"], result["error"]["field"]) == (
        "rejected", "complaint_withdrawn", "data.refers_to")
    # the rep's step captured before the withdrawal arrives after it: refused too (the complaint is
    # withdrawn whatever the step's time); had it arrived first, it would stay stored and the case
    # would still be gone — as below
    assert rep.statuses(early) == ["complaint_withdrawn"]
    assert opening["id"] not in _open_cases(live_server)
    # a step arriving before the withdrawal is kept; the withdrawal is taken, the case is gone
    other = _open(desk, "138 0015 4002", timedelta(hours=3))
    step = _step(rep, other, "responded", timedelta(hours=2), "138 0015 4002")
    assert desk.statuses(other) == ["accepted"] and rep.statuses(step) == ["accepted"]
    assert desk.statuses(desk.record("withdrawal", rep=None, phone="138 0015 4002", supersedes=other["id"],
                                     data={"reason": "登记错误"})) == ["accepted"]
    assert other["id"] not in _open_cases(live_server)
    # the opening, its withdrawal and a step in one push: refused alone, the rest stored
    third = _open(desk, "138 0015 4003", timedelta(hours=3))
    gone = desk.record("withdrawal", rep=None, phone="138 0015 4003", supersedes=third["id"], ago=timedelta(hours=2),
                       data={"reason": "登记错误"})
    assert desk.statuses(_step(desk, third, "responded", timedelta(hours=1), "138 0015 4003"), third, gone) == [
        "complaint_withdrawn", "accepted", "accepted"]


def test_qa15_a_step_after_the_closing_is_refused(desk, rep, live_server):
    phone = "138 0015 4004"
    opening = _open(desk, phone, timedelta(hours=4))
    closing = _step(desk, opening, "closed", timedelta(hours=2), phone)
    assert desk.statuses(opening, closing) == ["accepted", "accepted"]
    assert opening["id"] not in _open_cases(live_server)  # finished
    # the rep's 已回应, captured before the closing, arrives after it: taken (capture order decides)
    assert rep.statuses(_step(rep, opening, "responded", timedelta(hours=3), phone)) == ["accepted"]
    (result,) = rep.push(_step(rep, opening, "resolved", timedelta(hours=1), phone))["results"]
    assert (result["status"], result["error"]["code"]) == ("rejected", "complaint_closed")
    assert opening["id"] not in _open_cases(live_server)
    # the other arrival order: the step captured after the closing arrives first and is kept; the
    # closing then arrives and is taken; the case reads closed as above (the later step left out)
    second = _open(desk, "138 0015 4005", timedelta(hours=4))
    assert desk.statuses(second) == ["accepted"]
    assert rep.statuses(_step(rep, second, "responded", timedelta(hours=1), "138 0015 4005")) == ["accepted"]
    assert second["id"] in _open_cases(live_server)
    assert desk.statuses(_step(desk, second, "closed", timedelta(hours=2), "138 0015 4005")) == ["accepted"]
    assert second["id"] not in _open_cases(live_server)


def test_qa15_a_satisfaction_checked_before_the_resolution_is_refused(desk, rep, live_server):
    phone = "138 0015 4006"
    opening = _open(desk, phone, timedelta(hours=4))
    resolved = _step(desk, opening, "resolved", timedelta(hours=2), phone)
    assert desk.statuses(opening, resolved) == ["accepted", "accepted"]
    (result,) = rep.push(_step(rep, opening, "satisfaction_checked", timedelta(hours=3), phone))["results"]
    assert (result["status"], result["error"]["code"], result["error"]["field"]) == (
        "rejected", "satisfaction_before_resolved", "data.status")
    assert opening["id"] in _open_cases(live_server)  # the satisfaction check is still due
    assert rep.statuses(_step(rep, opening, "satisfaction_checked", timedelta(hours=1), phone)) == ["accepted"]
    assert opening["id"] not in _open_cases(live_server)
    # two tablets, arrival order unlike capture order: the check (1 h ago) first, the resolution
    # (2 h ago, offline) after: both taken, the case finished
    second = _open(desk, "138 0015 4007", timedelta(hours=4))
    assert desk.statuses(second) == ["accepted"]
    assert rep.statuses(_step(rep, second, "satisfaction_checked", timedelta(hours=1), "138 0015 4007")) == [
        "accepted"]
    assert desk.statuses(_step(desk, second, "resolved", timedelta(hours=2), "138 0015 4007")) == ["accepted"]
    assert second["id"] not in _open_cases(live_server)
