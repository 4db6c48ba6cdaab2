"""What the numbers count of each record, as one row beside it (``record_facts``).

The console's statistics (来人来电统计表 and the 周/月来人来电统计成交状况分析表, 001 §14(三))
are GROUP BY queries over these rows, never Python loops over records. A fact is derived from
its record once, when the record is stored (records are immutable), and all but ``live`` stay:

- ``local_day``: the site-local calendar day (``YYYY-MM-DD``) of the *chain's original*
  capture estimate (R4: a correction stays on its registration's day), ``local_week`` the
  Monday of that day's ISO week; the month is ``local_day``'s first seven characters;
- ``root_id``: the chain's original record (a record that supersedes nothing is its own root;
  a withdrawal belongs to the chain it withdraws), so "is this chain withdrawn?" is one lookup;
- from ``data``: ``visit``, ``source``, ``party_size`` (来访人数), and a deal's ``stage``,
  ``event`` (``shared.deals``; ``repeat`` for a stage a unit already counts,
  ``sql/deal_repeats.py``, set after the row is written) and ``amount`` (yuan).

``live``, the column that changes besides a deal's ``event``: a record counts unless a record
supersedes it (a correction or withdrawal), a withdrawal belongs to its chain, or it is the
earlier tip of a forked chain (two corrections of one version: the later stands,
``sql/forks.py``). The store sets it false when such a record is stored (a superseded record is
always stored first: the push refuses a ``supersedes`` it cannot find), so the numbers read it
instead of joining for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from shared.deals import deal_event
from shared.timeutil import parse_time, site_zone

from .base import StoredRecord

__all__ = ["FACT_COLUMNS", "fact_rows", "week_start"]

FACT_COLUMNS = ("site_id", "record_id", "type", "rep", "phone_key", "supersedes", "root_id", "local_day",
                "local_week", "visit", "source", "party_size", "stage", "event", "amount", "live")

Placed = tuple[str, str, str]
"""``(root_id, local_day, local_week)`` of a stored fact."""


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def fact_rows(records: Sequence[StoredRecord], utc_offset_minutes: int, stored: Mapping[str, Placed],
              withdrawn_roots: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """One fact row (a dict of ``FACT_COLUMNS``) per record of one site. ``stored`` places the
    records these supersede that were stored before (the push guarantees every superseded
    record is stored before or in the same batch); a record whose original is in neither is
    placed on its own day, as its own root. ``live`` is false for a record another of
    ``records`` supersedes, and for every record of a chain withdrawn here or in
    ``withdrawn_roots`` (roots already withdrawn); the rows stored before are the caller's."""
    zone = site_zone(utc_offset_minutes)
    by_id = {r.id: r for r in records}
    placed: dict[str, Placed] = dict(stored)

    def place(record: StoredRecord, depth: int = 0) -> Placed:
        if record.id in placed:
            return placed[record.id]
        parent = record.supersedes
        if parent and parent in by_id and parent != record.id and depth < len(by_id):
            found = place(by_id[parent], depth + 1)
        elif parent and parent in stored:
            found = stored[parent]
        else:
            day = parse_time(record.estimated_at).astimezone(zone).date()
            found = (record.id, day.isoformat(), week_start(day).isoformat())
        placed[record.id] = found
        return found

    superseded = {r.supersedes for r in records if r.supersedes}
    gone = set(withdrawn_roots) | {place(r)[0] for r in records if r.type == "withdrawal"}
    rows = []
    for record in records:
        root_id, local_day, local_week = place(record)
        data = record.wire.get("data") or {}
        is_deal = record.type == "deal"
        rows.append({
            "site_id": record.site_id, "record_id": record.id, "type": record.type, "rep": record.rep,
            "phone_key": record.phone_key, "supersedes": record.supersedes, "root_id": root_id,
            "local_day": local_day, "local_week": local_week, "visit": _text(data.get("visit")),
            "source": _text(data.get("source")),
            "party_size": int(p) if (p := _number(data.get("party_size"))) is not None else None,
            "stage": _text(data.get("stage")) if is_deal else None,
            "event": deal_event(data) if is_deal else None,
            "amount": _number(data.get("amount")) if is_deal else None,
            "live": record.id not in superseded and root_id not in gone})
    return rows
