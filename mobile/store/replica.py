"""Applying pulled pages to the tablet's replica (``LocalStore.apply_changes``), inside the
caller's transaction.

A page's changes of one kind are written together (``executemany``): records in page order
(a record sent twice keeps its last copy), ownership changes once per customer (the page's
last change of it), and only customers the replica already held lose their old name keys
first — a fresh tablet's first pull has none to drop (issue 13). Change shapes: docs/protocol.md,
"Pull".
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from shared.replica_privacy import holds_phone_tag

from .name_index import recency_key
from .name_table import index_names, unindex_names, unindex_replica
from .phone_keys import tag_of_typed

__all__ = ["apply_page", "clear_replica", "clear_user_replica", "dumps", "forget_unheld_tags", "held_tags", "own_record_tags", "REPLICA_TABLES"]

_CHUNK = 500  # ids per ``in (…)``: under SQLite's bound-parameter limit on every build
REPLICA_TABLES = ("site", "users", "customers", "records", "confirmations")  # what the server sent


def clear_replica(conn: sqlite3.Connection) -> None:
    """Forget every server copy and the cursor (inside the caller's transaction); the outbox
    and the names of own records stay."""
    for table in REPLICA_TABLES:
        conn.execute(f"delete from {table}")  # noqa: S608 - fixed names
    unindex_replica(conn)  # replica names; own ones stay
    conn.execute("delete from meta where key = 'cursor'")


def clear_user_replica(conn: sqlite3.Connection) -> None:
    """*(in the caller's transaction)* What another user signing in must not find (切换用户, QA of
    issue 14, M1): customers, their records, confirmations, the replica's names and the cursor.
    What is the site's and no one's private — the site, its users, its 排班 ``rotation`` records
    (no customer) — stays, so the desk's board and names read right until the new user's first
    sync replaces them (it emptied the board: 无人在岗, login names, a false 未按顺序)."""
    for table in ("customers", "confirmations"):
        conn.execute(f"delete from {table}")  # noqa: S608 - fixed names
    conn.execute("delete from records where type != 'rotation'")
    unindex_replica(conn)
    conn.execute("delete from meta where key = 'cursor'")


def dumps(value: Any) -> str:
    """JSON as the tablet stores it: compact, non-ASCII kept."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_text(value: Any) -> str:
    """``dumps(value)``, without the encoder for the common empty values (a rep sees most
    customers without split or explanation)."""
    if value is None:
        return "null"
    return "[]" if value == [] else dumps(value)


OWNER_DISMISSED = "owner_dismissed"
"""A pulled record's member, and the outbox's ``error_code``, for a record whose ownership a
manager refused (不予确认, issue 14 N3; the outbox's ``error_message``: the manager's reason)."""


def apply_page(conn: sqlite3.Connection, changes: Sequence[Mapping[str, Any]], cursor: str | None, *,
               fresh: bool = False, lines: Sequence[bytes | str] | None = None) -> None:
    """Write one page of pull changes and its cursor (the caller holds the transaction).
    ``fresh``: the replica held none of these customers (a snapshot's load into an emptied
    replica), so there are no old name keys to look for. ``lines``: each change's NDJSON line
    as it arrived (a snapshot's), whose record or explanation text is stored as sent rather
    than encoded again (``raw_tail``)."""
    site = conn.execute("select id, region from site limit 1").fetchone()
    own = own_record_tags(conn, [c["record"]["id"] for c in changes
                                 if c.get("kind") == "record" and not c["record"].get("phone_tag")])
    customers: dict[str, tuple[Mapping[str, Any], int, str | None]] = {}  # id -> (latest, change id, explanation text)
    records: list[tuple] = []
    for i, change in enumerate(changes):
        kind, change_id = change.get("kind"), int(change["change_id"])  # every change has one (protocol.md)
        if kind == "site":
            s = change["site"]
            conn.execute("delete from site")
            conn.execute("insert into site (id, name, validity_days, household, region, utc_offset_minutes,"
                         " walkin_landlines, closed_days, replica_key, replica_keys) values (?,?,?,?,?,?,?,?,?,?)",
                         (s["id"], s.get("name"), s.get("validity_days", 30), s.get("household", "split"),
                          s.get("region", "CN"), s.get("utc_offset_minutes", 480), int(bool(s.get("walkin_landlines"))),
                          dumps([d for d in s.get("closed_days") or [] if isinstance(d, str)]),
                          s.get("replica_key"), s.get("replica_keys")))  # keys=tag (issue 14)
            site = (s["id"], s.get("region", "CN"))
        elif kind == "user":
            u = change["user"]
            active = bool(u.get("active", True))
            periods = u.get("duty_periods")
            conn.execute("insert or replace into users (username, name, role, active, deactivated_at, duty_periods)"
                         " values (?,?,?,?,?,?)", (u["username"], u.get("name") or u["username"], u.get("role"),
                                                   int(active), None if active else u.get("deactivated_at"),
                                                   dumps(periods) if isinstance(periods, list) else None))
        elif kind == "ownership":
            c = change["customer"]
            customers.pop(c["customer_id"], None)  # re-inserted: the dict keeps the order of last changes
            customers[c["customer_id"]] = (c, change_id, raw_tail(lines[i], change, "explanation") if lines else None)
        elif kind == "record":
            records.append(_record_row(change["record"], change_id, site, conn,
                                       raw_tail(lines[i], change) if lines else None, own))
            refusal = change["record"].get(OWNER_DISMISSED)
            if isinstance(refusal, Mapping):  # an own record a manager refused (issue 14 N3): kept, with the reason
                conn.execute("update outbox set error_code=?, error_message=? where id=? and state='accepted'",
                             (OWNER_DISMISSED, str(refusal.get("reason") or ""), change["record"]["id"]))
        elif kind == "confirmation":
            c = change["confirmation"]
            # at most one per record and never changed; should one come twice, the first stands
            conn.execute("insert or ignore into confirmations values (?,?,?,?)",
                         (c["record_id"], c["confirmed_by"], c["confirmed_at"], change_id))
        # conflicts are for managers; anything unknown is skipped (forward compatible)
    conn.executemany("insert or replace into records values (?,?,?,?,?,?,?,?,?,?,?,?)", records)
    if customers:
        _save_customers(conn, customers, fresh)
    conn.execute("insert or replace into meta(key, value) values ('cursor', ?)", (dumps(cursor),))


def raw_tail(line: bytes | str, change: Mapping[str, Any], key: str = "") -> str | None:
    """The JSON text of ``change``'s last member (``key``: of that member's last member) as it
    stands at the end of ``line``, the change's own compact NDJSON line — the text ``dumps``
    would write, without encoding it again (issue 13: a snapshot's records and explanations);
    None when the line is not shaped so (then the caller encodes).

    A record line ends ``,"record":{…}}``; an ownership line ``,"explanation":[…]}}``. The
    name is looked for as ``,"name":`` (a quote after a comma is never inside a string), must
    occur once, and the value must be the last member (dicts keep the order of the line)."""
    if isinstance(line, bytes):
        line = line.decode()
    outer = next(reversed(change), None) if isinstance(change, dict) else None
    value = change.get(outer) if outer else None
    if key:
        if not isinstance(value, dict) or next(reversed(value), None) != key or not value.get(key):
            return None
        marker, tail = f',"{key}":', 2
    elif isinstance(value, dict):
        marker, tail = f',"{outer}":', 1
    else:
        return None
    if line.count(marker) != 1 or not line.endswith("}" * tail):
        return None
    return line[line.index(marker) + len(marker):len(line) - tail]


def tablet_user(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """``(role, username)`` of the user this tablet is enrolled for (meta ``user``), or Nones."""
    row = conn.execute("select value from meta where key = 'user'").fetchone()
    user = json.loads(row[0]) if row else None
    return (user.get("role"), user.get("username")) if isinstance(user, dict) else (None, None)


def own_tags(conn: sqlite3.Connection, tags: Iterable[str]) -> set[str]:
    """Those of ``tags`` that this tablet's own records (sent or not) or the records the server
    sent it name — filed under, or as a household member's phone (R6): numbers the tablet holds
    in clear (what the server counts too, ``Store.phones_named_by``)."""
    found: set[str] = set()
    wanted = sorted(set(tags))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(r[0] for r in conn.execute(
            f"select phone_hash from outbox where phone_hash in ({marks})"  # noqa: S608 - placeholders only
            f" union select phone_hash from records where phone_hash in ({marks})", chunk + chunk))
    rest = set(wanted) - found
    if rest:  # household phones: a few records; one (cached) tag each
        region = (conn.execute("select region from site limit 1").fetchone() or ["CN"])[0] or "CN"
        for (phone,) in conn.execute("select json_extract(wire, '$.data.household_phone') as p from outbox where p"
                                     " is not null union select json_extract(wire, '$.data.household_phone') as p"
                                     " from records where p is not null"):
            tag = tag_of_typed(conn, str(phone), region)
            if tag in rest:
                found.add(tag)
    return found


def own_record_tags(conn: sqlite3.Connection, record_ids: Sequence[str]) -> dict[str, str]:
    """``record_id -> phone_tag`` of those of ``record_ids`` that are this tablet's own records
    with a tag in the outbox (computed when captured, or when the key came): a pulled record
    the server sent untagged (its tagger's backlog after a big push, or a held record) is filed
    under it without a second scrypt (issue 13: a desk's 10,000 own walk-ins cost a tag each
    again, ~90% of a first sync's time)."""
    found: dict[str, str] = {}
    for start in range(0, len(record_ids), _CHUNK):
        chunk = list(record_ids[start:start + _CHUNK])
        found.update(conn.execute(
            f"select id, phone_hash from outbox where phone_hash is not null and id in ({','.join('?' * len(chunk))})",  # noqa: S608
            chunk).fetchall())
    return found


def held_tags(conn: sqlite3.Connection, customers: Iterable[Mapping[str, Any]]) -> dict[str, str | None]:
    """``customer_id -> phone_tag`` as this tablet keeps it: None for a customer whose tag the
    user's tablet does not hold (``shared.replica_privacy.holds_phone_tag``: a rep, another
    rep's customer, a number none of the tablet's records names), whatever the server sent
    (an older server sends every tag, issue 14)."""
    role, username = tablet_user(conn)
    kept: dict[str, str | None] = {}
    doubtful: dict[str, str] = {}
    for c in customers:
        tag, split = c.get("phone_tag"), c.get("split")
        kept[c["customer_id"]] = tag
        if tag and not holds_phone_tag(role, username, c.get("owner"), split if isinstance(split, dict) else None):
            doubtful[c["customer_id"]] = tag
    if doubtful:
        named = own_tags(conn, doubtful.values())
        kept.update({customer_id: None for customer_id, tag in doubtful.items() if tag not in named})
    return kept


def forget_unheld_tags(conn: sqlite3.Connection) -> int:
    """Drop the tags this tablet should not hold (``held_tags``) from the replica's customers
    and their name rows; returns how many (migration ``014_rep_tags``: a rep's tablet pulled
    every customer's tag before issue 14's rule, inside the caller's transaction)."""
    role, _ = tablet_user(conn)
    if role != "rep":
        return 0
    rows = [{"customer_id": cid, "phone_tag": tag, "owner": owner, "split": json.loads(split) if split else None}
            for cid, tag, owner, split in conn.execute(
                "select customer_id, phone_hash, owner, split from customers where phone_hash is not null")]
    dropped = [cid for cid, tag in held_tags(conn, rows).items() if tag is None]
    conn.executemany("update customers set phone_hash = null where customer_id = ?", [(c,) for c in dropped])
    conn.executemany("update names set phone_hash = null where ref = ?", [("c:" + c,) for c in dropped])
    return len(dropped)


def _save_customers(conn: sqlite3.Connection, customers: Mapping[str, tuple[Mapping[str, Any], int, str | None]],
                    fresh: bool) -> None:
    """The customers' rows and their name keys (the name or owner may have changed: a customer
    already held loses its old keys first); each tag as the tablet keeps it (``held_tags``)."""
    tags = held_tags(conn, [c for c, _, _ in customers.values()])
    held: set[str] = set()
    ids = [] if fresh else list(customers)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        held.update(r[0] for r in conn.execute(
            f"select customer_id from customers where customer_id in ({','.join('?' * len(chunk))})", chunk))
    unindex_names(conn, ["c:" + i for i in held])
    index_names(conn, [("c:" + customer_id, c.get("name"), recency_key(c.get("first_registered_at")), tags[customer_id],
                        c.get("phone_masked"), c.get("owner_name")) for customer_id, (c, _, _) in customers.items()])
    conn.executemany(
        "insert or replace into customers (customer_id, phone_hash, phone_masked, phone, name, owner,"
        " owner_name, status, protected_until, first_registered_at, split, explanation, change_id,"
        " first_ever_registered_at, approval) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(c["customer_id"], tags[c["customer_id"]], c.get("phone_masked"), c.get("phone"), c.get("name"),
          c.get("owner"), c.get("owner_name"), c.get("status"), c.get("protected_until"),
          c.get("first_registered_at"), _json_text(c.get("split")), text or _json_text(c.get("explanation") or []),
          change_id, c.get("first_ever_registered_at"), c.get("approval"))  # awaiting: 待总监审批 (QA of issue 12 L1)
         for c, change_id, text in customers.values()])


def _record_row(r: Mapping[str, Any], change_id: int, site: tuple | None, conn: sqlite3.Connection,
                text: str | None = None, own: Mapping[str, str] | None = None) -> tuple:
    """A pulled record as its ``records`` row, filed under its customer's phone tag (issue 14:
    the server's ``phone_tag``; when the server had none yet, the outbox's for an own record
    (``own``, from ``own_record_tags``), else computed here); ``text``: the record's JSON as it
    arrived, else encoded."""
    customer = r.get("customer") or {}
    key_hash = r.get("phone_tag") or (own or {}).get(r["id"])
    if not key_hash and customer.get("phone") and site is not None:
        key_hash = tag_of_typed(conn, customer["phone"], site[1] or "CN")
    return (r["id"], r.get("type"), r.get("rep"), key_hash, customer.get("name"), r.get("captured_at"),
            r.get("estimated_at"), r.get("clock_method"), r.get("device_id"), r.get("received_at"),
            text or dumps(dict(r)), change_id)
