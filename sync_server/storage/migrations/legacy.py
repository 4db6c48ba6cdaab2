"""The schema as the pre-Alembic code built it: its named migrations 0001..0006, frozen.

Before Alembic, each backend applied these in order and recorded each name in a
``_migrations`` table. Alembic's first revision (``0001_baseline``) is "these six, applied":
a new database gets them from here, and a database made by the old code gets the ones it
misses (an old server may have stopped at any of them) before it is stamped at the baseline.
Never edit them: databases in the field were built from exactly this text.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Connection

__all__ = ["SQLITE", "POSTGRESQL", "complete", "LEGACY_TABLE"]

LEGACY_TABLE = "_migrations"

SQLITE: list[tuple[str, str]] = [
    ("0001_initial", """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sites (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, validity_days INTEGER NOT NULL, household TEXT NOT NULL,
  region TEXT NOT NULL, utc_offset_minutes INTEGER NOT NULL, close_call_ms INTEGER NOT NULL,
  change_id INTEGER NOT NULL);
CREATE TABLE users (
  username TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), name TEXT NOT NULL,
  role TEXT NOT NULL, password_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1,
  change_id INTEGER NOT NULL);
CREATE INDEX users_site_change ON users(site_id, change_id);
CREATE TABLE devices (
  id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), username TEXT NOT NULL,
  name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, enrolled_at TEXT NOT NULL, revoked_at TEXT,
  last_offset_ms INTEGER, contiguous_seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE anchors (
  device_id TEXT NOT NULL, boot_id TEXT NOT NULL, elapsed_ms INTEGER NOT NULL,
  server_time TEXT NOT NULL, PRIMARY KEY (device_id, boot_id));
CREATE TABLE records (
  id TEXT PRIMARY KEY, site_id TEXT NOT NULL, device_id TEXT NOT NULL, author TEXT NOT NULL,
  seq INTEGER NOT NULL, type TEXT NOT NULL, rep TEXT, phone_key TEXT NOT NULL, household_key TEXT,
  supersedes TEXT, name TEXT NOT NULL DEFAULT '', captured_at TEXT NOT NULL, estimated_at TEXT NOT NULL,
  uncertainty_ms INTEGER NOT NULL, clock_method TEXT NOT NULL, received_at TEXT NOT NULL,
  digest TEXT NOT NULL, wire TEXT NOT NULL, change_id INTEGER NOT NULL);
CREATE UNIQUE INDEX records_device_seq ON records(device_id, seq);
CREATE INDEX records_site_phone ON records(site_id, phone_key);
CREATE INDEX records_site_change ON records(site_id, change_id);
CREATE TABLE customer_links (
  site_id TEXT NOT NULL, phone_key TEXT NOT NULL, linked_key TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (site_id, phone_key, linked_key));
CREATE INDEX customer_links_linked ON customer_links(site_id, linked_key);
CREATE TABLE customers (
  id TEXT PRIMARY KEY, site_id TEXT NOT NULL, phone_key TEXT NOT NULL, name TEXT NOT NULL DEFAULT '',
  owner TEXT, status TEXT, protected_until TEXT, first_registered_at TEXT, split TEXT,
  explanation TEXT NOT NULL DEFAULT '[]', change_id INTEGER NOT NULL, UNIQUE (site_id, phone_key));
CREATE INDEX customers_site_change ON customers(site_id, change_id);
CREATE TABLE conflicts (
  id TEXT PRIMARY KEY, site_id TEXT NOT NULL, customer_id TEXT NOT NULL, phone_key TEXT NOT NULL,
  status TEXT NOT NULL, owner TEXT NOT NULL, flags TEXT NOT NULL, claims TEXT NOT NULL,
  explanation TEXT NOT NULL, opened_at TEXT NOT NULL, decision_id TEXT, change_id INTEGER NOT NULL);
CREATE INDEX conflicts_site_phone ON conflicts(site_id, phone_key);
CREATE INDEX conflicts_site_change ON conflicts(site_id, change_id);
CREATE TABLE decisions (
  id TEXT PRIMARY KEY, site_id TEXT NOT NULL, conflict_id TEXT NOT NULL, phone_key TEXT NOT NULL,
  owner TEXT NOT NULL, split TEXT, reason TEXT NOT NULL, decided_at TEXT NOT NULL, author TEXT NOT NULL,
  covers TEXT NOT NULL);
CREATE INDEX decisions_site_phone ON decisions(site_id, phone_key);
"""),
    ("0002_console_confirmations", """
CREATE TABLE confirmations (
  id TEXT PRIMARY KEY, site_id TEXT NOT NULL, record_id TEXT NOT NULL, author TEXT NOT NULL,
  confirmed_at TEXT NOT NULL);
CREATE INDEX confirmations_site_record ON confirmations(site_id, record_id);
"""),
    # Confirmations reach the tablets (pull kind "confirmation"), so they take change ids; the
    # ones already in the ledger get ids above the head, so tablets pull them too.
    ("0003_confirmation_change_ids", """
ALTER TABLE confirmations ADD COLUMN change_id INTEGER NOT NULL DEFAULT 0;
UPDATE confirmations SET change_id = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'head') + rowid;
UPDATE meta SET value = CAST(max(CAST(value AS INTEGER), (SELECT coalesce(max(change_id), 0) FROM confirmations))
  AS TEXT) WHERE key = 'head';
CREATE INDEX confirmations_site_change ON confirmations(site_id, change_id);
"""),
    ("0004_refused_seqs", """
CREATE TABLE refused_seqs (
  device_id TEXT NOT NULL, seq INTEGER NOT NULL, record_id TEXT, code TEXT NOT NULL,
  message TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (device_id, seq))
"""),
    # When a user was deactivated (issue 8 item 8): records a rep captured before it are still
    # accepted. Users already inactive get the migration's time: the real one was never kept.
    ("0005_user_deactivated_at", """
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
UPDATE users SET deactivated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE active = 0
"""),
    # Console sign-ins live on the server, so sign-out ends them everywhere (issue 9).
    ("0006_console_sessions", """
CREATE TABLE console_sessions (
  token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, started_at TEXT NOT NULL,
  expires_at TEXT NOT NULL, ended_at TEXT);
CREATE INDEX console_sessions_expires ON console_sessions(expires_at)
"""),
]


POSTGRESQL: list[tuple[str, str]] = [
    ("0001_initial", """
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE sites (
  id text PRIMARY KEY, name text NOT NULL, validity_days integer NOT NULL, household text NOT NULL,
  region text NOT NULL, utc_offset_minutes integer NOT NULL, close_call_ms bigint NOT NULL,
  change_id bigint NOT NULL);
CREATE TABLE users (
  username text PRIMARY KEY, site_id text NOT NULL REFERENCES sites(id), name text NOT NULL,
  role text NOT NULL, password_hash text NOT NULL, active boolean NOT NULL DEFAULT true,
  change_id bigint NOT NULL);
CREATE INDEX users_site_change ON users(site_id, change_id);
CREATE TABLE devices (
  id text PRIMARY KEY, site_id text NOT NULL REFERENCES sites(id), username text NOT NULL,
  name text NOT NULL, token_hash text NOT NULL UNIQUE, enrolled_at text NOT NULL, revoked_at text,
  last_offset_ms bigint, contiguous_seq bigint NOT NULL DEFAULT 0);
CREATE INDEX devices_site ON devices(site_id);
CREATE TABLE anchors (
  device_id text NOT NULL, boot_id text NOT NULL, elapsed_ms bigint NOT NULL,
  server_time text NOT NULL, PRIMARY KEY (device_id, boot_id));
CREATE TABLE records (
  id text PRIMARY KEY, site_id text NOT NULL, device_id text NOT NULL, author text NOT NULL,
  seq bigint NOT NULL, type text NOT NULL, rep text, phone_key text NOT NULL, household_key text,
  supersedes text, name text NOT NULL DEFAULT '', captured_at text NOT NULL, estimated_at text NOT NULL,
  uncertainty_ms bigint NOT NULL, clock_method text NOT NULL, received_at text NOT NULL,
  digest text NOT NULL, wire json NOT NULL, change_id bigint NOT NULL);
CREATE UNIQUE INDEX records_device_seq ON records(device_id, seq);
CREATE INDEX records_site_phone ON records(site_id, phone_key);
CREATE INDEX records_site_household ON records(site_id, household_key);
CREATE INDEX records_site_change ON records(site_id, change_id);
CREATE INDEX records_supersedes ON records(site_id, supersedes);
CREATE TABLE customer_links (
  site_id text NOT NULL, phone_key text NOT NULL, linked_key text NOT NULL DEFAULT '',
  PRIMARY KEY (site_id, phone_key, linked_key));
CREATE INDEX customer_links_linked ON customer_links(site_id, linked_key);
CREATE TABLE customers (
  id text PRIMARY KEY, site_id text NOT NULL, phone_key text NOT NULL, name text NOT NULL DEFAULT '',
  owner text, status text, protected_until text, first_registered_at text, split jsonb,
  explanation jsonb NOT NULL DEFAULT '[]', change_id bigint NOT NULL, UNIQUE (site_id, phone_key));
CREATE INDEX customers_site_change ON customers(site_id, change_id);
CREATE TABLE conflicts (
  id text PRIMARY KEY, site_id text NOT NULL, customer_id text NOT NULL, phone_key text NOT NULL,
  status text NOT NULL, owner text NOT NULL, flags jsonb NOT NULL, claims jsonb NOT NULL,
  explanation jsonb NOT NULL, opened_at text NOT NULL, decision_id text, change_id bigint NOT NULL);
CREATE INDEX conflicts_site_phone ON conflicts(site_id, phone_key);
CREATE INDEX conflicts_site_change ON conflicts(site_id, change_id);
CREATE TABLE decisions (
  id text PRIMARY KEY, site_id text NOT NULL, conflict_id text NOT NULL, phone_key text NOT NULL,
  owner text NOT NULL, split jsonb, reason text NOT NULL, decided_at text NOT NULL, author text NOT NULL,
  covers jsonb NOT NULL);
CREATE INDEX decisions_site_phone ON decisions(site_id, phone_key);
"""),
    ("0002_console_confirmations", """
CREATE TABLE confirmations (
  id text PRIMARY KEY, site_id text NOT NULL, record_id text NOT NULL, author text NOT NULL,
  confirmed_at text NOT NULL);
CREATE INDEX confirmations_site_record ON confirmations(site_id, record_id);
"""),
    # Confirmations reach the tablets (pull kind "confirmation"), so they take change ids; the
    # ones already in the ledger get ids above the head, under the writers' lock (postgres.py
    # WRITE_LOCK) so no running worker hands out the same ids meanwhile.
    ("0003_confirmation_change_ids", """
SELECT pg_advisory_xact_lock(440023872116);
ALTER TABLE confirmations ADD COLUMN change_id bigint NOT NULL DEFAULT 0;
WITH numbered AS (SELECT id, row_number() OVER (ORDER BY confirmed_at, id) AS n FROM confirmations)
UPDATE confirmations c SET change_id = (SELECT value::bigint FROM meta WHERE key = 'head') + numbered.n
  FROM numbered WHERE numbered.id = c.id;
UPDATE meta SET value = greatest(value::bigint, (SELECT coalesce(max(change_id), 0) FROM confirmations))::text
  WHERE key = 'head';
CREATE INDEX confirmations_site_change ON confirmations(site_id, change_id);
"""),
    ("0004_refused_seqs", """
CREATE TABLE refused_seqs (
  device_id text NOT NULL, seq bigint NOT NULL, record_id text, code text NOT NULL,
  message text NOT NULL, received_at text NOT NULL, PRIMARY KEY (device_id, seq));
"""),
    # When a user was deactivated (issue 8 item 8): records a rep captured before it are still
    # accepted. Users already inactive get the migration's time: the real one was never kept.
    ("0005_user_deactivated_at", """
ALTER TABLE users ADD COLUMN deactivated_at text;
UPDATE users SET deactivated_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')
  WHERE NOT active;
"""),
    # Console sign-ins live on the server, so sign-out ends them on every worker (issue 9).
    ("0006_console_sessions", """
CREATE TABLE console_sessions (
  token_hash text PRIMARY KEY, username text NOT NULL, started_at text NOT NULL,
  expires_at text NOT NULL, ended_at text);
CREATE INDEX console_sessions_expires ON console_sessions(expires_at);
"""),
]


def complete(conn: Connection) -> list[str]:
    """Apply the legacy migrations ``conn``'s database has not recorded, in order, inside the
    caller's transaction; return their names. Creates ``_migrations`` when missing."""
    postgres = conn.dialect.name == "postgresql"
    dbapi = conn.connection.driver_connection
    if dbapi is None:
        raise RuntimeError("the connection was closed before the legacy migrations ran")
    cursor = dbapi.cursor()  # the DBAPI: no placeholders parsed
    mark = "%s" if postgres else "?"
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {LEGACY_TABLE} (name text PRIMARY KEY, applied_at text NOT NULL)")
    cursor.execute(f"SELECT name FROM {LEGACY_TABLE}")
    done = {row[0] for row in cursor.fetchall()}
    applied = []
    for name, sql in POSTGRESQL if postgres else SQLITE:
        if name in done:
            continue
        for statement in filter(str.strip, sql.split(";")):
            cursor.execute(statement)
        if name == "0001_initial":
            cursor.execute(f"INSERT INTO meta VALUES ('epoch', {mark}), ('head', '0')", (uuid.uuid4().hex,))
        cursor.execute(f"INSERT INTO {LEGACY_TABLE} VALUES ({mark}, {mark})", (name, datetime.now(UTC).isoformat()))
        applied.append(name)
    return applied
