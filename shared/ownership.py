"""Who owns a customer: one pure, deterministic function of the records (客户归属原则).

``decide_ownership`` takes every record of one customer (or one household, R6), each with
its estimated capture time, the site policy and the managers' decisions, and returns the
owner, the status, the protection window, the live claims, the conflicts and the reasoned
steps. It reads no clock and no storage: the tablet calls it offline for a provisional
answer and the server for the authoritative one, and the same inputs always give the same
answer, whatever order or batches the records arrived in.

How it decides, in one pass over the records in estimated-capture-time order
(ties broken by record id):

- a walk-in or deal by a rep is a *claim*. With no owner, or after the owner's window lapsed
  (R2), it starts a new *episode*: that rep owns the customer for ``validity_days``;
- the owner's own later walk-ins, deals and follow-ups renew the window (R2, R5);
- another rep's claim inside the window does not take the customer (R1): it joins the
  episode's open *conflict* for a manager; a household member registered by another rep
  is shared 50/50 or stays with the first receiver (R6, per policy); a return visit received
  on duty (义务接待) for the owner is not a claim (R5);
- calls, visit reports and complaints never claim (R3); referrals claim only when confirmed
  at the visit on their appointment day (R7) or as company clients who had not registered (R8);
- after a deal nothing changes the owner (R9) except a manager's decision;
- a manager's decision (R10/R11) takes effect at its time: the owner it names holds the
  customer from then on, with its split. Claims it did not see whose capture time is earlier
  (they arrived late) open a new conflict flagged ``after_decision`` instead of overturning it.

A claim whose capture time cannot be true (clock method ``impossible``: a wall clock reset to
1970, see ``shared.clocks``) is never trusted silently: it sits at the earliest time it could
have been captured, protects until the window after the latest (its push's receipt), and always
opens or joins the episode's conflict, flagged ``impossible_clock`` for a manager — alone too.

Corrections (``supersedes``) keep the original claim's time and id with the latest content;
a withdrawal removes its chain from ownership. Nothing else is ever dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .clocks import IMPOSSIBLE, UNVERIFIED
from .explain import Step
from .ownership_types import (
    CONFLICT_FLAGS,
    STATUSES,
    Claim,
    Conflict,
    ManagerDecision,
    Ownership,
    TimedRecord,
)
from .policy import SitePolicy
from .records import RECORD_TYPES
from .timeutil import site_zone
from .versions import EffectiveRecord, effective_records

__all__ = [
    "TimedRecord",
    "ManagerDecision",
    "Claim",
    "Conflict",
    "Ownership",
    "decide_ownership",
    "household_units",
    "STATUSES",
    "CONFLICT_FLAGS",
]


# ---------------------------------------------------------------------------------------
# internals


@dataclass
class _ConflictDraft:
    claims: list[Claim]
    owner: str
    flags: set[str] = field(default_factory=set)
    decision_id: str | None = None
    steps: list[Step] = field(default_factory=list)


def _claim(eff: EffectiveRecord) -> Claim:
    rec, est = eff.record, eff.root.estimate
    return Claim(record_id=eff.id, rep=rec.rep or "", kind=rec.type, customer_key=rec.customer.phone_key,
                 device_id=eff.root.device_id, device_name=eff.root.device_name or eff.root.device_id,
                 captured_at=eff.root.record.captured_at, estimated_at=est.at,
                 uncertainty_ms=est.uncertainty_ms, clock_method=est.method)


def _latest(claim: Claim, at: datetime) -> datetime:
    """The latest time ``claim`` may have been made: its push's receipt for an impossible clock."""
    if claim.clock_method == IMPOSSIBLE:
        return max(at, claim.estimated_at + timedelta(milliseconds=claim.uncertainty_ms))
    return at


def _local_day(at: datetime, policy: SitePolicy) -> date:
    return at.astimezone(site_zone(policy.utc_offset_minutes)).date()


class _Engine:
    """The single pass described in the module docstring. Used once per call."""

    def __init__(self, policy: SitePolicy, names: Mapping[str, str]):
        self.policy, self.names = policy, names
        self.owner: str | None = None
        self.owner_claim: Claim | None = None
        self.until: datetime | None = None
        self.deal: Claim | None = None
        self.split: dict[str, int] | None = None
        self.referral: dict | None = None
        self.pending_referral: EffectiveRecord | None = None
        self.seen_walkin_at: datetime | None = None
        self.live: list[Claim] = []
        self.deals: list[Claim] = []
        self.open_conflict: _ConflictDraft | None = None
        self.conflicts: list[_ConflictDraft] = []
        self.steps: list[Step] = []
        self.episode_start = 0
        self.renewals: list[datetime] = []
        self.calls = 0

    # -- helpers -------------------------------------------------------------------------
    def name(self, username: str | None) -> str:
        return self.names.get(username or "", username or "?")

    def step(self, rule: str, key: str, at: datetime | None, **params) -> Step:
        made = Step(rule=rule, key=key, params=params, at=at)
        self.steps.append(made)
        return made

    def is_live(self, at: datetime) -> bool:
        """Does a claim protect the owner at ``at``? A deal does for ever (R9)."""
        if self.owner is None or self.until is None:
            return False
        return self.deal is not None or at <= self.until

    def start_episode(self, claim: Claim, at: datetime) -> None:
        if self.owner is not None and self.until is not None:
            self.step("R2", "lapsed", self.until, rep=self.name(self.owner), until=self.until)
            self.episode_start = len(self.steps)
            self.step("R2", "new_claim_after_lapse", at, rep=self.name(claim.rep), time=at,
                      previous=self.name(self.owner))
        else:
            self.episode_start = len(self.steps)
        self.step("R1", "first_registration", at, rep=self.name(claim.rep), time=claim.estimated_at,
                  device=claim.device_name)
        self.owner, self.owner_claim = claim.rep, claim
        self.until = _latest(claim, at) + self.policy.validity
        self.split, self.referral, self.deal = None, None, None
        self.live, self.open_conflict, self.renewals = [claim], None, []
        if claim.clock_method == IMPOSSIBLE:
            self.add_to_conflict(claim, set())  # alone too: a manager must see the impossible time

    def renew(self, at: datetime) -> None:
        assert self.until is not None
        self.until = max(self.until, at + self.policy.validity)
        self.renewals.append(at)

    def add_to_conflict(self, claim: Claim, flags: set[str]) -> _ConflictDraft:
        if self.open_conflict is None:
            base = [self.owner_claim] if self.owner_claim is not None and self.owner_claim is not claim else []
            self.open_conflict = _ConflictDraft(claims=base, owner=self.owner or claim.rep)
            self.conflicts.append(self.open_conflict)
        if claim not in self.open_conflict.claims:
            self.open_conflict.claims.append(claim)
        self.open_conflict.flags |= flags
        return self.open_conflict

    # -- events --------------------------------------------------------------------------
    def on_referral(self, eff: EffectiveRecord) -> None:
        rec = eff.record
        channel = rec.data.get("channel", "staff")
        if channel == "company":
            if self.seen_walkin_at is not None:
                self.step("R8", "company_void", eff.at, time=self.seen_walkin_at)
                return
        elif self.is_live(eff.at):
            self.step("R7", "referral_void_registered", eff.at, referrer=rec.data.get("referrer"),
                      rep=self.name(self.owner), time=self.owner_claim.estimated_at if self.owner_claim else eff.at)
            return
        if self.pending_referral is None:
            self.pending_referral = eff

    def confirm_referral(self, claim: Claim) -> None:
        pending, self.pending_referral = self.pending_referral, None
        if pending is None:
            return
        data = pending.record.data
        referrer = data.get("referrer")
        if data.get("channel", "staff") == "company":
            self.step("R8", "company_client", claim.estimated_at, referrer=referrer, rep=self.name(claim.rep),
                      time=claim.estimated_at)
            self.referral = {"referrer": referrer, "channel": "company", "record_id": pending.id}
            return
        day = date.fromisoformat(data["appointment_date"])
        if _local_day(claim.estimated_at, self.policy) != day:
            self.step("R7", "referral_void_no_show", claim.estimated_at, referrer=referrer, day=day.isoformat())
            return
        self.step("R7", "referral_confirmed", claim.estimated_at, referrer=referrer, day=day.isoformat(),
                  rep=self.name(claim.rep), time=claim.estimated_at)
        self.referral = {"referrer": referrer, "channel": "staff", "record_id": pending.id,
                         "commission": {"referrer": 30, "rep": 70}}

    def on_claim(self, eff: EffectiveRecord) -> None:
        claim, at, rec = _claim(eff), eff.at, eff.record
        if rec.type == "deal":
            self.deals.append(claim)
        if rec.type == "walkin":
            if self.pending_referral is not None and not self.is_live(at):
                self.start_episode(claim, at)
                self.confirm_referral(claim)
                self.seen_walkin_at = self.seen_walkin_at or at
                return
            self.seen_walkin_at = self.seen_walkin_at or at
        if self.deal is not None and claim.rep != self.owner:
            self.step("R9", "after_deal_ignored", at, rep=self.name(claim.rep), time=at, owner=self.name(self.owner))
            return
        if not self.is_live(at):
            self.start_episode(claim, at)
        elif claim.rep == self.owner:
            self.renew(_latest(claim, at))
            self.live.append(claim)
            if claim.clock_method == IMPOSSIBLE:
                self.add_to_conflict(claim, set())
        elif rec.type == "walkin" and rec.data.get("duty"):
            self.step("R5", "duty_reception", at, owner=self.name(self.owner), rep=self.name(claim.rep), time=at)
            self.renew(at)  # the owner's customer came back: that is the owner's visit
            return
        else:
            self.compete(claim, at)
            return
        if rec.type == "deal":
            self.deal = claim
            self.step("R9", "deal", at, rep=self.name(claim.rep), time=at, stage=rec.data.get("stage"))

    def compete(self, claim: Claim, at: datetime) -> None:
        self.live.append(claim)
        owner_claim = self.owner_claim
        flags: set[str] = set()
        if owner_claim is not None and claim.customer_key != owner_claim.customer_key:
            flags.add("household")
            if self.policy.household == "split":
                self.split = {self.owner: 50, claim.rep: 50}
                self.step("R6", "household_split", at, owner=self.name(self.owner), rep=self.name(claim.rep))
            else:
                self.step("R6", "household_first", at, owner=self.name(self.owner), rep=self.name(claim.rep))
        else:
            self.step("R1", "earlier_wins", at, owner=self.name(self.owner),
                      owner_time=owner_claim.estimated_at if owner_claim else at, rep=self.name(claim.rep), time=at)
        self.add_to_conflict(claim, flags)

    def on_renewal(self, eff: EffectiveRecord) -> None:
        if eff.record.rep and eff.record.rep == self.owner and self.is_live(eff.at):
            self.renew(eff.at)

    def on_decision(self, decision: ManagerDecision) -> None:
        at = decision.decided_at
        live = self.live if self.is_live(at) else []
        for draft in self.conflicts:
            if draft.decision_id is None and {c.record_id for c in draft.claims} & decision.covers:
                draft.claims = [c for c in draft.claims if c.record_id in decision.covers or c.rep == decision.owner]
                draft.decision_id, draft.owner = decision.id, decision.owner
        if self.deal is not None and self.deal.rep != decision.owner:
            # A deal the manager ruled against stays on record but no longer settles the customer.
            if self.deal not in live:
                live = [*live, self.deal]
            self.deal = None
        unseen = [c for c in live if c.record_id not in decision.covers and c.rep != decision.owner]
        owner_claims = [c for c in live if c.rep == decision.owner]
        self.owner = decision.owner
        self.owner_claim = owner_claims[0] if owner_claims else self.owner_claim
        if self.deal is None:  # the decided owner's own deal, once only a competing claim, now settles it
            self.deal = next((c for c in self.deals if c.rep == decision.owner), None)
        self.split = dict(decision.split) if decision.split else None
        self.until = max(self.until or at, at + self.policy.validity)
        self.step("R10", "decision", at, author=self.name(decision.author), time=at, owner=self.name(decision.owner),
                  split={self.name(k): v for k, v in (decision.split or {}).items()}, reason=decision.reason)
        self.open_conflict = None
        self.live = owner_claims + unseen
        for claim in unseen:
            step = self.step("R10", "after_decision", at, rep=self.name(claim.rep), time=claim.estimated_at)
            draft = self.add_to_conflict(claim, {"after_decision"})
            draft.owner = decision.owner
            draft.steps.append(step)

    # -- result --------------------------------------------------------------------------
    def finish(self, as_of: datetime) -> Ownership:
        if self.pending_referral is not None:
            data = self.pending_referral.record.data
            day = data.get("appointment_date")
            if day and _local_day(as_of, self.policy) > date.fromisoformat(day):
                # Stamped at the end of the appointment day, not at as_of: asking again later
                # must give the same explanation (the server stores and syncs it).
                day_after = datetime.combine(date.fromisoformat(day) + timedelta(days=1), datetime.min.time(),
                                             site_zone(self.policy.utc_offset_minutes))
                self.step("R7", "referral_void_no_show", day_after, referrer=data.get("referrer"), day=day)
        status = None
        if self.owner is not None and self.until is not None:
            if self.renewals:
                self.step("R2", "renewed", self.renewals[-1], count=len(self.renewals), rep=self.name(self.owner),
                          time=self.renewals[-1])
            if self.deal is not None:
                status = "deal"
            elif as_of > self.until:
                status = "lapsed"
            elif self.open_conflict is not None and self.open_conflict.decision_id is None:
                status = "disputed"
            else:
                status = "protected"
            if status == "lapsed":
                self.step("R2", "lapsed", self.until, rep=self.name(self.owner), until=self.until)
            elif status != "deal":
                self.step("R2", "protected_until", self.until - self.policy.validity, until=self.until)
        if self.calls:
            self.step("R3", "calls_ignored", None, count=self.calls)
        conflicts = tuple(self._conflict(d) for d in self.conflicts)
        live = tuple(self.live) if status in ("protected", "disputed", "deal") else ()
        return Ownership(
            owner=self.owner, status=status,
            protected_until=None if self.deal is not None else self.until,
            first_registered_at=self.owner_claim.estimated_at if self.owner_claim else None,
            owner_claim=self.owner_claim, live_claims=live, split=self.split, referral=self.referral,
            conflicts=conflicts, explanation=self._in_time_order(self.steps[self.episode_start:], as_of),
            history=self._in_time_order(self.steps, as_of))

    @staticmethod
    def _in_time_order(steps: list[Step], as_of: datetime) -> tuple[Step, ...]:
        # Steps are made as the pass goes and a few at its end; people read events in time
        # order and the current window last, as its summary.
        return tuple(sorted(steps, key=lambda step: (step.key in _SUMMARY_KEYS, step.at or as_of)))

    def _conflict(self, draft: _ConflictDraft) -> Conflict:
        claims = sorted(draft.claims, key=lambda c: (c.estimated_at, c.record_id))
        flags, steps = set(draft.flags), list(draft.steps)
        first = claims[0]
        for other in claims[1:]:
            gap_ms = abs((other.estimated_at - first.estimated_at) / timedelta(milliseconds=1))
            if gap_ms <= max(self.policy.close_call_ms, first.uncertainty_ms + other.uncertainty_ms):
                if "close_call" not in flags:
                    steps.append(Step("R1", "close_call", {"gap_s": round(gap_ms / 1000, 1)}, other.estimated_at))
                flags.add("close_call")
        for claim in claims:
            if claim.clock_method == UNVERIFIED:
                flags.add("unverified_clock")
                steps.append(Step("R1", "unverified_clock", {"rep": self.name(claim.rep)}, claim.estimated_at))
            elif claim.clock_method == IMPOSSIBLE:
                flags.add("impossible_clock")
                steps.append(Step("R1", "impossible_clock", {"rep": self.name(claim.rep), "captured": claim.captured_at,
                                                             "time": claim.estimated_at}, claim.estimated_at))
        opened = claims[1].estimated_at if len(claims) > 1 else first.estimated_at
        return Conflict(claims=tuple(claims), owner=draft.owner, flags=tuple(sorted(flags)), opened_at=opened,
                        decision_id=draft.decision_id, steps=tuple(steps))


DEFAULT_POLICY = SitePolicy()
_SUMMARY_KEYS = {"protected_until", "calls_ignored"}
_CLAIM_TYPES = {name for name, kind in RECORD_TYPES.items() if kind.claims}  # walkin, deal
_RENEWAL_TYPES = {"follow_up"}


def decide_ownership(
    records: Iterable[TimedRecord],
    policy: SitePolicy = DEFAULT_POLICY,
    decisions: Iterable[ManagerDecision] = (),
    as_of: datetime | None = None,
    rep_names: Mapping[str, str] | None = None,
) -> Ownership:
    """Decide who owns the customer (or household) these records are about.

    Pure and deterministic: the result depends only on the set of records (not their order,
    batching or duplicates), the policy, the decisions and ``as_of`` (the moment the status is
    asked for; defaults to the latest record or decision, so the call reads no clock).
    ``rep_names`` maps usernames to the names people know (王丽) for the explanation.
    """
    effective = effective_records(records)
    decisions = sorted({d.id: d for d in decisions}.values(), key=lambda d: (d.decided_at, d.id))
    events: list[tuple[datetime, int, str, object]] = []
    for eff in effective:
        kind = eff.record.type
        if kind == "referral":
            events.append((eff.at, 0, eff.id, eff))
        elif kind in _CLAIM_TYPES and eff.record.rep:
            events.append((eff.at, 1, eff.id, eff))
        elif kind in _RENEWAL_TYPES:
            events.append((eff.at, 1, eff.id, eff))
        elif kind == "call":
            events.append((eff.at, 1, eff.id, eff))
    for decision in decisions:
        events.append((decision.decided_at, 2, decision.id, decision))
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    engine = _Engine(policy, rep_names or {})
    for _, _, _, event in events:
        if isinstance(event, ManagerDecision):
            engine.on_decision(event)
            continue
        kind = event.record.type
        if kind == "referral":
            engine.on_referral(event)
        elif kind in _CLAIM_TYPES:
            engine.on_claim(event)
        elif kind in _RENEWAL_TYPES:
            engine.on_renewal(event)
        else:
            engine.calls += 1
    if as_of is None:
        as_of = events[-1][0] if events else datetime.min.replace(tzinfo=site_zone(0))
    return engine.finish(as_of)


def household_units(links: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Group phone keys linked as one household (R6): ``(phone_key, household_key)`` pairs in,
    ``phone_key -> unit key`` out, the unit key being the smallest phone key of the group."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key, other in links:
        root = find(key)
        if other:
            other_root = find(other)
            if other_root != root:
                low, high = sorted((root, other_root))
                parent[high] = low
    return {key: find(key) for key in parent}
