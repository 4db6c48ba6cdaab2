"""FROZEN test fixture: the PostgreSQL schema exactly as the pre-Alembic code (8463b12) built it, as named migrations, applied in order once each.

Same tables and names as ``sqlite_schema.py`` (so the two backends read alike), with
PostgreSQL types: ``bigint`` change ids, ``boolean`` flags, ``jsonb`` for the small structured
columns and ``json`` for a record's wire object (kept exactly as received). Times stay ISO 8601
text with their offset, as in SQLite: the contract hands them out unchanged.

Add a migration by appending ``(name, sql)``; never edit one that shipped. Several server
processes may start at once: each migration runs in its own transaction under a
transaction-scoped advisory lock and re-checks ``_migrations`` once it holds it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg

__all__ = ["MIGRATIONS", "MIGRATION_LOCK", "migrate"]

# pg_advisory_xact_lock keys (bigint); the write lock lives in postgres.py
MIGRATION_LOCK = 0x66_73_6D_69_67  # "fsmig"

MIGRATIONS: list[tuple[str, str]] = [
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


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction; return their names.
    ``conn`` must be in autocommit mode (each migration opens its own transaction)."""
    with conn.transaction():  # two processes creating it at once would collide in pg_type
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name text PRIMARY KEY, applied_at text NOT NULL)")
    applied = []
    for name, sql in MIGRATIONS:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            if conn.execute("SELECT 1 FROM _migrations WHERE name = %s", (name,)).fetchone():
                continue  # applied earlier, or by another process while we waited for the lock
            conn.execute(sql)
            if name == "0001_initial":
                conn.execute("INSERT INTO meta VALUES ('epoch', %s), ('head', '0')", (uuid.uuid4().hex,))
            conn.execute("INSERT INTO _migrations VALUES (%s, %s)", (name, datetime.now(UTC).isoformat()))
        applied.append(name)
    return applied
