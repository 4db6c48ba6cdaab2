"""Named, versioned migrations of the tablet's SQLite store (sqlite-utils style).

Each migration runs once, in order, inside a transaction, and is recorded by name in
``_migrations``. Never edit a released migration: add a new one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone

from sqlite_utils import Database

from shared.records import validate_record
from shared.timeutil import format_time, parse_time

from .name_index import (
    MAX_INDEXED_LENGTH,
    deletion_keys,
    fold_accents,
    index_keys,
    normalise_name,
    pinyin_key,
    recency_key,
    search_keys,
)
from .name_table import INSERT_NAME_KEY, rekey_decorated_names, unindex_replica
from .phone_keys import purge_unkeyed, retag_own_records
from .replica import forget_unheld_tags

__all__ = ["MIGRATIONS", "migrate"]


def m001_initial(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    # Own records waiting for / answered by the server. state: pending | accepted | rejected.
    db.table("outbox").create({
        "id": str, "seq": int, "type": str, "wire": str, "phone_hash": str, "customer_name": str,
        "rep": str, "captured_at": str, "state": str, "error_code": str, "error_message": str,
        "error_field": str, "superseded_by": str, "supersedes": str, "created_at": str, "answered_at": str,
    }, pk="id", not_null={"seq", "type", "wire", "state"})
    db.table("outbox").create_index(["seq"], unique=True)
    db.table("outbox").create_index(["state", "seq"])
    db.table("outbox").create_index(["phone_hash"])
    # Replica of what the server says (pull changes).
    db.table("site").create({"id": str, "name": str, "validity_days": int, "household": str, "region": str,
                       "utc_offset_minutes": int}, pk="id")
    db.table("users").create({"username": str, "name": str, "role": str, "active": int}, pk="username")
    db.table("customers").create({
        "customer_id": str, "phone_hash": str, "phone_masked": str, "phone": str, "name": str,
        "owner": str, "owner_name": str, "status": str, "protected_until": str,
        "first_registered_at": str, "split": str, "explanation": str, "change_id": int,
    }, pk="customer_id")
    db.table("customers").create_index(["phone_hash"])
    db.table("customers").create_index(["owner"])
    db.table("customers").create_index(["name"])
    db.table("records").create({
        "id": str, "type": str, "rep": str, "phone_hash": str, "customer_name": str, "captured_at": str,
        "estimated_at": str, "clock_method": str, "device_id": str, "received_at": str, "wire": str,
        "change_id": int,
    }, pk="id")
    db.table("records").create_index(["phone_hash"])
    db.table("records").create_index(["rep"])
    db.table("records").create_index(["customer_name"])
    # What the device learned about its clocks at each contact with the server.
    db.table("clock_anchors").create({"id": int, "boot_id": str, "elapsed_ms": int, "server_time": str,
                                "device_time": str, "offset_ms": int}, pk="id")
    db.table("rotation_events").create({"id": int, "day": str, "at": str, "event": str}, pk="id")
    db.table("rotation_events").create_index(["day", "id"])


def m002_name_keys(db: Database) -> None:
    """One-deletion keys of every known customer name (near-duplicate warnings, name_index.py).

    ``ref`` is ``c:<customer_id>`` for the replica, ``o:<record id>`` for own records; the row
    carries what the warning shows, so a look-up reads this table only; ``seen_at`` (UTC)
    lets a look-up take the most recent registrations of a common key first."""
    db.execute("create table name_keys (key text not null, ref text not null, seen_at text not null,"
               " phone_hash text, name text, phone_masked text, owner_name text,"
               " primary key (ref, key)) without rowid")  # (ref, key): re-indexing a customer deletes by ref
    db.execute("create index name_keys_recent on name_keys(key, seen_at desc)")
    rows = []
    for c in db.execute("select customer_id, name, phone_hash, phone_masked, owner_name, first_registered_at"
                        " from customers").fetchall():
        rows += [(k, "c:" + c[0], recency_key(c[5]), c[2], c[1], c[3], c[4]) for k in deletion_keys(c[1])]
    for o in db.execute("select o.id, o.customer_name, o.phone_hash, u.name, o.captured_at from outbox o"
                        " left join users u on u.username = o.rep"
                        " where o.type != 'withdrawal' and o.superseded_by is null").fetchall():
        rows += [(k, "o:" + o[0], recency_key(o[4]), o[2], o[1], "", o[3]) for k in deletion_keys(o[1])]
    db.conn.executemany("insert or ignore into name_keys values (?,?,?,?,?,?,?)", rows)


def m003_confirmations(db: Database) -> None:
    """Pulled ``confirmation`` changes (审核确认, R4): a manager confirmed a walk-in or call.

    Part of the replica (a 410 resync empties it and the next pull brings it back). One row
    per record: the server sends at most one confirmation per record and it never changes.
    ``record_id`` is the primary key, so joining it to the outbox is an index look-up."""
    db.execute("create table confirmations (record_id text primary key, confirmed_by text not null,"
               " confirmed_at text not null, change_id integer)")


def m004_name_pinyin(db: Database) -> None:
    """Homophones (张玮/张伟, both "zhang wei"): every indexed name also gets its toneless pinyin
    key (``name_index.pinyin_key``, a row like the deletion keys: same ``ref``, so re-indexing,
    unindexing and a 410 resync treat it alike) and each row carries the name's pinyin
    (``pinyin``), so a look-up ranks candidates without computing theirs.

    Rebuilt from ``name_keys`` itself: it already holds exactly the names that should warn
    (renames, corrections and withdrawals applied), one name per ``ref``."""
    db.execute("alter table name_keys add column pinyin text")
    refs = db.execute("select ref, min(seen_at), min(phone_hash), min(name), min(phone_masked), min(owner_name)"
                      " from name_keys group by ref").fetchall()
    updates, rows = [], []
    for ref, seen_at, phone_hash, name, phone_masked, owner_name in refs:
        key = pinyin_key(name)
        if key:
            updates.append((key, ref))
            rows.append((key, ref, seen_at, phone_hash, name, phone_masked, owner_name, key))
    db.conn.executemany("update name_keys set pinyin = ? where ref = ?", updates)
    db.conn.executemany("insert or ignore into name_keys(key, ref, seen_at, phone_hash, name, phone_masked,"
                        " owner_name, pinyin) values (?,?,?,?,?,?,?,?)", rows)


def m005_first_ever(db: Database) -> None:
    """The server's ``first_ever_registered_at`` of each customer (issue 9): 首次登记 is the first
    registration ever; ``first_registered_at`` is the current claim's start (after a lapse, a
    new claim). Empty until the next pull brings the customer again."""
    db.execute("alter table customers add column first_ever_registered_at text")


def m006_search_keys(db: Database) -> None:
    """The find screen (issue 14): every indexed name also gets its search keys
    (``name_index.search_keys``: name, pinyin initials, whole pinyin, the phone's last four),
    rows like the others under the same ``ref``; rebuilt from ``name_keys`` as in 004."""
    refs = db.execute("select ref, min(seen_at), min(phone_hash), min(name), min(phone_masked), min(owner_name),"
                      " min(pinyin) from name_keys group by ref").fetchall()
    rows = [(key, ref, seen_at, phone_hash, name, phone_masked, owner_name, pinyin)
            for ref, seen_at, phone_hash, name, phone_masked, owner_name, pinyin in refs
            for key in search_keys(name, phone_masked)]
    db.conn.executemany("insert or ignore into name_keys(key, ref, seen_at, phone_hash, name, phone_masked,"
                        " owner_name, pinyin) values (?,?,?,?,?,?,?,?)", rows)


def m007_site_walkin_landlines(db: Database) -> None:
    """The site's ``walkin_landlines`` setting (issue 14): may a walk-in be registered by a
    landline? No until the next pull of the site says otherwise (the server's default)."""
    db.execute("alter table site add column walkin_landlines integer not null default 0")


def m008_site_closed_days(db: Database) -> None:
    """The site's own closed days (issue 11), a JSON list of ``YYYY-MM-DD``: complaint limits
    on the tablet count working days as the console does. Empty until the next pull."""
    db.execute("alter table site add column closed_days text not null default '[]'")


def _rotation_wire(day: str, at: str, event: dict, turn: int | None, offset_minutes: int) -> dict:
    """An event of the old tablet-only log (``rotation_events``) as a ``rotation`` record."""
    try:
        captured = format_time(parse_time(at))
    except ValueError:  # a naive time: the tablet's wall clock, in the site's offset
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            moment = datetime.combine(date.fromisoformat(day), time(12))
        captured = format_time(moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes))))
    if event.get("kind") == "status":
        data: dict = {"day": day, "event": event.get("status")}
    else:
        data = {"day": day, "event": "receive", "visit": event.get("visit") or "new", "owner": event.get("owner"),
                "reason": event.get("reason"), "turn": turn}
    return {"id": str(uuid.uuid4()), "type": "rotation", "captured_at": captured, "rep": event.get("rep") or None,
            "data": {k: v for k, v in data.items() if v is not None}}


def m009_rotation_records(db: Database) -> None:
    """Issue 12: the rotation log (排班) is shared. Every event of the old tablet-only
    ``rotation_events`` table becomes an own ``rotation`` record (next seqs, pending: the site
    sees them at the next sync; one the server would refuse stays ``local``, kept, never sent);
    the old table stays as it was. New customers get the turn numbers their day's log gave
    them. Indexes find a day's rotation records in the outbox and the replica."""
    site = db.execute("select region, utc_offset_minutes from site limit 1").fetchone()
    region, offset = (site[0] or "CN", site[1] if site[1] is not None else 480) if site else ("CN", 480)
    seq = db.execute("select coalesce(max(seq), 0) from outbox").fetchone()[0]
    turns: dict[str, int] = {}
    rows = []
    for day, at, text in db.execute("select day, at, event from rotation_events order by id").fetchall():
        event = json.loads(text)
        turn = None
        if event.get("kind") == "receive" and (event.get("visit") or "new") == "new":
            turn = turns[day] = turns.get(day, 0) + 1
        seq += 1
        wire = {**_rotation_wire(day, at, event, turn, offset), "seq": seq}
        state = "local" if validate_record(wire, region) else "pending"
        rows.append((wire["id"], seq, "rotation", json.dumps(wire, ensure_ascii=False, separators=(",", ":")),
                     wire.get("rep"), wire["captured_at"], state))
    db.conn.executemany("insert into outbox(id, seq, type, wire, customer_name, rep, captured_at, state, created_at)"
                        " values (?,?,?,?,'',?,?,?, datetime('now'))", rows)
    db.execute("create index outbox_rotation_day on outbox(json_extract(wire, '$.data.day')) where type = 'rotation'")
    db.execute("create index records_rotation_day on records(json_extract(wire, '$.data.day'))"
               " where type = 'rotation'")


def m010_user_duty_times(db: Database) -> None:
    """When each user was deactivated and their periods on the rotation duty list (pull's
    ``user`` change carries ``deactivated_at`` and ``duty_periods``, JSON): a day's board lists
    the reps on duty that day and lets a rep added, deactivated or reactivated during it join or
    leave then (``shared.rotation_duty``, as on the server). Users pulled before keep NULL:
    listed always, or (inactive) on no day, until the next change of them."""
    db.execute("alter table users add column deactivated_at text")
    db.execute("alter table users add column duty_periods text")


def m011_private_replica(db: Database) -> None:
    """Issue 14: the replica names customers by the site's keyed tag (``phone_keys``), not an
    unsalted SHA-256 a rep's script reversed in milliseconds; masks show the last four digits.
    The site row gains the key and the setting; every stored hash and 7-digit mask is purged
    and the cursor dropped (the next sync loads the replica again, ``phone_keys.purge_unkeyed``);
    own records keep all their data."""
    db.execute("alter table site add column replica_key text")
    db.execute("alter table site add column replica_keys text")
    purge_unkeyed(db.conn)


def m012_compact_names(db: Database) -> None:
    """Issue 13: the name index as two tables (``name_table``): ``names``, one row a name with
    what a warning or a search result shows, and ``name_keys`` narrowed to ``(key, seen_at,
    name_id)``, its primary key its only index. Before, each of a name's keys (about eight for
    a named customer) carried the whole name and two indexes: half the tablet's file.

    Rebuilt from the old ``name_keys`` in SQL alone (no row through Python: 100,000 customers
    upgrade as the store opens): it holds exactly the names that should warn, one name per
    ``ref`` (as in 004), and their keys, which keep their rows."""
    db.execute("create table names (id integer primary key autoincrement, ref text not null, seen_at text not null,"
               " phone_hash text, name text, phone_masked text, owner_name text, pinyin text)")
    db.execute("create unique index names_ref on names(ref)")
    db.execute("insert into names(ref, seen_at, phone_hash, name, phone_masked, owner_name, pinyin)"
               " select ref, min(seen_at), min(phone_hash), min(name), min(phone_masked), min(owner_name), min(pinyin)"
               " from name_keys group by ref order by ref")
    db.execute("alter table name_keys rename to name_keys_009")
    db.execute("create table name_keys (key text not null, seen_at text not null, name_id integer not null,"
               " primary key (key, seen_at, name_id)) without rowid")
    db.execute("insert or ignore into name_keys(key, seen_at, name_id) select o.key, o.seen_at, n.id"
               " from name_keys_009 o join names n on n.ref = o.ref order by 1, 2, 3")
    db.execute("drop table name_keys_009")


def m013_partial_pinyin(db: Database) -> None:
    """Names with a character pypinyin cannot read (小明🙂😀, issue 14 F5) had no pinyin key and
    no pinyin search keys; they get them now (``name_index.pinyin_key`` keeps the rest's
    reading). Only such names change, and only by added keys: the rows whose stored pinyin
    differs get it and their new keys (the keys they had stay theirs)."""
    changed, keys = [], []
    for name_id, seen_at, name, masked, stored in db.execute(
            "select id, seen_at, name, phone_masked, pinyin from names").fetchall():
        pinyin, found = index_keys(name, masked)
        if (pinyin or None) != (stored or None):
            changed.append((pinyin, name_id))
            keys += [(key, seen_at, name_id) for key in found]
    db.conn.executemany("update names set pinyin = ? where id = ?", changed)
    db.conn.executemany(INSERT_NAME_KEY, keys)


def m014_rep_tags(db: Database) -> None:
    """Issue 14: a rep's tablet holds the phone tags of its own customers and of numbers its
    own records named, no other (``shared.replica_privacy.holds_phone_tag``); the tags a rep's
    tablet pulled before are dropped here (``replica.forget_unheld_tags``) — a script on it has
    nothing left to test candidates against. Other roles keep theirs."""
    forget_unheld_tags(db.conn)


def m015_long_and_accented_names(db: Database) -> None:
    """QA of issue 14 (L1): a name longer than 40 characters had no find keys, and a Latin name
    with accents none without them (zoe for Zoë); such names get them now, added beside the
    keys they have (``name_index.search_keys``). Other names' keys are unchanged."""
    keys = []
    for name_id, seen_at, name, masked in db.execute("select id, seen_at, name, phone_masked from names").fetchall():
        n = normalise_name(name)
        if len(n) > MAX_INDEXED_LENGTH or fold_accents(n) != n:
            keys += [(key, seen_at, name_id) for key in index_keys(name, masked)[1]]
    db.conn.executemany(INSERT_NAME_KEY, keys)


def m016_customer_approval(db: Database) -> None:
    """QA of issue 12 L1: a pulled customer whose dispute has a decision awaiting the sales
    director carries ``approval`` ``awaiting`` (docs/protocol.md), kept here so the card and the
    walk-in verdict say 待总监审批 instead of 待经理裁定. Customers pulled before keep NULL until
    their next change (the server re-sends a customer when its decision is sent, approved or
    returned). Numbered 016: issue 14's branch adds 015."""
    db.execute("alter table customers add column approval text")


def m017_tag2(db: Database) -> None:
    """Issue 14, "the whole replica years": the tablet names customers by the costlier
    ``shared.phones.phone_tag2`` (scrypt n = 2^13, pull ``keys=tag2``) instead of ``phone_tag``
    (n = 2^11), so that recovering a whole desk replica costs years of one core, not months
    (docs/privacy.md). Every old tag goes: the server's copies (customers, records,
    confirmations) with their names and the cursor — the next sync loads the replica again
    (a ``keys=tag2`` snapshot), as 011 did — and the own records' tags, computed again with
    the new kind (``phone_keys.retag_own_records``; when the key comes if the tablet has none).
    Own records keep every field the user entered; the site and users stay (settings)."""
    for table in ("customers", "records", "confirmations"):
        db.execute(f"delete from {table}")  # noqa: S608 - fixed names
    unindex_replica(db.conn)
    db.execute("delete from meta where key = 'cursor'")
    retag_own_records(db.conn)


def m018_outbox_author(db: Database) -> None:
    """QA of issue 14, H1/H2: who captured each own record (``outbox.author``, the username
    signed in then). A shared tablet switched to another user (切换用户) pushed every unsent
    record with the new user's token: a rep's deal refused as "this role may not submit it"
    once the desk signed in, the desk's walk-in filed as the rep's and its 排班 turn refused.
    Now each record goes with its author's credentials (``SyncClient.push``). Rows from before
    are the signed-in user's, as they were pushed until now."""
    db.execute("alter table outbox add column author text")
    row = db.execute("select value from meta where key = 'user'").fetchone()
    user = json.loads(row[0]) if row else None
    if isinstance(user, dict) and user.get("username"):
        db.execute("update outbox set author = ?", [user["username"]])


def m019_names_without_decoration(db: Database) -> None:
    """QA of issue 14 (M3): names are compared and searched without emoji, pictographs and
    invisible characters (😀王小明👍 is found by 王小明, 王\u200d小红 by 王小红). The names the
    replica and own records already indexed with such characters get the new keys in place of
    the old (``name_table.rekey_decorated_names``); others are untouched. A migration, not a
    rebuild on open: it runs once, and a tablet that never held such a name reads its names
    once and writes nothing."""
    rekey_decorated_names(db.conn)


MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("001_initial", m001_initial),
    ("002_name_keys", m002_name_keys),
    ("003_confirmations", m003_confirmations),
    ("004_name_pinyin", m004_name_pinyin),
    ("005_first_ever", m005_first_ever),
    ("006_search_keys", m006_search_keys),
    ("007_site_walkin_landlines", m007_site_walkin_landlines),
    ("008_site_closed_days", m008_site_closed_days),
    ("009_rotation_records", m009_rotation_records),
    ("010_user_duty_times", m010_user_duty_times),
    ("011_private_replica", m011_private_replica),
    ("012_compact_names", m012_compact_names),
    ("013_partial_pinyin", m013_partial_pinyin),
    ("014_rep_tags", m014_rep_tags),
    ("015_long_and_accented_names", m015_long_and_accented_names),
    ("016_customer_approval", m016_customer_approval),
    ("017_tag2", m017_tag2),
    ("018_outbox_author", m018_outbox_author),
    ("019_names_without_decoration", m019_names_without_decoration),
]


def migrate(db: Database) -> list[str]:
    """Apply every migration not yet applied; return the names applied now."""
    if "_migrations" not in db.table_names():
        db.table("_migrations").create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        with db.conn:
            if not db.conn.in_transaction:  # the store's connection autocommits (isolation_level=None):
                db.conn.execute("begin")  # without this each row of a rebuild is its own fsync'd commit
            step(db)
            db.table("_migrations").insert({"name": name, "applied_at": db.execute("select datetime('now')").fetchone()[0]})
        applied.append(name)
    return applied
