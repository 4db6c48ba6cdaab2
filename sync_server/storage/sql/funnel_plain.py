"""The numbers as plain SQL over ``record_facts`` (``ReportingStore.counts`` and ``funnel``
before the rollups): the oracle the rollups are tested against (``sql/funnel.py`` answers the
console), and the benchmark's baseline.

Each answer is one or two GROUP BY statements narrowed by ``(site_id, local_day)`` (index
``record_facts_day``); whether a record still counts is its fact's ``live`` (kept by the
store when a correction or withdrawal arrives). The same statements run on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, func, literal, select, true

from ..reporting import COUNTED_TYPES, FUNNEL_GROUPS, CountRow, FunnelRow
from .funnel import local_days
from .tables import record_facts

__all__ = ["PlainFunnel"]

_f = record_facts.alias("f")
_LIVE = _f.c.live == true()
"""A record as it reads now: no correction or withdrawal of it, and its chain not withdrawn."""


def _group_key(by: str) -> ColumnElement:
    if by not in FUNNEL_GROUPS:
        raise ValueError(f"by must be one of {', '.join(FUNNEL_GROUPS)}; got {by!r}")
    return {"day": _f.c.local_day, "week": _f.c.local_week, "month": func.substr(_f.c.local_day, 1, 7),
            "rep": func.coalesce(_f.c.rep, ""), "total": literal("")}[by]


def _where(site_id: str, first: date, last: date, types: Sequence[str]) -> ColumnElement[bool]:
    return and_(_f.c.site_id == site_id, _f.c.local_day.between(first.isoformat(), last.isoformat()),
                _f.c.type.in_(list(types)), _LIVE)


def _n(condition: ColumnElement[bool]) -> ColumnElement:
    return func.count(case((condition, 1)))


def _amount(condition: ColumnElement[bool]) -> ColumnElement:
    return func.coalesce(func.sum(case((condition, _f.c.amount))), 0.0)


_WALKIN = _f.c.type == "walkin"
_FIRST = and_(_WALKIN, _f.c.visit == "first")


def _deal(event: str, stage: str | None = None) -> ColumnElement[bool]:
    found = and_(_f.c.type == "deal", _f.c.event == event)
    return and_(found, _f.c.stage == stage) if stage else found


class PlainFunnel:
    """``counts`` and ``funnel`` of ``ReportingStore`` aggregated from the facts; built on a
    ``SqlReporting`` (its ``_all``)."""

    def __init__(self, reporting):
        self._all: Callable[..., Sequence] = reporting._all

    def counts(self, site_id: str, start: datetime, end: datetime, utc_offset_minutes: int) -> list[CountRow]:
        days = local_days(start, end, utc_offset_minutes)
        if days is None:
            return []
        first, last = days
        columns = (_f.c.local_day, _f.c.type, _f.c.source, _f.c.rep, _f.c.visit)
        query = (select(*columns, func.count()).where(_where(site_id, first, last, COUNTED_TYPES))
                 .group_by(*columns))
        rows = [CountRow(day, kind, source, rep, visit, count=n) for day, kind, source, rep, visit, n in
                self._all(query)]
        return sorted(rows, key=lambda r: (r.day, r.type, str(r.source), str(r.rep), str(r.visit)))

    def funnel(self, site_id: str, first: date, last: date, by: str) -> list[FunnelRow]:
        key = _group_key(by).label("key")
        counted = (select(
            key, _n(_f.c.type == "call"), _n(_WALKIN), _n(_FIRST),
            func.count(func.distinct(case((_WALKIN, _f.c.phone_key)))),
            func.count(func.distinct(case((_FIRST, _f.c.phone_key)))),
            _n(_deal("stage", "small_deposit")), _n(_deal("stage", "large_deposit")),
            _n(_deal("stage", "contract")), _amount(_deal("stage", "small_deposit")),
            _amount(_deal("stage", "large_deposit")), _amount(_deal("stage", "contract")),
            _n(_deal("cancellation")), _amount(_deal("cancellation")), _n(_deal("unit_change")))
            .where(_where(site_id, first, last, ("walkin", "call", "deal"))).group_by(key))
        # 来访人数: one party per customer and day (three tablets registering one family of four
        # is four people), the largest registered, 1 when none was given
        party = (select(key, _f.c.phone_key, _f.c.local_day,
                        func.max(func.coalesce(_f.c.party_size, 1)).label("size"))
                 .where(_where(site_id, first, last, ("walkin",)))
                 .group_by(key, _f.c.phone_key, _f.c.local_day).subquery())
        people = dict(self._all(select(party.c.key, func.sum(party.c.size)).group_by(party.c.key)))
        rows = {}
        for row in self._all(counted):
            (group, calls, registrations, first_registrations, visitors, first_visitors, small, large, contracts,
             small_amount, large_amount, contract_amount, cancellations, cancelled, unit_changes) = row
            rows[group] = FunnelRow(
                key=group, calls=calls, registrations=registrations, first_registrations=first_registrations,
                visitors=visitors, first_visitors=first_visitors, people=int(people.get(group) or 0),
                small_deposits=small, large_deposits=large, contracts=contracts,
                small_deposit_amount=float(small_amount), large_deposit_amount=float(large_amount),
                contract_amount=float(contract_amount), cancellations=cancellations, cancelled_amount=float(cancelled),
                unit_changes=unit_changes)
        if by == "total" and "" not in rows:
            rows[""] = FunnelRow(key="")
        return [rows[k] for k in sorted(rows)]
