"""The schema, defined once (SQLAlchemy Core ``MetaData``) for both databases.

This is the schema at the Alembic head (``storage/migrations``); a test compares it with what
the migrations build on SQLite and PostgreSQL. The tables the writes keep for the console are
defined in ``kept_tables.py`` and re-exported here; the shared column types and the
``MetaData`` live in ``schema_types.py``. Types are chosen so one definition reads alike
on both: ``BigInteger`` ids and counters, ``Boolean`` flags (0/1 on SQLite), JSON columns
(``jsonb`` on PostgreSQL, text on SQLite) and the record's ``wire`` as PostgreSQL ``json``
(kept exactly as received, key order included). Times are ISO 8601 text with their offset on
both databases: the contract hands them out unchanged.

Every table a tablet pulls carries ``change_id`` from its site's counter (``site_heads``).

Keys (issue 10, shardable by site): every table written by a push or read by a pull has a
primary key that starts with ``site_id`` (``SITE_TABLES``), so a Citus deployment distributes
them by site unchanged; ``sites``, ``users``, ``devices`` (identity and token only: what a
push changes on a device lives in ``device_sync``), ``console_sessions`` and ``meta`` are
looked up before a site is known (sign-in, a bearer token) and are small: reference tables
(docs/storage.md, "Sharding by site").
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from .kept_tables import (
    care_calendar,
    complaint_cases,
    complaint_steps,
    customer_care,
    customer_days,
    fact_days,
    funnel_days,
    record_facts,
    visitor_days,
)
from .schema_types import Json, WireJson, metadata

__all__ = ["metadata", "meta", "site_heads", "sites", "users", "devices", "device_sync", "anchors", "records",
           "customer_care", "complaint_steps", "complaint_cases", "care_calendar", "visitor_days", "funnel_days", "customer_links", "customers", "conflicts", "decisions", "handovers", "handover_items", "confirmations",
           "refused_seqs", "held_records", "dismissed_records", "held_phone_tags", "console_sessions", "record_facts", "fact_days", "customer_days", "audit_log", "organisations",
           "directors", "decision_proposals", "SITE_TABLES", "Json", "WireJson"]

meta = Table("meta", metadata, Column("key", Text, primary_key=True), Column("value", Text, nullable=False))
"""``epoch``: a random id made when the database was created; cursors carry it."""

site_heads = Table(
    "site_heads", metadata,
    Column("site_id", Text, primary_key=True),
    Column("head", BigInteger, nullable=False))
"""Per site, the latest change id handed out; its row is the site's write lock on PostgreSQL."""

sites = Table(
    "sites", metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("validity_days", Integer, nullable=False),
    Column("household", Text, nullable=False),
    Column("region", Text, nullable=False),
    Column("utc_offset_minutes", Integer, nullable=False),
    Column("close_call_ms", BigInteger, nullable=False),
    Column("change_id", BigInteger, nullable=False),
    Column("walkin_landlines", Boolean(create_constraint=False), nullable=False, server_default="0"),
    Column("closed_days", Json, nullable=False, server_default="[]"),
    Column("org_id", Text),
    Column("approval", Text, nullable=False, server_default="none"),
    Column("replica_keys", Text, nullable=False, server_default="private"),
    Column("replica_key", Text, nullable=False, server_default=""))
"""``replica_key``: the site's secret for phone tags (issue 14; ``storage.base.Site``)."""

users = Table(
    "users", metadata,
    Column("username", Text, primary_key=True),
    Column("site_id", Text, ForeignKey("sites.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean(create_constraint=False), nullable=False, server_default="1"),
    Column("deactivated_at", Text),
    Column("change_id", BigInteger, nullable=False),
    Column("must_change_password", Boolean(create_constraint=False), nullable=False, server_default="0"),
    Column("duty_periods", Json),
    Column("tag2_since", Text),  # the user's first keys=tag2 pull (issue 14, 0025_phone_tag2)
    Index("users_site_change", "site_id", "change_id"))

devices = Table(
    "devices", metadata,
    Column("id", Text, primary_key=True),
    Column("site_id", Text, ForeignKey("sites.id"), nullable=False),
    Column("username", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("enrolled_at", Text, nullable=False),
    Column("revoked_at", Text),
    Index("devices_site", "site_id"))
"""A device's identity (written at enrolment and revocation only): a reference table."""

device_sync = Table(
    "device_sync", metadata,
    Column("site_id", Text, nullable=False),
    Column("device_id", Text, nullable=False),
    Column("last_offset_ms", BigInteger),
    Column("contiguous_seq", BigInteger, nullable=False, server_default="0"),
    Column("last_pull_at", Text),
    PrimaryKeyConstraint("site_id", "device_id"))
"""What each push changes on its device: the wall-clock offset (ms) and the contiguous seq;
and when it last pulled (UTC ISO 8601, written at most once a minute: migration 0014).
A device without a row has pushed and pulled nothing (offset unknown, contiguous seq 0)."""

anchors = Table(
    "anchors", metadata,
    Column("site_id", Text, nullable=False),
    Column("device_id", Text, nullable=False),
    Column("boot_id", Text, nullable=False),
    Column("elapsed_ms", BigInteger, nullable=False),
    Column("server_time", Text, nullable=False),
    PrimaryKeyConstraint("site_id", "device_id", "boot_id"))

records = Table(
    "records", metadata,
    Column("id", Text, nullable=False),
    Column("site_id", Text, nullable=False),
    Column("device_id", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("type", Text, nullable=False),
    Column("rep", Text),
    Column("phone_key", Text, nullable=False),
    Column("household_key", Text),
    Column("supersedes", Text),
    Column("name", Text, nullable=False, server_default=""),
    Column("captured_at", Text, nullable=False),
    Column("estimated_at", Text, nullable=False),
    Column("uncertainty_ms", BigInteger, nullable=False),
    Column("clock_method", Text, nullable=False),
    Column("received_at", Text, nullable=False),
    Column("digest", Text, nullable=False),
    Column("wire", WireJson, nullable=False),
    Column("change_id", BigInteger, nullable=False),
    PrimaryKeyConstraint("site_id", "id"),
    Index("records_device_seq", "site_id", "device_id", "seq", unique=True),
    Index("records_site_phone", "site_id", "phone_key"),
    Index("records_site_household", "site_id", "household_key"),
    Index("records_site_change", "site_id", "change_id"),
    Index("records_supersedes", "site_id", "supersedes"),
    Index("records_site_type_time", "site_id", "type", "estimated_at"),  # a day's registrations (console)
    Index("records_site_device_received", "site_id", "device_id", "received_at"),  # a tablet's last sync
    Index("records_site_author_phone", "site_id", "author", "phone_key", "household_key"),  # phones a user named
    Index("records_site_rep_phone", "site_id", "rep", "phone_key", "household_key"))  # (issue 14, 0024)

customer_links = Table(
    "customer_links", metadata,
    Column("site_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("linked_key", Text, nullable=False, server_default=""),
    PrimaryKeyConstraint("site_id", "phone_key", "linked_key"),
    Index("customer_links_linked", "site_id", "linked_key"))

customers = Table(
    "customers", metadata,
    Column("id", Text, nullable=False),
    Column("site_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("name", Text, nullable=False, server_default=""),
    Column("owner", Text),
    Column("status", Text),
    Column("protected_until", Text),
    Column("first_registered_at", Text),
    Column("split", Json),
    Column("explanation", Json, nullable=False, server_default="[]"),
    Column("change_id", BigInteger, nullable=False),
    Column("phone_tag", Text),
    Column("phone_tag2", Text),
    PrimaryKeyConstraint("site_id", "id"),
    UniqueConstraint("site_id", "phone_key"),
    Index("customers_site_change", "site_id", "change_id"),
    Index("customers_site_name", "site_id", "name", "id"),  # the console's search
    Index("customers_untagged", "site_id", "id", sqlite_where=text("phone_tag IS NULL"),
          postgresql_where=text("phone_tag IS NULL")),  # the tagger's work list (issue 14)
    Index("customers_untagged2", "site_id", "id", sqlite_where=text("phone_tag2 IS NULL"),
          postgresql_where=text("phone_tag2 IS NULL")))  # and for keys=tag2 (0025_phone_tag2)

conflicts = Table(
    "conflicts", metadata,
    Column("id", Text, nullable=False),
    Column("site_id", Text, nullable=False),
    Column("customer_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("flags", Json, nullable=False),
    Column("claims", Json, nullable=False),
    Column("explanation", Json, nullable=False),
    Column("opened_at", Text, nullable=False),
    Column("decision_id", Text),
    Column("change_id", BigInteger, nullable=False),
    PrimaryKeyConstraint("site_id", "id"),
    Index("conflicts_site_phone", "site_id", "phone_key"),
    Index("conflicts_site_status", "site_id", "status"),
    Index("conflicts_site_change", "site_id", "change_id"))

decisions = Table(
    "decisions", metadata,
    Column("id", Text, nullable=False),
    Column("site_id", Text, nullable=False),
    Column("conflict_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("split", Json),
    Column("reason", Text, nullable=False),
    Column("decided_at", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("covers", Json, nullable=False),
    PrimaryKeyConstraint("site_id", "id"),
    Index("decisions_site_phone", "site_id", "phone_key"))

handovers = Table(
    "handovers", metadata,
    Column("id", Text, nullable=False),
    Column("site_id", Text, nullable=False),
    Column("from_rep", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("method", Text, nullable=False),
    Column("deals_too", Boolean(create_constraint=False), nullable=False),
    Column("seed", Text),
    Column("algorithm", Text),
    Column("receivers", Json, nullable=False),
    Column("drawn", Json, nullable=False),
    Column("result", Json, nullable=False),
    PrimaryKeyConstraint("site_id", "id"))
"""Managers' hand-overs of a leaving rep's customers (001 §14(五)3(12)); append-only."""

handover_items = Table(
    "handover_items", metadata,
    Column("site_id", Text, nullable=False),
    Column("handover_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("customer_id", Text, nullable=False),
    Column("to_rep", Text, nullable=False),
    PrimaryKeyConstraint("site_id", "handover_id", "phone_key"),
    Index("handover_items_site_phone", "site_id", "phone_key"))
"""The customers (phone keys) each hand-over moves: the ownership recompute reads them by key."""

confirmations = Table(
    "confirmations", metadata,
    Column("id", Text, nullable=False),
    Column("site_id", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("confirmed_at", Text, nullable=False),
    Column("change_id", BigInteger, nullable=False, server_default="0"),
    PrimaryKeyConstraint("site_id", "id"),
    Index("confirmations_site_record", "site_id", "record_id"),
    Index("confirmations_site_change", "site_id", "change_id"))

refused_seqs = Table(
    "refused_seqs", metadata,
    Column("site_id", Text, nullable=False),
    Column("device_id", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("record_id", Text),
    Column("code", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("received_at", Text, nullable=False),
    PrimaryKeyConstraint("site_id", "device_id", "seq"))

held_records = Table(
    "held_records", metadata,
    Column("site_id", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("held_at", Text, nullable=False),
    # the record's estimated capture time (UTC ISO 8601, as records.estimated_at): a push's held
    # records in the order they were captured (QA5 F6c), 0023_held_capture_order
    Column("captured_at", Text, nullable=False, server_default=""),
    PrimaryKeyConstraint("site_id", "record_id"),
    Index("held_records_site_phone", "site_id", "phone_key", "author"),
    Index("held_records_site_time", "site_id", "held_at", "captured_at", "record_id"),  # the console's page
    Index("held_records_site_author", "site_id", "author", "held_at", "captured_at", "record_id"))  # by pusher
"""Accepted records whose effect on the ownership index waits for a manager (issue 14, the
second phone oracle, ``services/record_budget.py``); a row goes when its phone is released, or
moves to ``dismissed_records`` when a manager refuses it."""

dismissed_records = Table(
    "dismissed_records", metadata,
    Column("site_id", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("held_at", Text, nullable=False),
    Column("dismissed_at", Text, nullable=False),
    Column("dismissed_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    PrimaryKeyConstraint("site_id", "record_id"),
    Index("dismissed_records_site_phone", "site_id", "phone_key", "author"))
"""Held records a manager refused (不予确认, issue 14 N3): stored, never settled, never released;
who refused them, when (UTC ISO 8601) and why (the manager's words)."""

held_phone_tags = Table(
    "held_phone_tags", metadata,
    Column("site_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("phone_tag", Text),
    Column("phone_tag2", Text),
    PrimaryKeyConstraint("site_id", "phone_key"),
    Index("held_phone_tags_untagged", "site_id", "phone_key", sqlite_where=text("phone_tag IS NULL"),
          postgresql_where=text("phone_tag IS NULL")),
    Index("held_phone_tags_untagged2", "site_id", "phone_key", sqlite_where=text("phone_tag2 IS NULL"),
          postgresql_where=text("phone_tag2 IS NULL")))
"""Both tags of every phone a held or refused record named (issue 13/14, ``0026_held_phone_tags``):
such a phone has no customer row, yet a manager's pull gives the record its tag (the tagger's)."""

console_sessions = Table(
    "console_sessions", metadata,
    Column("token_hash", Text, primary_key=True),
    Column("username", Text, nullable=False),
    Column("started_at", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
    Column("ended_at", Text),
    Column("reveal", Text),  # a one-time answer for this sign-in (console/reveal.py), None once shown
    Index("console_sessions_expires", "expires_at"))

audit_log = Table(
    "audit_log", metadata,
    Column("site_id", Text, nullable=False),
    Column("id", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("actor", Text),
    Column("source", Text, nullable=False),
    Column("address", Text, nullable=False, server_default=""),
    Column("action", Text, nullable=False),
    Column("target", Text, nullable=False, server_default=""),
    Column("details", Json, nullable=False, server_default="{}"),
    PrimaryKeyConstraint("site_id", "id"),
    Index("audit_log_site_at", "site_id", "at"))
"""Who did what to people and tablets, when and from where (issue 12); written in the
transaction of the act, never changed. ``actor``: a username (None: the command line, or a
sign-in attempt by a name that is no user); ``source``: console | cli | api;
``address``: the client address, or the OS user for the command line."""

organisations = Table(
    "organisations", metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False))
"""Organisations of several sites (issue 12): a site's ``org_id``, a director's ``org_id``."""

directors = Table(
    "directors", metadata,
    Column("username", Text, primary_key=True),
    Column("org_id", Text, ForeignKey("organisations.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean(create_constraint=False), nullable=False, server_default="1"))
"""Sales directors (销售总监): people of an organisation, not of a site; never pulled by tablets."""

decision_proposals = Table(
    "decision_proposals", metadata,
    Column("site_id", Text, nullable=False),
    Column("id", Text, nullable=False),
    Column("conflict_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("split", Json),
    Column("reason", Text, nullable=False),
    Column("proposed_at", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("covers", Json, nullable=False),
    Column("status", Text, nullable=False),
    Column("reviewer", Text),
    Column("reviewed_at", Text),
    Column("review_reason", Text),
    Column("decision_id", Text),
    PrimaryKeyConstraint("site_id", "id"),
    Index("decision_proposals_site_conflict", "site_id", "conflict_id"),
    Index("decision_proposals_status", "status", "proposed_at"))
"""Managers' decisions awaiting the director's approval (R10); the engine never reads them."""

SITE_TABLES = (site_heads, device_sync, anchors, records, record_facts, fact_days, funnel_days, customer_days,
               visitor_days, customer_care, complaint_steps, complaint_cases, care_calendar, customer_links,
               customers, conflicts, decisions, confirmations, refused_seqs, held_records, dismissed_records, held_phone_tags, handovers, handover_items, audit_log,
               decision_proposals)
"""The tables distributed by site: each primary key starts with ``site_id`` (a test checks)."""
