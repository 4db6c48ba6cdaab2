"""What the manager console reads, as one abstract interface (the writes stay in ``Store``).

The console never writes SQL and never reaches into the sync tables directly: it asks a
``ReportingStore`` for rows shaped for people (registrations with their desk and
confirmation, devices with their gaps, a customer's whole timeline). Each database backend
implements it next to its ``Store`` (``sqlite_reporting.py``). Everything is scoped to one
site: a manager never sees another site's rows.

Times in and out are aware ``datetime`` values; "a day" is a site-local calendar day, turned
into ``[start, end)`` instants by the caller.

The only thing the console adds to the database is the day confirmation (R4), kept in an
append-only ledger: a confirmation is a fact with an author and a time, never an edit of
the registration it confirms. It is written through ``Store.add_confirmations`` (it takes a
change id, so tablets pull it); this interface only reads it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from shared.timeutil import parse_time
from shared.versions import version_order

from .audit import AuditPage
from .base import (
    ConfirmationRow,
    ConflictRow,
    CustomerRow,
    DecisionRow,
    StoredRecord,
)
from .report_rows import (
    COUNTED_TYPES,
    FUNNEL_GROUPS,
    CountRow,
    CustomerTimeline,
    DeviceReport,
    FunnelRow,
    RecordView,
)

if TYPE_CHECKING:
    from .day_tally import DayEnd, TallyRow

__all__ = ["ReportingStore", "ConfirmationRow", "RecordView", "DeviceReport", "CustomerTimeline",
           "CountRow", "FunnelRow", "FUNNEL_GROUPS", "COUNTED_TYPES", "DEAL_WITHDRAWN"]

DEAL_WITHDRAWN = "withdrawn"
"""``ReportingStore.repeated_deals``' answer for a deal whose chain a withdrawal took out."""


class ReportingStore(ABC):
    """Read side of the console. See the module docstring."""

    # -- records -------------------------------------------------------------------------
    @abstractmethod
    def records(self, site_id: str, types: Sequence[str], start: datetime, end: datetime) -> list[RecordView]:
        """Records of these types estimated captured in ``[start, end)``, in time order,
        latest versions only (a superseded or withdrawn record is marked, not dropped)."""

    @abstractmethod
    def records_by_ids(self, site_id: str, ids: Iterable[str]) -> list[RecordView]:
        """The site's records among ``ids`` (other sites' ids are simply not found)."""

    @abstractmethod
    def records_superseding(self, site_id: str, ids: Iterable[str]) -> list[RecordView]:
        """The site's records whose ``supersedes`` is one of ``ids`` (corrections, withdrawals)."""

    def day_records(self, site_id: str, types: Sequence[str], start: datetime, end: datetime) -> list[RecordView]:
        """Every version of the registrations captured in ``[start, end)``, each on its
        original's day (``at``), a correction made days later included and one of an earlier
        day's record left out (R4, issue 9 item 4); each version knows the one it corrects and
        the withdrawal that took it out. Ordered by ``at``. Backend-independent."""
        return self._chains(site_id, types, [v for v in self.records(site_id, types, start, end)
                                             if not v.record.supersedes])

    def chains(self, site_id: str, types: Sequence[str], root_ids: Iterable[str]) -> list[RecordView]:
        """``day_records`` of the chains whose originals are ``root_ids`` only (records of
        ``types`` that correct nothing; other ids are left out): the confirm page's rows of one
        page (``DayEnd.root_id``), whatever the size of the day."""
        return self._chains(site_id, types, [v for v in self.records_by_ids(site_id, root_ids)
                                             if v.record.type in types and not v.record.supersedes])

    @abstractmethod
    def range_chains(self, site_id: str, types: Sequence[str], start: datetime, end: datetime) -> list[RecordView]:
        """``day_records(site_id, types, start, end)``'s rows, the same views in the same order,
        read in a few set-based statements (a recursive walk down the chains; names, customers,
        confirmations and dismissals joined, not looked up by ``IN`` lists a level at a time):
        the exports' rows (issue 11)."""

    def _chains(self, site_id: str, types: Sequence[str], roots: list[RecordView]) -> list[RecordView]:
        views = {v.record.id: replace(v, at=v.record.estimated_at) for v in roots}
        frontier = [v.record.id for v in roots if v.superseded]
        withdrawals: dict[str, RecordView] = {}
        while frontier:
            found = self.records_superseding(site_id, frontier)
            frontier = []
            for child in found:
                parent = views.get(child.record.supersedes or "")
                if parent is None:
                    continue
                if child.record.type == "withdrawal":
                    withdrawals[parent.record.id] = replace(child, at=parent.at)
                elif child.record.type in types and child.record.id not in views:
                    views[child.record.id] = replace(child, at=parent.at)
                    frontier += [child.record.id] if child.superseded else []
        return link_chains(views, withdrawals)

    @abstractmethod
    def day_tally(self, site_id: str, types: Sequence[str], day: date) -> list[TallyRow]:
        """The confirm page's counts of the site-local ``day`` (``storage/day_tally.py``): per
        desk and rep (one row each, in no particular order) the live ends of the chains of
        ``types`` whose original was captured that day (the day the record's facts place it
        on), as ``tally_of_views(day_records(...))`` counts them. SQL (a recursive CTE down the
        chains), on both databases."""

    @abstractmethod
    def day_ends(self, site_id: str, types: Sequence[str], day: date, states: bool = True) -> list[DayEnd]:
        """The same chain ends as ``day_tally`` counts, one light row each, in no particular
        order (``day_tally.ordered_ends`` gives the page's); with ``states`` False without
        their withdrawal and confirmation state (None, False: for the order only, cheaper)."""

    @abstractmethod
    def day_overview(self, site_id: str, types: Sequence[str], day: date) -> tuple[list[TallyRow], list[DayEnd]]:
        """``(day_tally(...), day_ends(...))`` of one walk of the chains, one statement: the
        confirm page's read."""

    @abstractmethod
    def counts(self, site_id: str, start: datetime, end: datetime, utc_offset_minutes: int) -> list[CountRow]:
        """Record counts of ``COUNTED_TYPES`` grouped by local day, type, source, rep and
        first/return visit, over the site-local days ``[start, end)`` covers (withdrawn and
        superseded records not counted; a correction on its original's day). One GROUP BY over
        the ``fact_days`` rollup; ``utc_offset_minutes`` turns the instants into days."""

    @abstractmethod
    def funnel(self, site_id: str, first: date, last: date, by: str) -> list[FunnelRow]:
        """The funnel of the site-local days ``first``..``last`` (inclusive) grouped ``by`` one of
        ``FUNNEL_GROUPS``, groups with nothing left out, ordered by key (``total``: one row, key
        ``""``, always). SQL sums and counts over the rollups kept on write (``storage/rollups.py``;
        rows per day, not per record), exact for any range, on both databases. ValueError for
        an unknown ``by``."""

    # -- conflicts and decisions ---------------------------------------------------------
    @abstractmethod
    def conflicts(self, site_id: str, status: str | None) -> list[ConflictRow]:
        """Conflicts newest first; ``status`` open | decided | None (all)."""

    @abstractmethod
    def conflicts_page(self, site_id: str, status: str, offset: int = 0,
                       limit: int = 100) -> tuple[int, list[ConflictRow]]:
        """``(how many conflicts of status, limit of them from offset)`` in ``conflicts``'s
        order (newest opened first); only the page's rows are read whole."""

    @abstractmethod
    def conflict(self, site_id: str, conflict_id: str) -> ConflictRow | None: ...

    @abstractmethod
    def conflicts_opened(self, site_id: str, start: datetime, end: datetime) -> list[ConflictRow]:
        """The conflicts opened in ``[start, end)``, oldest first (the same instant: greater id
        first): the conflicts export's rows, read by their range, not all the site's (issue 11)."""

    @abstractmethod
    def decisions(self, site_id: str, start: datetime | None = None, end: datetime | None = None) -> list[DecisionRow]:
        """Decisions taken in ``[start, end)`` (all when None), oldest first."""

    @abstractmethod
    def decision(self, site_id: str, decision_id: str) -> DecisionRow | None: ...

    # -- customers -----------------------------------------------------------------------
    @abstractmethod
    def find_customers(self, site_id: str, query: str, limit: int = 50) -> list[CustomerRow]:
        """Customers whose name contains ``query`` or whose phone contains its digits."""

    @abstractmethod
    def customer(self, site_id: str, customer_id: str) -> CustomerRow | None: ...

    @abstractmethod
    def customers_by_ids(self, site_id: str, customer_ids: Iterable[str]) -> dict[str, CustomerRow]:
        """The site's customers among ``customer_ids``, by id (one read, not one per id)."""

    @abstractmethod
    def owned_customers(self, site_id: str, limit: int) -> list[CustomerRow]:
        """Up to ``limit`` customers with an owner, most recently changed first, without their
        ``explanation`` (read as ``[]``: the care view needs who owns whom, not why)."""

    @abstractmethod
    def live_records(self, site_id: str, types: Sequence[str], start: datetime, end: datetime) -> list[StoredRecord]:
        """The records of ``types`` estimated captured in ``[start, end)`` that no later record
        corrects or withdraws (those ``records`` marks ``superseded``), in no particular order:
        plain rows for the care views, without a ``RecordView``'s names, desk and confirmation."""

    # -- care (issue 11; rows kept by the writes, ``storage/care.py``) ---------------------
    @abstractmethod
    def care_by_rep(self, site_id: str, today: date) -> list[tuple[str, int, int, int]]:
        """Per owner (username; customers without an owner left out), in no particular order:
        ``(owner, customers, overdue, due today)`` on the site day ``today`` (a customer is
        overdue when their next due day is before it; one without any contact is neither)."""

    @abstractmethod
    def care_customers(self, site_id: str, owner: str, before: date | None = None, offset: int = 0,
                       limit: int = 100) -> list[dict[str, Any]]:
        """``customer_care`` rows (dicts of ``storage.care.CARE_COLUMNS``) of ``owner``'s
        customers with a next due day, soonest (most overdue) first, then by name; with
        ``before``, only those due before that day (overdue on it); ``limit`` from ``offset``."""

    @abstractmethod
    def open_cases(self, site_id: str, now: datetime, offset: int = 0,
                   limit: int = 100) -> tuple[int, int, dict[str, list[tuple[StoredRecord, bool]]], list[str]]:
        """The site's unfinished complaint cases: ``(how many, how many overdue at now, the
        records of each case of the page by case id — every version, each with whether it is
        live (no later record corrects or withdraws it) —, the page's case ids)``; the page is
        ``limit`` cases from ``offset``, the soonest next deadline first."""

    @abstractmethod
    def customer_ids(self, site_id: str, phone_keys: Iterable[str]) -> dict[str, str]:
        """``phone_key -> customer id`` for the keys that are customers."""

    @abstractmethod
    def timeline(self, site_id: str, customer_id: str) -> CustomerTimeline | None:
        """Everything about one customer (and their household), records in time order."""

    @abstractmethod
    def protection_ending(self, site_id: str, start: datetime, end: datetime) -> list[CustomerRow]:
        """Protected customers whose window ends in ``[start, end)``, soonest first."""

    # -- devices and people --------------------------------------------------------------
    @abstractmethod
    def devices(self, site_id: str) -> list[DeviceReport]: ...

    @abstractmethod
    def export_version(self, site_id: str, records_only: bool = False) -> str:
        """A short text that changes whenever anything the site's exports read changes (equal
        texts: the same export files, ``console/export_cache.py``, issue 11): the latest change id
        of its records (a dismissal, 不予确认, gives its record a new one), confirmations and
        people, and its desks' names; unless ``records_only`` (the record kinds' sheets, which
        read nothing else), also the latest change id of its customers and conflicts and its
        decisions' count and latest time (decisions carry no change id). A change elsewhere in
        the site — a customer's phone tag or owner, a dispute lapsing — leaves a record sheet's
        version as it was. Each latest change id is one index seek (``*_site_change``)."""

    @abstractmethod
    def repeated_deals(self, site_id: str, ids: Iterable[str]) -> dict[str, str]:
        """Which of the deal records ``ids`` the funnel does not count though they are neither
        withdrawn nor corrected (``storage/sql/deal_repeats.py``, ``counted_days``): a repeat of a
        stage its customer's unit already counts (QA of issue 11, F5) with the site-local day
        (``YYYY-MM-DD``) of the deal counted in its place, ``DEAL_WITHDRAWN`` when a withdrawal
        took its chain out (of this version or of another branch of a forked chain), ``""`` for
        the earlier of two corrections of one record (``sql/forks.py``). A superseded version is
        answered too (not live): the caller says it first. The deals export and the customer
        page say so beside each."""

    @abstractmethod
    def people(self, site_id: str) -> dict[str, tuple[str, str]]:
        """``username -> (display name, role)`` of the site's users."""

    @abstractmethod
    def last_sign_ins(self, site_id: str) -> dict[str, str]:
        """``username -> time`` (ISO 8601 UTC) of each user's latest successful sign-in, console
        or tablet enrolment, as the audit log has it (users never signed in since are absent)."""

    # -- audit log (issue 12) ------------------------------------------------------------
    @abstractmethod
    def audit_entries(self, site_ids: Sequence[str], start: datetime | None = None, end: datetime | None = None,
                      person: str | None = None, offset: int = 0, limit: int = 50,
                      action: str | None = None) -> AuditPage:
        """Audit rows of ``site_ids`` (a manager passes their one site; a reader over several
        sites passes them all) acted in ``[start, end)`` (open ends when None), with
        ``person`` only the acts by or on that username, with ``action`` only that act
        (``user.added``…); newest first, ``limit`` rows from ``offset``, with the total matching."""

    # -- confirmations (R4) --------------------------------------------------------------
    @abstractmethod
    def confirmations(self, site_id: str, record_ids: Iterable[str]) -> dict[str, ConfirmationRow]:
        """The first confirmation of each of these records that has one."""


def link_chains(views: dict[str, RecordView], withdrawals: dict[str, RecordView]) -> list[RecordView]:
    """``day_records``' answer from the versions of its chains (``views`` by id, each with its
    original's ``at``) and the withdrawal of each version that has one (by the version's id):
    each version linked to the one it corrects, the withdrawal anywhere up its chain, marked
    ``corrected`` when a version supersedes it and ``outdated`` when it is the earlier tip of a
    forked chain; ordered by ``at``, then its own time, then id."""
    done: dict[str, RecordView] = {}
    corrected = {v.record.supersedes for v in views.values() if v.record.supersedes}

    def linked(view: RecordView) -> RecordView:  # oldest first, so each previous is already linked
        if view.record.id not in done:
            previous = views.get(view.record.supersedes or "")
            before = linked(previous) if previous else None
            # a withdrawal anywhere up the chain takes the whole chain out, as for ownership
            withdrawal = withdrawals.get(view.record.id) or (before.withdrawal if before else None)
            done[view.record.id] = view.linked(before, withdrawal, view.record.id in corrected)
        return done[view.record.id]

    times: dict[str, datetime] = {}

    def instant(text: str) -> datetime:  # a chain's versions share their original's ``at``
        found = times.get(text)
        if found is None:
            found = times[text] = parse_time(text)
        return found

    for view in views.values():
        linked(view)
    # a forked chain (two corrections of one version): the later tip counts, the others are
    # marked ``outdated`` (``shared.versions.version_order``, as ``sql/forks.py`` keeps one live)
    tips: dict[str, list[RecordView]] = {}
    for view in done.values():
        if not view.corrected and view.previous is not None:
            root = view
            while root.previous is not None:
                root = root.previous
            tips.setdefault(root.record.id, []).append(view)
    for forked in (found for found in tips.values() if len(found) > 1):
        latest = max(forked, key=lambda v: version_order(instant(v.record.estimated_at), v.record.id))
        for view in forked:
            if view is not latest:
                done[view.record.id] = replace(view, outdated=True)
    return sorted(done.values(), key=lambda v: (instant(v.at), instant(v.record.estimated_at), v.record.id))
