"""The duty list of a day (排班): ``shared.rotation_duty.duty_spans`` + ``duty_list``, the one
rule the server (its ``User`` rows) and the tablet (its ``users`` replica) both fold with
(docs/protocol.md, "What carries over between days"): a rep is listed when the day begins if
added before it and not deactivated before it, joins during the day at the moment they were
added or reactivated, and leaves at the moment they were deactivated."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta
from itertools import product

from shared.rotation_duty import duty_list, duty_spans
from shared.timeutil import parse_time, site_zone
from sync_server.storage.base import User

TIMES = (None, "2026-11-29T15:59:59.999Z", "2026-11-29T16:00:00.000Z", "2026-11-30T09:00:00.000Z",
         "2026-12-01T01:00:00.000Z")
DAYS = ("2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02")


def _users() -> list[User]:
    """Every combination of role, active, activation and deactivation time (replayable)."""
    users = []
    for n, (role, active, since, until) in enumerate(product(("rep", "reception"), (True, False), TIMES, TIMES)):
        if (active and until is not None) or (not active and until is None):
            continue  # activating clears the time; the server's migration gave every inactive user one
        if since and until and until < since:
            continue  # deactivated before (last) activated: the server clears the time on activation
        users.append(User(f"u{n:03d}", "s1", f"user {n}", role, "", active=active, deactivated_at=until,
                          duty_periods=((since, until),)))
    return users


def _expected(user: User, day: str, offset: int) -> tuple[bool, str | None, str | None]:
    """(listed when the day begins, joins during it at, leaves during it at) by the rule itself."""
    start = datetime.fromisoformat(day).replace(tzinfo=site_zone(offset))
    end = start + timedelta(days=1)
    since = parse_time(user.duty_periods[0][0]) if user.duty_periods[0][0] else None
    until = None if user.active else parse_time(user.deactivated_at or "")
    if (since and since >= end) or (until and until < start):
        return False, None, None
    joins = since if since and since >= start else None
    leaves = until if until and until < end else None
    return joins is None, joins.isoformat() if joins else None, leaves.isoformat() if leaves else None


def test_the_duty_list_follows_each_reps_time_on_duty_on_every_day_and_offset():
    users = _users()
    spans = duty_spans(asdict(u) for u in users)  # what the server folds with; the tablet's rows have the same keys
    reps = [u for u in users if u.role == "rep"]
    for day, offset in product(DAYS, (480, 0, -300)):
        roster, events = duty_list(spans, day, site_zone(offset))
        for user in reps:
            listed, joins, leaves = _expected(user, day, offset)
            assert (user.username in roster) == listed, (user, day, offset)
            mine = {e.event: e.at.isoformat() for e in events if e.rep == user.username}
            assert mine.get("join") == joins and mine.get("leave") == leaves, (user, day, offset)
    assert roster == sorted(roster)  # duty order: by username


def test_an_inactive_rep_of_unknown_time_is_on_no_days_list():
    """A tablet replica pulled before it kept the time; the server never has such a user."""
    spans = duty_spans([{"username": "a", "role": "rep", "active": False, "deactivated_at": None}])
    assert all(duty_list(spans, day, site_zone(480)) == ([], []) for day in DAYS)


def test_a_rep_deactivated_then_reactivated_stays_on_the_days_before_and_off_the_days_between():
    """QA (issue 12): reactivating a rep kept only the latest activation time, so yesterday's
    board lost him and his own morning turn read 未按顺序; turns given while he was away were
    blamed on him after a second deactivation."""
    beijing = site_zone(480)
    periods = [[None, "2026-11-30T02:00:00.000Z"],  # Monday 10:00 deactivated by mistake
               ["2026-11-30T03:00:00.000Z", "2026-12-01T06:00:00.000Z"],  # back at 11:00; Tuesday 14:00 off
               ["2026-12-02T01:00:00.000Z", None]]  # Wednesday 09:00 back for good
    spans = duty_spans([{"username": "chen.jie", "role": "rep", "active": True, "duty_periods": periods},
                        {"username": "wang.li", "role": "rep", "active": True, "duty_periods": [[None, None]]}])
    assert duty_list(spans, "2026-11-29", beijing) == (["chen.jie", "wang.li"], [])
    monday, events = duty_list(spans, "2026-11-30", beijing)
    assert monday == ["chen.jie", "wang.li"] and [e.event for e in sorted(events, key=lambda e: e.at)] == ["leave",
                                                                                                          "join"]
    tuesday, events = duty_list(spans, "2026-12-01", beijing)
    assert tuesday == ["chen.jie", "wang.li"] and [e.event for e in events] == ["leave"]
    wednesday, events = duty_list(spans, "2026-12-02", beijing)
    assert wednesday == ["wang.li"] and [(e.event, e.rep) for e in events] == [("join", "chen.jie")]
    # the tablet's replica row carries the periods as JSON text: the same spans
    assert duty_spans([{"username": "chen.jie", "role": "rep", "active": True,
                        "duty_periods": json.dumps(periods)}]) == [s for s in spans if s.rep == "chen.jie"]
