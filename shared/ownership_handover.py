"""Hand-overs in the ownership pass (随机抽数分配, 001 §14(五)3(12)), used by
``shared.ownership_pass.RulePass``. Pure.

A hand-over takes effect at its time, like a manager's decision (R10):

- it moves the customer only if the leaving rep holds it then (owner, window live or a deal);
  otherwise it says so (``handover_not_applied``) and changes nothing — a customer whose
  protection lapsed is nobody's to hand over (R2), the next registration claims it;
- a customer with a deal (R9) keeps the deal's rep, who keeps the commission
  (``handover_deal_kept``), unless the manager included deals (``deals_too``): then the
  receiving rep holds the customer and the deal stays final and its rep's (``handover_with_deal``:
  no protection window to restart);
- otherwise the receiving rep becomes the owner (``handover``), takes the leaving rep's share
  of a split, and gets a fresh protection window from the hand-over's time, as a decision
  gives: 001 §14(五)2(1) protects a rep's customer for the 建档有效期, and a customer handed over
  near the end of the leaving rep's window would otherwise be lost before the new rep could
  follow up. Later visits of the new owner renew it; another rep's registration inside it does
  not take the customer (``handover_holds``) and opens a conflict for a manager, as after a
  decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .ownership_types import HandOver

if TYPE_CHECKING:
    from .ownership_pass import RulePass

__all__ = ["apply_handover"]


def apply_handover(engine: RulePass, handover: HandOver) -> None:
    """Apply ``handover`` to the pass at its time (see the module's rules)."""
    at, name = handover.at, engine.name
    words = {"author": name(handover.author), "rep": name(handover.from_rep), "to": name(handover.to_rep),
             "time": at, "method": handover.method, "reason": handover.reason}
    if engine.owner != handover.from_rep or not engine.is_live(at):
        engine.step("R10", "handover_not_applied", at, **words)
        return
    if engine.deal is not None and not handover.deals_too:
        engine.step("R9", "handover_deal_kept", at, **words)
        return
    if engine.split:
        share = engine.split.pop(handover.from_rep, 0)
        engine.split[handover.to_rep] = engine.split.get(handover.to_rep, 0) + share
    if handover.from_rep in engine.decided:
        engine.decided = frozenset({*engine.decided - {handover.from_rep}, handover.to_rep})
    if engine.open_conflict is not None:
        engine.open_conflict.owner = handover.to_rep
    engine.owner = handover.to_rep
    engine.renewals = []  # the leaving rep's visits renewed the leaving rep's window
    engine.live = [c for c in engine.live if c.rep != handover.from_rep or c is engine.owner_claim]
    if engine.deal is None:
        assert engine.until is not None
        engine.until = max(engine.until, at + engine.policy.validity)
    engine.handed_over = handover
    if engine.deal is not None:  # deals too: the owner moves, the deal (final, no window) stays its rep's
        engine.step("R10", "handover_with_deal", at, **words, deal_rep=name(engine.deal.rep))
        return
    engine.step("R10", "handover", at, **words)
