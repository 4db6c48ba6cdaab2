"""``customer_care``, ``complaint_steps`` and ``complaint_cases`` (``storage/care.py``) kept in
the write that changes their inputs, and the care page's reads of them.

A write marks what it touched (``Transactions._mark_care``): the customers whose records were
stored or superseded, or whose row changed (new, renamed, owner); the complaint cases whose
records were stored or superseded; every open case of a site whose closed days changed.
Before the write commits (``Care._before_commit``) each touched customer's row is computed
again from their live contact records, and each touched case from its live records, with
the shared rules: no subtraction, nothing incremental to drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy import (
    Connection,
    Text,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased

from shared.complaints import case_keys, in_a_case
from shared.timeutil import site_zone
from shared.working_calendar import WorkingCalendar, calendar_version

from ..base import CustomerRow, Site, StoredRecord, iter_chunks
from ..care import (
    CONTACT_TYPES,
    care_row,
    case_of,
    case_row,
    contact_at,
    due_of,
    step_of,
    utc_key,
)
from .care_calendar import CareCalendarRows, record_calendar
from .directory import Directory
from .engine import CHUNK, loads
from .ownership import Ownership
from .records import RECORD_SELECT, Records, record_of
from .tables import (
    complaint_cases,
    complaint_steps,
    customer_care,
    customers,
    record_facts,
    records,
    sites,
)

__all__ = ["Care", "CareQueries", "kept_cases_follow", "rebuild_care", "refresh_cases", "site_calendar"]

_CUSTOMER_COLUMNS = [customers.c[n] for n in ("id", "site_id", "phone_key", "name", "owner", "status",
                                               "protected_until", "first_registered_at")]
_later = aliased(records)
_LIVE = ~exists().where(_later.c.site_id == records.c.site_id, _later.c.supersedes == records.c.id)
"""No later record corrects or withdraws this one."""


def site_calendar(conn: Connection, site_id: str) -> tuple[tzinfo, WorkingCalendar]:
    row = conn.execute(select(sites.c.utc_offset_minutes, sites.c.closed_days).where(sites.c.id == site_id)).first()
    return site_zone(row[0] if row else 0), WorkingCalendar.for_site(tuple((row[1] or ()) if row else ()))


def _care_rows(conn: Connection, site_id: str, phones: Sequence[str], zone: tzinfo, contacts_where) -> list[dict]:
    found = [CustomerRow(*r) for r in conn.execute(select(*_CUSTOMER_COLUMNS).where(
        customers.c.site_id == site_id, customers.c.phone_key.in_(list(phones))))]
    contacts: dict[str, list] = defaultdict(list)
    live = [record_of(row) for row in conn.execute(RECORD_SELECT.where(
        records.c.site_id == site_id, records.c.type.in_(CONTACT_TYPES), contacts_where, _LIVE))]
    originals = root_times(conn, site_id, [r.id for r in live if r.supersedes])
    for record in live:
        contacts[record.phone_key].append(contact_at(record.type, originals.get(record.id, record.estimated_at),
                                                     record.wire.get("data") or {}, zone))
    return [care_row(c, due_of(c, contacts.get(c.phone_key, ()), zone)) for c in found]


_root = aliased(records)


def root_times(conn: Connection, site_id: str, ids: Sequence[str]) -> dict[str, str]:
    """``record id -> estimated_at`` of the original of each correction among ``ids`` (its chain's
    root, ``record_facts.root_id``): a corrected contact counts at its original's time — a
    correction moves nothing in time (R4; QA of issue 11, second pass: a 小定 whose amount was
    fixed four days later read as a contact that day, and the customer left the overdue list)."""
    found: dict[str, str] = {}
    for chunk in iter_chunks(sorted(set(ids)), CHUNK):
        found.update((rid, at) for rid, at in conn.execute(
            select(record_facts.c.record_id, _root.c.estimated_at)
            .select_from(record_facts.join(_root, and_(_root.c.site_id == record_facts.c.site_id,
                                                       _root.c.id == record_facts.c.root_id)))
            .where(record_facts.c.site_id == site_id, record_facts.c.record_id.in_(list(chunk)))))
    return found


def refresh_customers(conn: Connection, site_id: str, phones: Iterable[str], zone: tzinfo) -> None:
    """Compute the ``customer_care`` rows of ``phones`` again (a phone that is no customer has none)."""
    for chunk in iter_chunks(sorted(set(phones)), CHUNK):
        rows = _care_rows(conn, site_id, chunk, zone, records.c.phone_key.in_(list(chunk)))
        conn.execute(delete(customer_care).where(customer_care.c.site_id == site_id,
                                                 customer_care.c.phone_key.in_(list(chunk))))
        if rows:
            conn.execute(customer_care.insert(), rows)


def _case_records(conn: Connection, site_id: str, case_ids: Sequence[str]) -> dict[str, list[tuple[StoredRecord, bool]]]:
    """Every record kept under each of ``case_ids`` (``complaint_steps``: all versions), each with
    whether it is live (no record of any type — a correction, a withdrawal — supersedes it): a
    corrected opening's case keeps its original's time (``storage.care.case_of``)."""
    case_of_record = dict(conn.execute(select(complaint_steps.c.record_id, complaint_steps.c.case_id).where(
        complaint_steps.c.site_id == site_id, complaint_steps.c.case_id.in_(list(case_ids)))).all())
    found: dict[str, list[tuple[StoredRecord, bool]]] = defaultdict(list)
    for chunk in iter_chunks(sorted(case_of_record), CHUNK):
        gone = {rid for (rid,) in conn.execute(select(_later.c.supersedes).where(
            _later.c.site_id == site_id, _later.c.supersedes.in_(list(chunk))))}
        for row in conn.execute(RECORD_SELECT.where(records.c.site_id == site_id, records.c.id.in_(list(chunk)))):
            record = record_of(row)
            found[case_of_record[record.id]].append((record, record.id not in gone))
    return found


def _stored_cases(conn: Connection, site_id: str, ids: Iterable[str]) -> dict[str, str]:
    """``record id (lower case) -> case`` kept in ``complaint_steps`` for those of ``ids`` (any case)."""
    wanted = sorted({i for rid in ids for i in (rid, rid.lower())})
    found: dict[str, str] = {}
    for chunk in iter_chunks(wanted, CHUNK):
        found.update((rid.lower(), case_id) for rid, case_id in conn.execute(
            select(complaint_steps.c.record_id, complaint_steps.c.case_id).where(
                complaint_steps.c.site_id == site_id, complaint_steps.c.record_id.in_(list(chunk)))))
    return found


def _cases_of_write(conn: Connection, site_id: str, rows: Sequence[StoredRecord]) -> dict[str, str]:
    """``record id -> case`` of the complaint records among ``rows`` that belong to one
    (``shared.complaints.case_keys``, ``in_a_case``), through the cases kept for the records
    they correct or name and through each other (a correction and the opening it corrects may
    come in one push)."""
    steps = [step_of(r, UTC) for r in rows if r.type == "complaint"]  # the rule reads no time
    if not steps:
        return {}
    named = {x for s in steps for x in (s.supersedes, s.data.get("refers_to")) if isinstance(x, str) and x}
    keys = case_keys(steps, _stored_cases(conn, site_id, named))
    return {s.id: keys[s.id.lower()] for s in steps if in_a_case(s)}


def _computed_cases(conn: Connection, site_id: str, case_ids: Sequence[str], zone: tzinfo,
                    calendar: WorkingCalendar) -> list[dict[str, Any]]:
    """The ``complaint_cases`` rows ``case_ids`` have by their live records and ``calendar``."""
    live = _case_records(conn, site_id, case_ids)
    return [row for key in case_ids if (row := case_row(site_id, case_of(key, live.get(key, []), zone, calendar)))]


def refresh_cases(conn: Connection, site_id: str, case_ids: Iterable[str], zone: tzinfo,
                  calendar: WorkingCalendar) -> None:
    """Compute the ``complaint_cases`` rows of ``case_ids`` again (a finished case has none)."""
    for chunk in iter_chunks(sorted(set(case_ids)), CHUNK):
        rows = _computed_cases(conn, site_id, chunk, zone, calendar)
        conn.execute(delete(complaint_cases).where(complaint_cases.c.site_id == site_id,
                                                   complaint_cases.c.case_id.in_(list(chunk))))
        if rows:
            conn.execute(complaint_cases.insert(), rows)


def kept_cases_follow(conn: Connection, site_id: str, batch: int = 500) -> bool:
    """Would ``care rebuild`` change none of ``site_id``'s kept ``complaint_cases`` rows? Each
    kept case computed again from its live records with the installed calendar (and the site's
    closed days), ``batch`` cases at a time in case id order, as the rebuild does; nothing is
    written. True when every row comes out the same (``0022_care_calendar_known``)."""
    zone, calendar = site_calendar(conn, site_id)
    c = complaint_cases.c
    after = ""
    while True:
        kept = {tuple(r) for r in conn.execute(select(c.case_id, c.next_due, c.opened_at)
                                               .where(c.site_id == site_id, c.case_id > after)
                                               .order_by(c.case_id).limit(batch))}
        if not kept:
            return True
        ids = sorted(k[0] for k in kept)
        computed = {(r["case_id"], r["next_due"], r["opened_at"]) for r in _computed_cases(conn, site_id, ids, zone,
                                                                                           calendar)}
        if computed != kept:
            return False
        after = ids[-1]


def rebuild_care(conn: Connection, site_id: str, batch: int = 5000) -> None:
    """Compute ``site_id``'s care rows afresh (the migration's backfill): every customer's,
    ``batch`` customers at a time in phone order; every complaint record's case; every case."""
    zone, calendar = site_calendar(conn, site_id)
    for table in (customer_care, complaint_steps, complaint_cases):
        conn.execute(delete(table).where(table.c.site_id == site_id))
    after = ""
    while True:  # pages by customer, so no cursor stays open across the inserts
        phones = [p for (p,) in conn.execute(select(customers.c.phone_key).where(
            customers.c.site_id == site_id, customers.c.phone_key > after).order_by(customers.c.phone_key).limit(batch))]
        if not phones:
            break
        after = phones[-1]
        rows = _care_rows(conn, site_id, phones, zone, and_(records.c.phone_key >= phones[0],
                                                             records.c.phone_key <= phones[-1]))
        if rows:
            conn.execute(customer_care.insert(), rows)
    complaints = [step_of(r, zone) for r in map(record_of, conn.execute(RECORD_SELECT.where(
        records.c.site_id == site_id, records.c.type == "complaint")))]
    keys = case_keys(complaints)  # every version: a correction's case is its original's
    steps = [(s.id, keys[s.id.lower()]) for s in complaints if in_a_case(s)]
    step_rows = [{"site_id": site_id, "record_id": rid, "case_id": key} for rid, key in steps]
    for chunk in iter_chunks(step_rows, 5000):
        conn.execute(complaint_steps.insert(), list(chunk))
    refresh_cases(conn, site_id, {key for _, key in steps}, zone, calendar)


class Care(CareCalendarRows, Directory, Records, Ownership):
    """``SqlStore``'s writes that change a care row's inputs mark it (see the module
    docstring); ``_before_commit`` computes the marked rows again."""

    def insert_records(self, rows: Sequence[StoredRecord]) -> None:
        super().insert_records(rows)
        fresh = self._tx.fresh if self._tx.fresh is not None else {}
        self._tx.fresh = fresh  # the care refresh reads these back: it reuses them instead of decoding
        fresh.update(((r.site_id, r.id), r) for r in rows)
        for site_id in sorted({r.site_id for r in rows}):
            self._care_records(site_id, [r for r in rows if r.site_id == site_id])

    def add_site(self, site: Site) -> None:
        with self.write(site.id):
            super().add_site(site)
            record_calendar(self._in_write(), site.id, calendar_version())  # no case kept yet: nothing stale

    def ensure_customers(self, site_id: str, names: dict[str, str]) -> dict[str, CustomerRow]:
        result = super().ensure_customers(site_id, names)
        self._mark_care(site_id, phones=names)  # new or renamed (mostly the write's records' own)
        return result

    def save_customers(self, rows: Sequence[CustomerRow]) -> None:
        super().save_customers(rows)
        for site_id in sorted({r.site_id for r in rows}):
            self._mark_care(site_id, phones=[r.phone_key for r in rows if r.site_id == site_id])

    def update_site(self, site_id: str, *, walkin_landlines: bool | None = None,
                    closed_days: Sequence[str] | None = None, replica_keys: str | None = None) -> None:
        with self.write(site_id):
            super().update_site(site_id, walkin_landlines=walkin_landlines, closed_days=closed_days,
                                replica_keys=replica_keys)
            if closed_days is not None:  # the close-by deadlines count working days
                self._mark_care(site_id, all_cases=True)

    def complaint_case_phones(self, site_id: str, record_ids: Iterable[str]) -> dict[str, set[str]]:
        mine, same = aliased(complaint_steps), aliased(complaint_steps)
        found: dict[str, set[str]] = defaultdict(set)
        for chunk in iter_chunks(sorted({i for rid in record_ids for i in (rid, rid.lower())}), CHUNK):
            query = (select(mine.c.record_id, records.c.phone_key)
                     .select_from(mine.join(same, and_(same.c.site_id == mine.c.site_id,
                                                       same.c.case_id == mine.c.case_id))
                                  .join(records, and_(records.c.site_id == same.c.site_id,
                                                      records.c.id == same.c.record_id)))
                     .where(mine.c.site_id == site_id, mine.c.record_id.in_(list(chunk))))
            for rid, phone in self._all(query):
                found[rid.lower()].add(phone)
        return dict(found)

    def _care_records(self, site_id: str, rows: Sequence[StoredRecord]) -> None:
        """*(in write, after ``rows`` are inserted)* Map the complaint records to their cases
        and mark the customers and cases these records and the ones they supersede touch."""
        conn = self._in_write()
        steps = [{"site_id": site_id, "record_id": rid, "case_id": key}
                 for rid, key in _cases_of_write(conn, site_id, rows).items()]
        if steps:
            conn.execute(complaint_steps.insert(), steps)
        parents = sorted({r.supersedes for r in rows if r.supersedes})
        phones = {r.phone_key for r in rows if r.type in CONTACT_TYPES}
        cases = {s["case_id"] for s in steps}
        for chunk in iter_chunks(parents, CHUNK):
            phones |= {p for (p, kind) in conn.execute(select(records.c.phone_key, records.c.type).where(
                records.c.site_id == site_id, records.c.id.in_(list(chunk)))) if kind in CONTACT_TYPES}
            cases |= {c for (c,) in conn.execute(select(complaint_steps.c.case_id).where(
                complaint_steps.c.site_id == site_id, complaint_steps.c.record_id.in_(list(chunk))))}
        self._mark_care(site_id, phones=phones, cases=cases)

    def _before_commit(self) -> None:
        marked = self._tx.care
        self._tx.care = None
        if not marked:
            return
        conn = self._in_write()
        for site_id, (phones, cases, all_cases) in sorted(marked.items()):
            zone, calendar = site_calendar(conn, site_id)
            if all_cases:
                cases |= {c for (c,) in conn.execute(select(complaint_cases.c.case_id).where(
                    complaint_cases.c.site_id == site_id))}
            self._refresh_customers(site_id, sorted(phones), zone)
            refresh_cases(conn, site_id, cases, zone, calendar)
            if all_cases:  # every kept case now follows the installed calendar (storage/care_calendar.py)
                record_calendar(conn, site_id, calendar_version())

    def _refresh_customers(self, site_id: str, phones: list[str], zone: tzinfo) -> None:
        """``refresh_customers`` through the push's compiled reads and driver-level inserts
        (``_select_in``, ``_executemany``): the same rows, less of SQLAlchemy's per-row work."""
        if not phones:
            return
        found = [CustomerRow(*r) for r in self._select_in("care_customers", lambda binds: select(
            *_CUSTOMER_COLUMNS).where(customers.c.site_id == bindparam("site"), customers.c.phone_key.in_(binds)),
            phones, site=site_id)]
        contacts: dict[str, list] = defaultdict(list)
        fresh = self._tx.fresh or {}
        rows = [row for row in self._select_in("care_contacts", lambda binds: _CONTACT_SELECT.where(
            records.c.site_id == bindparam("site"), records.c.phone_key.in_(binds), _LIVE), phones, site=site_id)
            if row[3] in CONTACT_TYPES]
        originals = root_times(self._in_write(), site_id, [row[0] for row in rows if row[6]])  # corrections
        for rid, change_id, phone, kind, estimated_at, wire, _ in rows:
            # a record this write inserted is not decoded again (its wire as pushed is at hand)
            known = fresh.get((site_id, rid))
            data = (known.wire if known is not None and known.change_id == change_id else loads(wire)).get("data")
            contacts[phone].append(contact_at(kind, originals.get(rid, estimated_at), data, zone))
        self._executemany(_DELETE_CARE, [{"b_site": site_id, "b_key": phone} for phone in phones])
        self._executemany(_INSERT_CARE, [care_row(c, due_of(c, contacts.get(c.phone_key, ()), zone)) for c in found])


_INSERT_CARE = customer_care.insert()
_DELETE_CARE = delete(customer_care).where(customer_care.c.site_id == bindparam("b_site"),
                                           customer_care.c.phone_key == bindparam("b_key"))
_CONTACT_SELECT = select(records.c.id, records.c.change_id, records.c.phone_key, records.c.type,
                         records.c.estimated_at, type_coerce(records.c.wire, Text).label("wire"), records.c.supersedes)
"""What a customer's care row needs of each record (``contact_at``); the wire as text, decoded only
for records this write did not insert."""


class CareQueries:
    """Mixed into ``SqlReporting``: the care page's reads (``ReportingStore``)."""

    _all: Any
    store: Any

    def care_by_rep(self, site_id: str, today: date) -> list[tuple[str, int, int, int]]:
        day = today.isoformat()
        c = customer_care.c
        query = (select(c.owner, func.count(), func.coalesce(func.sum(case((c.due_on < day, 1), else_=0)), 0),
                        func.coalesce(func.sum(case((c.due_on == day, 1), else_=0)), 0))
                 .where(c.site_id == site_id, c.owner != "").group_by(c.owner))
        return [(owner, int(n), int(late), int(due)) for owner, n, late, due in self._all(query)]

    def care_customers(self, site_id: str, owner: str, before: date | None = None, offset: int = 0,
                       limit: int = 100) -> list[dict[str, Any]]:
        c = customer_care.c
        query = (select(customer_care).where(c.site_id == site_id, c.owner == owner, c.due_on.is_not(None))
                 .order_by(c.due_on, c.name, c.phone_key)  # name: code point order on both (``CodePointText``)
                 .offset(offset).limit(limit))
        if before is not None:
            query = query.where(c.due_on < before.isoformat())
        return [dict(r._mapping) for r in self._all(query)]

    def open_cases(self, site_id: str, now: datetime, offset: int = 0,
                   limit: int = 100) -> tuple[int, int, dict[str, list[tuple[StoredRecord, bool]]], list[str]]:
        c = complaint_cases.c
        with self.store.read():
            total, late = self._all(select(func.count(), func.coalesce(func.sum(case((c.next_due < utc_key(now), 1),
                                                                                      else_=0)), 0))
                                    .where(c.site_id == site_id))[0]
            page = [k for (k,) in self._all(select(c.case_id).where(c.site_id == site_id)
                                            .order_by(c.next_due, c.opened_at, c.case_id).offset(offset).limit(limit))]
            with self.store.connection() as conn:
                live = _case_records(conn, site_id, page)
        return int(total), int(late), live, page
