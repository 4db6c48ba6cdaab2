"""The row types the console's read contract (``storage.reporting.ReportingStore``) gives:
a record with its chain and confirmation (``RecordView``), a device's report, a customer's
timeline, the statistics' groups (``CountRow``) and the deal funnel's (``FunnelRow``, 001 §14(三)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .base import (
    ConfirmationRow,
    ConflictRow,
    CustomerRow,
    DecisionRow,
    Device,
    DismissedRecord,
    StoredRecord,
)

__all__ = ["COUNTED_TYPES", "RecordView", "DeviceReport", "CustomerTimeline", "CountRow", "FunnelRow",
           "FUNNEL_GROUPS"]


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
    at: str = ""  # the capture time of the chain's original (R4: a correction stays on its day)
    previous: RecordView | None = None  # the version this one corrects
    withdrawal: RecordView | None = None  # the withdrawal that took this one (or one it corrects) out
    corrected: bool = False  # a later correction supersedes it (set by ``day_records``)
    dismissal: DismissedRecord | None = None  # a manager refused its ownership (不予确认, issue 14 N3)
    outdated: bool = False  # the earlier of two corrections of one version: the later counts (sql/forks.py)

    def linked(self, previous: RecordView | None, withdrawal: RecordView | None, corrected: bool) -> RecordView:
        """This view with its chain's links (``link_chains``): the same as ``dataclasses.replace``
        with those fields, built directly (an export's thousands of rows: replace inspects the
        fields for each)."""
        return RecordView(self.record, self.device_name, self.rep_name, self.author_name, self.customer_id,
                          self.confirmation, withdrawal is not None, self.superseded, self.at, previous, withdrawal,
                          corrected, self.dismissal, self.outdated)

    @property
    def day_at(self) -> str:
        """When the registration counts: its original's capture time, for a correction too."""
        return self.at or self.record.estimated_at

    @property
    def corrected_after_confirmation(self) -> bool:
        """A correction of a confirmed version, not itself confirmed: to confirm again."""
        return self.confirmation is None and self.previous is not None and self.ever_confirmed

    @property
    def ever_confirmed(self) -> bool:
        """Was this version or one it corrects confirmed? (The first confirmation stays.)"""
        return self.confirmation is not None or (self.previous is not None and self.previous.ever_confirmed)

    @property
    def needs_acknowledgement(self) -> bool:
        """Withdrawn after it was confirmed, and the manager has not acknowledged the withdrawal."""
        return self.withdrawal is not None and self.ever_confirmed and self.withdrawal.confirmation is None

    @property
    def data(self) -> dict:
        return self.record.wire.get("data") or {}

    @property
    def customer_name(self) -> str:
        return (self.record.wire.get("customer") or {}).get("name") or self.record.name


@dataclass(frozen=True)
class DeviceReport:
    """A tablet as a manager checks it: who uses it, when it last pushed (``last_sync``: its
    latest record or clock anchor) and last pulled (``last_pull``, to the minute: a rep's tablet
    may only pull), whether records are missing (``gaps``: seq numbers below the highest
    received that never arrived). Times UTC ISO 8601 or None."""

    device: Device
    user_name: str
    role: str
    last_sync: str | None
    highest_seq: int
    gaps: list[int] = field(default_factory=list)
    gap_count: int = 0  # may exceed len(gaps) when the list is cut short

    @property
    def last_pull(self) -> str | None:
        return self.device.last_pull_at


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


FUNNEL_GROUPS = ("day", "week", "month", "rep", "total")
"""How ``ReportingStore.funnel`` groups: by site-local day, ISO week, month, rep, or not at all."""


@dataclass(frozen=True)
class FunnelRow:
    """The funnel 来访 → 小定 → 大定 → 签约 of one group (001 §14(三)), each registration as it
    reads now (withdrawn and superseded versions left out, a correction on its original's day).

    ``key``: the group: a day ``YYYY-MM-DD``, a week by its Monday ``YYYY-MM-DD``, a month
    ``YYYY-MM``, a rep's username (``""``: none), or ``""`` for the total. Counts are of records
    except ``visitors``/``first_visitors`` (distinct customers: one person registered on three
    tablets is one visitor) and ``people`` (来访人数: per customer and day the largest party
    registered, 1 when none was given, summed). Amounts are yuan; a stage counts deal records
    that reached it, once per customer's unit (``shared.deals.repeats``), ``cancellations`` the
    退订, ``unit_changes`` the 换房."""

    key: str
    calls: int = 0
    registrations: int = 0
    first_registrations: int = 0
    visitors: int = 0
    first_visitors: int = 0
    people: int = 0
    small_deposits: int = 0
    large_deposits: int = 0
    contracts: int = 0
    small_deposit_amount: float = 0.0
    large_deposit_amount: float = 0.0
    contract_amount: float = 0.0
    cancellations: int = 0
    cancelled_amount: float = 0.0
    unit_changes: int = 0
