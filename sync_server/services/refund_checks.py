"""A 退订 gives back at most the amount of the deal it cancels (``refund_exceeds_deal``; QA15 A:
a cancellation of a 20,000 元 小定 giving back 200,000 元 was accepted and the numbers page read
退订金额 200,000), checked inside the push's write (``services.push``) beside
``reference_checks``, which it follows: the deal named (``data.refers_to``) is a deal of the same
customer by then.

The deal's amount is the amount of the **live version of its chain** — the version nothing
corrects, the later of two corrections (``shared.versions.version_order`` on the estimated
capture time, as the numbers and the ownership engine take it) — stored or in this push; a
corrected deal is compared by its corrected amount. A 换房 (``unit_change``) carries the deal's
new amount; one without an amount keeps the amount of the deal it moved (its own
``data.refers_to``, followed the same way). Nothing is compared — the 退订 is taken — when the
refund or the deal has no amount, or the deal's chain is withdrawn. Amounts are yuan with at
most two decimals (``amount_cents``), compared exactly as ``Decimal`` fen.

The check reads the deal as it stands when the 退订 arrives: a correction of the deal arriving
later is taken and leaves the stored 退订 as it is (records are never refused after they were
stored; protocol principle 4). The tablet's deal form says the same before saving when it holds
the deal (``mobile.services.deals.refund_excess``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.clocks import CaptureEstimate
from shared.deals import deal_event
from shared.errors import Problem
from shared.records import Record
from shared.timeutil import parse_time
from shared.versions import version_order

from ..storage.base import StoredRecord
from .reference_checks import Named

__all__ = ["refund_problems", "yuan_text"]

_Site = Any  # reference_checks' view of the records a push names (``named_records``)
_CENT = Decimal("0.01")


def yuan(amount: Any) -> Decimal | None:
    """A JSON amount (yuan) as exact fen, None for none (a bool is no amount)."""
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return None
    return Decimal(repr(amount)).quantize(_CENT)


def yuan_text(amount: Decimal) -> str:
    """``20000`` → ``20,000``; ``1200.5`` → ``1,200.50`` (as the tablet's form shows amounts)."""
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def refund_problems(site: _Site, checked: list[Record | Problem],
                    estimate: Callable[[Record], CaptureEstimate]) -> dict[str, Problem]:
    """``record id -> Problem`` (``refund_exceeds_deal``, field ``data.amount``, ``params``
    ``{"deal_amount": yuan, "refund": yuan}``) for this push's 退订 whose amount given back is more
    than the amount of the deal its ``data.refers_to`` names (see the module's docstring)."""
    refunds = [(r, amount) for r in checked if isinstance(r, Record) and r.type == "deal"
               and deal_event(r.data) == "cancellation" and isinstance(r.data.get("refers_to"), str)
               and (amount := yuan(r.data.get("amount"))) is not None]
    if not refunds:
        return {}
    chains = _Chains(site, estimate)
    problems: dict[str, Problem] = {}
    for record, refund in refunds:
        deal = chains.amount(str(record.data["refers_to"]).lower(), record.customer.phone_key)
        if deal is not None and refund > deal:
            problems[record.id] = Problem(
                "refund_exceeds_deal", f"The amount given back ({yuan_text(refund)} yuan) is more than the deal it "
                f"cancels ({yuan_text(deal)} yuan): check the amount; a cancellation gives back at most the deal's "
                "amount.", "data.amount", {"deal_amount": float(deal), "refund": float(refund)})
    return problems


class _Chains:
    """The deal chains a push's 退订 name: their versions, stored (read by the customers' phones)
    or in this push, and each chain's live amount."""

    def __init__(self, site: _Site, estimate: Callable[[Record], CaptureEstimate]):
        self.site, self.estimate = site, estimate
        self.read: set[str] = set()
        self.stored: dict[str, StoredRecord] = {}

    def _load(self, phones: set[str]) -> None:
        wanted = phones - self.read - {""}
        if wanted:
            self.read |= wanted
            for r in self.site.store.records_for_keys(self.site.site_id, wanted):
                self.stored.setdefault(r.id.lower(), r)
                self.site.stored.setdefault(r.id.lower(), Named.of(r))  # root() walks them unread

    def _versions(self, root: str) -> list[tuple[str, str, Any, datetime, str | None]]:
        """``(id, type, data, estimated at, supersedes)`` of every known record of ``root``'s chain."""
        found: dict[str, tuple[str, str, Any, datetime, str | None]] = {}
        for rid, r in self.stored.items():
            found[rid] = (rid, r.type, r.wire.get("data") or {}, parse_time(r.estimated_at),
                          (r.supersedes or "").lower() or None)
        for rid, record in self.site.records.items():
            if rid not in found:
                found[rid] = (rid, record.type, record.data, self.estimate(record).at,
                              (record.supersedes or "").lower() or None)
        return [v for v in found.values() if self.site.root(v[0]) == root]

    def amount(self, named: str, phone: str, depth: int = 0) -> Decimal | None:
        """The live amount of the deal chain holding ``named`` (None: none known, or withdrawn)."""
        target = self.site.get(named)
        if target is None or depth > 20:
            return None
        self._load({target.phone_key, phone})
        root = self.site.root(named)
        versions = self._versions(root)
        if any(kind == "withdrawal" for _, kind, *_ in versions):
            return None
        corrected = {v[4] for v in versions if v[4]}
        tips = [v for v in versions if v[1] == "deal" and v[0] not in corrected]
        if not tips:
            return None
        _, _, data, _, _ = max(tips, key=lambda v: version_order(v[3], v[0]))
        amount = yuan(data.get("amount"))
        ref = data.get("refers_to")
        if amount is None and deal_event(data) == "unit_change" and isinstance(ref, str) and ref:
            return self.amount(ref.lower(), phone, depth + 1)  # a 换房 without an amount keeps the deal's
        return amount
