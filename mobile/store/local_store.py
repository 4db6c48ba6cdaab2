"""The tablet's SQLite store (WAL, synchronous=FULL: a saved registration survives a power cut).

Three parts:

- **outbox**: the device's own records in ``seq`` order with their state (pending → accepted |
  rejected, with the server's reason) and ``superseded_by`` once corrected or withdrawn;
- **replica**: what the server sent in pull changes (site, users, customers' ownership indexed
  by phone hash, records, managers' confirmations of registrations);
- **clock anchors**: server time paired with the device's boot clock at each contact.

One connection shared by the UI-side services and the sync worker, serialised by a lock;
every multi-step write is one transaction. Screens never call this: services do.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from shared.errors import InvalidPhone
from shared.phones import mask_phone, normalise_phone
from shared.records import validate_record
from shared.timeutil import utc_now

from .migrations import migrate
from .name_index import key_after, recency_key
from .name_table import NAME_COLUMNS, index_names, unindex_names
from .outbox_entry import OutboxEntry
from .phone_keys import replica_key, tablet_tag, tag_own_records
from .refusals import RecordRefused, ReplicaUserChanged, StoreError, mark_superseded
from .replica import apply_page, clear_replica, clear_user_replica
from .replica import dumps as _dumps
from .send_queue import SendQueue
from .snapshot import Progress, load_snapshot

__all__ = ["LocalStore", "OutboxEntry", "StoreError", "RecordRefused"]


# Own records with the confirmation the server sent for them, if any, and the confirming
# manager's display name from the replica's users.
_OUTBOX_SELECT = ("select o.*, c.confirmed_by, c.confirmed_at, u.name as confirmed_by_name,"
                  " case when o.error_code = 'owner_dismissed' then json_extract(r.wire, '$.owner_dismissed.by_name')"
                  " end as dismissed_by_name,"
                  " case when o.error_code = 'owner_dismissed' then json_extract(r.wire, '$.owner_dismissed.at')"
                  " end as dismissed_at from outbox o"
                  " left join confirmations c on c.record_id = o.id"
                  " left join users u on u.username = c.confirmed_by"
                  " left join records r on r.id = o.id and o.error_code = 'owner_dismissed'")  # who refused, when (N3)


class LocalStore(SendQueue):
    """The local store. ``path=None`` keeps it in memory (tests)."""

    def __init__(self, path: str | Path | None = None):
        if path is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
            conn.execute("pragma journal_mode=wal")
        conn.execute("pragma synchronous=full")
        conn.execute("pragma foreign_keys=on")
        self.path = path
        self.db = Database(conn)
        self._lock = threading.RLock()
        with self._lock:
            migrate(self.db)

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self.db.conn
            conn.execute("begin immediate")
            try:
                yield conn
            except BaseException:
                conn.execute("rollback")
                raise
            conn.execute("commit")

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        return list(self._scan(sql, params))

    def _scan(self, sql: str, params: Iterable = ()) -> Iterator[dict]:
        """The rows of ``sql`` one at a time, the store's lock held until the caller stops
        (read them quickly: every other use of the store waits meanwhile)."""
        with self._lock:
            cur = self.db.conn.execute(sql, tuple(params))
            cols = [c[0] for c in cur.description]
            try:
                for row in cur:
                    yield dict(zip(cols, row, strict=True))
            finally:
                cur.close()

    # -- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str, default: Any = None) -> Any:
        rows = self._rows("select value from meta where key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_meta(self, **values: Any) -> None:
        with self._tx() as conn:
            conn.executemany("insert or replace into meta(key, value) values (?, ?)",
                             [(k, _dumps(v)) for k, v in values.items()])

    # -- outbox ----------------------------------------------------------------------------
    def add_record(self, wire: Mapping[str, Any], *, phone_hash_: str | None,
                   rotation_event: Mapping[str, Any] | None = None, replaces: str | None = None,
                   state: str = "pending", now: datetime | None = None,
                   also: Iterable[tuple[Mapping[str, Any], str]] = ()) -> dict:
        """Save one own record atomically: assign the next ``seq``, store it (``pending``, or
        ``local`` for a record that must never be pushed), mark the record it replaces
        (``replaces``, default the wire's ``supersedes``), and save ``rotation_event`` (the wire
        of the ``rotation`` record of this reception, 排班) in the same transaction, next seq.
        Returns the wire as stored. A record the server would refuse (``validate_record`` with
        the bounds taken from ``now``, default this tablet's clock) is not saved: RecordRefused,
        never a crash on a time or number the tablet cannot represent. ``also``: more own records
        ``(wire, state)`` saved after them in the same transaction, each marking the one its
        ``supersedes`` names (a walk-in's correction withdraws its old reception, 排班). A record
        already corrected or withdrawn is not replaced twice (a second tap on 撤回 that arrives
        after the first was saved): RecordRefused ``already_superseded``, nothing saved."""
        also = list(also)
        problems = validate_record({**wire, "seq": 1}, self._region(), now or utc_now())
        for extra in ([rotation_event] if rotation_event is not None else []) + [w for w, _ in also]:
            problems += validate_record({**extra, "seq": 1}, self._region(), now or utc_now())
        if problems:
            raise RecordRefused(problems)
        replaces = replaces or wire.get("supersedes")
        author = (self.get_meta("user") or {}).get("username")  # pushed with their credentials (018)
        with self._tx() as conn:
            full = self._insert_own(conn, wire, phone_hash_, state, replaces, author)
            if replaces:
                mark_superseded(conn, replaces, full["id"])
                self._unindex_name(conn, "o:" + replaces)  # a corrected or withdrawn name warns no more
            if full["type"] not in ("withdrawal", "rotation"):
                self._index_own_name(conn, full, phone_hash_)
            if rotation_event is not None:
                self._insert_own(conn, rotation_event, None, state, None, author)
            for extra, extra_state in also:
                added = self._insert_own(conn, extra, None, extra_state, extra.get("supersedes"), author)
                if extra.get("supersedes"):
                    mark_superseded(conn, extra["supersedes"], added["id"])
        return full

    @staticmethod
    def _insert_own(conn: sqlite3.Connection, wire: Mapping[str, Any], phone_hash_: str | None, state: str,
                    replaces: str | None, author: str | None = None) -> dict:
        """*(in a transaction)* One own record with the next ``seq``, captured by ``author``
        (the signed-in username); returns its wire."""
        seq = conn.execute("select coalesce(max(seq), 0) + 1 from outbox").fetchone()[0]
        full = {**wire, "seq": seq}
        customer = full.get("customer") or {}
        conn.execute(
            "insert into outbox(id, seq, type, wire, phone_hash, customer_name, rep, captured_at, state,"
            " supersedes, author, created_at) values (?,?,?,?,?,?,?,?,?,?,?, datetime('now'))",
            (full["id"], seq, full["type"], _dumps(full), phone_hash_, customer.get("name") or "",
             full.get("rep"), full["captured_at"], state, replaces, author))
        return full

    def _region(self) -> str:
        site = self._rows("select region from site limit 1")
        return (site[0]["region"] if site else None) or "CN"

    def outbox(self, states: Iterable[str] = ("pending", "rejected", "accepted"), limit: int = 500) -> list[OutboxEntry]:
        states = tuple(states)
        marks = ",".join("?" * len(states))
        rows = self._rows(f"{_OUTBOX_SELECT} where o.state in ({marks}) order by o.seq desc limit ?", (*states, limit))
        return [self._entry(r) for r in rows]

    def outbox_entry(self, record_id: str) -> OutboxEntry:
        rows = self._rows(f"{_OUTBOX_SELECT} where o.id = ?", (record_id,))
        if not rows:
            raise StoreError(f"No record {record_id} on this tablet.")
        return self._entry(rows[0])

    @staticmethod
    def _entry(r: dict) -> OutboxEntry:
        return OutboxEntry(id=r["id"], seq=r["seq"], type=r["type"], wire=json.loads(r["wire"]), state=r["state"],
                           customer_name=r["customer_name"] or "", rep=r["rep"], captured_at=r["captured_at"],
                           error_code=r["error_code"], error_message=r["error_message"],
                           error_field=r["error_field"], superseded_by=r["superseded_by"],
                           supersedes=r["supersedes"], phone_hash=r["phone_hash"],
                           confirmed_by=r.get("confirmed_by"), confirmed_by_name=r.get("confirmed_by_name"),
                           dismissed_by_name=r.get("dismissed_by_name"), dismissed_at=r.get("dismissed_at"),
                           confirmed_at=r.get("confirmed_at"), author=r.get("author"))

    def own_records_for(self, phone_hash_: str) -> list[OutboxEntry]:
        rows = self._rows(f"{_OUTBOX_SELECT} where o.phone_hash = ? order by o.seq", (phone_hash_,))
        return [self._entry(r) for r in rows]

    def own_records_of_types(self, types: Iterable[str], captured_from: str = "") -> list[OutboxEntry]:
        """Own records of ``types``; with ``captured_from``, those whose ``captured_at`` text sorts
        at or after it (a coarse cut: offsets differ, so callers widen it and filter exactly)."""
        types = tuple(types)
        rows = self._rows(f"{_OUTBOX_SELECT} where o.type in ({','.join('?' * len(types))}) and o.captured_at >= ?"
                          " order by o.seq", (*types, captured_from))
        return [self._entry(r) for r in rows]

    def own_walkins_now_elsewhere(self, limit: int = 20) -> list[dict]:
        """This tablet's accepted walk-ins (not corrected, withdrawn or duty receptions) whose
        customer, in the replica, is now disputed or owned by another rep than the one the
        desk named: one per customer (its latest such walk-in: a customer the desk registered
        twice is one alert, not two), newest first. Keys: id, customer_name, rep, rep_name,
        captured_at, owner, owner_name, status (the replica's: disputed, protected, …)."""
        return self._rows(
            "with contradicted as (select o.id, o.customer_name, o.rep, o.captured_at, o.seq, c.owner, c.owner_name,"
            "  c.status, row_number() over (partition by c.customer_id order by o.seq desc) as nth from outbox o"
            "  join customers c on c.customer_id = (select customer_id from customers where phone_hash = o.phone_hash"
            "   order by change_id desc limit 1)"
            "  where o.type = 'walkin' and o.state = 'accepted' and o.superseded_by is null and o.rep is not null"
            "  and coalesce(json_extract(o.wire, '$.data.duty'), 0) = 0 and coalesce(c.status, '') != 'lapsed'"
            "  and (c.status = 'disputed' or (c.owner is not null and c.owner != o.rep)))"
            " select a.id, a.customer_name, a.rep, ru.name as rep_name, a.captured_at, a.owner, a.owner_name, a.status"
            " from contradicted a left join users ru on ru.username = a.rep"
            " where a.nth = 1 order by a.seq desc limit ?", (limit,))

    # -- replica ---------------------------------------------------------------------------
    def site(self) -> dict | None:
        rows = self._rows("select * from site limit 1")
        return rows[0] if rows else None

    def users(self, role: str | None = None, active_only: bool = True) -> list[dict]:
        sql, params = "select * from users where 1=1", []
        if role:
            sql, params = sql + " and role = ?", [role]
        if active_only:
            sql += " and active"
        return self._rows(sql + " order by username", params)

    def phone_tag_of(self, typed: str, region: str | None = None) -> str | None:
        """The tablet's tag of a typed number with the site's key (``phone_keys.tablet_tag``:
        ``shared.phones.phone_tag2``, issue 14; scrypt, ~20 ms: off the UI thread); None: invalid
        number or no key yet. ``region``: the site's."""
        with self._lock:
            key, region = replica_key(self.db.conn), region or self._region()
        try:
            return tablet_tag(key, normalise_phone(typed, region)) if key else None
        except InvalidPhone:
            return None

    def customer_by_hash(self, phone_hash_: str) -> dict | None:
        rows = self._rows("select * from customers where phone_hash = ? order by change_id desc limit 1", (phone_hash_,))
        return rows[0] if rows else None

    def untagged_customers_ending(self, last_four: str) -> int:
        """How many replica customers whose masked phone ends in ``last_four`` have no tag on
        this tablet (the server's tagger had not reached them when they were pulled)."""
        if len(last_four) != 4 or not last_four.isdigit():
            return 0
        rows = self._rows("select count(*) as n from customers where phone_hash is null and phone_masked like ?",
                          ("%" + last_four,))
        return int(rows[0]["n"]) if rows else 0

    def customer_by_id(self, customer_id: str) -> dict | None:
        """The replica's row of one customer, also one whose tag this tablet does not hold."""
        rows = self._rows("select * from customers where customer_id = ?", (customer_id,))
        return rows[0] if rows else None

    def customers_owned_by(self, username: str) -> list[dict]:
        return self._rows("select * from customers where owner = ? order by first_registered_at", (username,))

    def records_for(self, phone_hash_: str) -> list[dict]:
        return self._rows("select * from records where phone_hash = ? order by estimated_at", (phone_hash_,))

    def records_by_rep(self, rep: str, types: Iterable[str]) -> list[dict]:
        types = tuple(types)
        return self._rows(f"select * from records where rep = ? and type in ({','.join('?' * len(types))})",
                          (rep, *types))

    def names_by_keys(self, keys: Iterable[str], per_key: int = 20) -> list[dict]:
        """Known customer names (replica and own records) sharing one of ``keys``
        (``name_index.deletion_keys`` and ``pinyin_key``): for each key the ``per_key`` most
        recently registered, with the name's pinyin."""
        out: list[dict] = []
        with self._lock:
            for key in keys:
                out += self._rows(f"select k.key, {NAME_COLUMNS} from name_keys k join names n on n.id = k.name_id"
                                  " where k.key = ? order by k.seen_at desc limit ?", (key, per_key))
        return out

    def search_names(self, prefixes: Iterable[str], limit: int = 60) -> list[dict]:
        """Indexed names whose search key (``name_index.search_keys``) starts with one of
        ``prefixes``: at most ``limit`` rows a prefix, shortest keys (closest matches) first.
        The range ends at ``key_after(prefix)``, past every key that starts with it — an emoji
        after the prefix too (小明🙂😀 for 小明, issue 14 F5: the old end, prefix + U+FFFF, sorts
        before any character beyond the Basic Multilingual Plane)."""
        out: list[dict] = []
        with self._lock:
            for prefix in prefixes:
                out += self._rows(f"select k.key, {NAME_COLUMNS} from name_keys k join names n on n.id = k.name_id"
                                  " where k.key >= ? and k.key < ? order by k.key limit ?", (prefix, key_after(prefix), limit))
        return out

    @staticmethod
    def _unindex_name(conn: sqlite3.Connection, ref: str) -> None:
        unindex_names(conn, [ref])

    @staticmethod
    def _index_name(conn: sqlite3.Connection, ref: str, name: str | None, seen_at: str | None,
                    phone_hash_: str | None, phone_masked: str | None, owner_name: str | None) -> None:
        index_names(conn, [(ref, name, recency_key(seen_at), phone_hash_, phone_masked, owner_name)])

    def _index_own_name(self, conn: sqlite3.Connection, wire: Mapping[str, Any], phone_hash_: str | None) -> None:
        customer = wire.get("customer") or {}
        masked = ""
        site = conn.execute("select region from site limit 1").fetchone()
        try:
            masked = mask_phone(normalise_phone(customer.get("phone") or "", (site[0] if site else None) or "CN"))
        except InvalidPhone:
            pass
        rep = conn.execute("select name from users where username = ?", (wire.get("rep"),)).fetchone()
        self._index_name(conn, "o:" + wire["id"], customer.get("name"), wire.get("captured_at"), phone_hash_, masked,
                         rep[0] if rep else "")

    def apply_changes(self, changes: Iterable[Mapping[str, Any]], cursor: str | None,
                      for_token: str | None = None) -> int:
        """Apply one page of pull changes and its cursor in one transaction (``replica.apply_page``).
        ``for_token``: the token the page was pulled with; another signed in meanwhile
        (切换用户): ``ReplicaUserChanged``, nothing applied (QA of issue 14: the replica is the
        signed-in user's)."""
        changes = list(changes)
        with self._tx() as conn:
            self._check_token(conn, for_token)
            apply_page(conn, changes, cursor)
            if any(c.get("kind") == "site" for c in changes):
                tag_own_records(conn)  # it may bring the site's key (issue 14)
        return len(changes)

    def reset_replica(self) -> None:
        """Forget every server copy (410 resync); the outbox is kept untouched."""
        with self._tx() as conn:
            clear_replica(conn)

    def forget_user_replica(self) -> None:
        """Another user signed in: forget what was the user before's to see
        (``replica.clear_user_replica``); the site, users and 排班 records stay, the outbox too."""
        with self._tx() as conn:
            clear_user_replica(conn)

    def load_snapshot(self, lines: Iterable[bytes], on_progress: Progress | None = None,
                      for_token: str | None = None) -> int:
        """Replace the replica with a bootstrap snapshot's NDJSON ``lines`` in one transaction
        (``snapshot.load_snapshot``); the outbox is untouched. Returns the changes loaded.
        A stream cut short or not a snapshot: StoreError (nothing of it is kept); ``for_token``
        as in ``apply_changes`` (checked before the commit)."""
        with self._tx() as conn:
            loaded = load_snapshot(conn, lines, on_progress)
            tag_own_records(conn)  # the snapshot brought the site's key (issue 14)
            self._check_token(conn, for_token)
            return loaded

    @staticmethod
    def _check_token(conn: sqlite3.Connection, token: str | None) -> None:
        """*(in a transaction)* ``ReplicaUserChanged`` unless ``token`` (when given) is still the
        tablet's."""
        if token is None:
            return
        row = conn.execute("select value from meta where key = 'token'").fetchone()
        if row is None or json.loads(row[0]) != token:
            raise ReplicaUserChanged("another user signed in on this tablet while the replica was loading")

    # -- clocks ----------------------------------------------------------------------------
    def add_anchor(self, boot_id: str, elapsed_ms: int, server_time: str, device_time: str, offset_ms: int) -> None:
        with self._tx() as conn:
            conn.execute("insert into clock_anchors(boot_id, elapsed_ms, server_time, device_time, offset_ms)"
                         " values (?,?,?,?,?)", (boot_id, elapsed_ms, server_time, device_time, offset_ms))

    def latest_clock_offset_ms(self) -> int | None:
        """How far this tablet's wall clock was ahead of the server's (ms, negative: behind) at
        the latest push; None before the first one."""
        rows = self._rows("select offset_ms from clock_anchors order by id desc limit 1")
        return rows[0]["offset_ms"] if rows else None

    def anchors(self, boot_id: str | None = None) -> list[dict]:
        if boot_id:
            return self._rows("select * from clock_anchors where boot_id = ? order by id", (boot_id,))
        return self._rows("select * from clock_anchors order by id")
