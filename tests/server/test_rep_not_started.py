"""QA5 F4, server side, on SQLite and PostgreSQL: the desk offers only reps on today's duty list
and the hand-over refuses a rep not started yet, but the push accepted any record naming a rep
listed from a later day (``users add --listed-from``) from an old tablet or a script. Such a
record is now refused alone (``rep_not_started``, naming the rep and the day they start), the
rest of the push stored; a rep's first day decides, a later deactivation keeps its own rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.clocks import CaptureEstimate
from shared.records import parse_record
from sync_server.services.auth import Caller
from sync_server.services.push_checks import deactivation_problem, not_started_problem
from sync_server.storage.base import Device, Site, User
from tests.builders import wire
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet, now_cst

_REP_TYPES = ["walkin", "call", "complaint", "follow_up", "visit_report", "deal"]


@pytest.fixture(scope="module")
def later_rep(live_server) -> tuple[str, str]:
    """刘新, on the duty list five days from today (site-local day), and that day."""
    day = (now_cst().date() + timedelta(days=5)).isoformat()
    live_server.cli("users", "add", "--site", "s1", "--username", "liu.xin", "--password", PASSWORD,
                    "--role", "rep", "--name", "刘新", "--listed-from", day)
    return "liu.xin", day


def test_qa5_f4_every_record_naming_a_rep_not_started_is_refused_alone_with_the_rep_and_day(live_server, later_rep):
    rep, day = later_rep
    desk = Tablet(live_server, "desk.li", "old desk")  # a desk of an older build offers every rep
    manager = Tablet(live_server, "zhao.min", "manager script")
    phones = iter(f"135 0900 {n:04d}" for n in range(1, 100))
    at_desk = [desk.record(t, rep=rep, phone=next(phones), name="秦岚") for t in ("walkin", "call", "complaint")]
    fine = desk.record("walkin", rep="chen.jie", phone=next(phones), name="秦川")
    board = desk.record("rotation", rep=rep)  # what happened at the desk: kept, as for rep_inactive
    by_manager = [manager.record(t, rep=rep, phone=next(phones), name="秦风") for t in ("follow_up", "visit_report", "deal")]
    results = desk.push(*at_desk, fine, board)["results"] + manager.push(*by_manager)["results"]
    assert [r["status"] for r in results] == ["rejected"] * 3 + ["accepted", "accepted"] + ["rejected"] * 3
    for result in results[:3] + results[5:]:
        error = result["error"]
        assert error["code"] == "rep_not_started" and error["field"] == "rep"
        assert error["params"] == {"rep": rep, "from": day}
        assert "刘新" in error["message"] and day in error["message"] and rep not in error["message"]
    # refused, not lost: a retry is refused the same way and nothing was stored for it
    assert desk.statuses(at_desk[0]) == ["rep_not_started"]
    assert manager.get("/customers/lookup", phone="135 0900 0001").json().get("customer_id") is None


@pytest.mark.parametrize("type_", _REP_TYPES)
def test_qa5_f4_the_rule_per_day_and_only_for_a_reps_first_period(type_):
    """The check itself at the edges (every record type naming a rep): the day before the first
    day refused, the first day from midnight fine; a rep deactivated and reactivated is judged
    by the first period (the gap is rep_inactive's); a rep whose periods are not kept is fine;
    a deactivated rep keeps what was captured before the deactivation."""
    zone_offset = 480
    caller = _caller(zone_offset)
    first = datetime(2026, 12, 6, 0, 0, tzinfo=UTC) - timedelta(hours=8)  # 2026-12-06 00:00 Beijing
    later = User(username="liu.xin", site_id="s1", name="刘新", role="rep", password_hash="",
                 duty_periods=((first.isoformat(), None),))
    record = parse_record(wire(type_, rep="liu.xin", at=first), now=first + timedelta(days=1))

    def refusal(rep: User, at: datetime):
        estimate = CaptureEstimate(at=at, uncertainty_ms=0, method="same_boot")
        return (deactivation_problem(record, estimate, caller, {rep.username: rep})
                or not_started_problem(record, estimate, caller, {rep.username: rep}))

    problem = refusal(later, first - timedelta(seconds=1))
    assert problem is not None and problem.code == "rep_not_started" and problem.params == {"rep": "liu.xin",
                                                                                            "from": "2026-12-06"}
    assert refusal(later, first) is None and refusal(later, first + timedelta(days=3)) is None
    same_day = User(username="liu.xin", site_id="s1", name="刘新", role="rep", password_hash="",
                    duty_periods=(((first + timedelta(hours=15)).isoformat(), None),))
    assert refusal(same_day, first + timedelta(hours=9)) is None  # listed from later that day: named all day
    back = User(username="liu.xin", site_id="s1", name="刘新", role="rep", password_hash="",
                duty_periods=((first.isoformat(), (first + timedelta(days=2)).isoformat()),
                              ((first + timedelta(days=9)).isoformat(), None)))
    assert refusal(back, first + timedelta(days=4)) is None  # reactivated: the first day decides
    left = User(username="liu.xin", site_id="s1", name="刘新", role="rep", password_hash="", active=False,
                deactivated_at=(first + timedelta(days=2)).isoformat(),
                duty_periods=((first.isoformat(), (first + timedelta(days=2)).isoformat()),))
    assert refusal(left, first + timedelta(days=1)) is None  # captured before the deactivation: kept
    assert refusal(left, first + timedelta(days=3)).code == "rep_inactive"
    assert refusal(left, first - timedelta(days=1)).code == "rep_not_started"
    unknown = User(username="liu.xin", site_id="s1", name="刘新", role="rep", password_hash="",
                   duty_periods=((None, None),))
    assert refusal(unknown, first - timedelta(days=400)) is None


def _caller(utc_offset_minutes: int) -> Caller:
    site = Site(id="s1", name="星河湾", utc_offset_minutes=utc_offset_minutes)
    user = User(username="desk.li", site_id="s1", name="李静", role="reception", password_hash="")
    return Caller(user=user, site=site, device=Device(id="d1", site_id="s1", username="desk.li", name="前台",
                                                      enrolled_at="2026-01-01T00:00:00.000+00:00"))
