"""The care page computed plainly (issue 11): what ``services.care`` answered before the
rows kept by the writes (``storage/care.py``), kept as the reference the equivalence tests
compare against (tests/server/test_care_rows.py), like ``storage/sql/funnel_plain.py``.

Both are computed from every stored record with the shared rules (``shared.complaints`` on
the working calendar, ``shared.cadence``). Reads through the ``ReportingStore`` (records of the
site, latest versions; withdrawn and superseded ones left out). At a million records this
reads every contact of the look-back: 88 s (docs/benchmarks.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from shared.cadence import CONTACT_TYPES, CadenceDue, CadencePolicy, contact_from_record, next_due
from shared.complaints import ComplaintCase, ComplaintStep, build_cases
from shared.timeutil import parse_time, site_zone
from shared.versions import original_of
from shared.working_calendar import DEFAULT_CALENDAR, WorkingCalendar

from ..storage.base import Site
from ..storage.reporting import ReportingStore

__all__ = ["complaint_queue", "overdue_by_rep", "RepDue", "DueCustomer", "EVER", "MAX_CUSTOMERS"]

EVER = (datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC))
"""Every record counts, however old (the rows kept by the writes cannot know a look-back
relative to the page's ``now``; before them a 400-day look-back applied here)."""
MAX_CUSTOMERS = 10**9
"""Every owned customer (before the rows, the 100,000 most recently changed)."""


def complaint_queue(reporting: ReportingStore, site: Site, now: datetime,
                    calendar: WorkingCalendar = DEFAULT_CALENDAR) -> list[ComplaintCase]:
    """The site's complaints not yet finished at ``now``, the soonest next deadline first.
    Each step's time is the server's estimated capture time, read in the site's zone (so a
    working day is the site's day)."""
    zone = site_zone(site.utc_offset_minutes)
    # every version (a corrected opening's case is its original's: ``case_keys`` follows the chain)
    views = reporting.records(site.id, ("complaint",), *EVER)
    steps = [ComplaintStep(v.record.id, parse_time(v.record.estimated_at).astimezone(zone), v.data,
                           (v.record.wire.get("customer") or {}).get("name") or v.record.name, v.record.phone_key,
                           v.record.rep, v.record.supersedes, not v.superseded) for v in views]
    cases = [c for c in build_cases(steps, calendar) if c.next_deadline() is not None]
    return sorted(cases, key=lambda c: c.next_deadline().due)  # type: ignore[union-attr]


@dataclass(frozen=True)
class DueCustomer:
    """One customer of a rep who is due: ``customer_id``, ``name``, ``due`` (``CadenceDue``)."""

    customer_id: str
    name: str
    due: CadenceDue


@dataclass
class RepDue:
    """A rep's customers on ``today``: overdue (most overdue first), due today, upcoming."""

    rep: str
    overdue: list[DueCustomer] = field(default_factory=list)
    due_today: list[DueCustomer] = field(default_factory=list)
    upcoming: list[DueCustomer] = field(default_factory=list)
    customers: int = 0

    def all_customers(self) -> list[DueCustomer]:
        """Every customer of the rep with a contact: overdue (most first), due today, then
        upcoming (soonest first)."""
        return [*self.overdue, *self.due_today, *self.upcoming]


def overdue_by_rep(reporting: ReportingStore, site: Site, now: datetime,
                   policy: CadencePolicy | None = None) -> list[RepDue]:
    """For each rep owning customers: how many they own, who is due today and who is overdue
    (``shared.cadence.next_due`` over the customer's live contacts),
    reps with the most overdue first, then the longest wait. ``now``'s day in the site's zone is today."""
    zone = site_zone(site.utc_offset_minutes)
    today: date = now.astimezone(zone).date()
    owned = reporting.owned_customers(site.id, MAX_CUSTOMERS)
    contacts: dict[str, list] = defaultdict(list)  # phone key (one customer each) -> contacts
    views = reporting.records(site.id, CONTACT_TYPES, *EVER)  # every version: a correction counts at its original's time
    by_id = {v.record.id: v.record for v in views}
    parents = {rid: r.supersedes for rid, r in by_id.items()}
    for view in views:
        if view.superseded:
            continue
        record = view.record
        original = by_id[original_of(record.id, parents, by_id)]
        contact = contact_from_record(record.type, parse_time(original.estimated_at).astimezone(zone),
                                      record.wire.get("data") or {})
        if contact is not None:
            contacts[record.phone_key].append(contact)
    reps: dict[str, RepDue] = {}
    for customer in owned:
        row = reps.setdefault(customer.owner or "", RepDue(customer.owner or ""))
        row.customers += 1
        found = contacts.get(customer.phone_key)
        if not found and customer.first_registered_at:  # registered before the look-back: from then on
            found = [contact_from_record("walkin", parse_time(customer.first_registered_at).astimezone(zone), {})]
        due = next_due([c for c in found or () if c is not None], policy)
        if due is None:
            continue
        state = due.state(today)
        if state == "overdue":
            row.overdue.append(DueCustomer(customer.id, customer.name, due))
        elif state == "due":
            row.due_today.append(DueCustomer(customer.id, customer.name, due))
        else:
            row.upcoming.append(DueCustomer(customer.id, customer.name, due))
    for row in reps.values():
        row.overdue.sort(key=lambda d: (-d.due.days_overdue(today), d.name))
        row.due_today.sort(key=lambda d: d.name)
        row.upcoming.sort(key=lambda d: (d.due.due_on, d.name))
    return sorted(reps.values(), key=lambda r: (-len(r.overdue), -max((d.due.days_overdue(today) for d in r.overdue),
                                                                     default=0), r.rep))
