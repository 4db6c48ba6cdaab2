"""The tables the writes keep for the console (issue 11): each record's facts, the numbers'
rollups (``storage/rollups.py``) and the care rows (``storage/care.py``, ``care_calendar.py``),
all recomputed in the transaction that changes what they summarise. Part of the one schema
(``tables.py`` re-exports them; same ``MetaData``)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
)

from .schema_types import CodePointText, metadata

__all__ = ["record_facts", "fact_days", "customer_days", "funnel_days", "visitor_days", "customer_care",
           "complaint_steps", "complaint_cases", "care_calendar"]

record_facts = Table(
    "record_facts", metadata,
    Column("site_id", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("rep", Text),
    Column("phone_key", Text, nullable=False),
    Column("supersedes", Text),
    Column("root_id", Text, nullable=False),
    Column("local_day", Text, nullable=False),
    Column("local_week", Text, nullable=False),
    Column("visit", Text),
    Column("source", Text),
    Column("party_size", Integer),
    Column("stage", Text),
    Column("event", Text),
    Column("amount", Float),
    Column("live", Boolean(create_constraint=False), nullable=False, server_default="1"),
    PrimaryKeyConstraint("site_id", "record_id"),
    Index("record_facts_day", "site_id", "local_day", "type"),
    Index("record_facts_week", "site_id", "local_week", "type"),
    Index("record_facts_root", "site_id", "root_id", "type"),
    Index("record_facts_phone", "site_id", "phone_key", "type"))
"""What the numbers count of each record (``storage/facts.py``), written with it; ``live``
changes, to false, when a later record supersedes it or withdraws its chain, and a ``stage``
deal's ``event`` between ``stage`` and ``repeat`` (``sql/deal_repeats.py``)."""

fact_days = Table(
    "fact_days", metadata,
    Column("site_id", Text, nullable=False),
    Column("local_day", Text, nullable=False),
    Column("local_week", Text, nullable=False),
    Column("rep", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("visit", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("event", Text, nullable=False),
    Column("n", BigInteger, nullable=False),
    Column("amount", Float, nullable=False),
    PrimaryKeyConstraint("site_id", "local_day", "rep", "type", "source", "visit", "stage", "event"))
"""Live facts counted per site, day and what the numbers tell apart (``storage/rollups.py``),
kept in the transaction that writes or retires a fact."""

customer_days = Table(
    "customer_days", metadata,
    Column("site_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("by_rep", Integer, nullable=False),
    Column("rep", Text, nullable=False),
    Column("local_day", Text, nullable=False),
    Column("local_week", Text, nullable=False),
    Column("walkins", Integer, nullable=False),
    Column("firsts", Integer, nullable=False),
    Column("party", Integer, nullable=False),
    Column("prev_day", Text),
    Column("prev_first", Text),
    PrimaryKeyConstraint("site_id", "phone_key", "by_rep", "rep", "local_day"),
    Index("customer_days_day", "site_id", "by_rep", "local_day", "rep", "local_week", "prev_day", "prev_first",
          "firsts", "party"))
"""Per site, customer and day with a live walk-in, over all reps and per rep, with the
customer's previous such day: distinct visitors of any range as a count (``storage/rollups.py``)."""

funnel_days = Table(
    "funnel_days", metadata,
    Column("site_id", Text, nullable=False),
    Column("local_day", Text, nullable=False),
    Column("rep", Text, nullable=False),
    Column("local_week", Text, nullable=False),
    Column("n", BigInteger, nullable=False),
    *[Column(name, BigInteger, nullable=False) for name in ("calls", "registrations", "first_registrations",
                                                            "small_deposits", "large_deposits", "contracts")],
    *[Column(name, Float, nullable=False) for name in ("small_deposit_amount", "large_deposit_amount",
                                                       "contract_amount")],
    Column("cancellations", BigInteger, nullable=False),
    Column("cancelled_amount", Float, nullable=False),
    Column("unit_changes", BigInteger, nullable=False),
    PrimaryKeyConstraint("site_id", "local_day", "rep"))
"""``fact_days`` of the funnel's types (walk-ins, calls, deals) summed per site, day and rep
into the funnel's columns (``storage/rollups.py``): a year is ~4,400 rows, whatever the records."""

visitor_days = Table(
    "visitor_days", metadata,
    Column("site_id", Text, nullable=False),
    Column("by_rep", Integer, nullable=False),
    Column("local_day", Text, nullable=False),
    Column("rep", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("prev", Text, nullable=False),
    Column("local_week", Text, nullable=False),
    Column("n", Integer, nullable=False),
    Column("party", Integer, nullable=False),
    PrimaryKeyConstraint("site_id", "by_rep", "local_day", "rep", "kind", "prev"),
    Index("visitor_days_day", "site_id", "by_rep", "local_day", "rep", "kind", "prev", "local_week", "n", "party"))
"""``customer_days`` pre-summed per site, scope, day and rep by the customers' previous day
(``kind`` ``v``: ``prev_day``; ``f``: ``prev_first`` of first-visit rows; ``""`` for none):
distinct visitors of any range as a sum of these rows (``storage/rollups.py``)."""

customer_care = Table(
    "customer_care", metadata,
    Column("site_id", Text, nullable=False),
    Column("phone_key", Text, nullable=False),
    Column("customer_id", Text, nullable=False),
    Column("name", CodePointText, nullable=False),
    Column("owner", Text, nullable=False),
    Column("due_on", Text),
    Column("last_contact", Text),
    Column("grade", Text),
    Column("tier", Text),
    Column("reason", Text),
    Column("revisit_from", Text),
    PrimaryKeyConstraint("site_id", "phone_key"),
    Index("customer_care_due", "site_id", "owner", "due_on", "name"))
"""Per customer: owner and when next due for contact (``storage/care.py``), kept in the write
that stores their records or changes the customer."""

complaint_steps = Table(
    "complaint_steps", metadata,
    Column("site_id", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("case_id", Text, nullable=False),
    PrimaryKeyConstraint("site_id", "record_id"),
    Index("complaint_steps_case", "site_id", "case_id"))
"""Each complaint record's case (the open record's id, lower case; ``storage/care.py``)."""

complaint_cases = Table(
    "complaint_cases", metadata,
    Column("site_id", Text, nullable=False),
    Column("case_id", Text, nullable=False),
    Column("next_due", Text, nullable=False),
    Column("opened_at", Text, nullable=False),
    PrimaryKeyConstraint("site_id", "case_id"),
    Index("complaint_cases_due", "site_id", "next_due", "opened_at", "case_id"))
"""Unfinished complaint cases with their next deadline as sortable UTC text (``storage/care.py``)."""

care_calendar = Table(
    "care_calendar", metadata,
    Column("site_id", Text, primary_key=True),
    Column("version", Text),
    Column("rebuild_version", Text),
    Column("rebuild_after", Text),
    Column("updated_at", Text, nullable=False))
"""Per site, the working calendar (``shared.working_calendar.calendar_version``) its kept
``complaint_cases`` were computed with (None: unknown), and a ``care rebuild`` under way: the
version it computes with and the last case id it finished (``storage/care_calendar.py``)."""
