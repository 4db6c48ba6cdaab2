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
from dataclasses import dataclass, field
from datetime import datetime

from shared.timeutil import parse_time, site_zone

from .base import ConfirmationRow, ConflictRow, CustomerRow, DecisionRow, Device, StoredRecord

__all__ = ["ReportingStore", "ConfirmationRow", "RecordView", "DeviceReport", "CustomerTimeline",
           "CountRow"]


COUNTED_TYPES = ("walkin", "call", "deal", "visit_report", "follow_up", "complaint")
"""The record types the numbers count."""


@dataclass(frozen=True)
class RecordView:
    """A stored record with what a person needs next to it: the device it came from (the
    desk), the display names of its rep and author, its customer, its confirmation."""

    record: StoredRecord
    device_name: str = ""
    rep_name: str = ""
    author_name: str = ""
    customer_id: str | None = None
    confirmation: ConfirmationRow | None = None
    withdrawn: bool = False
    superseded: bool = False

    @property
    def data(self) -> dict:
        return self.record.wire.get("data") or {}

    @property
    def customer_name(self) -> str:
        return (self.record.wire.get("customer") or {}).get("name") or self.record.name


@dataclass(frozen=True)
class DeviceReport:
    """A tablet as a manager checks it: who uses it, when it last synced, whether records are
    missing (``gaps``: seq numbers below the highest received that never arrived)."""

    device: Device
    user_name: str
    role: str
    last_sync: str | None
    highest_seq: int
    gaps: list[int] = field(default_factory=list)
    gap_count: int = 0  # may exceed len(gaps) when the list is cut short


@dataclass(frozen=True)
class CustomerTimeline:
    customer: CustomerRow
    records: list[RecordView]
    decisions: list[DecisionRow]
    conflicts: list[ConflictRow]


@dataclass(frozen=True)
class CountRow:
    """One group of the statistics: records of ``type`` on a site-local ``day`` with the same
    source, rep and first/return visit, and how many there were."""

    day: str
    type: str
    source: str | None
    rep: str | None
    visit: str | None
    count: int


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

    def counts(self, site_id: str, start: datetime, end: datetime, utc_offset_minutes: int) -> list[CountRow]:
        """Record counts grouped by local day, type, source, rep and first/return visit
        (withdrawn and superseded records not counted). Backend-independent: built on ``records``."""
        zone = site_zone(utc_offset_minutes)
        groups: dict[tuple, int] = {}
        for view in self.records(site_id, COUNTED_TYPES, start, end):
            if view.withdrawn or view.superseded:
                continue
            r = view.record
            key = (parse_time(r.estimated_at).astimezone(zone).date().isoformat(), r.type,
                   view.data.get("source"), r.rep, view.data.get("visit"))
            groups[key] = groups.get(key, 0) + 1
        return [CountRow(*key, count=n) for key, n in sorted(groups.items(), key=lambda kv: tuple(str(x) for x in kv[0]))]

    # -- conflicts and decisions ---------------------------------------------------------
    @abstractmethod
    def conflicts(self, site_id: str, status: str | None) -> list[ConflictRow]:
        """Conflicts newest first; ``status`` open | decided | None (all)."""

    @abstractmethod
    def conflict(self, site_id: str, conflict_id: str) -> ConflictRow | None: ...

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
    def people(self, site_id: str) -> dict[str, tuple[str, str]]:
        """``username -> (display name, role)`` of the site's users."""

    # -- confirmations (R4) --------------------------------------------------------------
    @abstractmethod
    def confirmations(self, site_id: str, record_ids: Iterable[str]) -> dict[str, ConfirmationRow]:
        """The first confirmation of each of these records that has one."""
