"""The storage contract (``base.Store``) on one SQLite file through sqlite-utils.

- WAL, so pulls and lookups read while a push writes;
- ``synchronous=FULL``: a push answered ``accepted`` is on disk even after a power cut. The
  tablet forgets nothing it has not been told is stored, but it stops retrying what was
  acknowledged, so NORMAL's "may lose the last commits" would lose records (principle 4);
- ``busy_timeout``: other processes (the CLI while the server runs) wait instead of failing;
- one connection per thread (FastAPI runs sync routes in a thread pool); writers also take a
  process-wide lock before ``BEGIN IMMEDIATE`` so threads queue instead of spinning on SQLite;
- JSON columns are read and written with ``orjson`` when it is installed (the ``server``
  extra), else with ``json``. Both read what either wrote; what a tablet sent (``wire``)
  is always written by ``json``, which keeps a NaN as ``NaN`` where ``orjson`` writes null.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import astuple, fields, replace

import sqlite_utils

from shared.timeutil import format_time, utc_now

from .base import (
    Anchor,
    Change,
    ConfirmationRow,
    ConflictRow,
    CustomerRow,
    DecisionRow,
    Device,
    DuplicateKey,
    RefusedSeq,
    Site,
    Store,
    StoredRecord,
    UnknownSite,
    User,
    iter_chunks,
)
from .sqlite_schema import migrate
from .sqlite_sessions import SQLiteConsoleSessions

try:
    import orjson
except ImportError:  # pragma: no cover - the server extra installs it
    orjson = None

__all__ = ["SQLiteStore"]

_RECORD_COLUMNS = [f.name for f in fields(StoredRecord)]
_WIRE = _RECORD_COLUMNS.index("wire")
_CUSTOMER_COLUMNS = [f.name for f in fields(CustomerRow)]
_CONFLICT_COLUMNS = [f.name for f in fields(ConflictRow)]
_DECISION_COLUMNS = [f.name for f in fields(DecisionRow)]
_DEVICE_COLUMNS = "id, site_id, username, name, enrolled_at, revoked_at, last_offset_ms, contiguous_seq"


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _loads(text: str):
    # orjson reads an integer beyond 64 bits as a float; none is stored: wire integers are
    # bounded by validation (seq goes into an INTEGER column), the server's own are small.
    if orjson is not None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # NaN/Infinity, which json writes and orjson refuses
    return json.loads(text)


def _dumps(value) -> str:
    """JSON text of a value the server made (ownership, explanations, conflicts, decisions)."""
    if orjson is not None:
        try:
            return orjson.dumps(value).decode()
        except TypeError:
            pass  # an integer beyond 64 bits
    return json.dumps(value, ensure_ascii=False)


class SQLiteStore(SQLiteConsoleSessions, Store):
    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.RLock()
        migrate(sqlite_utils.Database(self._conn()))

    # -- connections and transactions -------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        return sqlite_utils.Database(self._conn())

    def _q(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self._conn().execute(sql, params).fetchall()

    @contextmanager
    def write(self) -> Iterator[None]:
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        conn = self._conn()
        if not conn.in_transaction:
            raise RuntimeError("savepoint() outside write()")
        conn.execute("SAVEPOINT fieldsync_part")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO fieldsync_part")
            conn.execute("RELEASE fieldsync_part")
            raise
        conn.execute("RELEASE fieldsync_part")

    @contextmanager
    def read(self) -> Iterator[None]:
        conn = self._conn()
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def ping(self) -> bool:
        return self._q("SELECT 1") == [(1,)]

    def epoch(self) -> str:
        return self._q("SELECT value FROM meta WHERE key = 'epoch'")[0][0]

    def head(self) -> int:
        return int(self._q("SELECT value FROM meta WHERE key = 'head'")[0][0])

    def next_change_id(self) -> int:
        row = self._q("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'head' RETURNING value")
        return int(row[0][0])

    def next_change_ids(self, count: int) -> list[int]:
        if count <= 0:
            return []
        row = self._q("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'head' RETURNING value", (count,))
        last = int(row[0][0])
        return list(range(last - count + 1, last + 1))

    # -- sites and users -------------------------------------------------------------
    def add_site(self, site: Site) -> None:
        with self.write():
            if self.get_site(site.id):
                raise DuplicateKey(f"site {site.id} exists")
            self._conn().execute("INSERT INTO sites VALUES (?,?,?,?,?,?,?,?)", (*astuple(site), self.next_change_id()))

    def get_site(self, site_id: str) -> Site | None:
        rows = self._q("SELECT id, name, validity_days, household, region, utc_offset_minutes, close_call_ms "
                       "FROM sites WHERE id = ?", (site_id,))
        return Site(*rows[0]) if rows else None

    def list_sites(self) -> list[Site]:
        return [Site(*r) for r in self._q("SELECT id, name, validity_days, household, region, utc_offset_minutes, "
                                           "close_call_ms FROM sites ORDER BY id")]

    def add_user(self, user: User) -> None:
        with self.write():
            if not self.get_site(user.site_id):
                raise UnknownSite(user.site_id)
            if self.get_user(user.username):
                raise DuplicateKey(f"user {user.username} exists")
            self._conn().execute(
                "INSERT INTO users (username, site_id, name, role, password_hash, active, deactivated_at, change_id)"
                " VALUES (?,?,?,?,?,?,?,?)", (*astuple(user), self.next_change_id()))

    _USER = "SELECT username, site_id, name, role, password_hash, active, deactivated_at FROM users"

    @staticmethod
    def _user(row) -> User:
        return User(*row[:5], active=bool(row[5]), deactivated_at=row[6])

    def get_user(self, username: str) -> User | None:
        rows = self._q(self._USER + " WHERE username = ?", (username,))
        return self._user(rows[0]) if rows else None

    def list_users(self, site_id: str | None = None) -> list[User]:
        sql, params = (self._USER + " WHERE site_id = ?", (site_id,)) if site_id else (self._USER, ())
        return [self._user(r) for r in self._q(sql + " ORDER BY site_id, username", params)]

    def update_user(self, username: str, *, active: bool | None = None, password_hash: str | None = None) -> None:
        with self.write():
            if active is not None:
                # the first deactivation's time stands until the user is reactivated
                self._conn().execute("UPDATE users SET active = ?, deactivated_at = CASE WHEN ? THEN NULL"
                                     " ELSE coalesce(deactivated_at, ?) END WHERE username = ?",
                                     (int(active), int(active), format_time(utc_now()), username))
            if password_hash is not None:
                self._conn().execute("UPDATE users SET password_hash = ? WHERE username = ?", (password_hash, username))
            self._conn().execute("UPDATE users SET change_id = ? WHERE username = ?", (self.next_change_id(), username))

    # -- devices ---------------------------------------------------------------------
    def add_device(self, device: Device, token_hash: str) -> None:
        with self.write():
            self._conn().execute(
                "INSERT INTO devices (id, site_id, username, name, token_hash, enrolled_at) VALUES (?,?,?,?,?,?)",
                (device.id, device.site_id, device.username, device.name, token_hash, device.enrolled_at))

    def device_by_token(self, token_hash: str) -> Device | None:
        rows = self._q(f"SELECT {_DEVICE_COLUMNS} FROM devices WHERE token_hash = ?", (token_hash,))
        return Device(*rows[0]) if rows else None

    def get_device(self, device_id: str) -> Device | None:
        rows = self._q(f"SELECT {_DEVICE_COLUMNS} FROM devices WHERE id = ?", (device_id,))
        return Device(*rows[0]) if rows else None

    def list_devices(self, site_id: str | None = None) -> list[Device]:
        where, params = ("WHERE site_id = ?", (site_id,)) if site_id else ("", ())
        return [Device(*r) for r in self._q(f"SELECT {_DEVICE_COLUMNS} FROM devices {where} ORDER BY enrolled_at", params)]

    def revoke_device(self, device_id: str, at: str) -> None:
        with self.write():
            self._conn().execute("UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", (at, device_id))

    def anchors(self, device_id: str) -> list[Anchor]:
        return [Anchor(*r) for r in self._q("SELECT device_id, boot_id, elapsed_ms, server_time FROM anchors "
                                             "WHERE device_id = ?", (device_id,))]

    def save_push_clock(self, anchor: Anchor, offset_ms: int) -> None:
        conn = self._conn()
        conn.execute("INSERT OR REPLACE INTO anchors VALUES (?,?,?,?)", astuple(anchor))
        conn.execute("UPDATE devices SET last_offset_ms = ? WHERE id = ?", (offset_ms, anchor.device_id))

    def add_refused_seqs(self, refused: Sequence[RefusedSeq]) -> None:
        self._conn().executemany("INSERT OR IGNORE INTO refused_seqs VALUES (?,?,?,?,?,?)",
                                 [astuple(r) for r in refused])

    def advance_contiguous_seq(self, device_id: str) -> int:
        conn = self._conn()
        (current,) = conn.execute("SELECT contiguous_seq FROM devices WHERE id = ?", (device_id,)).fetchone()
        for (seq,) in conn.execute("SELECT seq FROM records WHERE device_id = ? AND seq > ? UNION "
                                   "SELECT seq FROM refused_seqs WHERE device_id = ? AND seq > ? ORDER BY seq",
                                   (device_id, current, device_id, current)):
            if seq != current + 1:
                break
            current = seq
        conn.execute("UPDATE devices SET contiguous_seq = ? WHERE id = ?", (current, device_id))
        return current

    # -- records ---------------------------------------------------------------------
    def digests_by_id(self, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for chunk in iter_chunks(list(ids)):
            for rid, site, digest in self._q(f"SELECT id, site_id, digest FROM records WHERE id IN ({_marks(len(chunk))})", chunk):
                found[rid] = (site, digest)
        return found

    def ids_by_seq(self, device_id: str, seqs: Iterable[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in iter_chunks(list(seqs)):
            rows = self._q(f"SELECT seq, id FROM records WHERE device_id = ? AND seq IN ({_marks(len(chunk))})",
                           [device_id, *chunk])
            found.update(dict(rows))
        return found

    def insert_records(self, records: Sequence[StoredRecord]) -> None:
        columns = _RECORD_COLUMNS
        rows = [tuple(json.dumps(r.wire, ensure_ascii=False) if c == "wire" else getattr(r, c) for c in columns)
                for r in records]
        self._conn().executemany(f"INSERT INTO records ({','.join(columns)}) VALUES ({_marks(len(columns))})", rows)

    _RECORD = f"SELECT {','.join(_RECORD_COLUMNS)} FROM records"

    @staticmethod
    def _record(row: tuple) -> StoredRecord:
        # the SELECT lists the fields in declaration order: positional, not dict(zip()) + **kwargs
        return StoredRecord(*row[:_WIRE], _loads(row[_WIRE]), *row[_WIRE + 1:])

    def records_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[StoredRecord]:
        result = []
        for chunk in iter_chunks(sorted(set(phone_keys))):
            result += [self._record(r) for r in self._q(
                self._RECORD + f" WHERE site_id = ? AND phone_key IN ({_marks(len(chunk))})", [site_id, *chunk])]
        return result

    def records_for_keys_reusing(self, site_id: str, phone_keys: Iterable[str],
                                 known: Mapping[str, StoredRecord]) -> list[StoredRecord]:
        result = []
        for chunk in iter_chunks(sorted(set(phone_keys))):
            result += [known.get(r[0]) or self._record(r) for r in self._q(
                self._RECORD + f" WHERE site_id = ? AND phone_key IN ({_marks(len(chunk))})", [site_id, *chunk])]
        return result

    def records_by_ids(self, ids: Iterable[str]) -> list[StoredRecord]:
        result = []
        for chunk in iter_chunks(list(ids)):
            result += [self._record(r) for r in self._q(self._RECORD + f" WHERE id IN ({_marks(len(chunk))})", chunk)]
        return result

    # -- customers, households, ownership --------------------------------------------
    def add_links(self, site_id: str, links: Iterable[tuple[str, str | None]]) -> None:
        self._conn().executemany("INSERT OR IGNORE INTO customer_links VALUES (?,?,?)",
                                 [(site_id, key, other or "") for key, other in set(links)])

    def linked_component(self, site_id: str, phone_keys: Iterable[str]) -> list[tuple[str, str | None]]:
        seen: set[str] = set()
        frontier = set(phone_keys)
        links: set[tuple[str, str | None]] = {(k, None) for k in frontier}
        while frontier:
            seen |= frontier
            found: set[str] = set()
            for chunk in iter_chunks(sorted(frontier)):
                m = _marks(len(chunk))
                # two index searches: for ``phone_key IN … OR linked_key IN …``, and even for the
                # second half of the UNION without INDEXED BY, SQLite scans every link of the
                # site (34 ms for 500 keys among 100,000 links; 1.7 ms this way)
                for key, other in self._q(
                        f"SELECT phone_key, linked_key FROM customer_links WHERE site_id = ? AND phone_key IN ({m}) "
                        f"UNION SELECT phone_key, linked_key FROM customer_links INDEXED BY customer_links_linked "
                        f"WHERE site_id = ? AND linked_key IN ({m})", [site_id, *chunk, site_id, *chunk]):
                    links.add((key, other or None))
                    found.add(key)
                    if other:
                        found.add(other)
            frontier = found - seen
        return sorted(links, key=lambda link: (link[0], link[1] or ""))

    _CUSTOMER = f"SELECT {','.join(_CUSTOMER_COLUMNS)} FROM customers"

    @staticmethod
    def _customer(row: tuple) -> CustomerRow:
        values = dict(zip(_CUSTOMER_COLUMNS, row, strict=True))
        values["split"] = _loads(values["split"]) if values["split"] else None
        values["explanation"] = _loads(values["explanation"])
        return CustomerRow(**values)

    def ensure_customers(self, site_id: str, names: dict[str, str]) -> dict[str, CustomerRow]:
        conn = self._conn()
        result = self.customers_by_keys(site_id, names)
        new, renamed = [], []
        for key, name in names.items():
            if key not in result:
                result[key] = CustomerRow(id=str(uuid.uuid4()), site_id=site_id, phone_key=key, name=name)
                new.append(result[key])
            elif name and name != result[key].name:
                result[key] = replace(result[key], name=name)
                renamed.append(result[key])
        conn.executemany("INSERT INTO customers (id, site_id, phone_key, name, change_id) VALUES (?,?,?,?,0)",
                         [(c.id, site_id, c.phone_key, c.name) for c in new])
        conn.executemany("UPDATE customers SET name = ? WHERE site_id = ? AND phone_key = ?",
                         [(c.name, site_id, c.phone_key) for c in renamed])
        return result  # as stored now: what reading them back would give

    def customers_by_keys(self, site_id: str, phone_keys: Iterable[str]) -> dict[str, CustomerRow]:
        found = {}
        for chunk in iter_chunks(sorted(set(phone_keys))):
            for row in self._q(self._CUSTOMER + f" WHERE site_id = ? AND phone_key IN ({_marks(len(chunk))})",
                               [site_id, *chunk]):
                customer = self._customer(row)
                found[customer.phone_key] = customer
        return found

    def get_customer(self, site_id: str, customer_id: str) -> CustomerRow | None:
        rows = self._q(self._CUSTOMER + " WHERE site_id = ? AND id = ?", (site_id, customer_id))
        return self._customer(rows[0]) if rows else None

    def save_customers(self, rows: Sequence[CustomerRow]) -> None:
        self._conn().executemany(
            "UPDATE customers SET name = ?, owner = ?, status = ?, protected_until = ?, first_registered_at = ?, "
            "split = ?, explanation = ?, change_id = ? WHERE id = ?",
            [(row.name, row.owner, row.status, row.protected_until, row.first_registered_at,
              _dumps(row.split) if row.split else None,
              _dumps(row.explanation), row.change_id, row.id) for row in rows])

    # -- conflicts and decisions -----------------------------------------------------
    _CONFLICT = f"SELECT {','.join(_CONFLICT_COLUMNS)} FROM conflicts"

    @staticmethod
    def _conflict(row: tuple) -> ConflictRow:
        values = dict(zip(_CONFLICT_COLUMNS, row, strict=True))
        for key in ("flags", "claims", "explanation"):
            values[key] = _loads(values[key])
        return ConflictRow(**values)

    def conflicts_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[ConflictRow]:
        result = []
        for chunk in iter_chunks(sorted(set(phone_keys))):
            result += [self._conflict(r) for r in self._q(
                self._CONFLICT + f" WHERE site_id = ? AND phone_key IN ({_marks(len(chunk))})", [site_id, *chunk])]
        return result

    def get_conflict(self, site_id: str, conflict_id: str) -> ConflictRow | None:
        rows = self._q(self._CONFLICT + " WHERE site_id = ? AND id = ?", (site_id, conflict_id))
        return self._conflict(rows[0]) if rows else None

    def list_conflicts(self, site_id: str, status: str | None) -> list[ConflictRow]:
        where, params = ("AND status = ?", (site_id, status)) if status else ("", (site_id,))
        return [self._conflict(r) for r in self._q(
            self._CONFLICT + f" WHERE site_id = ? {where} ORDER BY opened_at, id", params)]

    def save_conflict(self, row: ConflictRow) -> None:
        self.save_conflicts([row])

    def save_conflicts(self, rows: Sequence[ConflictRow]) -> None:
        # not ``astuple``: it deep-copies every claim and step only to serialise them
        self._conn().executemany(
            f"INSERT OR REPLACE INTO conflicts ({','.join(_CONFLICT_COLUMNS)}) VALUES ({_marks(len(_CONFLICT_COLUMNS))})",
            [[_dumps(v) if isinstance(v, list) else v for v in (getattr(row, c) for c in _CONFLICT_COLUMNS)]
             for row in rows])

    def add_decision(self, row: DecisionRow) -> None:
        values = [json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for v in astuple(row)]
        self._conn().execute(f"INSERT INTO decisions ({','.join(_DECISION_COLUMNS)}) VALUES ({_marks(len(values))})",
                             values)

    def decisions_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[DecisionRow]:
        result = []
        for chunk in iter_chunks(sorted(set(phone_keys))):
            for r in self._q(f"SELECT {','.join(_DECISION_COLUMNS)} FROM decisions WHERE site_id = ? AND "
                             f"phone_key IN ({_marks(len(chunk))})", [site_id, *chunk]):
                values = dict(zip(_DECISION_COLUMNS, r, strict=True))
                values["split"] = _loads(values["split"]) if values["split"] else None
                values["covers"] = _loads(values["covers"])
                result.append(DecisionRow(**values))
        return result

    # -- pull ------------------------------------------------------------------------
    def changes_after(self, site_id: str, after: int, upto: int, limit: int, *,
                      record_scope: tuple[str, str] | None, conflicts: bool) -> list[Change]:
        window = "change_id > ? AND change_id <= ? ORDER BY change_id LIMIT ?"
        bounds = (after, upto, limit)
        changes: list[Change] = []
        for row in self._q(f"SELECT id, name, validity_days, household, region, utc_offset_minutes, close_call_ms, "
                           f"change_id FROM sites WHERE id = ? AND {window}", (site_id, *bounds)):
            changes.append(Change(row[-1], "site", Site(*row[:-1])))
        for row in self._q(f"SELECT username, site_id, name, role, password_hash, active, deactivated_at, change_id "
                           f"FROM users WHERE site_id = ? AND {window}", (site_id, *bounds)):
            changes.append(Change(row[-1], "user", self._user(row)))
        scope_sql, scope_params = "", ()
        if record_scope and record_scope[0] == "user":
            scope_sql, scope_params = "AND (author = ? OR rep = ?)", (record_scope[1], record_scope[1])
        elif record_scope:
            scope_sql, scope_params = "AND device_id = ?", (record_scope[1],)
        for row in self._q(self._RECORD + f" WHERE site_id = ? {scope_sql} AND {window}",
                           (site_id, *scope_params, *bounds)):
            record = self._record(row)
            changes.append(Change(record.change_id, "record", record))
        for row in self._q(self._CUSTOMER + f" WHERE site_id = ? AND {window}", (site_id, *bounds)):
            customer = self._customer(row)
            changes.append(Change(customer.change_id, "ownership", customer))
        if conflicts:
            for row in self._q(self._CONFLICT + f" WHERE site_id = ? AND {window}", (site_id, *bounds)):
                conflict = self._conflict(row)
                changes.append(Change(conflict.change_id, "conflict", conflict))
        changes.sort(key=lambda c: c.change_id)
        return changes[:limit]

    # -- confirmations (R4) ------------------------------------------------------------
    _CONFIRMATION = "SELECT c.id, c.site_id, c.record_id, c.author, c.confirmed_at, c.change_id FROM confirmations c"

    def add_confirmations(self, rows: Sequence[ConfirmationRow]) -> list[ConfirmationRow]:
        first: dict[tuple[str, str], ConfirmationRow] = {}
        for row in rows:
            first.setdefault((row.site_id, row.record_id), row)
        fresh = list(first.values())
        have: set[tuple[str, str]] = set()
        for chunk in iter_chunks([r.record_id for r in fresh]):
            have.update(self._q(f"SELECT site_id, record_id FROM confirmations WHERE record_id IN "
                                f"({_marks(len(chunk))})", chunk))
        new = [r for r in fresh if (r.site_id, r.record_id) not in have]
        new = [replace(r, change_id=i) for r, i in zip(new, self.next_change_ids(len(new)), strict=True)]
        self._conn().executemany("INSERT INTO confirmations (id, site_id, record_id, author, confirmed_at, change_id) "
                                 "VALUES (?,?,?,?,?,?)", [astuple(r) for r in new])
        return new

    def confirmations_after(self, site_id: str, after: int, upto: int, limit: int, *,
                            record_scope: tuple[str, str] | None) -> list[Change]:
        scope_sql, scope_params = "", ()
        if record_scope and record_scope[0] == "user":  # the records rule of changes_after
            scope_sql, scope_params = "AND (r.author = ? OR r.rep = ?)", (record_scope[1], record_scope[1])
        elif record_scope:
            scope_sql, scope_params = "AND r.device_id = ?", (record_scope[1],)
        rows = self._q(self._CONFIRMATION + f" JOIN records r ON r.id = c.record_id AND r.site_id = c.site_id "
                       f"WHERE c.site_id = ? {scope_sql} AND c.change_id > ? AND c.change_id <= ? "
                       f"ORDER BY c.change_id LIMIT ?", (site_id, *scope_params, after, upto, limit))
        return [Change(row[5], "confirmation", ConfirmationRow(*row)) for row in rows]
