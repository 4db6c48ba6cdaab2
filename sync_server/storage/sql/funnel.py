"""The numbers as SQL (``ReportingStore.counts`` and ``funnel``) over the rollups
(``storage/rollups.py``): ``counts`` sums ``fact_days`` rows; ``funnel`` sums ``funnel_days``
(one row per day and rep) and ``visitor_days`` (the distinct visitors: customers by their
previous visit day), narrowed by ``(site_id, local_day)`` — at most a few hundred rows a day,
whatever the number of records. The same statements run on SQLite and PostgreSQL; ``sql/funnel_plain.py`` gives
the same answers from ``record_facts`` (the tests' oracle).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select

from shared.timeutil import site_zone

from ..reporting import COUNTED_TYPES, FUNNEL_GROUPS, CountRow, FunnelRow
from .rollups import FUNNEL_COLUMNS
from .tables import fact_days, funnel_days, visitor_days

__all__ = ["FunnelQueries"]

_d = fact_days.alias("d")
_fd = funnel_days.alias("fd")
_v = visitor_days.alias("v")


def _keys(table, by: str) -> ColumnElement:
    if by not in FUNNEL_GROUPS:
        raise ValueError(f"by must be one of {', '.join(FUNNEL_GROUPS)}; got {by!r}")
    return {"day": table.c.local_day, "week": table.c.local_week, "month": func.substr(table.c.local_day, 1, 7),
            "rep": table.c.rep, "total": literal("")}[by]


def _group_start(by: str, first: str) -> ColumnElement:
    """The first day of a row's group within the range starting at ``first``: a customer's
    row counts as a visitor when their previous visit day is before it."""
    def later(start: ColumnElement) -> ColumnElement:
        return case((start > first, start), else_=first)

    return {"day": _v.c.local_day, "week": later(_v.c.local_week),
            "month": later(func.substr(_v.c.local_day, 1, 7).concat("-01"))}.get(by, literal(first))


def local_days(start: datetime, end: datetime, utc_offset_minutes: int) -> tuple[date, date] | None:
    """The site-local days ``(first, last)`` an instant range ``[start, end)`` covers; None
    when it covers none."""
    zone = site_zone(utc_offset_minutes)
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return None if last < first else (first, last)


class FunnelQueries:
    """Mixed into ``SqlReporting`` (needs ``_all``)."""

    _all: Callable[..., Sequence]  # SqlReporting's

    def counts(self, site_id: str, start: datetime, end: datetime, utc_offset_minutes: int) -> list[CountRow]:
        days = local_days(start, end, utc_offset_minutes)
        if days is None:
            return []
        first, last = days
        columns = (_d.c.local_day, _d.c.type, _d.c.source, _d.c.rep, _d.c.visit)
        query = (select(*columns, func.sum(_d.c.n))
                 .where(_d.c.site_id == site_id, _d.c.local_day.between(first.isoformat(), last.isoformat()),
                        _d.c.type.in_(COUNTED_TYPES))
                 .group_by(*columns).having(func.sum(_d.c.n) > 0))
        rows = [CountRow(day, kind, source or None, rep or None, visit or None, count=int(n))
                for day, kind, source, rep, visit, n in self._all(query)]
        return sorted(rows, key=lambda r: (r.day, r.type, str(r.source), str(r.rep), str(r.visit)))

    def funnel(self, site_id: str, first: date, last: date, by: str) -> list[FunnelRow]:
        low, high = first.isoformat(), last.isoformat()
        key = _keys(_fd, by).label("key")
        counted = (select(key, *[func.sum(_fd.c[name]) for name in FUNNEL_COLUMNS])
                   .where(_fd.c.site_id == site_id, _fd.c.local_day.between(low, high))
                   .group_by(key).having(func.sum(_fd.c.n) > 0))
        # distinct visitors: a customer's first row in the group (storage/rollups.py), summed
        # over the customers' rows pre-counted by day and previous day (``visitor_days``; ""
        # for none sorts first); 来访人数: one party per customer and day (a family of four on
        # three tablets is four people)
        start = _group_start(by, low)
        vkey = _keys(_v, by).label("key")
        new_in_group = or_(_v.c.prev == "", _v.c.prev < start)
        visited = (select(vkey, func.sum(case((and_(_v.c.kind == "v", new_in_group), _v.c.n), else_=0)),
                          func.sum(case((and_(_v.c.kind == "f", new_in_group), _v.c.n), else_=0)),
                          func.sum(case((_v.c.kind == "v", _v.c.party), else_=0)))
                   .where(_v.c.site_id == site_id, _v.c.by_rep == int(by == "rep"), _v.c.local_day.between(low, high))
                   .group_by(vkey))
        visitors = {group: (int(v), int(f), int(p or 0)) for group, v, f, p in self._all(visited)}
        rows = {}
        for row in self._all(counted):
            (group, calls, registrations, first_registrations, small, large, contracts, small_amount, large_amount,
             contract_amount, cancellations, cancelled, unit_changes) = row
            distinct, first_distinct, people = visitors.get(group, (0, 0, 0))
            rows[group] = FunnelRow(
                key=group, calls=int(calls), registrations=int(registrations),
                first_registrations=int(first_registrations), visitors=distinct, first_visitors=first_distinct,
                people=people, small_deposits=int(small), large_deposits=int(large), contracts=int(contracts),
                small_deposit_amount=float(small_amount), large_deposit_amount=float(large_amount),
                contract_amount=float(contract_amount), cancellations=int(cancellations),
                cancelled_amount=float(cancelled), unit_changes=int(unit_changes))
        if by == "total" and "" not in rows:
            rows[""] = FunnelRow(key="")
        return [rows[k] for k in sorted(rows)]
