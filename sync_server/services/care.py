"""Customer care for the manager (issue 11): the complaint queue and overdue contacts by rep,
one page at a time, read from the rows the writes keep (``storage/care.py``).

The rows are computed with the shared rules (``shared.cadence`` for each customer,
``shared.complaints`` on the site's working calendar for each case), the same functions the
tablets run, so the console and a rep's 今日待跟进 agree; the plain computation over every
record (``services.care_plain``) gives the same answers (tests/server/test_care_rows.py).
Counts are SQL over ``customer_care`` / ``complaint_cases``; only the page shown is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.cadence import CadenceDue
from shared.complaints import ComplaintCase
from shared.timeutil import parse_time, site_zone
from shared.working_calendar import DEFAULT_CALENDAR, WorkingCalendar

from ..storage.base import Site
from ..storage.care import case_of
from ..storage.reporting import ReportingStore

__all__ = ["DueCustomer", "RepCare", "CaseQueue", "complaint_queue", "care_by_rep", "rep_customers", "PAGE_SIZE",
           "MOST_OVERDUE"]

PAGE_SIZE = 100
"""Cases, or a rep's customers, a page shows (like the confirm page)."""
MOST_OVERDUE = 5
"""The most overdue customers named beside each rep."""


@dataclass(frozen=True)
class DueCustomer:
    """One customer of a rep with a next due day: ``customer_id``, ``name``, ``due`` (``CadenceDue``)."""

    customer_id: str
    name: str
    due: CadenceDue


@dataclass
class RepCare:
    """A rep on ``today``: customers owned, how many overdue and due today, the
    ``MOST_OVERDUE`` most overdue (most first)."""

    rep: str
    customers: int = 0
    overdue_count: int = 0
    due_count: int = 0
    most_overdue: list[DueCustomer] = field(default_factory=list)


@dataclass(frozen=True)
class CaseQueue:
    """One page of the unfinished complaint cases: ``total`` and ``overdue`` (at the page's
    ``now``) over all of them, ``cases`` (the page's, the soonest next deadline first) from
    ``offset``."""

    total: int
    overdue: int
    offset: int
    cases: list[ComplaintCase]


def _due_customer(row: dict[str, Any]) -> DueCustomer:
    due = CadenceDue(date.fromisoformat(row["due_on"]), parse_time(row["last_contact"]), row["grade"], row["tier"],
                     row["reason"], date.fromisoformat(row["revisit_from"]) if row["revisit_from"] else None)
    return DueCustomer(row["customer_id"], row["name"], due)


def complaint_queue(reporting: ReportingStore, site: Site, now: datetime,
                    calendar: WorkingCalendar = DEFAULT_CALENDAR, offset: int = 0,
                    limit: int = PAGE_SIZE) -> CaseQueue:
    """The site's complaints not yet finished, ``limit`` from ``offset``, the soonest next
    deadline first (``shared.complaints``, 003 and 001 §2 第十一条); each step's time is the
    server's estimated capture time read in the site's zone (a working day is the site's day).
    The page's cases are built again from their live records with ``calendar``."""
    zone = site_zone(site.utc_offset_minutes)
    total, overdue, live, page = reporting.open_cases(site.id, now, offset, limit)
    cases = [c for key in page if (c := case_of(key, live.get(key, []), zone, calendar)) is not None]
    return CaseQueue(total, overdue, offset, cases)


def care_by_rep(reporting: ReportingStore, site: Site, today: date) -> list[RepCare]:
    """For each rep owning customers: how many they own, how many are overdue and due on the
    site day ``today`` (``shared.cadence.next_due``: 000 §五 grades, 003 tiers and first
    revisit, the follow-up's next date) and the most overdue; reps with the most overdue first
    (then, between as many, the one whose customer waits longest)."""
    reps = [RepCare(owner, n, late, due) for owner, n, late, due in reporting.care_by_rep(site.id, today)]
    for rep in reps:
        if rep.overdue_count:
            rep.most_overdue = [_due_customer(r) for r in reporting.care_customers(site.id, rep.rep, before=today,
                                                                                   limit=MOST_OVERDUE)]
    return sorted(reps, key=lambda r: (-r.overdue_count,
                                       -max((d.due.days_overdue(today) for d in r.most_overdue), default=0), r.rep))


def rep_customers(reporting: ReportingStore, site: Site, rep: str, offset: int = 0,
                  limit: int = PAGE_SIZE) -> list[DueCustomer]:
    """``rep``'s customers with a next due day, ``limit`` from ``offset``: the most overdue
    first, then due today, then upcoming (soonest first), each by name."""
    return [_due_customer(r) for r in reporting.care_customers(site.id, rep, offset=offset, limit=limit)]
