"""The ownership rules' single pass (客户归属原则), used by ``shared.ownership.decide_ownership``.

One ``RulePass`` walks one customer's (or household's) events in estimated-capture-time order
and keeps the owner, the window, the split, the live claims, the conflicts and the reasoned
steps. ``late`` claims — those a manager's decision did not see although captured before it
(they arrived after it) — are walked right after that decision, as the manager met them:
they open a new conflict flagged ``after_decision`` and never rewrite what came before it
(issue 9: one story that ends at the current owner). Pure; no clock, no storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from .clocks import IMPOSSIBLE
from .explain import Step
from .ownership_conflicts import ConflictDraft, conflict_card, unknown_times
from .ownership_handover import apply_handover
from .ownership_lapse import deal_outlasts
from .ownership_referrals import confirm_referral, on_referral, void_unkept_appointment
from .ownership_types import Claim, HandOver, ManagerDecision, Ownership
from .policy import SitePolicy
from .shares import after_decision, after_household_claim
from .versions import EffectiveRecord

__all__ = ["RulePass", "claim_of"]


def claim_of(eff: EffectiveRecord) -> Claim:
    """The claim of a chain: its original's time and device, its live version's content; moved
    (``moved_at``: the live version's time) when a correction changed its phone (R4 keeps the
    original's time; the conflict says when the number was corrected, QA of issue 15)."""
    rec, est = eff.record, eff.root.estimate
    moved = eff.latest.estimate.at if eff.root.record.customer.phone_key != rec.customer.phone_key else None
    return Claim(record_id=eff.id, rep=rec.rep or "", kind=rec.type, customer_key=rec.customer.phone_key,
                 device_id=eff.root.device_id, device_name=eff.root.device_name or eff.root.device_id,
                 captured_at=eff.root.record.captured_at, estimated_at=est.at,
                 uncertainty_ms=est.uncertainty_ms, clock_method=est.method, moved_at=moved)


def _latest(claim: Claim, at: datetime) -> datetime:
    """The latest time ``claim`` may have been made: its push's receipt for an impossible clock."""
    if claim.clock_method == IMPOSSIBLE:
        return max(at, claim.estimated_at + timedelta(milliseconds=claim.uncertainty_ms))
    return at


class RulePass:
    """The single pass described in ``shared.ownership``. Used once per pass."""

    def __init__(self, policy: SitePolicy, names: Mapping[str, str]):
        self.policy, self.names = policy, names
        self.owner: str | None = None
        self.owner_claim: Claim | None = None
        self.until: datetime | None = None
        self.deal: Claim | None = None
        self.split: dict[str, int] | None = None
        self.decided: frozenset[str] = frozenset()  # reps whose share a decision gave (shares.py)
        self.first_ever: Claim | None = None
        self.late_claims: list[Claim] = []  # claims a decision did not see, in capture order (the caller's)
        self.hidden_first: Claim | None = None  # a late claim captured before the episode's first known one
        self.unseen: dict[str, ManagerDecision] = {}  # claim id -> the decision that did not see it
        self.referral: dict | None = None
        self.pending_referral: EffectiveRecord | None = None
        self.walkin_times: list[datetime] = []  # R8 asks about every walk-in, late ones too
        self.live: list[Claim] = []
        self.claims_seen: list[Claim] = []  # every claim walked so far, in order
        self.deals: list[Claim] = []
        self.open_conflict: ConflictDraft | None = None
        self.conflicts: list[ConflictDraft] = []
        self.steps: list[Step] = []
        self.late_steps: dict[str, Step] = {}  # record id -> the step telling that claim came after a decision
        self.episode_start = 0
        self.renewals: list[datetime] = []
        self.calls = 0
        self.handed_over: HandOver | None = None  # the hand-over the owner holds the customer by
        self.decided_at: datetime | None = None  # the latest decision's time, while the owner holds by it

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

    def lapse_open_conflicts(self) -> None:
        for draft in self.conflicts:
            draft.lapsed = draft.lapsed or draft.decision_id is None

    def close_lapsed_episode(self) -> None:
        """The owner's window lapsed (R2): say so, leave its undecided conflicts lapsed (nothing
        left to decide) and start the next episode's steps here."""
        assert self.until is not None
        self.lapse_open_conflicts()
        self.step("R2", "lapsed", self.until, rep=self.name(self.owner), until=self.until)
        self.episode_start, self.hidden_first = len(self.steps), None

    def deal_outlasts(self, at: datetime) -> None:
        """R9 across a lapse (``shared.ownership_lapse``)."""
        deal_outlasts(self, at)

    def note_first(self, claim: Claim) -> None:
        """The first registration ever when it did not start an episode: a decision had named an
        owner before any claim stood (the claims it covered were withdrawn, or it reassigned a
        customer nobody had registered), so this claim is the customer's 首次登记."""
        if self.first_ever is None:
            self.first_ever = claim
            self.step("R1", "first_registration", claim.estimated_at, rep=self.name(claim.rep),
                      time=claim.estimated_at, device=claim.device_name, **unknown_times(time=claim))

    def start_episode(self, claim: Claim, at: datetime) -> None:
        if self.owner is not None and self.until is not None:
            self.close_lapsed_episode()
            if self.first_ever is None:  # a decision's window lapsed with no registration ever: this is the first
                self.note_first(claim)
            else:  # item 10: a claim after a lapse is named as a new claim, never a first registration
                self.step("R2", "new_claim_after_lapse", at, rep=self.name(claim.rep), time=at,
                          previous=self.name(self.owner), **unknown_times(time=claim))
        else:
            self.episode_start = len(self.steps)
            earlier = [c for c in self.late_claims if c.estimated_at < claim.estimated_at and c.rep != claim.rep]
            self.hidden_first = earlier[0] if earlier else None
            if self.hidden_first is not None:
                # R1 by capture time: the late claim registered first; the one the pass starts
                # with is the earliest the deciding manager knew of (issue 9 case 2)
                late = self.hidden_first
                self.step("R1", "first_registration", late.estimated_at, rep=self.name(late.rep),
                          time=late.estimated_at, device=late.device_name, **unknown_times(time=late))
                # every rep whose earlier registration arrived late, earliest first (QA: only the
                # earliest was named when two reps' earlier claims came after the decision)
                late_reps = list(dict.fromkeys(self.name(c.rep) for c in earlier))
                self.step("R1", "earliest_known_several" if len(late_reps) > 1 else "earliest_known", at,
                          rep=self.name(claim.rep), time=claim.estimated_at, device=claim.device_name,
                          first=late_reps if len(late_reps) > 1 else late_reps[0], **unknown_times(time=claim))
            else:
                self.step("R1", "first_registration", at, rep=self.name(claim.rep), time=claim.estimated_at,
                          device=claim.device_name, **unknown_times(time=claim))
        self.first_ever = self.first_ever or self.hidden_first or claim
        self.owner, self.owner_claim, self.decided_at = claim.rep, claim, None
        self.until = _latest(claim, at) + self.policy.validity
        self.split, self.decided, self.referral, self.deal = None, frozenset(), None, None
        self.live, self.open_conflict, self.renewals, self.handed_over = [claim], None, [], None
        if claim.clock_method == IMPOSSIBLE:
            self.add_to_conflict(claim, set())  # alone too: a manager must see the impossible time

    def renew(self, at: datetime) -> None:
        assert self.until is not None
        self.until = max(self.until, at + self.policy.validity)
        self.renewals.append(at)

    def add_to_conflict(self, claim: Claim, flags: set[str]) -> ConflictDraft:
        if self.open_conflict is None:
            base = [self.owner_claim] if self.owner_claim in self.live else []  # a live claim, or none
            self.open_conflict = ConflictDraft(claims=base, owner=self.owner or claim.rep,
                                                first_id=base[0].record_id if base else claim.record_id)
            self.conflicts.append(self.open_conflict)
        if claim not in self.open_conflict.claims:
            self.open_conflict.claims.append(claim)
        self.open_conflict.flags |= flags
        return self.open_conflict

    # -- events --------------------------------------------------------------------------
    def on_referral(self, eff: EffectiveRecord) -> None:
        """A referral (R7/R8), claimed later by a walk-in (``shared.ownership_referrals``)."""
        on_referral(self, eff)

    def on_claim(self, eff: EffectiveRecord) -> None:
        claim, at, rec = claim_of(eff), eff.at, eff.record
        self.deal_outlasts(at)
        if rec.type == "walkin" and rec.data.get("duty") and not self.is_live(at):
            # R5: a duty reception (义务接待) receives another rep's returning customer and is
            # never a claim; with no owner's window standing it starts none either (QA of issue 15)
            self.step("R5", "duty_no_owner", at, rep=self.name(claim.rep), time=at, **unknown_times(time=claim))
            return
        self.claims_seen.append(claim)
        if rec.type == "deal":
            self.deals.append(claim)
        if rec.type == "walkin":
            if self.pending_referral is not None and not self.is_live(at):
                self.start_episode(claim, at)
                confirm_referral(self, claim)
                return
        if self.deal is not None and claim.rep != self.owner:
            if self.handed_over is not None and self.handed_over.to_rep == self.owner:  # a deal handed over
                self.step("R10", "handover_holds", at, owner=self.name(self.owner), since=self.handed_over.at,
                          rep=self.name(claim.rep), time=at, **unknown_times(time=claim))
                return
            # the deal's rep, who made it (the owner too unless a hand-over moved the customer)
            self.step("R9", "after_deal_ignored", at, rep=self.name(claim.rep), time=at,
                      owner=self.name(self.deal.rep), **unknown_times(time=claim))
            return
        if not self.is_live(at):
            self.start_episode(claim, at)
        elif claim.rep == self.owner:
            self.note_first(claim)
            self.owner_claim = self.owner_claim or claim  # a decided owner's first own claim
            self.renew(_latest(claim, at))
            self.live.append(claim)
            if claim.clock_method == IMPOSSIBLE:
                self.add_to_conflict(claim, set())
        elif rec.type == "walkin" and rec.data.get("duty"):
            self.step("R5", "duty_reception", at, owner=self.name(self.owner), rep=self.name(claim.rep), time=at,
                      **unknown_times(time=claim))
            self.renew(at)  # the owner's customer came back: that is the owner's visit
            return
        else:
            self.compete(claim, at, rec.data.get("stage") if rec.type == "deal" else None)
            return
        if rec.type == "deal":
            self.deal = claim
            self.step("R9", "deal", at, rep=self.name(claim.rep), time=at, stage=rec.data.get("stage"),
                      **unknown_times(time=claim))

    def compete(self, claim: Claim, at: datetime, stage: object = None) -> None:
        """``claim`` against the live owner's; ``stage``: a competing deal's (小定…), which the
        story names as a deal, not a registration (QA of issue 15: the manager could not see a
        deal was at stake)."""
        self.live.append(claim)
        deal = {"stage": stage} if stage else {}
        suffix = "_deal" if stage else ""
        owner_claim = self.owner_claim
        flags: set[str] = set()
        if owner_claim is not None and claim.customer_key != owner_claim.customer_key:
            flags.add("household")
            if self.policy.household == "split" and self.owner is not None:
                if (self.split or {}).get(claim.rep, 0) == 0:  # told once: a second visit shares nothing new
                    self.step("R6", "household_split", at, owner=self.name(self.owner), rep=self.name(claim.rep),
                              time=at, **unknown_times(time=claim))
                self.split = after_household_claim(self.split, self.owner, claim.rep)
            else:
                self.step("R6", "household_first", at, owner=self.name(self.owner), rep=self.name(claim.rep),
                          time=at, **unknown_times(time=claim))
        elif self.handed_over is not None and self.handed_over.to_rep == self.owner:
            self.step("R10", "handover_holds", at, owner=self.name(self.owner), since=self.handed_over.at,
                      rep=self.name(claim.rep), time=at, **unknown_times(time=claim))
        elif owner_claim is None and self.decided_at is not None:
            # the owner holds by a decision alone, no registration of theirs stands: nobody
            # "registered earlier" (a decision after a lapse, or whose covered claims were withdrawn)
            self.note_first(claim)
            self.step("R10", "decision_holds", at, owner=self.name(self.owner), since=self.decided_at,
                      rep=self.name(claim.rep), time=at, **unknown_times(time=claim))
        elif self.hidden_first is not None and owner_claim is not None:
            # the owner registered before this rep, not first of all (a late claim did)
            self.step("R1", "earlier_known_wins" + suffix, at, owner=self.name(self.owner),
                      owner_time=owner_claim.estimated_at, rep=self.name(claim.rep), time=at,
                      **deal, **unknown_times(owner_time=owner_claim, time=claim))
        else:
            self.step("R1", "earlier_wins" + suffix, at, owner=self.name(self.owner),
                      owner_time=owner_claim.estimated_at if owner_claim else at, rep=self.name(claim.rep), time=at,
                      **deal, **unknown_times(owner_time=owner_claim, time=claim))
        self.add_to_conflict(claim, flags)

    def on_renewal(self, eff: EffectiveRecord) -> None:
        self.deal_outlasts(eff.at)
        if eff.record.rep and eff.record.rep == self.owner and self.is_live(eff.at):
            self.renew(eff.at)

    def on_decision(self, decision: ManagerDecision) -> None:
        at = decision.decided_at
        self.deal_outlasts(at)
        if self.owner is not None and not self.is_live(at):
            # The window lapsed before the manager decided (R2): the decision opens a new
            # episode. The lapsed one's undecided conflicts stay lapsed, not open beside the
            # decision; its owner's claim, split and referral are not the decided owner's.
            self.close_lapsed_episode()
            self.owner_claim, self.split, self.decided, self.referral = None, None, frozenset(), None
            self.live, self.open_conflict, self.renewals = [], None, []
        live = self.live if self.is_live(at) else []
        self.decide_conflict(decision)
        handed_deal = self.handed_over is not None and decision.owner == self.owner  # a deal the hand-over moved
        if self.deal is not None and self.deal.rep != decision.owner and not handed_deal:
            # A deal the manager ruled against stays on record but no longer settles the customer.
            if self.deal not in live:
                live = [*live, self.deal]
            self.deal = None
        # Not seen: a live claim the decision does not cover, but not the owner's own renewing
        # visits (the manager saw the owner; only the owner's first claim must be covered).
        unseen = [c for c in live if c.record_id not in decision.covers and c.rep != decision.owner
                  and (c.rep != self.owner or c is self.owner_claim)]
        owner_claims = [c for c in live if c.rep == decision.owner]
        if decision.owner != self.owner:
            self.renewals = []  # the previous owner's visits renewed the previous owner's window
        self.owner, self.handed_over, self.decided_at = decision.owner, None, at
        if owner_claims:
            self.owner_claim = owner_claims[0]
        elif self.owner_claim is not None and self.owner_claim.rep != decision.owner:
            # the decided owner holds by the decision alone: no registration of theirs stands
            # (QA8: "王丽 先登记" at 张强's own time after her covered walk-in was withdrawn)
            self.owner_claim = None
        if self.deal is None:  # the decided owner's own deal, once only a competing claim, now settles it
            self.deal = next((c for c in self.deals if c.rep == decision.owner), None)
        self.split = after_decision(self.split, self.decided, decision.owner, decision.split)
        self.decided = frozenset(self.split or {decision.owner: 100})
        self.until = max(self.until or at, at + self.policy.validity)
        self.step("R10", "decision", at, author=self.name(decision.author), time=at, owner=self.name(decision.owner),
                  split={self.name(k): v for k, v in (self.split or {}).items()}, reason=decision.reason)
        self.open_conflict = None
        self.live = owner_claims
        for claim in unseen:  # met again right after the decision, by the caller's next pass
            self.unseen.setdefault(claim.record_id, decision)
            self.after_decision(claim, decision)

    def on_handover(self, handover: HandOver) -> None:
        """A manager's hand-over at its time (``shared.ownership_handover``)."""
        self.deal_outlasts(handover.at)
        apply_handover(self, handover)

    def decide_conflict(self, decision: ManagerDecision) -> None:
        """Exactly one conflict carries each decision (the server keys its stored row on it): the
        undecided ones sharing a claim with what it covers, merged; if the records now tell a
        story where those claims no longer compete, the claims it covers, as the manager saw them."""
        touched = [d for d in self.conflicts if d.decision_id is None and d.claim_ids() & decision.covers]
        if touched:
            draft, others = touched[0], touched[1:]
            for other in others:
                draft.claims += [c for c in other.claims if c not in draft.claims]
                draft.flags |= other.flags
                draft.steps += other.steps
                self.conflicts.remove(other)
                if self.open_conflict is other:
                    self.open_conflict = draft
        else:
            covered = [c for c in self.claims_seen if c.record_id in decision.covers]
            if not covered:
                return
            draft = ConflictDraft(claims=covered, owner=decision.owner, first_id=covered[0].record_id)
            self.conflicts.append(draft)
        draft.claims = [c for c in draft.claims if c.record_id in decision.covers or c.rep == decision.owner]
        draft.decision_id, draft.owner = decision.id, decision.owner

    def on_late_claim(self, eff: EffectiveRecord, decision: ManagerDecision) -> None:
        """A claim captured before ``decision`` that the deciding manager did not see: it
        arrived later. It opens (or joins) a conflict flagged ``after_decision`` and
        overturns nothing (R10)."""
        claim = claim_of(eff)
        self.claims_seen.append(claim)
        if eff.record.type == "deal":
            self.deals.append(claim)
        self.note_first(claim)  # captured before the decision: the first ever if nothing stood before it
        if claim.rep == self.owner:
            self.owner_claim = self.owner_claim or claim
            self.live.append(claim)
            return
        self.after_decision(claim, decision)

    def after_decision(self, claim: Claim, decision: ManagerDecision) -> None:
        """Say once that ``claim`` came after ``decision`` and overturned nothing: a claim no
        decision covered is told after the latest one it did not overturn, not again after each
        (issue 9 QA: a second late claim was told twice, once before the decision it followed)."""
        earlier = self.late_steps.pop(claim.record_id, None)
        if earlier is not None:
            index = next(i for i, s in enumerate(self.steps) if s is earlier)
            del self.steps[index]
            if index < self.episode_start:  # the episode's steps start one earlier now
                self.episode_start -= 1
            for draft in self.conflicts:
                draft.steps = [s for s in draft.steps if s is not earlier]
        if claim not in self.live:
            self.live.append(claim)
        step = self.step("R10", "after_decision", decision.decided_at, rep=self.name(claim.rep),
                         time=claim.estimated_at, **unknown_times(time=claim))
        self.late_steps[claim.record_id] = step
        draft = self.add_to_conflict(claim, {"after_decision"})
        draft.owner = self.owner or decision.owner
        first = next((c for c in draft.claims if c.record_id == draft.first_id), None)
        if first is None or (claim.estimated_at, claim.record_id) < (first.estimated_at, first.record_id):
            draft.first_id = claim.record_id  # the card of who really registered first (R1), not the owner's
        draft.steps.append(step)

    # -- result --------------------------------------------------------------------------
    def finish(self, as_of: datetime) -> Ownership:
        void_unkept_appointment(self, as_of)
        self.deal_outlasts(as_of)
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
                self.lapse_open_conflicts()
                self.step("R2", "lapsed", self.until, rep=self.name(self.owner), until=self.until)
            elif status != "deal":
                self.step("R2", "protected_until", self.until - self.policy.validity, until=self.until)
        if self.calls:
            self.step("R3", "calls_ignored", None, count=self.calls)
        conflicts = tuple(conflict_card(d, self.policy, self.name) for d in self.conflicts)
        live = tuple(self.live) if status in ("protected", "disputed", "deal") else ()
        return Ownership(
            owner=self.owner, status=status,
            protected_until=None if self.deal is not None else self.until,
            first_registered_at=self.owner_claim.estimated_at if self.owner_claim else None,
            first_ever_at=self.first_ever.estimated_at if self.first_ever else None,
            owner_claim=self.owner_claim, live_claims=live, split=self.split, referral=self.referral,
            conflicts=conflicts, explanation=self._in_time_order(self.steps[self.episode_start:], as_of),
            history=self._in_time_order(self.steps, as_of))

    @staticmethod
    def _in_time_order(steps: list[Step], as_of: datetime) -> tuple[Step, ...]:
        # Steps are made as the pass goes and a few at its end; people read events in time
        # order and the current window last, as its summary.
        return tuple(sorted(steps, key=lambda step: (step.key in _SUMMARY_KEYS, step.at or as_of)))

_SUMMARY_KEYS = {"protected_until", "calls_ignored"}
