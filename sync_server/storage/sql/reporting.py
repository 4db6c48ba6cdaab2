"""``ReportingStore`` (the console's read side) over ``SqlStore``'s tables, on both databases.

Each call reads in one snapshot (``store.read()``; inside an open write it reads that
transaction). Stored times are ISO 8601 text with an offset, which do not sort as text
across offsets: SQL narrows by calendar date with a day's margin and Python compares real
instants, so both databases give the same answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, exists, func, select, union
from sqlalchemy.orm import aliased

from shared.name_form import compared_name
from shared.phones import phone_digits
from shared.timeutil import parse_time

from ..base import ConfirmationRow, CustomerRow, StoredRecord, iter_chunks
from ..reporting import CustomerTimeline, DeviceReport, RecordView, ReportingStore
from .audit import last_sign_ins, read_audit
from .care import CareQueries
from .day_tally import DayTallyQueries
from .deal_repeats import counted_days
from .engine import CHUNK
from .funnel import FunnelQueries
from .ownership import (
    CONFLICT_SELECT,
    CUSTOMER_SELECT,
    DECISION_SELECT,
    conflict_of,
    customer_of,
    decision_of,
)
from .range_chains import RangeChainQueries
from .records import RECORD_SELECT, estimated_text_bounds, record_of
from .store import SqlStore
from .tables import (
    anchors,
    confirmations,
    conflicts,
    customers,
    decisions,
    devices,
    records,
    refused_seqs,
    users,
)

__all__ = ["SqlReporting"]
_MAX_GAPS_LISTED = 50


def _day_margin(start: datetime, end: datetime) -> tuple[str, str]:
    """The days either side of ``[start, end)`` as text (a day's records may carry any UTC
    offset), clamped at the calendar's ends instead of overflowing."""
    low, high = start.date(), end.date()
    return ((low - timedelta(days=1)) if low > date.min else low).isoformat(), \
        ((high + timedelta(days=1)) if high < date.max else high).isoformat()


_CANDIDATES = 2000
"""At most this many names a console search reads to compare without decoration (id, name and
phone only); the first ``limit`` that match are shown."""


class SqlReporting(CareQueries, DayTallyQueries, FunnelQueries, RangeChainQueries, ReportingStore):
    def __init__(self, store: SqlStore):
        self.store = store

    def _all(self, statement, params=None) -> Sequence:
        return self.store._all(statement, params)

    def _in(self, query, column, values: Iterable) -> list:
        """Rows of ``query`` whose ``column`` is among ``values`` (chunked ``IN`` lists)."""
        rows: list = []
        query = query.where(column.in_(bindparam("values", expanding=True)))
        for chunk in iter_chunks(sorted(set(values)), CHUNK):
            rows += self._all(query, {"values": list(chunk)})
        return rows

    def _views(self, site_id: str, rows: list[StoredRecord]) -> list[RecordView]:
        """Decorate records with names, desk, customer, confirmation and version state."""
        people = self.people(site_id)
        desks = dict(self._all(select(devices.c.id, devices.c.name).where(devices.c.site_id == site_id)))
        customer_ids = self.customer_ids(site_id, {r.phone_key for r in rows})
        confirmed = self.confirmations(site_id, [r.id for r in rows])
        refused = self.store.dismissed(site_id, [r.id for r in rows if r.phone_key])  # 不予确认 (issue 14 N3)
        later: dict[str, str] = {}  # record id -> type of a record that supersedes it
        # sorted here, not by ORDER BY change_id: with it SQLite walks ``records_site_change``
        # over the whole site instead of ``records_supersedes`` (as ``records_where`` says)
        query = select(records.c.supersedes, records.c.type, records.c.change_id).where(records.c.site_id == site_id)
        for sup, kind, _ in sorted(self._in(query, records.c.supersedes, [r.id for r in rows]), key=lambda r: r[2]):
            if later.get(sup) != "withdrawal":
                later[sup] = kind
        return [RecordView(record=r, device_name=desks.get(r.device_id, r.device_id),
                           rep_name=people.get(r.rep or "", (r.rep or "", ""))[0],
                           author_name=people.get(r.author, (r.author, ""))[0],
                           customer_id=customer_ids.get(r.phone_key), confirmation=confirmed.get(r.id),
                           withdrawn=later.get(r.id) == "withdrawal", superseded=r.id in later,
                           dismissal=refused.get(r.id))
                for r in rows]

    # -- records -------------------------------------------------------------------------
    def records(self, site_id, types, start, end):
        low, after = estimated_text_bounds(start, end)  # a range ``records_site_type_time`` answers
        query = RECORD_SELECT.where(records.c.site_id == site_id, records.c.type.in_(list(types)),
                                    records.c.estimated_at >= low, records.c.estimated_at < after)
        with self.store.read():
            rows = [record_of(r) for r in self._all(query)]
            rows = [r for r in rows if start <= parse_time(r.estimated_at) < end]
            rows.sort(key=lambda r: (parse_time(r.estimated_at), r.id))
            return self._views(site_id, rows)

    def records_by_ids(self, site_id, ids):
        with self.store.read():
            rows = [record_of(r) for r in self._in(RECORD_SELECT.where(records.c.site_id == site_id),
                                                   records.c.id, ids)]
            return self._views(site_id, sorted(rows, key=lambda r: r.id))

    def records_superseding(self, site_id, ids):
        with self.store.read():
            rows = [record_of(r) for r in self._in(RECORD_SELECT.where(records.c.site_id == site_id),
                                                   records.c.supersedes, ids)]
            return self._views(site_id, sorted(rows, key=lambda r: r.id))

    # -- conflicts and decisions ---------------------------------------------------------
    def conflicts(self, site_id, status):
        query = CONFLICT_SELECT.where(conflicts.c.site_id == site_id)
        if status is not None:
            query = query.where(conflicts.c.status == status)
        found = [conflict_of(r) for r in self._all(query)]
        return sorted(found, key=lambda c: (parse_time(c.opened_at), c.id), reverse=True)

    def conflicts_opened(self, site_id, start, end):
        low, high = _day_margin(start, end)  # a day's margin as text, the real instants in Python
        after = (date.fromisoformat(high) + timedelta(days=1)).isoformat() if high < date.max.isoformat() else "A"
        found = [c for c in map(conflict_of, self._all(CONFLICT_SELECT.where(
            conflicts.c.site_id == site_id, conflicts.c.opened_at >= low, conflicts.c.opened_at < after)))
            if start <= parse_time(c.opened_at) < end]
        found.sort(key=lambda c: c.id, reverse=True)
        return sorted(found, key=lambda c: parse_time(c.opened_at))

    def conflicts_page(self, site_id, status, offset=0, limit=100):
        with self.store.read():  # the order by real instants (opened_at carries the tablet's offset)
            keys = self._all(select(conflicts.c.id, conflicts.c.opened_at).where(conflicts.c.site_id == site_id,
                                                                                 conflicts.c.status == status))
            keys = sorted(keys, key=lambda k: (parse_time(k[1]), k[0]), reverse=True)
            page = [k[0] for k in keys[offset:offset + limit]]
            rows = {c.id: c for c in map(conflict_of, self._in(CONFLICT_SELECT.where(conflicts.c.site_id == site_id),
                                                               conflicts.c.id, page))}
        return len(keys), [rows[i] for i in page if i in rows]

    def conflict(self, site_id, conflict_id):
        rows = self._all(CONFLICT_SELECT.where(conflicts.c.site_id == site_id, conflicts.c.id == conflict_id))
        return conflict_of(rows[0]) if rows else None

    def decisions(self, site_id, start=None, end=None):
        rows = [decision_of(r) for r in self._all(DECISION_SELECT.where(decisions.c.site_id == site_id))]
        if start is not None and end is not None:
            rows = [d for d in rows if start <= parse_time(d.decided_at) < end]
        return sorted(rows, key=lambda d: (parse_time(d.decided_at), d.id))

    def decision(self, site_id, decision_id):
        rows = self._all(DECISION_SELECT.where(decisions.c.site_id == site_id, decisions.c.id == decision_id))
        return decision_of(rows[0]) if rows else None

    # -- customers -----------------------------------------------------------------------
    def find_customers(self, site_id, query, limit=50):
        query = (query or "").strip()
        digits = phone_digits(query)  # full-width digits too
        statement = CUSTOMER_SELECT.where(customers.c.site_id == site_id).limit(limit)
        if not query:
            statement = statement.order_by(customers.c.change_id.desc())
            return [customer_of(r) for r in self._all(statement)]
        # a name is looked for as the tablet looks for it (QA of issue 14, M3): without emoji,
        # pictographs, invisible characters, spaces and dots, in the query and in the stored name
        # (王小明 finds 😀王小明👍 and 王 小明, 王小红 finds 王<ZWJ>小红). SQL narrows by the query's
        # characters in order (a LIKE both databases read alike; the pattern characters removed;
        # ASCII case-insensitive on both); Python keeps the names that hold them side by side.
        wanted = "".join(ch for ch in compared_name(query) if ch not in "%_\\")
        matches: ColumnElement[bool] | None = None
        if wanted:
            matches = customers.c.name.ilike("%" + "%".join(wanted) + "%")
        if len(digits) >= 3:
            by_phone = customers.c.phone_key.like("%" + digits + "%")
            matches = by_phone if matches is None else matches | by_phone
        if matches is None:
            return []
        candidates = self._all(select(customers.c.id, customers.c.name, customers.c.phone_key)
                               .where(customers.c.site_id == site_id, matches)
                               .order_by(customers.c.name, customers.c.id).limit(_CANDIDATES))
        ids = [row[0] for row in candidates
               if (wanted and wanted in compared_name(row[1])) or (len(digits) >= 3 and digits in (row[2] or ""))]
        found = {c.id: c for c in map(customer_of, self._in(CUSTOMER_SELECT.where(customers.c.site_id == site_id),
                                                            customers.c.id, ids[:limit]))}
        return [found[i] for i in ids[:limit] if i in found]

    def customer(self, site_id, customer_id):
        rows = self._all(CUSTOMER_SELECT.where(customers.c.site_id == site_id, customers.c.id == customer_id))
        return customer_of(rows[0]) if rows else None

    def customers_by_ids(self, site_id, customer_ids):
        return {c.id: c for c in map(customer_of, self._in(CUSTOMER_SELECT.where(customers.c.site_id == site_id),
                                                           customers.c.id, customer_ids))}

    def owned_customers(self, site_id, limit):
        columns = [customers.c[n] for n in ("id", "site_id", "phone_key", "name", "owner", "status",
                                             "protected_until", "first_registered_at")]
        query = (select(*columns).where(customers.c.site_id == site_id, customers.c.owner.is_not(None),
                                        customers.c.owner != "")
                 .order_by(customers.c.change_id.desc()).limit(limit))
        return [CustomerRow(*row) for row in self._all(query)]

    def live_records(self, site_id, types, start, end):
        low, after = estimated_text_bounds(start, end)
        later = aliased(records)
        corrected = exists().where(later.c.site_id == records.c.site_id, later.c.supersedes == records.c.id)
        query = RECORD_SELECT.where(records.c.site_id == site_id, records.c.type.in_(list(types)),
                                    records.c.estimated_at >= low, records.c.estimated_at < after, ~corrected)
        return [r for r in map(record_of, self._all(query)) if start <= parse_time(r.estimated_at) < end]

    def customer_ids(self, site_id, phone_keys):
        query = select(customers.c.phone_key, customers.c.id).where(customers.c.site_id == site_id)
        return dict(self._in(query, customers.c.phone_key, phone_keys))

    def timeline(self, site_id, customer_id):
        with self.store.read():
            customer = self.customer(site_id, customer_id)
            if customer is None:
                return None
            keys = sorted({k for link in self.store.linked_component(site_id, [customer.phone_key]) for k in link if k})
            rows = {r[0]: r for column in (records.c.phone_key, records.c.household_key)
                    for r in self._in(RECORD_SELECT.where(records.c.site_id == site_id), column, keys)}
            # with the other versions of their chains: a correction to or from another phone (R4)
            found = sorted(self.store.with_chains(site_id, [record_of(r) for r in rows.values()]),
                           key=lambda r: (parse_time(r.estimated_at), r.id))
            found_decisions = [decision_of(r) for r in self._in(DECISION_SELECT.where(decisions.c.site_id == site_id),
                                                                decisions.c.phone_key, keys)]
            found_conflicts = [conflict_of(r) for r in self._in(CONFLICT_SELECT.where(conflicts.c.site_id == site_id),
                                                                conflicts.c.phone_key, keys)]
            views = self._views(site_id, found)
        found_decisions.sort(key=lambda d: (parse_time(d.decided_at), d.id))
        found_conflicts.sort(key=lambda c: (parse_time(c.opened_at), c.id))
        return CustomerTimeline(customer=customer, records=views, decisions=found_decisions,
                                conflicts=found_conflicts)

    def protection_ending(self, site_id, start, end):
        low, high = _day_margin(start, end)
        rows = [customer_of(r) for r in self._all(CUSTOMER_SELECT.where(
            customers.c.site_id == site_id, customers.c.status.in_(["protected", "disputed"]),
            func.substr(customers.c.protected_until, 1, 10).between(low, high)))]
        rows = [c for c in rows if start <= parse_time(c.protected_until) < end]
        return sorted(rows, key=lambda c: (parse_time(c.protected_until), c.id))

    # -- devices and people --------------------------------------------------------------
    def export_version(self, site_id, records_only=False):
        tables = (records, confirmations, users) if records_only else (records, confirmations, users, customers,
                                                                      conflicts)
        parts: list[object] = []
        with self.store.read():  # one snapshot; a lone max() per statement: read off the index's end
            for table in tables:
                parts.append(self._all(select(func.max(table.c.change_id)).where(table.c.site_id == site_id))[0][0])
            desks = self._all(select(devices.c.id, devices.c.name).where(devices.c.site_id == site_id)
                              .order_by(devices.c.id))
            if not records_only:
                parts += self._all(select(func.count(), func.max(decisions.c.decided_at))
                                   .where(decisions.c.site_id == site_id))[0]
        parts.append(hashlib.sha256(repr([tuple(row) for row in desks]).encode()).hexdigest()[:16])
        return ":".join("" if p is None else str(p) for p in parts)

    def repeated_deals(self, site_id, ids):
        with self.store.read(), self.store.connection() as conn:
            return counted_days(conn, site_id, ids)

    def people(self, site_id):
        return {u: (name, role) for u, name, role in self._all(
            select(users.c.username, users.c.name, users.c.role).where(users.c.site_id == site_id))}

    def devices(self, site_id):
        reports = []
        with self.store.read():
            people = self.people(site_id)
            for device in sorted(self.store.list_devices(site_id), key=lambda d: (d.name, d.id)):
                # one aggregate a statement: SQLite reads a lone max() off the index's end
                # (``records_device_seq``, ``records_site_device_received``), two at once by a scan
                mine = (records.c.site_id == site_id, records.c.device_id == device.id)
                highest = self._all(select(func.max(records.c.seq)).where(*mine))[0][0]
                last_received = self._all(select(func.max(records.c.received_at)).where(*mine))[0][0]
                anchor_times = [t for (t,) in self._all(select(anchors.c.server_time)
                                                        .where(anchors.c.site_id == site_id,
                                                               anchors.c.device_id == device.id))]
                times = [t for t in [last_received, *anchor_times] if t]
                last_sync = max(times, key=parse_time) if times else None
                # a refused seq arrived (its record waits on the tablet with the reason): no gap
                have = {seq for (seq,) in self._all(union(
                    select(records.c.seq).where(records.c.site_id == site_id, records.c.device_id == device.id,
                                                records.c.seq > device.contiguous_seq),
                    select(refused_seqs.c.seq).where(refused_seqs.c.site_id == site_id,
                                                     refused_seqs.c.device_id == device.id,
                                                     refused_seqs.c.seq > device.contiguous_seq)))}
                highest = max([highest or 0, *have])
                missing = highest - device.contiguous_seq - len(have)
                gaps = ([s for s in range(device.contiguous_seq + 1, highest) if s not in have][:_MAX_GAPS_LISTED]
                        if missing > 0 else [])
                name, role = people.get(device.username, (device.username, ""))
                reports.append(DeviceReport(device=device, user_name=name, role=role, last_sync=last_sync,
                                            highest_seq=highest, gaps=gaps, gap_count=max(0, missing)))
        return reports

    def last_sign_ins(self, site_id):
        return last_sign_ins(self.store, site_id)

    def audit_entries(self, site_ids, start=None, end=None, person=None, offset=0, limit=50, action=None):
        return read_audit(self.store, site_ids, start, end, person, offset, limit, action)

    # -- confirmations -------------------------------------------------------------------
    def confirmations(self, site_id, record_ids) -> dict[str, ConfirmationRow]:
        query = (select(*[confirmations.c[n] for n in ("id", "site_id", "record_id", "author", "confirmed_at",
                                                        "change_id")])
                 .where(confirmations.c.site_id == site_id)
                 .order_by(confirmations.c.confirmed_at.desc(), confirmations.c.id.desc()))
        found: dict[str, ConfirmationRow] = {}
        for row in self._in(query, confirmations.c.record_id, record_ids):
            found[row[2]] = ConfirmationRow(*row)  # the last assignment is the first confirmation
        return found
