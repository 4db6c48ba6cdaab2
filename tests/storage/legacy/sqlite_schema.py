"""FROZEN test fixture: the SQLite schema exactly as the pre-Alembic code (8463b12) built it, as named migrations, applied in order once each (sqlite-utils style).

Add a migration by appending ``(name, sql)``; never edit one that shipped."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlite_utils

__all__ = ["MIGRATIONS", "migrate"]

MIGRATIONS: list[tuple[str, str]] = [
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


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction; return their names."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("ROLLBACK")  # another process applied it meanwhile
                continue
            for statement in filter(str.strip, sql.split(";")):
                conn.execute(statement)
            if name == "0001_initial":
                conn.execute("INSERT INTO meta VALUES ('epoch', ?), ('head', '0')", (uuid.uuid4().hex,))
            conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, datetime.now(UTC).isoformat()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
