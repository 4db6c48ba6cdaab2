"""The rotation board's duty list (排班): which reps a day's board lists, from each rep's periods
on duty (added, deactivated, reactivated; ``users.duty_periods`` on the server, the same in the
tablet's replica). A rep on duty when the day began is in the day's starting order; a period
that starts or ends during the day becomes a ``join``/``leave`` event at that moment, folded by
``shared.rotation_log`` like the records. One rule for the server and every tablet, so their
boards agree (docs/protocol.md "What carries over between days")."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from .rotation_log import RotationEvent
from .timeutil import parse_time

__all__ = ["DutySpan", "duty_spans", "duty_list", "on_duty_at"]


@dataclass(frozen=True)
class DutySpan:
    """A rep's time on the site's duty list: from ``since`` (added or last reactivated; None:
    always) until ``until`` (deactivated; None: still active). Aware datetimes."""

    rep: str
    since: datetime | None = None
    until: datetime | None = None


_BEFORE_ANY_DAY = "1970-01-01T00:00:00.000+00:00"


def duty_spans(users: Iterable[Mapping[str, Any]]) -> list[DutySpan]:
    """The reps' ``DutySpan``s in duty order (by username, then time) from user mappings with
    ``username``, ``role``, ``active``, ``deactivated_at`` and ``duty_periods`` (``[[from, to],
    …]``, UTC ISO 8601 or None, or that list as JSON text: the server's ``User`` as a dict, the
    tablet's ``users`` rows, pull's ``user`` change). A user without periods is one period up to
    ``deactivated_at``; an inactive rep whose deactivation time is unknown (a tablet replica
    pulled before it was kept) is on no day's list. Raises ValueError for a time that is not
    ISO 8601 with offset."""
    spans = []
    for user in sorted(users, key=lambda u: str(u["username"])):
        if user.get("role") != "rep":
            continue
        periods = user.get("duty_periods") or []
        if isinstance(periods, str):
            periods = json.loads(periods) or []
        if not periods:
            periods = [[None, None if user.get("active") else (user.get("deactivated_at") or _BEFORE_ANY_DAY)]]
        for since, until in periods:
            spans.append(DutySpan(str(user["username"]), parse_time(since) if since else None,
                                  parse_time(until) if until else None))
    return spans


def duty_list(spans: Iterable[DutySpan], day: str, zone: tzinfo) -> tuple[list[str], list[RotationEvent]]:
    """The duty list of site-local ``day`` in ``zone``: the reps on it when the day began (in
    the order of ``spans``, each once) and a ``join``/``leave`` event for each span that starts
    or ends during the day, at that moment (ids ``duty:join:<rep>:<time>``, no device: folded
    before a record of the same instant). A rep has as many spans as times on duty (added,
    deactivated, reactivated…). Pure; the server and the tablets call it with the users they hold."""
    start = datetime.combine(date.fromisoformat(day), time(0), tzinfo=zone)
    end = start + timedelta(days=1)
    roster: list[str] = []
    events: list[RotationEvent] = []
    for span in spans:
        if (span.since is not None and span.since >= end) or (span.until is not None and span.until < start):
            continue
        if span.since is None or span.since < start:
            if span.rep not in roster:
                roster.append(span.rep)
        else:
            events.append(RotationEvent(id=f"duty:join:{span.rep}:{span.since.isoformat()}", day=day, at=span.since,
                                        device_id="", seq=0, event="join", rep=span.rep))
        if span.until is not None and span.until < end:
            events.append(RotationEvent(id=f"duty:leave:{span.rep}:{span.until.isoformat()}", day=day,
                                        at=span.until, device_id="", seq=0, event="leave", rep=span.rep))
    return roster, events


def on_duty_at(spans: Iterable[DutySpan], at: datetime) -> set[str]:
    """The reps of ``spans`` on duty at the aware moment ``at``: a span that has begun
    (``since`` None or ≤ ``at``) and not ended (``until`` None or > ``at``). A rep listed from a
    later day (``users add --listed-from``) is not on duty yet: who may receive a hand-over
    (001 §14(五)3(12): the customers go to reps who can serve them now)."""
    return {s.rep for s in spans if (s.since is None or s.since <= at) and (s.until is None or s.until > at)}

