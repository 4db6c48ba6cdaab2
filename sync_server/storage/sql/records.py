"""Records (immutable once stored) of ``SqlStore``, and the one row → ``StoredRecord`` mapping."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, datetime, timedelta

from sqlalchemy import Text, bindparam, cast, select, type_coerce

from ..base import StoredRecord, iter_chunks
from ..facts import fact_rows
from .deal_repeats import mark_deal_repeats
from .engine import CHUNK, Transactions, dumps, loads
from .forks import settle_forks
from .rollups import Rollups
from .tables import record_facts, records, sites

__all__ = ["Records", "RECORD_SELECT", "RECORD_TEXT_SELECT", "WIRE_COLUMN", "SUPERSEDES_COLUMN", "ESTIMATED_COLUMN", "record_columns", "record_of", "records_where",
           "estimated_text_bounds"]

_NAMES = [f.name for f in fields(StoredRecord)]
_WIRE = _NAMES.index("wire")
_CHANGE_ID = _NAMES.index("change_id")
WIRE_COLUMN = _WIRE  # where a ``RECORD_SELECT`` row holds the wire (its text; ``RECORD_TEXT_SELECT``: on every backend)
SUPERSEDES_COLUMN, ESTIMATED_COLUMN = _NAMES.index("supersedes"), _NAMES.index("estimated_at")  # the same, for these
# the wire column is read as its text (decoded by ``record_of``), so a caller holding the
# record already (``records_for_keys_reusing``) skips decoding it


def record_columns(table, text: bool = False) -> list:
    """``RECORD_SELECT``'s columns of ``table`` (``records`` or an alias of it), in ``record_of``'s
    order. ``text``: the wire cast to text in SQL, so PostgreSQL's driver hands the ``json``
    column's stored text too (it decodes a ``json`` column itself; ``json`` keeps the text as
    written, unlike ``jsonb``): a snapshot splices it (``Change.text``, issue 13)."""
    wire = cast(table.c.wire, Text) if text else type_coerce(table.c.wire, Text)
    return [wire.label("wire") if n == "wire" else table.c[n] for n in _NAMES]


RECORD_SELECT = select(*record_columns(records))
RECORD_TEXT_SELECT = select(*record_columns(records, text=True))

OFFSET_MARGIN = timedelta(hours=14)
"""The widest UTC offset in use (UTC+14, UTC−12): what an ISO text's wall clock can be off from UTC."""


def estimated_text_bounds(start: datetime, end: datetime) -> tuple[str, str]:
    """Text bounds ``(low, after)`` on ``records.estimated_at`` (ISO 8601 text) holding every
    record estimated in ``[start, end)`` (aware instants): UTC wall-clock texts
    (``YYYY-MM-DDTHH:MM:SS``) ``OFFSET_MARGIN`` either side, so a text with any real offset
    compares inside them; the caller keeps the exact instants in Python. Every push writes
    ``estimated_at`` in UTC (``services.push``), so the margin only guards a text written
    otherwise — it replaced a calendar day either side (issue 11: a week's export read 13 days of
    records in its two pieces, now ~9). Clamped at the calendar's ends (``""``, ``"A"``)."""
    def text(moment: datetime, shift: timedelta) -> str | None:
        try:
            return (moment.astimezone(UTC) + shift).strftime("%Y-%m-%dT%H:%M:%S")
        except OverflowError:
            return None

    return text(start, -OFFSET_MARGIN) or "", text(end, OFFSET_MARGIN) or "A"


def record_of(row: Sequence) -> StoredRecord:
    """A ``RECORD_SELECT`` row as a ``StoredRecord`` (columns in field order)."""
    return StoredRecord(*row[:_WIRE], loads(row[_WIRE]), *row[_WIRE + 1:])  # type: ignore[call-arg]  # positional, in the fixed column order of the SELECT above (hot path)


def records_where(transactions: Transactions, site_id: str, column, values: Iterable) -> list[Sequence]:
    """``RECORD_SELECT`` rows of ``site_id`` whose ``column`` is among ``values``, in
    ``change_id`` order (then id), read in chunks of ``engine.CHUNK`` values."""
    # sorted here, not by ORDER BY: with ``ORDER BY change_id`` SQLite's planner walks the
    # site's ``records_site_change`` index and filters every record of the site by phone
    # (EXPLAIN QUERY PLAN: ``SEARCH records USING INDEX records_site_change (site_id=?)``), so
    # each push read the whole site: the push got slower as the site grew (the regression
    # of issue 10 against the old store, which had no ORDER BY here)
    result = transactions._select_in(f"records_where:{column.key}", lambda binds: RECORD_SELECT.where(
        records.c.site_id == bindparam("site"), column.in_(binds)), values, site=site_id)
    result.sort(key=lambda row: (row[_CHANGE_ID], row[0]))
    return result


class Records(Rollups, Transactions):
    def digests_by_id(self, site_id: str, ids: Iterable[str]) -> dict[str, str]:
        rows = self._select_in("digests_by_id", lambda binds: select(records.c.id, records.c.digest).where(
            records.c.site_id == bindparam("site"), records.c.id.in_(binds)), ids, site=site_id)
        return {rid: digest for rid, digest in rows}

    def ids_by_seq(self, site_id: str, device_id: str, seqs: Iterable[int]) -> dict[int, str]:
        rows = self._select_in("ids_by_seq", lambda binds: select(records.c.seq, records.c.id).where(
            records.c.site_id == bindparam("site"), records.c.device_id == bindparam("device"),
            records.c.seq.in_(binds)), seqs, site=site_id, device=device_id)
        return {seq: rid for seq, rid in rows}

    def insert_records(self, rows: Sequence[StoredRecord]) -> None:
        values = []
        for record in rows:
            value = {name: getattr(record, name) for name in _NAMES}
            value["wire"] = dumps(record.wire)  # key order and non-ASCII kept as sent
            values.append(value)
        self._executemany(_INSERT, values)
        self._insert_facts(rows)

    def _insert_facts(self, rows: Sequence[StoredRecord]) -> None:
        """The rows the numbers count (``storage/facts.py``), per site, in the same write: new
        facts, ``live`` false for the stored ones these records supersede or withdraw and for
        the earlier tip of a forked chain (``forks.py``), and the rollups the numbers read
        (``sql/rollups.py``)."""
        for site_id in sorted({r.site_id for r in rows}):
            mine = [r for r in rows if r.site_id == site_id]
            found = self._all(select(sites.c.utc_offset_minutes).where(sites.c.id == site_id))
            parents = {r.supersedes for r in mine if r.supersedes} - {r.id for r in mine}
            stored = {rid: (root, day, week) for rid, root, day, week in self._select_in(
                "fact_places", lambda binds: select(record_facts.c.record_id, record_facts.c.root_id,
                                                    record_facts.c.local_day, record_facts.c.local_week).where(
                    record_facts.c.site_id == bindparam("site"), record_facts.c.record_id.in_(binds)),
                parents, site=site_id)}
            roots = {root for root, _, _ in stored.values()} | {r.id for r in mine if not r.supersedes}
            withdrawn = frozenset(root for (root,) in self._select_in(
                "fact_withdrawn", lambda binds: select(record_facts.c.root_id).where(
                    record_facts.c.site_id == bindparam("site"), record_facts.c.type == bindparam("kind"),
                    record_facts.c.root_id.in_(binds)), roots, site=site_id, kind="withdrawal"))
            facts = fact_rows(mine, found[0][0] if found else 0, stored, withdrawn)
            self._executemany(_INSERT_FACT, facts)
            retired: list[tuple[str, str]] = []  # (local_day, phone_key) of stored facts that stop counting
            deal_phones = {f["phone_key"] for f in facts if f["type"] == "deal"}
            for column, values in ((record_facts.c.record_id, parents),
                                   (record_facts.c.root_id, {f["root_id"] for f in facts if f["type"] == "withdrawal"})):
                for chunk in iter_chunks(sorted(values), CHUNK):
                    where = (record_facts.c.site_id == site_id, column.in_(chunk), record_facts.c.live.is_(True))
                    for day, phone, kind in self._all(select(record_facts.c.local_day, record_facts.c.phone_key,
                                                             record_facts.c.type).where(*where)):
                        retired.append((day, phone))
                        if kind == "deal":
                            deal_phones.add(phone)
                    self._exec(record_facts.update().where(*where).values(live=False))
            # of two corrections of one version (a forked chain) the later stands (``forks.py``)
            corrected = {f["root_id"] for f in facts if f["supersedes"] and f["live"]}
            for day, phone, kind in settle_forks(self._in_write(), site_id, corrected, facts) if corrected else ():
                retired.append((day, phone))
                if kind == "deal":
                    deal_phones.add(phone)
            # which of the customers' stage deals counts (a unit's stage once) may have changed
            recount: set[str] = set()
            if deal_phones:
                new = {f["record_id"]: f for f in facts}
                for record_id, (day, event) in mark_deal_repeats(self._in_write(), site_id, deal_phones).items():
                    if record_id in new:
                        new[record_id]["event"] = event
                    else:
                        recount.add(day)
            self._keep_rollups(site_id, facts, retired, recount)

    def records_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[StoredRecord]:
        return [record_of(r) for r in records_where(self, site_id, records.c.phone_key, phone_keys)]

    def records_for_keys_reusing(self, site_id: str, phone_keys: Iterable[str],
                                 known: Mapping[str, StoredRecord]) -> list[StoredRecord]:
        return [known.get(r[0]) or record_of(r) for r in records_where(self, site_id, records.c.phone_key,
                                                                       phone_keys)]

    def records_by_ids(self, site_id: str, ids: Iterable[str]) -> list[StoredRecord]:
        return [record_of(r) for r in records_where(self, site_id, records.c.id, ids)]

    def records_superseding(self, site_id: str, ids: Iterable[str]) -> list[StoredRecord]:
        return [record_of(r) for r in records_where(self, site_id, records.c.supersedes, ids)]


_INSERT = records.insert()
_INSERT_FACT = record_facts.insert()
