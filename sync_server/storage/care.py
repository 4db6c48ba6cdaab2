"""What the care page reads instead of every contact and complaint (issue 11): one row per
customer (``customer_care``) and one per unfinished complaint case (``complaint_cases``), kept
in the write that changes their inputs (``storage/sql/care.py``) by recomputing only the
touched customers and cases with the shared rules, the same functions the tablets run.

- ``customer_care``: per site and customer (``phone_key``): ``customer_id``, ``name``,
  ``owner`` (``""`` for none) and what ``shared.cadence.next_due`` gives over the customer's
  live contacts (records of ``CONTACT_TYPES`` no later record corrects or withdraws), each at
  its chain's original's estimated time (a correction moves nothing in time) read in the site's
  zone: ``due_on`` (site day, ``YYYY-MM-DD``; None without any contact),
  ``last_contact`` (ISO 8601 with the site's offset), ``grade``, ``tier``, ``reason``,
  ``revisit_from``. A customer without a live contact counts from their first registration
  (``first_registered_at``), as a walk-in.
- ``complaint_steps``: every complaint record's case (``shared.complaints.case_keys``: the
  original ``open`` record's id, lower case — its own for an ``open`` original, its original's
  for a correction, the case of the record named by ``refers_to`` for a later step), so a
  case's records are one index read and a corrected opening keeps its steps (QA of issue 11, F1).
- ``complaint_cases``: per unfinished case (``shared.complaints.build_case`` over the case's
  live records on the site's ``WorkingCalendar``): ``next_due`` and ``opened_at`` as UTC text
  of fixed width (``utc_key``: sorts as the instants do), the soonest deadline first.

Pure: the rows are functions of records, the customer row and the site (zone, closed days).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from shared.cadence import (
    CONTACT_TYPES,
    CadenceDue,
    CadencePolicy,
    Contact,
    contact_from_record,
    next_due,
)
from shared.complaints import ComplaintCase, ComplaintStep, build_case
from shared.timeutil import parse_time
from shared.working_calendar import WorkingCalendar

from .base import CustomerRow, StoredRecord

__all__ = ["CARE_COLUMNS", "CONTACT_TYPES", "care_row", "case_of", "case_row", "contact_at", "due_of",
           "step_of", "utc_key"]

CARE_COLUMNS = ("site_id", "phone_key", "customer_id", "name", "owner", "due_on", "last_contact", "grade", "tier",
                "reason", "revisit_from")


def utc_key(moment: datetime) -> str:
    """``moment`` (aware) as UTC text of fixed width (``YYYY-MM-DDTHH:MM:SS.ffffff``), which
    sorts as the instants do."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def contact_at(kind: str, estimated_at: str, data: Any, zone: tzinfo) -> Contact | None:
    """The cadence contact of a stored record (None for a type that is not a contact) from its
    columns: its ``type``, the estimated time to count it at (stored ISO text: a correction's
    original's, ``sql/care.py`` ``root_times``) read in the site's ``zone``, and ``data`` (its
    wire's, ``None`` read as ``{}``)."""
    if kind not in CONTACT_TYPES:
        return None
    return contact_from_record(kind, parse_time(estimated_at).astimezone(zone), data or {})


def due_of(customer: CustomerRow, contacts: Iterable[Contact | None], zone: tzinfo,
           policy: CadencePolicy | None = None) -> CadenceDue | None:
    """``shared.cadence.next_due`` of a customer's live ``contacts``; without any, from their
    first registration as a walk-in; None when neither exists."""
    found = [c for c in contacts if c is not None]
    if not found and customer.first_registered_at:
        found = [c for c in [contact_from_record("walkin", parse_time(customer.first_registered_at).astimezone(zone),
                                                 {})] if c is not None]
    return next_due(found, policy)


def care_row(customer: CustomerRow, due: CadenceDue | None) -> dict[str, Any]:
    """The ``customer_care`` row (a dict of ``CARE_COLUMNS``) of ``customer`` and its ``due``."""
    return {"site_id": customer.site_id, "phone_key": customer.phone_key, "customer_id": customer.id,
            "name": customer.name or "", "owner": customer.owner or "",
            "due_on": due.due_on.isoformat() if due else None,
            "last_contact": due.last_contact.isoformat() if due else None,
            "grade": due.grade if due else None, "tier": due.tier if due else None,
            "reason": due.reason if due else None,
            "revisit_from": due.revisit_from.isoformat() if due and due.revisit_from else None}


def step_of(record: StoredRecord, zone: tzinfo, live: bool = True) -> ComplaintStep:
    """A complaint record as a case step: its estimated time in the site's ``zone``, its
    ``data``, the customer's name as captured (else the record's) and phone key, the rep, the
    record it corrects; ``live`` False for a version corrected or withdrawn since."""
    return ComplaintStep(record.id, parse_time(record.estimated_at).astimezone(zone), record.wire.get("data") or {},
                         (record.wire.get("customer") or {}).get("name") or record.name, record.phone_key, record.rep,
                         record.supersedes, live)


def case_of(case_id: str, kept: Sequence[tuple[StoredRecord, bool]], zone: tzinfo,
            calendar: WorkingCalendar) -> ComplaintCase | None:
    """The case ``case_id`` built from the records kept under it (``complaint_steps``), each with
    whether it is live (``shared.complaints.build_case`` over the live ones, opened at the
    original opening's time: a correction moves nothing in time); None when no live ``open``
    record is among them (withdrawn)."""
    steps = sorted((step_of(r, zone, live) for r, live in kept), key=lambda s: (s.at, s.id))
    opened = next((s for s in steps if s.live and s.data.get("status") == "open"), None)
    if opened is None:
        return None
    original = next((s.at for s in steps if s.id.lower() == case_id), None)
    return build_case(opened, [s for s in steps if s.live and s.data.get("status") != "open"], calendar, case_id,
                      original)


def case_row(site_id: str, case: ComplaintCase | None) -> dict[str, Any] | None:
    """The ``complaint_cases`` row of an unfinished case, None for a finished (or no) case."""
    nxt = case.next_deadline() if case is not None else None
    if case is None or nxt is None:
        return None
    return {"site_id": site_id, "case_id": case.id.lower(), "next_due": utc_key(nxt.due),
            "opened_at": utc_key(case.opened_at)}
