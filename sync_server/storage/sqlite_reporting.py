"""``ReportingStore`` over the sync server's SQLite tables (``sqlite_schema.py``).

Opens its own short-lived connections (one per call, so any thread may call it) and only
reads (confirmations are written by ``SQLiteStore.add_confirmations``).
Stored times are ISO 8601 strings with an offset, which do not sort as text across offsets:
SQL narrows by calendar date with a day's margin and Python compares real instants.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from shared.timeutil import parse_time

from .base import ConflictRow, CustomerRow, DecisionRow, Device, StoredRecord, iter_chunks
from .reporting import (
    ConfirmationRow,
    CustomerTimeline,
    DeviceReport,
    RecordView,
    ReportingStore,
)

__all__ = ["SqliteReporting", "path_from_url"]
_MAX_GAPS_LISTED = 50


def path_from_url(url: str) -> str:
    """``sqlite:///path`` (or a bare path) → the file path."""
    return url[len("sqlite:///"):] if url.startswith("sqlite:///") else url


def _day_margin(start: datetime, end: datetime) -> tuple[str, str]:
    return (start - timedelta(days=1)).date().isoformat(), (end + timedelta(days=1)).date().isoformat()


def _json(text: str | None, default):
    return json.loads(text) if text else default


class SqliteReporting(ReportingStore):
    def __init__(self, path: str):
        self.path = path_from_url(path)

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=15)
        conn.row_factory = sqlite3.Row
        try:
            yield conn
        finally:
            conn.close()

    # -- row mapping ---------------------------------------------------------------------
    @staticmethod
    def _record(row: sqlite3.Row) -> StoredRecord:
        return StoredRecord(
            id=row["id"], site_id=row["site_id"], device_id=row["device_id"], author=row["author"],
            seq=row["seq"], type=row["type"], rep=row["rep"], phone_key=row["phone_key"],
            household_key=row["household_key"], supersedes=row["supersedes"], captured_at=row["captured_at"],
            estimated_at=row["estimated_at"], uncertainty_ms=row["uncertainty_ms"],
            clock_method=row["clock_method"], received_at=row["received_at"], digest=row["digest"],
            wire=json.loads(row["wire"]), name=row["name"], change_id=row["change_id"])

    @staticmethod
    def _customer(row: sqlite3.Row) -> CustomerRow:
        return CustomerRow(
            id=row["id"], site_id=row["site_id"], phone_key=row["phone_key"], name=row["name"],
            owner=row["owner"], status=row["status"], protected_until=row["protected_until"],
            first_registered_at=row["first_registered_at"], split=_json(row["split"], None),
            explanation=_json(row["explanation"], []), change_id=row["change_id"])

    @staticmethod
    def _conflict(row: sqlite3.Row) -> ConflictRow:
        return ConflictRow(
            id=row["id"], site_id=row["site_id"], customer_id=row["customer_id"], phone_key=row["phone_key"],
            status=row["status"], owner=row["owner"], flags=_json(row["flags"], []),
            claims=_json(row["claims"], []), explanation=_json(row["explanation"], []),
            opened_at=row["opened_at"], decision_id=row["decision_id"], change_id=row["change_id"])

    @staticmethod
    def _decision(row: sqlite3.Row) -> DecisionRow:
        return DecisionRow(
            id=row["id"], site_id=row["site_id"], conflict_id=row["conflict_id"], phone_key=row["phone_key"],
            owner=row["owner"], split=_json(row["split"], None), reason=row["reason"],
            decided_at=row["decided_at"], author=row["author"], covers=_json(row["covers"], []))

    @staticmethod
    def _confirmation(row: sqlite3.Row) -> ConfirmationRow:
        return ConfirmationRow(id=row["id"], site_id=row["site_id"], record_id=row["record_id"],
                               author=row["author"], confirmed_at=row["confirmed_at"], change_id=row["change_id"])

    def _views(self, conn: sqlite3.Connection, site_id: str, rows: list[StoredRecord]) -> list[RecordView]:
        """Decorate records with names, desk, customer, confirmation and version state."""
        people = self._people(conn, site_id)
        devices = {r["id"]: r["name"] for r in conn.execute("SELECT id, name FROM devices WHERE site_id = ?", (site_id,))}
        keys = sorted({r.phone_key for r in rows})
        customers: dict[str, str] = {}
        for chunk in iter_chunks(keys):
            q = f"SELECT phone_key, id FROM customers WHERE site_id = ? AND phone_key IN ({','.join('?' * len(chunk))})"
            customers.update({r[0]: r[1] for r in conn.execute(q, (site_id, *chunk))})
        ids = [r.id for r in rows]
        later: dict[str, str] = {}  # record id -> type of a record that supersedes it
        confirmed = self._confirmations(conn, site_id, ids)
        for chunk in iter_chunks(ids):
            q = f"SELECT supersedes, type FROM records WHERE site_id = ? AND supersedes IN ({','.join('?' * len(chunk))})"
            for sup, kind in conn.execute(q, (site_id, *chunk)):
                if later.get(sup) != "withdrawal":
                    later[sup] = kind
        return [RecordView(record=r, device_name=devices.get(r.device_id, r.device_id),
                           rep_name=people.get(r.rep or "", (r.rep or "", ""))[0],
                           author_name=people.get(r.author, (r.author, ""))[0],
                           customer_id=customers.get(r.phone_key), confirmation=confirmed.get(r.id),
                           withdrawn=later.get(r.id) == "withdrawal", superseded=r.id in later)
                for r in rows]

    # -- records -------------------------------------------------------------------------
    def _records_between(self, conn, site_id: str, types: Sequence[str], start: datetime, end: datetime) -> list[StoredRecord]:
        low, high = _day_margin(start, end)
        q = (f"SELECT * FROM records WHERE site_id = ? AND type IN ({','.join('?' * len(types))}) "
             "AND substr(estimated_at, 1, 10) BETWEEN ? AND ?")
        rows = [self._record(r) for r in conn.execute(q, (site_id, *types, low, high))]
        rows = [r for r in rows if start <= parse_time(r.estimated_at) < end]
        return sorted(rows, key=lambda r: (parse_time(r.estimated_at), r.id))

    def records(self, site_id, types, start, end):
        with self._conn() as conn:
            return self._views(conn, site_id, self._records_between(conn, site_id, types, start, end))

    def records_by_ids(self, site_id, ids):
        ids = sorted(set(ids))
        rows: list[StoredRecord] = []
        with self._conn() as conn:
            for chunk in iter_chunks(ids):
                q = f"SELECT * FROM records WHERE site_id = ? AND id IN ({','.join('?' * len(chunk))})"
                rows += [self._record(r) for r in conn.execute(q, (site_id, *chunk))]
            return self._views(conn, site_id, rows)

    def records_superseding(self, site_id, ids):
        ids = sorted(set(ids))
        rows: list[StoredRecord] = []
        with self._conn() as conn:
            for chunk in iter_chunks(ids):
                q = f"SELECT * FROM records WHERE site_id = ? AND supersedes IN ({','.join('?' * len(chunk))})"
                rows += [self._record(r) for r in conn.execute(q, (site_id, *chunk))]
            return self._views(conn, site_id, sorted(rows, key=lambda r: r.id))

    # -- conflicts and decisions ---------------------------------------------------------
    def conflicts(self, site_id, status):
        with self._conn() as conn:
            if status is None:
                rows = conn.execute("SELECT * FROM conflicts WHERE site_id = ?", (site_id,))
            else:
                rows = conn.execute("SELECT * FROM conflicts WHERE site_id = ? AND status = ?", (site_id, status))
            found = [self._conflict(r) for r in rows]
        return sorted(found, key=lambda c: (parse_time(c.opened_at), c.id), reverse=True)

    def conflict(self, site_id, conflict_id):
        with self._conn() as conn:
            row = conn.execute("SELECT * FROM conflicts WHERE site_id = ? AND id = ?", (site_id, conflict_id)).fetchone()
        return self._conflict(row) if row else None

    def decisions(self, site_id, start=None, end=None):
        with self._conn() as conn:
            rows = [self._decision(r) for r in conn.execute("SELECT * FROM decisions WHERE site_id = ?", (site_id,))]
        if start is not None and end is not None:
            rows = [d for d in rows if start <= parse_time(d.decided_at) < end]
        return sorted(rows, key=lambda d: (parse_time(d.decided_at), d.id))

    def decision(self, site_id, decision_id):
        with self._conn() as conn:
            row = conn.execute("SELECT * FROM decisions WHERE site_id = ? AND id = ?", (site_id, decision_id)).fetchone()
        return self._decision(row) if row else None

    # -- customers -----------------------------------------------------------------------
    def find_customers(self, site_id, query, limit=50):
        query = (query or "").strip()
        digits = re.sub(r"\D", "", query)
        with self._conn() as conn:
            if not query:
                rows = conn.execute("SELECT * FROM customers WHERE site_id = ? ORDER BY change_id DESC LIMIT ?",
                                    (site_id, limit))
            else:
                like = "%" + query.replace("%", "").replace("_", "") + "%"
                phone_like = "%" + digits + "%" if len(digits) >= 3 else "\x00"
                rows = conn.execute(
                    "SELECT * FROM customers WHERE site_id = ? AND (name LIKE ? OR phone_key LIKE ?) "
                    "ORDER BY name LIMIT ?", (site_id, like, phone_like, limit))
            return [self._customer(r) for r in rows]

    def customer(self, site_id, customer_id):
        with self._conn() as conn:
            row = conn.execute("SELECT * FROM customers WHERE site_id = ? AND id = ?", (site_id, customer_id)).fetchone()
        return self._customer(row) if row else None

    def customer_ids(self, site_id, phone_keys):
        keys = sorted(set(phone_keys))
        found: dict[str, str] = {}
        with self._conn() as conn:
            for chunk in iter_chunks(keys):
                q = f"SELECT phone_key, id FROM customers WHERE site_id = ? AND phone_key IN ({','.join('?' * len(chunk))})"
                found.update({r[0]: r[1] for r in conn.execute(q, (site_id, *chunk))})
        return found

    def _household(self, conn, site_id: str, phone_key: str) -> list[str]:
        """The phone keys linked to this one (household, R6), by walking customer_links."""
        seen, todo = {phone_key}, [phone_key]
        while todo:
            key = todo.pop()
            for a, b in conn.execute(
                    "SELECT phone_key, linked_key FROM customer_links WHERE site_id = ? AND (phone_key = ? OR linked_key = ?)",
                    (site_id, key, key)):
                for k in (a, b):
                    if k and k not in seen:
                        seen.add(k)
                        todo.append(k)
        return sorted(seen)

    def timeline(self, site_id, customer_id):
        with self._conn() as conn:
            row = conn.execute("SELECT * FROM customers WHERE site_id = ? AND id = ?", (site_id, customer_id)).fetchone()
            if row is None:
                return None
            customer = self._customer(row)
            keys = self._household(conn, site_id, customer.phone_key)
            marks = ",".join("?" * len(keys))
            records = [self._record(r) for r in conn.execute(
                f"SELECT * FROM records WHERE site_id = ? AND (phone_key IN ({marks}) OR household_key IN ({marks}))",
                (site_id, *keys, *keys))]
            records.sort(key=lambda r: (parse_time(r.estimated_at), r.id))
            decisions = [self._decision(r) for r in conn.execute(
                f"SELECT * FROM decisions WHERE site_id = ? AND phone_key IN ({marks})", (site_id, *keys))]
            conflicts = [self._conflict(r) for r in conn.execute(
                f"SELECT * FROM conflicts WHERE site_id = ? AND phone_key IN ({marks})", (site_id, *keys))]
            views = self._views(conn, site_id, records)
        decisions.sort(key=lambda d: parse_time(d.decided_at))
        conflicts.sort(key=lambda c: parse_time(c.opened_at))
        return CustomerTimeline(customer=customer, records=views, decisions=decisions, conflicts=conflicts)

    def protection_ending(self, site_id, start, end):
        low, high = _day_margin(start, end)
        with self._conn() as conn:
            rows = [self._customer(r) for r in conn.execute(
                "SELECT * FROM customers WHERE site_id = ? AND status IN ('protected', 'disputed') "
                "AND substr(protected_until, 1, 10) BETWEEN ? AND ?", (site_id, low, high))]
        rows = [c for c in rows if start <= parse_time(c.protected_until) < end]
        return sorted(rows, key=lambda c: parse_time(c.protected_until))

    # -- devices and people --------------------------------------------------------------
    @staticmethod
    def _people(conn, site_id: str) -> dict[str, tuple[str, str]]:
        return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT username, name, role FROM users WHERE site_id = ?", (site_id,))}

    def people(self, site_id):
        with self._conn() as conn:
            return self._people(conn, site_id)

    def devices(self, site_id):
        reports = []
        with self._conn() as conn:
            people = self._people(conn, site_id)
            for row in conn.execute("SELECT * FROM devices WHERE site_id = ? ORDER BY name, id", (site_id,)).fetchall():
                device = Device(id=row["id"], site_id=row["site_id"], username=row["username"], name=row["name"],
                                enrolled_at=row["enrolled_at"], revoked_at=row["revoked_at"],
                                last_offset_ms=row["last_offset_ms"], contiguous_seq=row["contiguous_seq"])
                highest, last_received = conn.execute(
                    "SELECT MAX(seq), MAX(received_at) FROM records WHERE device_id = ?", (device.id,)).fetchone()
                anchor_times = [r[0] for r in conn.execute("SELECT server_time FROM anchors WHERE device_id = ?", (device.id,))]
                times = [t for t in [last_received, *anchor_times] if t]
                last_sync = max(times, key=parse_time) if times else None
                highest = highest or 0
                # a refused seq arrived (its record waits on the tablet with the reason): no gap
                have = {r[0] for r in conn.execute(
                    "SELECT seq FROM records WHERE device_id = ? AND seq > ? UNION "
                    "SELECT seq FROM refused_seqs WHERE device_id = ? AND seq > ?",
                    (device.id, device.contiguous_seq, device.id, device.contiguous_seq))}
                highest = max([highest or 0, *have])
                missing = highest - device.contiguous_seq - len(have)
                gaps = [s for s in range(device.contiguous_seq + 1, highest) if s not in have][:_MAX_GAPS_LISTED] if missing else []
                name, role = people.get(device.username, (device.username, ""))
                reports.append(DeviceReport(device=device, user_name=name, role=role, last_sync=last_sync,
                                            highest_seq=highest, gaps=gaps, gap_count=max(0, missing)))
        return reports

    # -- confirmations -------------------------------------------------------------------
    def _confirmations(self, conn, site_id: str, record_ids: Iterable[str]) -> dict[str, ConfirmationRow]:
        ids = sorted(set(record_ids))
        found: dict[str, ConfirmationRow] = {}
        for chunk in iter_chunks(ids):
            q = (f"SELECT * FROM confirmations WHERE site_id = ? AND record_id IN ({','.join('?' * len(chunk))}) "
                 "ORDER BY confirmed_at DESC, id DESC")
            for row in conn.execute(q, (site_id, *chunk)):
                found[row["record_id"]] = self._confirmation(row)  # the last assignment is the first confirmation
        return found

    def confirmations(self, site_id, record_ids):
        with self._conn() as conn:
            return self._confirmations(conn, site_id, record_ids)
