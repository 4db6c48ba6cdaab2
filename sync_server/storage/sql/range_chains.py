"""An export's rows in a few set-based statements (``ReportingStore.range_chains``, issue 11):
the chains of a range's originals with their names, customers, confirmations, withdrawals and
dismissals, as ``day_records`` gives them, without its per-level ``IN`` lists.

A recursive CTE starts at the range's originals (records of the types that correct nothing,
``records_site_type_time`` over the range with ``estimated_text_bounds``' margin; Python then keeps
the exact instants, as ``records`` does) and steps down ``records_supersedes`` to each record of
the same types that supersedes a version, to any other record that does (a withdrawal,
mostly), and below a withdrawal to what supersedes it (another withdrawal: ``_views`` marks the
first one withdrawn for it). Three statements read it: the versions and withdrawals themselves
(``RECORD_SELECT``'s columns, carried by the walk; the customer of the phone joined), their confirmations (in ``confirmations``' order,
so the first one stays, as ``confirmations`` picks it) and their dismissals (不予确认). Each
repeats the walk: the range's chains are a few thousand rows reached by two indexes, and three
walks cost less than holding the rows in a temporary table on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, literal, or_, select

from shared.timeutil import parse_time

from ..base import ConfirmationRow, DismissedRecord, HeldRecord, StoredRecord
from ..reporting import RecordView, link_chains
from . import dialects
from .records import (
    ESTIMATED_COLUMN,
    SUPERSEDES_COLUMN,
    estimated_text_bounds,
    record_columns,
    record_of,
)
from .tables import confirmations, customers, devices, dismissed_records, records

__all__ = ["RangeChainQueries"]

_EDGE = timedelta(seconds=1)
"""How much wider than the range the walk's instant filter is (a double's day fraction on
SQLite); Python keeps the exact instants."""


def _walk(site_id: str, types: Sequence[str], start: datetime, end: datetime, dialect: str):
    """The CTE of ``record_of``'s columns, then ``root``: the originals estimated in
    ``[start, end)`` (the text bounds of ``estimated_text_bounds`` for the index, then the
    instant, a second wider, so the margin's rows are neither carried nor read), every version
    of the same types below them and each record (a withdrawal, mostly) that supersedes one of
    those versions or a withdrawal."""
    kinds = list(types)
    root = records.alias("root")
    low, after = estimated_text_bounds(start, end)
    at = dialects.instant(dialect, root.c.estimated_at)
    start_text, end_text = _iso(start, -_EDGE), _iso(end, _EDGE)
    originals = select(*record_columns(root), literal(True).label("root")).where(
        root.c.site_id == site_id, root.c.type.in_(kinds), root.c.estimated_at >= low,
        root.c.estimated_at < after, root.c.supersedes.is_(None),
        # a text neither database reads as an instant (none is written so) is kept for Python
        *([or_(at.is_(None), at >= dialects.instant(dialect, literal(start_text)))] if start_text else []),
        *([or_(at.is_(None), at < dialects.instant(dialect, literal(end_text)))] if end_text else []))
    chain = originals.cte("chain", recursive=True)
    later = records.alias("later")
    # no condition on the later record's type: with one SQLite reads every record of the type
    # per step (``records_site_type_time``) instead of ``records_supersedes``; below a withdrawal
    # too: what supersedes it (another withdrawal) marks its view as ``_views`` does
    return chain.union_all(select(*record_columns(later), literal(False)).where(
        later.c.site_id == site_id, later.c.supersedes == chain.c.id,
        or_(chain.c.type.in_(kinds), chain.c.type == "withdrawal")))


def _iso(moment: datetime, shift: timedelta) -> str | None:
    """``moment + shift`` as an ISO 8601 UTC text, None beyond the calendar (no bound there)."""
    try:
        return (moment.astimezone(UTC) + shift).isoformat(timespec="milliseconds")
    except (OverflowError, ValueError):
        return None


class RangeChainQueries:
    """Mixed into ``SqlReporting`` (needs ``_all``, ``people`` and ``store``)."""

    _all: Callable[..., Sequence]
    people: Callable[[str], dict[str, tuple[str, str]]]
    store: Any

    def range_chains(self, site_id: str, types: Sequence[str], start: datetime, end: datetime) -> list[RecordView]:
        chain = _walk(site_id, types, start, end, self.store.dialect)
        found = (select(chain, customers.c.id)
                 .select_from(chain.outerjoin(customers, and_(customers.c.site_id == site_id,
                                                              customers.c.phone_key == chain.c.phone_key))))
        # ``IN (walk)``, not a join: SQLite then probes ``confirmations_site_record`` per version
        # instead of reading the site's confirmations against the walk (440 → 70 ms, a week)
        confirmed = (select(*[confirmations.c[n] for n in ("id", "site_id", "record_id", "author", "confirmed_at",
                                                            "change_id")])
                     .where(confirmations.c.site_id == site_id, confirmations.c.record_id.in_(select(chain.c.id)))
                     .order_by(confirmations.c.confirmed_at.desc(), confirmations.c.id.desc()))
        d = dismissed_records.c
        dismissed = select(d.site_id, d.record_id, d.author, d.phone_key, d.held_at, d.dismissed_at, d.dismissed_by,
                           d.reason).where(d.site_id == site_id, d.record_id.in_(select(chain.c.id)))
        with self.store.read(), self.store.connection() as conn:
            if self.store.dialect == "postgresql":  # the walk's estimate passes jit_above_cost (see day_tally.py)
                conn.exec_driver_sql("SET LOCAL jit = off")
            rows = self._all(found)
            confirmations_of: dict[str, ConfirmationRow] = {}
            for row in self._all(confirmed):
                confirmations_of[row[2]] = ConfirmationRow(*row)  # the last assignment is the first confirmation
            dismissals = {row[1]: DismissedRecord(HeldRecord(*row[:5]), *row[5:]) for row in self._all(dismissed)}
            people = self.people(site_id)
            desks = dict(self._all(select(devices.c.id, devices.c.name).where(devices.c.site_id == site_id)))
        # the rows of the walk's margin days and their versions: only the range's own originals
        # and what lies below them stay, and only those are decoded (their wire JSON)
        under: dict[str, list[Sequence]] = {}
        for row in rows:
            if row[SUPERSEDES_COLUMN]:
                under.setdefault(row[SUPERSEDES_COLUMN], []).append(row)
        kept = [row for row in rows if row[-2] and start <= parse_time(row[ESTIMATED_COLUMN]) < end]
        for row in kept:  # grows as it is walked: every version and withdrawal below a kept row
            kept.extend(under.get(row[0], []))
        stored = {row[0]: (record_of(row[:-2]), bool(row[-2]), row[-1]) for row in kept}
        below: dict[str, list[StoredRecord]] = {}
        for record, _, _ in stored.values():
            if record.supersedes:
                below.setdefault(record.supersedes, []).append(record)

        def view(record: StoredRecord, customer_id: str | None, at: str) -> RecordView:
            later = sorted(below.get(record.id, []), key=lambda r: r.change_id)  # as ``_views`` reads them
            kind = None
            for r in later:
                if kind != "withdrawal":
                    kind = r.type
            return RecordView(record=record, device_name=desks.get(record.device_id, record.device_id),
                              rep_name=people.get(record.rep or "", (record.rep or "", ""))[0],
                              author_name=people.get(record.author, (record.author, ""))[0],
                              customer_id=customer_id, confirmation=confirmations_of.get(record.id),
                              withdrawn=kind == "withdrawal", superseded=bool(later),
                              dismissal=dismissals.get(record.id) if record.phone_key else None, at=at)

        views: dict[str, RecordView] = {}
        withdrawals: dict[str, RecordView] = {}
        frontier = [record for record, is_root, _ in stored.values() if is_root]
        for record in frontier:
            views[record.id] = view(record, stored[record.id][2], record.estimated_at)
        while frontier:  # down the chains, as ``_chains`` walks them (children in id order)
            step = []
            for parent in frontier:
                for child in sorted(below.get(parent.id, []), key=lambda r: r.id):
                    at = views[parent.id].at
                    if child.type == "withdrawal":
                        withdrawals[parent.id] = view(child, stored[child.id][2], at)
                    elif child.type in types and child.id not in views:
                        views[child.id] = view(child, stored[child.id][2], at)
                        step.append(child)
            frontier = step
        return link_chains(views, withdrawals)
