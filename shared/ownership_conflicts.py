"""Conflicts of the ownership pass (客户归属争议): the draft the pass keeps while it walks and
the card people read (close calls, clock flags), used by ``shared.ownership_pass``. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from .clocks import IMPOSSIBLE, UNVERIFIED
from .explain import Step
from .ownership_types import Claim, Conflict
from .policy import SitePolicy

__all__ = ["ConflictDraft", "conflict_card", "unknown_times", "CLOCKS_DISAGREE"]

CLOCKS_DISAGREE = timedelta(hours=24)
"""How far a claim's time measured by its tablet's uptime clock (``same_boot``, ``anchor``) may
stand from what the tablet's own wall clock said before its conflict is flagged
``clock_disagrees`` (QA of issue 15: an elapsed reading 20 days back was taken with no flag).
More than a day: a tablet set to the wrong time zone (at most 26 hours apart, UTC−12…UTC+14)
is not flagged for that alone. The uptime clock's time still counts; a manager checks."""


@dataclass
class ConflictDraft:
    """A conflict as the pass builds it: its claims, the owner it stands at, flags, steps."""

    claims: list[Claim]
    owner: str
    flags: set[str] = field(default_factory=set)
    decision_id: str | None = None
    steps: list[Step] = field(default_factory=list)
    first_id: str | None = None  # the claim the rule counted first when the conflict opened
    lapsed: bool = False  # its episode lapsed before any decision: nothing left to decide

    def claim_ids(self) -> set[str]:
        return {c.record_id for c in self.claims}


def unknown_times(**claims: Claim | None) -> dict:
    """``clock_unknown``: the step's time params that stand for an impossible clock's
    placeholder (its earliest possible time), which ``shared.explain.render`` words as unknown
    instead of stating them as real times (issue 9 QA). Empty when every time is real."""
    names = [name for name, claim in claims.items() if claim is not None and claim.clock_method == IMPOSSIBLE]
    return {"clock_unknown": names} if names else {}


def conflict_card(draft: ConflictDraft, policy: SitePolicy, name: Callable[[str | None], str]) -> Conflict:
    """The conflict as people read it (``Conflict``): claims in capture order, the flags and
    steps for close calls (R1, within ``policy.close_call_ms`` or the clocks' uncertainty),
    unverified and impossible clocks, clocks that disagree (``CLOCKS_DISAGREE``), the time it
    opened (the second claim's capture)."""
    claims = sorted(draft.claims, key=lambda c: (c.estimated_at, c.record_id))
    flags, steps = set(draft.flags), list(draft.steps)
    first = claims[0]
    # an impossible clock's time is a placeholder, no time to be close to (its own flag says so)
    real = [c for c in claims if c.clock_method != IMPOSSIBLE]
    for other in real[1:]:
        gap_ms = abs((other.estimated_at - real[0].estimated_at) / timedelta(milliseconds=1))
        if gap_ms <= max(policy.close_call_ms, real[0].uncertainty_ms + other.uncertainty_ms):
            if "close_call" not in flags:
                steps.append(Step("R1", "close_call", {"gap_s": round(gap_ms / 1000, 1)}, other.estimated_at))
            flags.add("close_call")
    for claim in claims:
        if claim.clock_method == UNVERIFIED:
            flags.add("unverified_clock")
            steps.append(Step("R1", "unverified_clock", {"rep": name(claim.rep), "time": claim.estimated_at},
                              claim.estimated_at))
        elif claim.clock_method == IMPOSSIBLE:
            flags.add("impossible_clock")
            steps.append(Step("R1", "impossible_clock", {"rep": name(claim.rep), "captured": claim.captured_at,
                                                         "time": claim.estimated_at, **unknown_times(time=claim)},
                              claim.estimated_at))
        elif abs(claim.captured_at - claim.estimated_at) > CLOCKS_DISAGREE:  # same_boot or anchor
            flags.add("clock_disagrees")
            steps.append(Step("R1", "clock_disagrees", {"rep": name(claim.rep), "captured": claim.captured_at,
                                                        "time": claim.estimated_at}, claim.estimated_at))
    for claim in claims:  # moved here by a correction made after another rep registered this phone
        if claim.moved_at is not None and any(o.rep != claim.rep and o.estimated_at < claim.moved_at for o in claims):
            flags.add("moved_by_correction")
            steps.append(Step("R4", "moved_by_correction", {"rep": name(claim.rep), "time": claim.estimated_at,
                                                            "moved": claim.moved_at}, claim.moved_at))
    opened = claims[1].estimated_at if len(claims) > 1 else first.estimated_at
    first_id = draft.first_id if any(c.record_id == draft.first_id for c in claims) else None
    return Conflict(claims=tuple(claims), owner=draft.owner, flags=tuple(sorted(flags)), opened_at=opened,
                    decision_id=draft.decision_id, steps=tuple(steps), first_claim_id=first_id,
                    lapsed=draft.lapsed and draft.decision_id is None)
