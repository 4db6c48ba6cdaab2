"""R9 across a lapse (QA of issue 15): a deal that stood in the owner's undecided dispute when
the owner's window lapsed holds the customer from then on. Used by ``RulePass``
(``shared.ownership_pass``) before each event it walks and at its end."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .ownership_conflicts import unknown_times

if TYPE_CHECKING:
    from .ownership_pass import RulePass

__all__ = ["deal_outlasts"]


def deal_outlasts(engine: RulePass, at: datetime) -> None:
    """R9 across a lapse (QA of issue 15): the owner's window ended before ``at`` while another
    rep's deal stood in its undecided conflict. A deal is final, so from the lapse that deal's
    rep holds the customer by it (the first such deal in capture order), the conflict stays
    open for the manager (R10: whether the earlier registration gets a share) and a later
    registration is one after a deal. Before, the conflict lapsed with the owner's window
    and the next walk-in by anyone took a customer who had signed."""
    if engine.owner is None or engine.deal is not None or engine.until is None or at <= engine.until:
        return
    conflict = engine.open_conflict
    if conflict is None or conflict.decision_id is not None:
        return
    deal = next((c for c in conflict.claims if c.kind == "deal" and c.rep != engine.owner and c in engine.live), None)
    if deal is None:
        return
    engine.step("R2", "lapsed", engine.until, rep=engine.name(engine.owner), until=engine.until)
    engine.step("R9", "deal_outlasts", engine.until, rep=engine.name(deal.rep), time=deal.estimated_at,
                previous=engine.name(engine.owner), **unknown_times(time=deal))
    engine.owner, engine.owner_claim, engine.deal, engine.decided_at = deal.rep, deal, deal, None
    engine.renewals, engine.handed_over = [], None
    conflict.owner = deal.rep
