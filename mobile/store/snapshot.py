"""Loading a bootstrap snapshot (issue 13) into the replica, inside the caller's transaction.

The server's ``GET /sync/snapshot`` answers NDJSON (docs/protocol.md, "Snapshot"): a header
``{"kind": "snapshot", "cursor", "count"}``, ``count`` changes shaped as pull's, and
``{"kind": "end", "count"}``. The load empties the replica (the outbox and the names of own
records stay), drops the secondary indexes of ``customers`` and ``names``, writes the changes
``CHUNK`` at a time with ``executemany`` (``replica.apply_page``, knowing no customer was held
before, so no old name keys are looked for), builds those indexes again in one sorted pass
each, and stores the cursor the normal pull continues from. Without the end line (a cut
connection, a proxy's error page) it raises ``SnapshotBroken`` and the caller's transaction
rolls back: the tablet keeps the replica it had.

Only ``name_keys`` (about three rows a customer, WITHOUT ROWID, keyed by the key text: random
inserts would split its B-tree all over) is written to a keyless temporary table of the same
name first (``STAGED``: SQLite resolves an unqualified name in ``temp`` before ``main``) and
copied in key order at the end, so every chunk costs the same however many came before.
``customers`` and ``records`` (a short text key each, a row of a few hundred bytes) and
``names`` (an AUTOINCREMENT id: appended) are written in place: staging them too cost a second
copy of every row (0.35 of 3.1 CPU s loading a rep's 118,319 changes, 2026-12-03) and kept no
chunk flatter. ``records`` keeps its indexes through the load (a rep's load looks its
records up by phone each chunk, ``replica.own_tags``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .refusals import StoreError
from .replica import apply_page, clear_replica, dumps

__all__ = ["load_snapshot", "SnapshotBroken", "Progress", "CHUNK", "INDEXED_TABLES"]

CHUNK = 2000  # changes a write (and a progress report)
INDEXED_TABLES = ("customers", "names")  # their secondary indexes are rebuilt after the load
LOAD_CACHE_KIB = 65536  # SQLite page cache during the load (64 MiB)
# Tables written to a temporary copy without keys first, then copied in key order.
STAGED = {"name_keys": "key, seen_at, name_id"}

Progress = Callable[[int, int], None]  # (changes loaded so far, changes in the snapshot)


class SnapshotBroken(StoreError):
    """The snapshot stream is not whole (no header, a bad line, or no end line)."""


def _parse(line: bytes | str) -> dict[str, Any]:
    try:
        value = json.loads(line)  # a str: no encoding to detect
    except ValueError as exc:
        raise SnapshotBroken(f"The first sync's data arrived damaged ({exc}); it starts again at the next sync.") from None
    if not isinstance(value, dict):
        raise SnapshotBroken("The first sync's data arrived damaged; it starts again at the next sync.")
    return value


def _changes(lines: Iterator[bytes | str], count: int) -> Iterator[tuple[dict[str, Any], bytes | str]]:
    seen = 0
    for line in lines:
        if not line:
            continue
        if isinstance(line, bytes):  # decoded once, for the parser and the stored texts (raw_tail)
            try:
                line = line.decode()
            except UnicodeDecodeError:
                raise SnapshotBroken("The first sync's data arrived damaged (not UTF-8); it starts again at the next "
                                     "sync.") from None
        value = _parse(line)
        if value.get("kind") == "end":
            if value.get("count") != seen or seen != count:
                raise SnapshotBroken(f"The first sync's data is incomplete ({seen} of {count} changes); it starts "
                                     "again at the next sync.")
            return
        seen += 1
        yield value, line
    raise SnapshotBroken(f"The first sync was cut short ({seen} of {count} changes); it starts again at the next sync.")


def load_snapshot(conn: sqlite3.Connection, lines: Iterable[bytes | str], on_progress: Progress | None = None) -> int:
    """Replace the replica with the snapshot in ``lines`` (the caller holds the transaction);
    ``on_progress(done, count)`` after each chunk. Returns the changes loaded."""
    stream = iter(lines)
    header = _parse(next((line for line in stream if line), b"{}"))
    if header.get("kind") != "snapshot" or not isinstance(header.get("count"), int):
        raise SnapshotBroken("The server's answer is not a first-sync snapshot; it starts again at the next sync.")
    count = header["count"]
    clear_replica(conn)
    indexes = conn.execute("select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name"
                           f" in ({','.join('?' * len(INDEXED_TABLES))})", INDEXED_TABLES).fetchall()
    for name, _ in indexes:
        conn.execute(f'drop index "{name}"')
    (cache,) = conn.execute("pragma cache_size").fetchone()
    conn.execute(f"pragma cache_size = -{LOAD_CACHE_KIB}")
    for table in STAGED:  # unqualified names resolve to temp before main: apply_page writes here
        conn.execute(f"create temp table {table} as select * from main.{table} where 0")  # noqa: S608
    try:
        done, chunk, raw = 0, [], []
        for change, line in _changes(stream, count):
            chunk.append(change)
            raw.append(line)
            if len(chunk) == CHUNK:
                done += _write(conn, chunk, raw, on_progress, done, count)
                chunk, raw = [], []
        done += _write(conn, chunk, raw, on_progress, done, count)
        for table, key in STAGED.items():  # in key order: each B-tree is appended to, never split at random
            conn.execute(f"insert or replace into main.{table} select * from temp.{table} order by {key}")  # noqa: S608
        # a customer sent twice (never, as the server reads: one line an entity) keeps its last
        # name only, before ``names``' unique index on ``ref`` is built again; the earlier
        # name's keys point to no name, and every read joins them away
        conn.execute("delete from names where id not in (select max(id) from names group by ref)")
    finally:
        for table in STAGED:
            conn.execute(f"drop table if exists temp.{table}")
        conn.execute(f"pragma cache_size = {int(cache)}")
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("insert or replace into meta(key, value) values ('cursor', ?)", (dumps(header.get("cursor")),))
    return done


def _write(conn: sqlite3.Connection, chunk: list[dict[str, Any]], raw: list[bytes | str], on_progress: Progress | None,
           done: int, count: int) -> int:
    if chunk:
        apply_page(conn, chunk, None, fresh=True, lines=raw)  # records and explanations stored as they came
    if on_progress is not None:
        on_progress(done + len(chunk), count)
    return len(chunk)
