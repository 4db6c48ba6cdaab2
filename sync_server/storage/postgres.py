"""The storage contract (``base.Store``) on PostgreSQL through psycopg 3, for many workers.

Concurrency design (several ``fieldsync-server serve --workers N`` processes, each with a
thread pool, share one database):

- **One writer at a time, database-wide.** ``write()`` opens a READ COMMITTED transaction and
  first takes ``pg_advisory_xact_lock(WRITE_LOCK)``; the lock is released by COMMIT/ROLLBACK.
  Change ids are allocated only while holding it, so ids are handed out in commit order: once a
  reader sees head ``H`` committed, every row with ``change_id <= H`` is committed too, and a
  pull can never skip a change that commits later with a smaller id. Every check a push makes
  against what is stored (duplicate / ``id_reused`` / ``seq_reused``, the ownership recompute)
  runs under the same lock, so the same record pushed to two workers at once is stored once
  and answered ``duplicate`` the second time (primary keys are the backstop).
  READ COMMITTED (not REPEATABLE READ) matters: each statement after the lock sees everything
  committed before the lock was granted; a REPEATABLE READ snapshot would date from the lock
  request and miss the previous writer's rows.
- **Change counter.** ``meta.head`` is read once per write transaction; further ids come from
  memory and the new head is written just before COMMIT (one round trip, not one per row).
  A rolled-back transaction leaves head untouched; ids only ever grow.
- **Reads.** A call outside ``write()``/``read()`` borrows a pooled autocommit connection for
  that one statement. ``read()`` pins one connection to the thread in a REPEATABLE READ, READ
  ONLY transaction so a pull sees head and rows from one snapshot.
- **Connections.** One ``psycopg_pool.ConnectionPool`` per process (``FIELDSYNC_PG_POOL_SIZE``,
  default 8); the connection of an open ``write()``/``read()`` is kept in a thread-local, so
  every Store call inside it runs in that transaction.
- **Migrations** run at start-up under their own advisory lock (``postgres_schema.py``), so
  workers starting together apply each migration once.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, fields, replace
from functools import partial

import psycopg
from psycopg.types.json import Json, Jsonb
from psycopg_pool import ConnectionPool

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
)
from .postgres_schema import migrate
from .postgres_sessions import PostgresConsoleSessions

__all__ = ["PostgresStore", "WRITE_LOCK"]

WRITE_LOCK = 0x66_73_77_72_74  # "fswrt": the key of pg_advisory_xact_lock every write() takes

_dumps = partial(json.dumps, ensure_ascii=False)
_RECORD_COLUMNS = [f.name for f in fields(StoredRecord)]
_CUSTOMER_COLUMNS = [f.name for f in fields(CustomerRow)]
_CONFLICT_COLUMNS = [f.name for f in fields(ConflictRow)]
_DECISION_COLUMNS = [f.name for f in fields(DecisionRow)]
_SITE_COLUMNS = "id, name, validity_days, household, region, utc_offset_minutes, close_call_ms"
_USER_COLUMNS = "username, site_id, name, role, password_hash, active, deactivated_at"
_DEVICE_COLUMNS = "id, site_id, username, name, enrolled_at, revoked_at, last_offset_ms, contiguous_seq"


def _json(value) -> Json:
    return Json(value, dumps=_dumps)


def _jsonb(value) -> Jsonb | None:
    return None if value is None else Jsonb(value, dumps=_dumps)


def _marks(n: int) -> str:
    return ",".join(["%s"] * n)


class _Tx(threading.local):
    conn: psycopg.Connection | None = None
    mode: str = ""  # "write" | "read"
    head: int | None = None  # change ids handed out in this write (None: head not read yet)


class PostgresStore(PostgresConsoleSessions, Store):
    """``url``: a libpq URI (``postgresql://user:pass@host:port/db``, ``postgres://…``)."""

    def __init__(self, url: str, *, pool_size: int | None = None):
        self.url = url
        with psycopg.connect(url, autocommit=True) as conn:  # fails at once on a bad URL
            migrate(conn)
        size = pool_size or 8  # Settings.db_pool_size (FIELDSYNC_DB_POOL_SIZE) reaches here via open_store
        self._pool = ConnectionPool(url, min_size=1, max_size=size, kwargs={"autocommit": True},
                                    check=ConnectionPool.check_connection, name="fieldsync", open=True)
        self._tx = _Tx()

    # -- connections and transactions -------------------------------------------------
    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """The connection of the thread's open ``write()``/``read()``, else a pooled one
        (autocommit) for the duration of the block. ``postgres_reporting`` reads through it."""
        if self._tx.conn is not None:
            yield self._tx.conn
            return
        with self._pool.connection() as conn:
            yield conn

    def _q(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self.connection() as conn:
            cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description is not None else []

    def _many(self, sql: str, rows: Sequence[Sequence]) -> None:
        if rows:
            with self.connection() as conn, conn.cursor() as cur:
                cur.executemany(sql, rows)

    @contextmanager
    def write(self) -> Iterator[None]:
        tx = self._tx
        if tx.conn is not None:
            if tx.mode != "write":
                raise RuntimeError("write() inside read(): a read snapshot cannot write")
            with tx.conn.transaction():  # nested: a savepoint inside the outer write
                yield
            return
        with self._pool.connection() as conn:
            tx.conn, tx.mode, tx.head = conn, "write", None
            try:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                    yield
                    if tx.head is not None:
                        conn.execute("UPDATE meta SET value = %s WHERE key = 'head'", (str(tx.head),))
            finally:
                tx.conn, tx.mode, tx.head = None, "", None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        tx = self._tx
        if tx.conn is None or tx.mode != "write":
            raise RuntimeError("savepoint() outside write()")
        # meta.head is written back only at COMMIT, from tx.head: ids handed out in a rolled-back
        # block stay used (a gap), which the contract allows
        with tx.conn.transaction():  # psycopg: a nested transaction is a SAVEPOINT
            yield

    @contextmanager
    def read(self) -> Iterator[None]:
        tx = self._tx
        if tx.conn is not None:
            yield
            return
        with self._pool.connection() as conn:
            tx.conn, tx.mode = conn, "read"
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    yield
            finally:
                tx.conn, tx.mode = None, ""

    def close(self) -> None:
        self._pool.close()

    def ping(self) -> bool:
        with self._pool.connection(timeout=5) as conn:
            return conn.execute("SELECT 1").fetchall() == [(1,)]

    def epoch(self) -> str:
        return self._q("SELECT value FROM meta WHERE key = 'epoch'")[0][0]

    def head(self) -> int:
        if self._tx.mode == "write" and self._tx.head is not None:
            return self._tx.head
        return int(self._q("SELECT value FROM meta WHERE key = 'head'")[0][0])

    def next_change_id(self) -> int:
        tx = self._tx
        if tx.mode != "write":
            raise RuntimeError("next_change_id() must be called inside store.write()")
        if tx.head is None:
            tx.head = int(tx.conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0])
        tx.head += 1
        return tx.head

    # -- sites and users -------------------------------------------------------------
    def add_site(self, site: Site) -> None:
        with self.write():
            if self.get_site(site.id):
                raise DuplicateKey(f"site {site.id} exists")
            self._q(f"INSERT INTO sites ({_SITE_COLUMNS}, change_id) VALUES ({_marks(8)})",
                    (*astuple(site), self.next_change_id()))

    def get_site(self, site_id: str) -> Site | None:
        rows = self._q(f"SELECT {_SITE_COLUMNS} FROM sites WHERE id = %s", (site_id,))
        return Site(*rows[0]) if rows else None

    def list_sites(self) -> list[Site]:
        return [Site(*r) for r in self._q(f"SELECT {_SITE_COLUMNS} FROM sites ORDER BY id")]

    def add_user(self, user: User) -> None:
        with self.write():
            if not self.get_site(user.site_id):
                raise UnknownSite(user.site_id)
            if self.get_user(user.username):
                raise DuplicateKey(f"user {user.username} exists")
            self._q(f"INSERT INTO users ({_USER_COLUMNS}, change_id) VALUES ({_marks(8)})",
                    (*astuple(user), self.next_change_id()))

    def get_user(self, username: str) -> User | None:
        rows = self._q(f"SELECT {_USER_COLUMNS} FROM users WHERE username = %s", (username,))
        return User(*rows[0]) if rows else None

    def list_users(self, site_id: str | None = None) -> list[User]:
        where, params = ("WHERE site_id = %s", (site_id,)) if site_id else ("", ())
        return [User(*r) for r in self._q(f"SELECT {_USER_COLUMNS} FROM users {where} ORDER BY site_id, username",
                                          params)]

    def update_user(self, username: str, *, active: bool | None = None, password_hash: str | None = None) -> None:
        with self.write():
            # the first deactivation's time stands until the user is reactivated
            self._q("UPDATE users SET active = coalesce(%s, active), password_hash = coalesce(%s, password_hash), "
                    "deactivated_at = CASE WHEN %s::boolean IS NULL THEN deactivated_at WHEN %s::boolean THEN NULL "
                    "ELSE coalesce(deactivated_at, %s) END, change_id = %s WHERE username = %s",
                    (active, password_hash, active, active, format_time(utc_now()), self.next_change_id(), username))

    # -- devices ---------------------------------------------------------------------
    def add_device(self, device: Device, token_hash: str) -> None:
        with self.write():
            self._q("INSERT INTO devices (id, site_id, username, name, token_hash, enrolled_at) "
                    "VALUES (%s,%s,%s,%s,%s,%s)",
                    (device.id, device.site_id, device.username, device.name, token_hash, device.enrolled_at))

    def device_by_token(self, token_hash: str) -> Device | None:
        rows = self._q(f"SELECT {_DEVICE_COLUMNS} FROM devices WHERE token_hash = %s", (token_hash,))
        return Device(*rows[0]) if rows else None

    def get_device(self, device_id: str) -> Device | None:
        rows = self._q(f"SELECT {_DEVICE_COLUMNS} FROM devices WHERE id = %s", (device_id,))
        return Device(*rows[0]) if rows else None

    def list_devices(self, site_id: str | None = None) -> list[Device]:
        where, params = ("WHERE site_id = %s", (site_id,)) if site_id else ("", ())
        return [Device(*r) for r in self._q(f"SELECT {_DEVICE_COLUMNS} FROM devices {where} ORDER BY enrolled_at, id",
                                            params)]

    def revoke_device(self, device_id: str, at: str) -> None:
        with self.write():
            self._q("UPDATE devices SET revoked_at = coalesce(revoked_at, %s) WHERE id = %s", (at, device_id))

    def anchors(self, device_id: str) -> list[Anchor]:
        return [Anchor(*r) for r in self._q("SELECT device_id, boot_id, elapsed_ms, server_time FROM anchors "
                                             "WHERE device_id = %s ORDER BY boot_id", (device_id,))]

    def save_push_clock(self, anchor: Anchor, offset_ms: int) -> None:
        with self.connection() as conn:
            conn.execute("INSERT INTO anchors VALUES (%s,%s,%s,%s) ON CONFLICT (device_id, boot_id) DO UPDATE "
                         "SET elapsed_ms = EXCLUDED.elapsed_ms, server_time = EXCLUDED.server_time", astuple(anchor))
            conn.execute("UPDATE devices SET last_offset_ms = %s WHERE id = %s", (offset_ms, anchor.device_id))

    def add_refused_seqs(self, refused: Sequence[RefusedSeq]) -> None:
        self._many("INSERT INTO refused_seqs VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                   [astuple(r) for r in refused])

    def advance_contiguous_seq(self, device_id: str) -> int:
        # the arrived seqs (stored or refused, UNION makes them unique) continuing the run are
        # exactly those with seq = current + their rank among the seqs above current
        (current,) = self._q(
            "UPDATE devices d SET contiguous_seq = coalesce((SELECT max(r.seq) FROM ("
            "  SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM ("
            "    SELECT seq FROM records WHERE device_id = d.id AND seq > d.contiguous_seq UNION"
            "    SELECT seq FROM refused_seqs WHERE device_id = d.id AND seq > d.contiguous_seq) arrived"
            "  ) r WHERE r.seq = d.contiguous_seq + r.n),"
            " d.contiguous_seq) WHERE d.id = %s RETURNING d.contiguous_seq", (device_id,))[0]
        return current

    # -- records ---------------------------------------------------------------------
    def digests_by_id(self, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        ids = list(ids)
        if not ids:
            return {}
        rows = self._q("SELECT id, site_id, digest FROM records WHERE id = ANY(%s::text[])", (ids,))
        return {rid: (site, digest) for rid, site, digest in rows}

    def ids_by_seq(self, device_id: str, seqs: Iterable[int]) -> dict[int, str]:
        seqs = list(seqs)
        if not seqs:
            return {}
        return dict(self._q("SELECT seq, id FROM records WHERE device_id = %s AND seq = ANY(%s::bigint[])",
                            (device_id, seqs)))

    def insert_records(self, records: Sequence[StoredRecord]) -> None:
        rows = [tuple(_json(r.wire) if c == "wire" else getattr(r, c) for c in _RECORD_COLUMNS) for r in records]
        self._many(f"INSERT INTO records ({','.join(_RECORD_COLUMNS)}) VALUES ({_marks(len(_RECORD_COLUMNS))})", rows)

    _RECORD = f"SELECT {','.join(_RECORD_COLUMNS)} FROM records"

    @staticmethod
    def _record(row: tuple) -> StoredRecord:
        return StoredRecord(*row)

    def records_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[StoredRecord]:
        keys = sorted(set(phone_keys))
        if not keys:
            return []
        return [StoredRecord(*r) for r in self._q(
            self._RECORD + " WHERE site_id = %s AND phone_key = ANY(%s::text[]) ORDER BY change_id", (site_id, keys))]

    def records_by_ids(self, ids: Iterable[str]) -> list[StoredRecord]:
        ids = list(ids)
        if not ids:
            return []
        return [StoredRecord(*r) for r in self._q(self._RECORD + " WHERE id = ANY(%s::text[]) ORDER BY change_id",
                                                  (ids,))]

    # -- customers, households, ownership --------------------------------------------
    def add_links(self, site_id: str, links: Iterable[tuple[str, str | None]]) -> None:
        self._many("INSERT INTO customer_links VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                   sorted((site_id, key, other or "") for key, other in set(links)))

    def linked_component(self, site_id: str, phone_keys: Iterable[str]) -> list[tuple[str, str | None]]:
        seen: set[str] = set()
        frontier = set(phone_keys)
        links: set[tuple[str, str | None]] = {(k, None) for k in frontier}
        while frontier:
            seen |= frontier
            found: set[str] = set()
            keys = sorted(frontier)
            for key, other in self._q("SELECT phone_key, linked_key FROM customer_links WHERE site_id = %s AND "
                                      "(phone_key = ANY(%s::text[]) OR linked_key = ANY(%s::text[]))",
                                      (site_id, keys, keys)):
                links.add((key, other or None))
                found.add(key)
                if other:
                    found.add(other)
            frontier = found - seen
        return sorted(links, key=lambda link: (link[0], link[1] or ""))

    _CUSTOMER = f"SELECT {','.join(_CUSTOMER_COLUMNS)} FROM customers"

    def ensure_customers(self, site_id: str, names: dict[str, str]) -> dict[str, CustomerRow]:
        self._many("INSERT INTO customers (id, site_id, phone_key, name, change_id) VALUES (%s,%s,%s,%s,0) "
                   "ON CONFLICT (site_id, phone_key) DO UPDATE SET name = EXCLUDED.name "
                   "WHERE EXCLUDED.name <> '' AND customers.name <> EXCLUDED.name",
                   [(str(uuid.uuid4()), site_id, key, name or "") for key, name in sorted(names.items())])
        return self.customers_by_keys(site_id, names)

    def customers_by_keys(self, site_id: str, phone_keys: Iterable[str]) -> dict[str, CustomerRow]:
        keys = sorted(set(phone_keys))
        if not keys:
            return {}
        rows = self._q(self._CUSTOMER + " WHERE site_id = %s AND phone_key = ANY(%s::text[])", (site_id, keys))
        return {row[2]: _customer(row) for row in rows}

    def get_customer(self, site_id: str, customer_id: str) -> CustomerRow | None:
        rows = self._q(self._CUSTOMER + " WHERE site_id = %s AND id = %s", (site_id, customer_id))
        return _customer(rows[0]) if rows else None

    def save_customers(self, rows: Sequence[CustomerRow]) -> None:
        self._many(
            "UPDATE customers SET name = %s, owner = %s, status = %s, protected_until = %s, first_registered_at = %s, "
            "split = %s, explanation = %s, change_id = %s WHERE id = %s",
            [(row.name, row.owner, row.status, row.protected_until, row.first_registered_at,
              _jsonb(row.split or None), _jsonb(row.explanation), row.change_id, row.id) for row in rows])

    # -- conflicts and decisions -----------------------------------------------------
    _CONFLICT = f"SELECT {','.join(_CONFLICT_COLUMNS)} FROM conflicts"

    def conflicts_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[ConflictRow]:
        keys = sorted(set(phone_keys))
        if not keys:
            return []
        return [ConflictRow(*r) for r in self._q(
            self._CONFLICT + " WHERE site_id = %s AND phone_key = ANY(%s::text[]) ORDER BY opened_at, id",
            (site_id, keys))]

    def get_conflict(self, site_id: str, conflict_id: str) -> ConflictRow | None:
        rows = self._q(self._CONFLICT + " WHERE site_id = %s AND id = %s", (site_id, conflict_id))
        return ConflictRow(*rows[0]) if rows else None

    def list_conflicts(self, site_id: str, status: str | None) -> list[ConflictRow]:
        where, params = ("AND status = %s", (site_id, status)) if status else ("", (site_id,))
        return [ConflictRow(*r) for r in self._q(
            self._CONFLICT + f" WHERE site_id = %s {where} ORDER BY opened_at, id", params)]

    def save_conflict(self, row: ConflictRow) -> None:
        values = [_jsonb(v) if isinstance(v, list) else v for v in astuple(row)]
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _CONFLICT_COLUMNS if c != "id")
        self._q(f"INSERT INTO conflicts ({','.join(_CONFLICT_COLUMNS)}) VALUES ({_marks(len(values))}) "
                f"ON CONFLICT (id) DO UPDATE SET {updates}", values)

    def add_decision(self, row: DecisionRow) -> None:
        values = [_jsonb(v) if isinstance(v, list | dict) else v for v in astuple(row)]
        self._q(f"INSERT INTO decisions ({','.join(_DECISION_COLUMNS)}) VALUES ({_marks(len(values))})", values)

    def decisions_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[DecisionRow]:
        keys = sorted(set(phone_keys))
        if not keys:
            return []
        return [DecisionRow(*r) for r in self._q(
            f"SELECT {','.join(_DECISION_COLUMNS)} FROM decisions WHERE site_id = %s AND phone_key = ANY(%s::text[]) "
            "ORDER BY decided_at, id", (site_id, keys))]

    # -- pull ------------------------------------------------------------------------
    def changes_after(self, site_id: str, after: int, upto: int, limit: int, *,
                      record_scope: tuple[str, str] | None, conflicts: bool) -> list[Change]:
        window = "change_id > %s AND change_id <= %s ORDER BY change_id LIMIT %s"
        bounds = (after, upto, limit)
        changes: list[Change] = []
        with self.read():  # one snapshot for the five tables
            for row in self._q(f"SELECT {_SITE_COLUMNS}, change_id FROM sites WHERE id = %s AND {window}",
                               (site_id, *bounds)):
                changes.append(Change(row[-1], "site", Site(*row[:-1])))
            for row in self._q(f"SELECT {_USER_COLUMNS}, change_id FROM users WHERE site_id = %s AND {window}",
                               (site_id, *bounds)):
                changes.append(Change(row[-1], "user", User(*row[:-1])))
            scope_sql, scope_params = "", ()
            if record_scope and record_scope[0] == "user":
                scope_sql, scope_params = "AND (author = %s OR rep = %s)", (record_scope[1], record_scope[1])
            elif record_scope:
                scope_sql, scope_params = "AND device_id = %s", (record_scope[1],)
            for row in self._q(self._RECORD + f" WHERE site_id = %s {scope_sql} AND {window}",
                               (site_id, *scope_params, *bounds)):
                record = StoredRecord(*row)
                changes.append(Change(record.change_id, "record", record))
            for row in self._q(self._CUSTOMER + f" WHERE site_id = %s AND {window}", (site_id, *bounds)):
                customer = _customer(row)
                changes.append(Change(customer.change_id, "ownership", customer))
            if conflicts:
                for row in self._q(self._CONFLICT + f" WHERE site_id = %s AND {window}", (site_id, *bounds)):
                    conflict = ConflictRow(*row)
                    changes.append(Change(conflict.change_id, "conflict", conflict))
        changes.sort(key=lambda c: c.change_id)
        return changes[:limit]

    # -- confirmations (R4) ------------------------------------------------------------
    _CONFIRMATION = "SELECT c.id, c.site_id, c.record_id, c.author, c.confirmed_at, c.change_id FROM confirmations c"

    def add_confirmations(self, rows: Sequence[ConfirmationRow]) -> list[ConfirmationRow]:
        first: dict[tuple[str, str], ConfirmationRow] = {}
        for row in rows:
            first.setdefault((row.site_id, row.record_id), row)
        if not first:
            return []
        have = set(self._q("SELECT site_id, record_id FROM confirmations WHERE record_id = ANY(%s::text[])",
                           ([record_id for _, record_id in first],)))
        new = [r for key, r in first.items() if key not in have]
        new = [replace(r, change_id=self.next_change_id()) for r in new]
        self._many("INSERT INTO confirmations (id, site_id, record_id, author, confirmed_at, change_id) "
                   "VALUES (%s,%s,%s,%s,%s,%s)", [astuple(r) for r in new])
        return new

    def confirmations_after(self, site_id: str, after: int, upto: int, limit: int, *,
                            record_scope: tuple[str, str] | None) -> list[Change]:
        scope_sql, scope_params = "", ()
        if record_scope and record_scope[0] == "user":  # the records rule of changes_after
            scope_sql, scope_params = "AND (r.author = %s OR r.rep = %s)", (record_scope[1], record_scope[1])
        elif record_scope:
            scope_sql, scope_params = "AND r.device_id = %s", (record_scope[1],)
        rows = self._q(self._CONFIRMATION + f" JOIN records r ON r.id = c.record_id AND r.site_id = c.site_id "
                       f"WHERE c.site_id = %s {scope_sql} AND c.change_id > %s AND c.change_id <= %s "
                       f"ORDER BY c.change_id LIMIT %s", (site_id, *scope_params, after, upto, limit))
        return [Change(row[5], "confirmation", ConfirmationRow(*row)) for row in rows]


def _customer(row: tuple) -> CustomerRow:
    values = dict(zip(_CUSTOMER_COLUMNS, row, strict=True))
    values["split"] = values["split"] or None
    return CustomerRow(**values)
