"""The numbers (来人来电统计表): counts by day/week/month, source and rep, from ``CountRow``s."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from shared.timeutil import parse_time

from ..storage.base import ConflictRow, DecisionRow
from ..storage.reporting import CountRow

__all__ = ["Numbers", "summarise", "bucket_of"]


def bucket_of(day: date, period: str) -> str:
    """The period a day falls in: '2026-11-20', ISO week '2026-W47', or '2026-11'."""
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


@dataclass
class Numbers:
    periods: list[str] = field(default_factory=list)
    walkins: Counter = field(default_factory=Counter)  # period -> n
    calls: Counter = field(default_factory=Counter)
    deals: Counter = field(default_factory=Counter)
    first: Counter = field(default_factory=Counter)
    returning: Counter = field(default_factory=Counter)
    by_source: dict = field(default_factory=lambda: defaultdict(Counter))  # source -> {walkin, call}
    by_rep: dict = field(default_factory=lambda: defaultdict(Counter))  # rep -> {walkin, call, first, return, deal}
    disputes_opened: Counter = field(default_factory=Counter)
    disputes_resolved: Counter = field(default_factory=Counter)


def summarise(rows: Iterable[CountRow], conflicts: Iterable[ConflictRow], decisions: Iterable[DecisionRow],
              period: str, start: date, end: date, utc_offset_minutes: int) -> Numbers:
    """Group the counts of ``[start, end]`` (local days) by ``period`` (day | week | month)."""
    out = Numbers()
    for row in rows:
        bucket = bucket_of(date.fromisoformat(row.day), period)
        if row.type == "walkin":
            out.walkins[bucket] += row.count
            (out.first if row.visit == "first" else out.returning)[bucket] += row.count
            out.by_source[row.source or "none"]["walkin"] += row.count
            out.by_rep[row.rep or "—"]["walkin"] += row.count
            out.by_rep[row.rep or "—"][row.visit or "first"] += row.count
        elif row.type == "call":
            out.calls[bucket] += row.count
            out.by_source[row.source or "none"]["call"] += row.count
            if row.rep:
                out.by_rep[row.rep]["call"] += row.count
        elif row.type == "deal":
            out.deals[bucket] += row.count
            out.by_rep[row.rep or "—"]["deal"] += row.count
    from shared.timeutil import site_zone

    zone = site_zone(utc_offset_minutes)
    for c in conflicts:
        day = parse_time(c.opened_at).astimezone(zone).date()
        if start <= day <= end:
            out.disputes_opened[bucket_of(day, period)] += 1
    for d in decisions:
        day = parse_time(d.decided_at).astimezone(zone).date()
        if start <= day <= end:
            out.disputes_resolved[bucket_of(day, period)] += 1
    buckets = set()
    cursor = start
    from datetime import timedelta

    while cursor <= end:
        buckets.add(bucket_of(cursor, period))
        cursor += timedelta(days=1)
    out.periods = sorted(buckets)
    return out
