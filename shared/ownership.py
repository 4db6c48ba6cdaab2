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
  (they arrived late) are walked right after it, as the manager met them: they open a new
  conflict flagged ``after_decision`` instead of overturning it or rewriting the story
  before it, so the explanation ends at the current owner (issue 9);
- a manager's hand-over (``HandOver``, 001 §14(五)3(12)) of a leaving rep's customer takes
  effect at its time like a decision: the receiving rep holds the customer from then on, with a
  fresh window (as a decision gives), the leaving rep's share of a split and its own step; a
  customer with a deal stays with the deal's rep (R9) unless the hand-over includes deals; a
  customer no longer the leaving rep's at that time (lapsed, or another's) is not moved;
- a share a decision gave is kept until a later decision names its holder, or the episode
  lapses (``shared.shares``); a household claim takes half of the owner's share (R6).
- after a lapse the next claim is named a new claim, not a first registration; the first
  registration is the first ever (``Ownership.first_ever_at``).

A claim whose capture time cannot be true (clock method ``impossible``: a wall clock reset to
1970, see ``shared.clocks``) is never trusted silently: it sits at the earliest time it could
have been captured, protects until the window after the latest (its push's receipt), and always
opens or joins the episode's conflict, flagged ``impossible_clock`` for a manager — alone too.

Corrections (``supersedes``) keep the original claim's time and id with the latest content;
a withdrawal removes its chain from ownership. Nothing else is ever dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import datetime

from .deals import is_deal_claim
from .ownership_pass import RulePass, claim_of
from .ownership_types import (
    CONFLICT_FLAGS,
    STATUSES,
    Claim,
    Conflict,
    HandOver,
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
    "HandOver",
    "Claim",
    "Conflict",
    "Ownership",
    "decide_ownership",
    "household_units",
    "STATUSES",
    "CONFLICT_FLAGS",
]


DEFAULT_POLICY = SitePolicy()
_CLAIM_TYPES = {name for name, kind in RECORD_TYPES.items() if kind.claims}  # walkin, deal
_RENEWAL_TYPES = {"follow_up"}


def decide_ownership(
    records: Iterable[TimedRecord],
    policy: SitePolicy = DEFAULT_POLICY,
    decisions: Iterable[ManagerDecision] = (),
    as_of: datetime | None = None,
    rep_names: Mapping[str, str] | None = None,
    handovers: Iterable[HandOver] = (),
    keys: AbstractSet[str] | None = None,
) -> Ownership:
    """Decide who owns the customer (or household) these records are about.

    Pure and deterministic: the result depends only on the set of records (not their order,
    batching or duplicates), the policy, the decisions and ``as_of`` (the moment the status is
    asked for; defaults to the latest record or decision, so the call reads no clock).
    ``rep_names`` maps usernames to the names people know (王丽) for the explanation.
    ``handovers``: the managers' hand-overs of this customer (001 §14(五)3(12)), applied at
    their times (``RulePass.on_handover``). ``keys``: the phone keys of the unit decided; a
    chain whose live version names another phone (a corrected phone number: its versions are
    given for their history) is that phone's customer's, not this one's (QA of issue 15).
    """
    effective = effective_records(records)
    if keys is not None:
        effective = [e for e in effective if e.record.customer.phone_key in keys]
    decisions = sorted({d.id: d for d in decisions}.values(), key=lambda d: (d.decided_at, d.id))
    names = rep_names or {}
    acts: list[ManagerDecision | HandOver] = [*decisions, *{h.id: h for h in handovers}.values()]  # one per unit
    # A claim a decision did not see, though captured before it, arrived after it: walk it
    # again, right after that decision. Once: what the second walk finds unseen stays where
    # it was captured (deferring again would let one late claim reorder the whole story).
    engine = _walk(effective, acts, {}, policy, names)
    if engine.unseen:
        engine = _walk(effective, acts, dict(engine.unseen), policy, names)
    if as_of is None:
        times = [e.at for e in effective if _is_event(e)] + [_act_time(a) for a in acts]
        as_of = max(times) if times else datetime.min.replace(tzinfo=site_zone(0))
    return engine.finish(as_of)


def _act_time(act: ManagerDecision | HandOver) -> datetime:
    return act.decided_at if isinstance(act, ManagerDecision) else act.at


def _walk(effective: list[EffectiveRecord], decisions: list[ManagerDecision | HandOver],
          late: Mapping[str, ManagerDecision], policy: SitePolicy, names: Mapping[str, str]) -> RulePass:
    """One pass over the events in time order (ties: referrals, then records, then decisions
    and hand-overs, then the late claims a decision did not see; then by id)."""
    events: list[tuple[datetime, int, str, EffectiveRecord | ManagerDecision | HandOver]] = []
    for eff in effective:
        kind = eff.record.type
        if eff.id in late:
            events.append((late[eff.id].decided_at, 3, eff.id, eff))
        elif kind == "referral":
            events.append((eff.at, 0, eff.id, eff))
        elif _is_event(eff):
            events.append((eff.at, 1, eff.id, eff))
    for decision in decisions:
        events.append((_act_time(decision), 2, decision.id, decision))
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    engine = RulePass(policy, names)
    # the claims a decision did not see: one captured before the first claim the pass starts
    # with registered first (R1), though it arrived late (issue 9 case 2)
    engine.late_claims = sorted((claim_of(e) for e in effective if e.id in late and e.record.type in _CLAIM_TYPES
                                 and _claims(e) and e.record.rep), key=lambda c: (c.estimated_at, c.record_id))
    engine.walkin_times = sorted(e.at for e in effective if e.record.type == "walkin" and e.record.rep)
    for _, order, _, event in events:
        if isinstance(event, ManagerDecision):
            engine.on_decision(event)
            continue
        if isinstance(event, HandOver):
            engine.on_handover(event)
            continue
        kind = event.record.type
        if order == 3:
            engine.on_late_claim(event, late[event.id])
        elif kind == "referral":
            engine.on_referral(event)
        elif kind in _CLAIM_TYPES and _claims(event):
            engine.on_claim(event)
        elif kind == "deal":
            continue  # 退订 or 换房: the deal and its rep stand (R9, shared.deals)
        elif kind in _RENEWAL_TYPES:
            engine.on_renewal(event)
        else:
            engine.calls += 1
    return engine


def _is_event(eff: EffectiveRecord) -> bool:
    """Does the rule pass look at this record? (Visit reports and complaints it does not.)"""
    kind = eff.record.type
    return kind == "referral" or (kind in _CLAIM_TYPES and _claims(eff) and bool(eff.record.rep)) \
        or kind in _RENEWAL_TYPES or kind == "call"


def _claims(eff: EffectiveRecord) -> bool:
    """A walk-in, or a deal that reached a stage (a 退订 or 换房 claims nothing: shared.deals)."""
    return eff.record.type != "deal" or is_deal_claim("deal", eff.record.data)


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
