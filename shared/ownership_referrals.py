"""Referrals in the ownership pass (R7 staff referrals 老带新, R8 company clients), used by
``shared.ownership_pass.RulePass``. Pure.

- A referral claims nothing by itself: it waits (``pending_referral``) for the next walk-in
  that starts an episode. A staff referral is confirmed only when the customer visits on the
  appointment day (site-local day, R7, 001 §11); otherwise it is void (``referral_void_no_show``,
  stamped at the end of the appointment day, so asking again later tells the same story).
- A staff referral of a customer another rep protects is void (``referral_void_registered``).
- A company client (R8) is void if the customer had registered as a walk-in before it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from .ownership_conflicts import unknown_times
from .ownership_types import Claim
from .policy import SitePolicy
from .timeutil import site_zone
from .versions import EffectiveRecord

if TYPE_CHECKING:
    from .ownership_pass import RulePass

__all__ = ["on_referral", "confirm_referral", "void_unkept_appointment"]


def _local_day(at: datetime, policy: SitePolicy) -> date:
    return at.astimezone(site_zone(policy.utc_offset_minutes)).date()


def on_referral(engine: RulePass, eff: EffectiveRecord) -> None:
    """A referral record at its time: void at once (R7 a protected customer, R8 registered
    before), or pending until the next episode's walk-in (``confirm_referral``)."""
    rec = eff.record
    channel = rec.data.get("channel", "staff")
    if channel == "company":
        before = [t for t in engine.walkin_times if t < eff.at]
        if before:
            engine.step("R8", "company_void", eff.at, time=min(before))
            return
    elif engine.is_live(eff.at):
        owner_claim = engine.owner_claim
        engine.step("R7", "referral_void_registered", eff.at, referrer=rec.data.get("referrer"),
                    rep=engine.name(engine.owner), time=owner_claim.estimated_at if owner_claim else eff.at,
                    **unknown_times(time=owner_claim))
        return
    if engine.pending_referral is None:
        engine.pending_referral = eff


def confirm_referral(engine: RulePass, claim: Claim) -> None:
    """The walk-in ``claim`` that started an episode meets the pending referral: a company
    client (R8), a staff referral on its appointment day (R7: commission referrer 30 / rep 70),
    or a referral void because the visit came on another day."""
    pending, engine.pending_referral = engine.pending_referral, None
    if pending is None:
        return
    data = pending.record.data
    referrer = data.get("referrer")
    if data.get("channel", "staff") == "company":
        engine.step("R8", "company_client", claim.estimated_at, referrer=referrer, rep=engine.name(claim.rep),
                    time=claim.estimated_at, **unknown_times(time=claim))
        engine.referral = {"referrer": referrer, "channel": "company", "record_id": pending.id}
        return
    day = date.fromisoformat(data["appointment_date"])
    if _local_day(claim.estimated_at, engine.policy) != day:
        engine.step("R7", "referral_void_no_show", claim.estimated_at, referrer=referrer, day=day.isoformat())
        return
    engine.step("R7", "referral_confirmed", claim.estimated_at, referrer=referrer, day=day.isoformat(),
                rep=engine.name(claim.rep), time=claim.estimated_at, **unknown_times(time=claim))
    engine.referral = {"referrer": referrer, "channel": "staff", "record_id": pending.id,
                       "commission": {"referrer": 30, "rep": 70}}


def void_unkept_appointment(engine: RulePass, as_of: datetime) -> None:
    """At the end of the pass: a staff referral still pending after its appointment day is void
    (R7), stamped at the end of that day — not at ``as_of`` — so asking again later gives the
    same explanation (the server stores and syncs it)."""
    if engine.pending_referral is None:
        return
    data = engine.pending_referral.record.data
    day = data.get("appointment_date")
    if day and _local_day(as_of, engine.policy) > date.fromisoformat(day):
        day_after = datetime.combine(date.fromisoformat(day) + timedelta(days=1), datetime.min.time(),
                                     site_zone(engine.policy.utc_offset_minutes))
        engine.step("R7", "referral_void_no_show", day_after, referrer=data.get("referrer"), day=day)
