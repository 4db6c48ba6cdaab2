"""``ReportingStore`` over the PostgreSQL tables (``postgres_schema.py``).

Reads through the ``PostgresStore``'s connection pool, each call in one REPEATABLE READ
snapshot; it only reads (confirmations are written by ``PostgresStore.add_confirmations``). Stored times are ISO 8601 text with an offset: SQL
narrows by ``::timestamptz`` and Python sorts by real instants, exactly as the SQLite
implementation does, so both give the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.rows import dict_row

from shared.timeutil import parse_time

from .base import ConflictRow, CustomerRow, DecisionRow, Device, StoredRecord
from .postgres import PostgresStore
from .reporting import (
    ConfirmationRow,
    CustomerTimeline,
    DeviceReport,
    RecordView,
    ReportingStore,
)

__all__ = ["PostgresReporting"]
_MAX_GAPS_LISTED = 50


def _record(row: dict) -> StoredRecord:
    return StoredRecord(**{k: v for k, v in row.items() if k in StoredRecord.__dataclass_fields__})


def _customer(row: dict) -> CustomerRow:
    return CustomerRow(**{**row, "split": row["split"] or None, "explanation": row["explanation"] or []})


def _conflict(row: dict) -> ConflictRow:
    return ConflictRow(**row)


def _decision(row: dict) -> DecisionRow:
    return DecisionRow(**row)


def _confirmation(row: dict) -> ConfirmationRow:
    return ConfirmationRow(**row)


class PostgresReporting(ReportingStore):
    def __init__(self, store: PostgresStore):
        self.store = store

    @contextmanager
    def _cur(self) -> Iterator[psycopg.Cursor]:
        """A dict-row cursor in one read snapshot (or in the caller's open transaction)."""
        with self.store.read(), self.store.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            yield cur

    def _views(self, cur, site_id: str, rows: list[StoredRecord]) -> list[RecordView]:
        """Decorate records with names, desk, customer, confirmation and version state."""
        people = self._people(cur, site_id)
        devices = {r["id"]: r["name"] for r in cur.execute("SELECT id, name FROM devices WHERE site_id = %s",
                                                           (site_id,)).fetchall()}
        keys = sorted({r.phone_key for r in rows})
        customers = {r["phone_key"]: r["id"] for r in cur.execute(
            "SELECT phone_key, id FROM customers WHERE site_id = %s AND phone_key = ANY(%s::text[])",
            (site_id, keys)).fetchall()}
        ids = [r.id for r in rows]
        confirmed = self._confirmations(cur, site_id, ids)
        later: dict[str, str] = {}  # record id -> type of a record that supersedes it
        for r in cur.execute("SELECT supersedes, type FROM records WHERE site_id = %s AND supersedes = ANY(%s::text[]) "
                             "ORDER BY change_id", (site_id, ids)).fetchall():
            if later.get(r["supersedes"]) != "withdrawal":
                later[r["supersedes"]] = r["type"]
        return [RecordView(record=r, device_name=devices.get(r.device_id, r.device_id),
                           rep_name=people.get(r.rep or "", (r.rep or "", ""))[0],
                           author_name=people.get(r.author, (r.author, ""))[0],
                           customer_id=customers.get(r.phone_key), confirmation=confirmed.get(r.id),
                           withdrawn=later.get(r.id) == "withdrawal", superseded=r.id in later)
                for r in rows]

    # -- records -------------------------------------------------------------------------
    def records(self, site_id, types, start, end):
        with self._cur() as cur:
            rows = [_record(r) for r in cur.execute(
                "SELECT * FROM records WHERE site_id = %s AND type = ANY(%s::text[]) "
                "AND estimated_at::timestamptz >= %s AND estimated_at::timestamptz < %s",
                (site_id, list(types), start, end)).fetchall()]
            rows.sort(key=lambda r: (parse_time(r.estimated_at), r.id))
            return self._views(cur, site_id, rows)

    def records_superseding(self, site_id, ids):
        with self._cur() as cur:
            rows = [_record(r) for r in cur.execute(
                "SELECT * FROM records WHERE site_id = %s AND supersedes = ANY(%s::text[]) ORDER BY id",
                (site_id, sorted(set(ids)))).fetchall()]
            return self._views(cur, site_id, rows)

    def records_by_ids(self, site_id, ids):
        with self._cur() as cur:
            rows = [_record(r) for r in cur.execute(
                "SELECT * FROM records WHERE site_id = %s AND id = ANY(%s::text[]) ORDER BY id",
                (site_id, sorted(set(ids)))).fetchall()]
            return self._views(cur, site_id, rows)

    # -- conflicts and decisions ---------------------------------------------------------
    def conflicts(self, site_id, status):
        with self._cur() as cur:
            if status is None:
                rows = cur.execute("SELECT * FROM conflicts WHERE site_id = %s", (site_id,)).fetchall()
            else:
                rows = cur.execute("SELECT * FROM conflicts WHERE site_id = %s AND status = %s",
                                   (site_id, status)).fetchall()
        return sorted((_conflict(r) for r in rows), key=lambda c: (parse_time(c.opened_at), c.id), reverse=True)

    def conflict(self, site_id, conflict_id):
        with self._cur() as cur:
            row = cur.execute("SELECT * FROM conflicts WHERE site_id = %s AND id = %s", (site_id, conflict_id)).fetchone()
        return _conflict(row) if row else None

    def decisions(self, site_id, start=None, end=None):
        with self._cur() as cur:
            rows = [_decision(r) for r in cur.execute("SELECT * FROM decisions WHERE site_id = %s", (site_id,)).fetchall()]
        if start is not None and end is not None:
            rows = [d for d in rows if start <= parse_time(d.decided_at) < end]
        return sorted(rows, key=lambda d: (parse_time(d.decided_at), d.id))

    def decision(self, site_id, decision_id):
        with self._cur() as cur:
            row = cur.execute("SELECT * FROM decisions WHERE site_id = %s AND id = %s", (site_id, decision_id)).fetchone()
        return _decision(row) if row else None

    # -- customers -----------------------------------------------------------------------
    def find_customers(self, site_id, query, limit=50):
        query = (query or "").strip()
        digits = re.sub(r"\D", "", query)
        with self._cur() as cur:
            if not query:
                rows = cur.execute("SELECT * FROM customers WHERE site_id = %s ORDER BY change_id DESC LIMIT %s",
                                   (site_id, limit)).fetchall()
            else:
                # LIKE with the pattern characters removed, as in SQLite (which matches ASCII case-insensitively)
                like = "%" + query.replace("%", "").replace("_", "").replace("\\", "") + "%"
                phone_like = "%" + digits + "%" if len(digits) >= 3 else None
                rows = cur.execute(
                    "SELECT * FROM customers WHERE site_id = %s AND (name ILIKE %s OR phone_key LIKE %s) "
                    "ORDER BY name LIMIT %s", (site_id, like, phone_like, limit)).fetchall()
        return [_customer(r) for r in rows]

    def customer(self, site_id, customer_id):
        with self._cur() as cur:
            row = cur.execute("SELECT * FROM customers WHERE site_id = %s AND id = %s", (site_id, customer_id)).fetchone()
        return _customer(row) if row else None

    def customer_ids(self, site_id, phone_keys):
        with self._cur() as cur:
            return {r["phone_key"]: r["id"] for r in cur.execute(
                "SELECT phone_key, id FROM customers WHERE site_id = %s AND phone_key = ANY(%s::text[])",
                (site_id, sorted(set(phone_keys)))).fetchall()}

    @staticmethod
    def _household(cur, site_id: str, phone_key: str) -> list[str]:
        """The phone keys linked to this one (household, R6), through customer_links."""
        rows = cur.execute("""
            WITH RECURSIVE unit(key) AS (
              SELECT %s::text
              UNION
              SELECT CASE WHEN l.phone_key = u.key THEN l.linked_key ELSE l.phone_key END
              FROM customer_links l JOIN unit u ON u.key <> '' AND l.site_id = %s AND (l.phone_key = u.key OR l.linked_key = u.key))
            SELECT key FROM unit WHERE key <> ''""", (phone_key, site_id)).fetchall()
        return sorted(r["key"] for r in rows)

    def timeline(self, site_id, customer_id):
        with self._cur() as cur:
            row = cur.execute("SELECT * FROM customers WHERE site_id = %s AND id = %s", (site_id, customer_id)).fetchone()
            if row is None:
                return None
            customer = _customer(row)
            keys = self._household(cur, site_id, customer.phone_key)
            records = [_record(r) for r in cur.execute(
                "SELECT * FROM records WHERE site_id = %s AND (phone_key = ANY(%s::text[]) OR household_key = ANY(%s::text[]))",
                (site_id, keys, keys)).fetchall()]
            records.sort(key=lambda r: (parse_time(r.estimated_at), r.id))
            decisions = [_decision(r) for r in cur.execute(
                "SELECT * FROM decisions WHERE site_id = %s AND phone_key = ANY(%s::text[])", (site_id, keys)).fetchall()]
            conflicts = [_conflict(r) for r in cur.execute(
                "SELECT * FROM conflicts WHERE site_id = %s AND phone_key = ANY(%s::text[])", (site_id, keys)).fetchall()]
            views = self._views(cur, site_id, records)
        decisions.sort(key=lambda d: parse_time(d.decided_at))
        conflicts.sort(key=lambda c: parse_time(c.opened_at))
        return CustomerTimeline(customer=customer, records=views, decisions=decisions, conflicts=conflicts)

    def protection_ending(self, site_id, start, end):
        with self._cur() as cur:
            rows = [_customer(r) for r in cur.execute(
                "SELECT * FROM customers WHERE site_id = %s AND status IN ('protected', 'disputed') "
                "AND protected_until::timestamptz >= %s AND protected_until::timestamptz < %s",
                (site_id, start, end)).fetchall()]
        return sorted(rows, key=lambda c: parse_time(c.protected_until))

    # -- devices and people --------------------------------------------------------------
    @staticmethod
    def _people(cur, site_id: str) -> dict[str, tuple[str, str]]:
        return {r["username"]: (r["name"], r["role"]) for r in cur.execute(
            "SELECT username, name, role FROM users WHERE site_id = %s", (site_id,)).fetchall()}

    def people(self, site_id):
        with self._cur() as cur:
            return self._people(cur, site_id)

    def devices(self, site_id):
        reports = []
        with self._cur() as cur:
            people = self._people(cur, site_id)
            rows = cur.execute("""
                SELECT d.id, d.site_id, d.username, d.name, d.enrolled_at, d.revoked_at, d.last_offset_ms,
                       d.contiguous_seq,
                       greatest((SELECT max(seq) FROM records r WHERE r.device_id = d.id),
                                (SELECT max(seq) FROM refused_seqs x WHERE x.device_id = d.id)) AS highest,
                       (SELECT count(*) FROM (SELECT seq FROM records r WHERE r.device_id = d.id
                                                AND r.seq > d.contiguous_seq UNION
                                              SELECT seq FROM refused_seqs x WHERE x.device_id = d.id
                                                AND x.seq > d.contiguous_seq) arrived) AS above,
                       (SELECT max(received_at) FROM records r WHERE r.device_id = d.id) AS received,
                       (SELECT array_agg(server_time) FROM anchors a WHERE a.device_id = d.id) AS anchor_times
                FROM devices d WHERE d.site_id = %s ORDER BY d.name, d.id""", (site_id,)).fetchall()
            for row in rows:
                device = Device(*(row[k] for k in ("id", "site_id", "username", "name", "enrolled_at", "revoked_at",
                                                   "last_offset_ms", "contiguous_seq")))
                times = [t for t in [row["received"], *(row["anchor_times"] or [])] if t]
                last_sync = max(times, key=parse_time) if times else None
                highest = row["highest"] or 0
                missing = highest - device.contiguous_seq - row["above"]
                gaps: list[int] = []
                if missing > 0:
                    gaps = [r["s"] for r in cur.execute(
                        "SELECT s FROM generate_series(%s::bigint, %s::bigint) s WHERE NOT EXISTS "
                        "(SELECT 1 FROM records r WHERE r.device_id = %s AND r.seq = s) AND NOT EXISTS "
                        "(SELECT 1 FROM refused_seqs x WHERE x.device_id = %s AND x.seq = s) ORDER BY s LIMIT %s",
                        (device.contiguous_seq + 1, highest - 1, device.id, device.id, _MAX_GAPS_LISTED)).fetchall()]
                name, role = people.get(device.username, (device.username, ""))
                reports.append(DeviceReport(device=device, user_name=name, role=role, last_sync=last_sync,
                                            highest_seq=highest, gaps=gaps, gap_count=max(0, missing)))
        return reports

    # -- confirmations -------------------------------------------------------------------
    @staticmethod
    def _confirmations(cur, site_id: str, record_ids) -> dict[str, ConfirmationRow]:
        found: dict[str, ConfirmationRow] = {}
        for row in cur.execute(
                "SELECT DISTINCT ON (record_id) id, site_id, record_id, author, confirmed_at, change_id FROM confirmations "
                "WHERE site_id = %s AND record_id = ANY(%s::text[]) ORDER BY record_id, confirmed_at, id",
                (site_id, sorted(set(record_ids)))).fetchall():
            found[row["record_id"]] = _confirmation(row)
        return found

    def confirmations(self, site_id, record_ids):
        with self._cur() as cur:
            return self._confirmations(cur, site_id, record_ids)
