"""The name index's two tables (issue 13: one row a name, narrow key rows), inside the caller's
transaction.

- ``names``: one row per indexed name — ``id`` (never reused: AUTOINCREMENT), ``ref``
  (``c:<customer_id>`` for the replica, ``o:<record id>`` for own records; unique), ``seen_at``
  (UTC text that sorts in time order, ``name_index.recency_key``), ``phone_hash``, ``name``,
  ``phone_masked``, ``owner_name``, ``pinyin`` (``name_index.pinyin_key`` or NULL): what a
  warning or a search result shows, stored once;
- ``name_keys``: ``(key, seen_at, name_id)``, the primary key itself (WITHOUT ROWID, no other
  index): the name's deletion keys, pinyin key and search keys (``name_index.name_keys``),
  each read by key, most recent first, and joined to ``names`` by ``name_id``.

Before 010 every key row carried the whole name (about 250 bytes a key, nine keys a named
customer, half the tablet's file); now a key row is about 45 bytes and the name's columns
are stored once. Unindexing recomputes a name's keys from its stored name, pinyin and masked
phone; should a key be left behind (the index's rules changed between releases) it points to
an id no row holds any more and every read joins it away.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence

from shared.name_form import is_decoration

from .name_index import _deletion_keys, _search_keys, index_keys

__all__ = ["index_names", "unindex_names", "unindex_replica", "next_name_id", "name_rows", "INSERT_NAME",
           "INSERT_NAME_KEY", "NAME_COLUMNS", "rekey_decorated_names"]

NAME_COLUMNS = "n.ref, n.seen_at, n.phone_hash, n.name, n.phone_masked, n.owner_name, n.pinyin"
INSERT_NAME = ("insert or replace into names(id, ref, seen_at, phone_hash, name, phone_masked, owner_name, pinyin)"
               " values (?,?,?,?,?,?,?,?)")
INSERT_NAME_KEY = "insert or ignore into name_keys(key, seen_at, name_id) values (?,?,?)"
_CHUNK = 500  # refs per ``in (…)``: under SQLite's bound-parameter limit on every build

# (ref, name, seen (recency_key text), phone_hash, phone_masked, owner_name)
Entry = tuple[str, str | None, str, str | None, str | None, str | None]


def next_name_id(conn: sqlite3.Connection) -> int:
    """The first ``names.id`` no row has ever held: past AUTOINCREMENT's counter, the largest id
    in ``main.names`` and the largest in ``names`` (a snapshot's staged copy in ``temp``)."""
    row = conn.execute("select max(coalesce((select seq from main.sqlite_sequence where name = 'names'), 0),"
                       " coalesce((select max(id) from main.names), 0), coalesce((select max(id) from names), 0))"
                       ).fetchone()
    return int(row[0]) + 1


def name_rows(first_id: int, entries: Iterable[Entry]) -> tuple[list[tuple], list[tuple]]:
    """``(names rows, name_keys rows)`` of ``entries``, ids from ``first_id`` on; a name
    without keys (no name and no last four) gets no row."""
    names: list[tuple] = []
    keys: list[tuple] = []
    next_id = first_id
    for ref, name, seen, phone_hash, phone_masked, owner_name in entries:
        pinyin, found = index_keys(name, phone_masked)
        if not found:
            continue
        names.append((next_id, ref, seen, phone_hash, name, phone_masked, owner_name, pinyin))
        keys += [(key, seen, next_id) for key in found]
        next_id += 1
    return names, keys


def index_names(conn: sqlite3.Connection, entries: Iterable[Entry]) -> None:
    """Index ``entries`` (their refs must not be indexed already: ``unindex_names`` first)."""
    names, keys = name_rows(next_name_id(conn), entries)
    conn.executemany(INSERT_NAME, names)
    conn.executemany(INSERT_NAME_KEY, keys)


def unindex_names(conn: sqlite3.Connection, refs: Sequence[str]) -> None:
    """Drop the names of ``refs`` and their keys (a ref not indexed is skipped)."""
    for start in range(0, len(refs), _CHUNK):
        chunk = refs[start:start + _CHUNK]
        held = conn.execute(f"select id, seen_at, name, phone_masked from names where ref in ({','.join('?' * len(chunk))})",
                            chunk).fetchall()  # noqa: S608 - placeholders only
        conn.executemany("delete from name_keys where key = ? and seen_at = ? and name_id = ?",
                         [(key, seen, name_id) for name_id, seen, name, masked in held
                          for key in index_keys(name, masked)[1]])
        conn.executemany("delete from names where id = ?", [(name_id,) for name_id, *_ in held])


_OWN_NAMES = "select * from main.names where ref < 'c:' or ref >= 'c;'"  # every ref but a replica's ``c:``


def unindex_replica(conn: sqlite3.Connection) -> None:
    """Drop every replica name (``c:`` refs) and its keys; own records' names stay (their ids
    too: their keys point to them). The few own names and their keys are set aside, both
    tables emptied whole (SQLite's truncation frees the pages without visiting a row) and the
    own ones put back: deleting the replica's rows one by one visited every key row (a
    rep's resync at 100,000 customers: 164 → 41 ms, ``bench/pull.py``'s "rep 410")."""
    conn.execute(f"create temp table kept_names as {_OWN_NAMES}")  # noqa: S608 - fixed text
    conn.execute("create temp table kept_name_keys as select * from main.name_keys"
                 " where name_id in (select id from temp.kept_names)")
    try:
        conn.execute("delete from main.name_keys")
        conn.execute("delete from main.names")
        conn.execute("insert into main.names select * from temp.kept_names")
        conn.execute("insert into main.name_keys select * from temp.kept_name_keys")
    finally:
        conn.execute("drop table temp.kept_names")
        conn.execute("drop table temp.kept_name_keys")


_SPACING_BEFORE_M3 = frozenset(" \t\u3000·•・.．-_")


def rekey_decorated_names(conn: sqlite3.Connection) -> int:
    """Give the names holding decoration (emoji, pictographs, invisible characters:
    ``shared.name_form.is_decoration``) the keys of the rules since the QA of issue 14 (M3),
    which compare names without it; return how many names changed. Their keys of the rules
    before (the normalised name kept the decoration) are computed again and deleted by their
    whole primary key, the stored pinyin among them; other names are read, not touched. One
    pass over ``names`` (a ``unicodedata`` look at each non-ASCII name), no scan of ``name_keys``."""
    old_rows, new_rows, pinyins = [], [], []
    for name_id, seen_at, name, masked, stored in conn.execute(
            "select id, seen_at, name, phone_masked, pinyin from names").fetchall():
        if not name or name.isascii():
            continue
        folded = unicodedata.normalize("NFKC", name).casefold()
        if not any(map(is_decoration, folded)):
            continue
        before = "".join(ch for ch in folded if ch not in _SPACING_BEFORE_M3)
        old = _deletion_keys(before) + ([stored] if stored else []) + _search_keys(before, masked)
        old_rows += [(key, seen_at, name_id) for key in old]
        pinyin, found = index_keys(name, masked)
        new_rows += [(key, seen_at, name_id) for key in found]
        pinyins.append((pinyin, name_id))
    conn.executemany("delete from name_keys where key = ? and seen_at = ? and name_id = ?", old_rows)
    conn.executemany("update names set pinyin = ? where id = ?", pinyins)
    conn.executemany(INSERT_NAME_KEY, new_rows)
    return len(pinyins)
