"""The ownership engine's inputs and answers: timed records, decisions, claims, conflicts,
and the ownership of one customer (or household). Plain values, no logic beyond views."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from .clocks import CaptureEstimate
from .explain import Step
from .records import Record

__all__ = ["TimedRecord", "ManagerDecision", "HandOver", "Claim", "Conflict", "Ownership", "STATUSES", "CONFLICT_FLAGS"]

STATUSES = ("protected", "lapsed", "deal", "disputed")
CONFLICT_FLAGS = ("close_call", "unverified_clock", "impossible_clock", "clock_disagrees", "moved_by_correction",
                  "after_decision", "household")


@dataclass(frozen=True)
class TimedRecord:
    """A record with the server's estimate of its capture time and the device that sent it."""

    record: Record
    estimate: CaptureEstimate
    device_id: str = ""
    device_name: str = ""


@dataclass(frozen=True)
class ManagerDecision:
    """A manager's ruling (R10/R11): who owns, an optional split summing to 100, and why.
    ``covers`` are the claim (record) ids the manager saw when deciding."""

    id: str
    owner: str
    reason: str
    decided_at: datetime
    author: str
    covers: frozenset[str] = frozenset()
    split: Mapping[str, int] | None = None


@dataclass(frozen=True)
class HandOver:
    """A manager's hand-over of one customer (or household) from a leaving rep to another
    (请长假或调离, 001 §14(五)3(12)): from ``at`` on, ``to_rep`` holds what ``from_rep`` held.
    ``id``: the hand-over's id (one hand-over covers many customers); ``method``: ``draw``
    (随机抽数) or ``choice`` (the manager chose); ``deals_too``: a customer with a deal moves
    too (otherwise the deal's commission owner keeps it, R9)."""

    id: str
    from_rep: str
    to_rep: str
    at: datetime
    author: str
    reason: str
    method: str = "draw"
    deals_too: bool = False


@dataclass(frozen=True)
class Claim:
    """A registration that competes for the customer, as a manager sees it."""

    record_id: str
    rep: str
    kind: str  # walkin | deal
    customer_key: str
    device_id: str
    device_name: str
    captured_at: datetime
    estimated_at: datetime
    uncertainty_ms: int
    clock_method: str
    moved_at: datetime | None = None  # when a correction moved it to this phone from another (QA of issue 15)

    def as_dict(self) -> dict:
        """The claim as the protocol's conflicts list it; ``moved_at`` only when a correction
        moved the registration to this phone (an extension: absent otherwise)."""
        return {"record_id": self.record_id, "rep": self.rep, "kind": self.kind,
                "customer_key": self.customer_key, "device_id": self.device_id,
                "device_name": self.device_name, "captured_at": self.captured_at.isoformat(),
                "estimated_at": self.estimated_at.isoformat(), "uncertainty_ms": self.uncertainty_ms,
                "clock": self.clock_method, **({"moved_at": self.moved_at.isoformat()} if self.moved_at else {})}


@dataclass(frozen=True)
class Conflict:
    """Live claims that met. ``owner`` is who the rule (or the decision) gives the customer."""

    claims: tuple[Claim, ...]
    owner: str
    flags: tuple[str, ...]
    opened_at: datetime
    decision_id: str | None
    steps: tuple[Step, ...]
    first_claim_id: str | None = None  # the claim the rule counted as registered first (R1)
    lapsed: bool = False  # undecided, and its episode's protection lapsed (R2): nothing to decide

    @property
    def claim_ids(self) -> frozenset[str]:
        return frozenset(c.record_id for c in self.claims)

    @property
    def status(self) -> str:
        """``open`` (a manager should decide), ``decided``, or ``lapsed`` (undecided, and the
        protection it was about lapsed, R2)."""
        if self.decision_id is not None:
            return "decided"
        return "lapsed" if self.lapsed else "open"


@dataclass(frozen=True)
class Ownership:
    """The answer for one customer (or household). ``status`` is None when nobody ever claimed.
    ``first_registered_at`` is when the current claim began (the protocol's field, which the
    tablet rebuilds the owner's claim from); ``first_ever_at`` when the customer first
    registered at all, before any lapse."""

    owner: str | None
    status: str | None
    protected_until: datetime | None
    first_registered_at: datetime | None
    owner_claim: Claim | None
    live_claims: tuple[Claim, ...]
    split: Mapping[str, int] | None
    referral: Mapping[str, object] | None
    conflicts: tuple[Conflict, ...]
    explanation: tuple[Step, ...]
    history: tuple[Step, ...]
    first_ever_at: datetime | None = None  # the first claim of any episode (item 10: 首次登记)

