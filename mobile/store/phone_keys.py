"""The replica's phone key (issue 14): the site's keyed, deliberately slow tag of a number.

Since migration ``011_private_replica`` the ``phone_hash`` columns of ``outbox``, ``customers``,
``records`` and the name index (``names`` since 012) hold the site's keyed tag of the number (the column
names stayed to keep the change small; the values are tags, never an unkeyed digest): since
``017_tag2`` ``shared.phones.phone_tag2(replica_key, e164)`` (``TABLET_KEYS``, scrypt n = 2^13;
``phone_tag``, n = 2^11, before). The server sends customers' tags (pull ``keys=tag2``); the
tablet computes a tag only for a number typed at the desk (look-up, search, a capture) and for
its own records, off the UI thread (``mobile/tasks.py``): one scrypt of ~20 ms, cached per
number by ``shared.phones``. A pulled record the server sent untagged (its tagger's backlog, a
held record) takes its outbox row's tag when it is an own record (``replica.own_record_tags``:
never a second scrypt), and is tagged here only when it is another device's.

The key comes with the enrolment answer (meta ``replica_key``) and the ``keys=tag2`` site
change (``site.replica_key``); the site's wins. Own records saved before the tablet had a key
are tagged when it arrives (``tag_own_records``, inside the pull's transaction).
"""

from __future__ import annotations

import json
import sqlite3

from shared.errors import InvalidPhone
from shared.phones import mask_phone, normalise_phone, tag_for

__all__ = ["replica_key", "tablet_tag", "tag_of", "tag_of_typed", "tag_own_records", "purge_unkeyed",
           "retag_own_records", "TABLET_KEYS"]

TABLET_KEYS = "tag2"
"""The protocol's ``keys=`` this tablet asks for and the kind of tag it holds (docs/protocol.md;
``shared.phones.TAG_KEYS``): ``tag2`` since migration ``017_tag2`` (issue 14, "the whole
replica years")."""


def tablet_tag(replica_key_: str, e164: str) -> str:
    """The tag this tablet files a number under (``TABLET_KEYS``: ``shared.phones.phone_tag2``);
    ValueError for an empty key."""
    return tag_for(TABLET_KEYS, replica_key_, e164)


def replica_key(conn: sqlite3.Connection) -> str | None:
    """The site's ``replica_key`` as this tablet holds it (the site row's, else the enrolment's);
    None before either arrived."""
    row = conn.execute("select replica_key from site where replica_key is not null and replica_key != '' limit 1"
                       ).fetchone()
    if row:
        return row[0]
    meta = conn.execute("select value from meta where key = 'replica_key'").fetchone()
    return (json.loads(meta[0]) or None) if meta else None


def tag_of(conn: sqlite3.Connection, e164: str) -> str | None:
    """The tag of an E.164 key (``normalise_phone``'s), or None while the tablet has no key."""
    key = replica_key(conn)
    return tablet_tag(key, e164) if key else None


def tag_of_typed(conn: sqlite3.Connection, typed: str, region: str) -> str | None:
    """The tag of a number as typed (any shape ``normalise_phone`` reads); None when it is not
    a valid number or the tablet has no key."""
    try:
        return tag_of(conn, normalise_phone(typed, region or "CN"))
    except InvalidPhone:
        return None


def _region(conn: sqlite3.Connection) -> str:
    row = conn.execute("select region from site limit 1").fetchone()
    return (row[0] if row else None) or "CN"


def tag_own_records(conn: sqlite3.Connection) -> int:
    """Tag the own records (and their name keys) that have a customer phone but no tag yet, now
    that the tablet has a key; returns how many (inside the caller's transaction)."""
    key = replica_key(conn)
    if not key:
        return 0
    region, done = _region(conn), 0
    rows = conn.execute("select id, json_extract(wire, '$.customer.phone') from outbox"
                        " where phone_hash is null and json_extract(wire, '$.customer.phone') is not null").fetchall()
    for record_id, phone in rows:
        try:
            tag = tablet_tag(key, normalise_phone(phone, region))
        except InvalidPhone:
            continue
        conn.execute("update outbox set phone_hash = ? where id = ?", (tag, record_id))
        conn.execute("update names set phone_hash = ? where ref = ?", (tag, "o:" + record_id))  # 012: one row a name
        done += 1
    return done


def purge_unkeyed(conn: sqlite3.Connection) -> None:
    """Forget every unkeyed SHA-256 ``phone_hash`` and 7-digit mask the tablet holds (migration
    ``011_private_replica``, on the name index as it was before ``012_compact_names``; never
    called afterwards): the server's copies (customers, records, confirmations, their name
    keys) and the cursor go, so the next sync loads the replica again with tags; own records
    keep everything the user entered, lose their old hash (tagged again when the key comes)
    and their names' masks show the last four digits only."""
    for table in ("customers", "records", "confirmations"):
        conn.execute(f"delete from {table}")  # noqa: S608 - fixed names
    conn.execute("delete from name_keys where ref >= 'c:' and ref < 'c;'")
    conn.execute("delete from meta where key = 'cursor'")
    conn.execute("update outbox set phone_hash = null")
    region = _region(conn)
    for record_id, phone in conn.execute("select id, json_extract(wire, '$.customer.phone') from outbox").fetchall():
        masked = ""
        if phone:
            try:
                masked = mask_phone(normalise_phone(phone, region))
            except InvalidPhone:
                pass
        conn.execute("update name_keys set phone_hash = null, phone_masked = ? where ref = ?", (masked, "o:" + record_id))


def retag_own_records(conn: sqlite3.Connection) -> int:
    """Move the own records to this tablet's kind of tag (migration ``017_tag2``): drop every
    tag they hold (the old kind) and tag them again (``tag_own_records``, when the tablet has a
    key; else when it comes). Returns how many were tagged (inside the caller's transaction)."""
    conn.execute("update outbox set phone_hash = null")
    conn.execute("update names set phone_hash = null where ref >= 'o:' and ref < 'o;'")
    return tag_own_records(conn)
