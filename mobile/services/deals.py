"""Deals on the tablet (成交登记, 001 §14(三) 4–5, §14(六)): the amount as a rep types it, and
the deals this tablet knows of one customer — its own records and the pulled ones it may see.

The pull sends a rep the records they wrote or that name them as ``rep``
(``sync_server/storage/sql/changes.py`` ``_scoped``); a deal names the rep who keeps it (R9,
``shared.deals``), so the rep's own customers' deals reach the rep's tablet whoever recorded
them, and no other rep's deals do.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from shared.deals import DealFact, deal_event, repeated_stage, unit_key
from shared.errors import Problem
from shared.timeutil import parse_time
from shared.versions import original_of

from ..store import LocalStore
from .record_rights import RecordRights

__all__ = ["AMOUNT_MAX", "parse_amount", "format_amount", "DealEntry", "deal_text", "customer_deals", "customer_phone",
           "current_deal", "change_refusal", "stage_repeat", "refund_excess", "cancellation_repeat"]

AMOUNT_MAX = Decimal(10) ** 12
"""The largest amount (元) a deal record takes (``shared.records``: ``data.amount`` ≤ 1e12)."""
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")


def parse_amount(text: str, *, required: bool = True) -> int | float | None | Problem:
    """The amount in 元 typed by a person, or the ``Problem`` with it (field ``data.amount``).

    Accepts full-width digits and punctuation (a Chinese keyboard: ``１２０００００``, ``１，２００``),
    thousands separators in groups of three (``1,200,000``), a leading ¥/￥ and a trailing 元,
    at most two decimals (分). Returns an ``int`` for whole yuan, else a ``float``; ``None`` for
    an empty field when not ``required``. Problems: ``missing_field`` (empty), ``amount_negative``,
    ``amount_format`` (not a number, or separators not in threes), ``amount_cents`` (more than
    two decimals), ``amount_too_large`` (over 1e12)."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    cleaned = cleaned.replace(" ", "").replace("\u3000", "").lstrip("¥").removesuffix("元")
    if not cleaned:
        return Problem("missing_field", "Fill in the amount.", "data.amount") if required else None
    if cleaned.startswith("-"):
        return Problem("amount_negative", "The amount cannot be negative.", "data.amount")
    if "," in cleaned and not _GROUPED.match(cleaned):
        return Problem("amount_format", "Separators go in groups of three digits.", "data.amount")
    cleaned = cleaned.replace(",", "")
    if not _PLAIN.match(cleaned):
        return Problem("amount_format", "The amount is not a number.", "data.amount")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return Problem("amount_format", "The amount is not a number.", "data.amount")
    if value > AMOUNT_MAX:
        return Problem("amount_too_large", "The amount is too large.", "data.amount")
    if value != value.quantize(Decimal("0.01")):
        return Problem("amount_cents", "At most two decimals (fen).", "data.amount")
    return int(value) if value == value.to_integral_value() else float(value)


def format_amount(amount: float | int | None) -> str:
    """``1200000`` → ``1,200,000``; ``1200.5`` → ``1,200.50``; ``None`` → ``""``."""
    if amount is None:
        return ""
    value = Decimal(str(amount))
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


@dataclass(frozen=True)
class DealEntry:
    """One deal record of a customer, as the card and the deal form show it."""

    id: str
    event: str  # stage | cancellation | unit_change (shared.deals.DEAL_EVENTS)
    stage: str  # small_deposit | large_deposit | contract
    unit: str
    previous_unit: str
    amount: float | int | None  # 元
    reason: str
    captured_at: str  # UTC text
    rep: str | None
    own: bool  # this tablet's record (else pulled)
    state: str = ""  # own records: pending | accepted | …
    original: str = ""  # the chain's original record (its own id when it corrects nothing known here)
    original_at: str = ""  # the original's time (R4: a correction keeps its original's place)
    refers_to: str = ""  # a 退订's or 换房's deal (``data.refers_to``)


def deal_text(deal: DealEntry, t: Callable[..., str]) -> str:
    """One deal as a line (``t(key, **values)`` translates: the screen's ``t``): stage, unit(s),
    amount with thousands separators; a 退订 with its reason."""
    return t("deal.row." + deal.event, stage=t("deal.stage." + deal.stage) if deal.stage else "", unit=deal.unit,
             previous=deal.previous_unit, amount=format_amount(deal.amount) or "—", reason=deal.reason)


def _entry(wire: dict, captured_at: str, rep: str | None, own: bool, state: str = "") -> DealEntry:
    data = wire.get("data") or {}
    amount = data.get("amount")
    ref = data.get("refers_to")
    return DealEntry(wire.get("id", ""), deal_event(data), data.get("stage", ""), data.get("unit") or "",
                     data.get("previous_unit") or "", amount if isinstance(amount, int | float) else None,
                     data.get("reason") or "", captured_at, rep, own, state,
                     refers_to=ref.lower() if isinstance(ref, str) else "")


def customer_deals(store: LocalStore, phone_hash: str | None) -> list[DealEntry]:
    """The customer's deals this tablet knows, latest first: pulled ones (the server's time,
    ``estimated_at``) and own ones not yet pulled back; corrected (superseded), withdrawn,
    rejected and tablet-only (``local``) records left out. Reads the store: off the UI thread."""
    if not phone_hash:
        return []
    entries: dict[str, DealEntry] = {}
    gone: set[str] = set()
    up: dict[str, str | None] = {}  # record id -> the id it supersedes
    times: dict[str, str] = {}
    for r in store.records_for(phone_hash):
        wire = json.loads(r["wire"])
        up[r["id"]], times[r["id"]] = wire.get("supersedes"), r["estimated_at"] or r["captured_at"]
        if wire.get("supersedes"):
            gone.add(wire["supersedes"])
        if r["type"] == "deal":
            entries[r["id"]] = _entry(wire, r["estimated_at"] or r["captured_at"], r["rep"], False)
    for e in store.own_records_for(phone_hash):
        up.setdefault(e.id, e.supersedes)
        times.setdefault(e.id, e.captured_at)
        if e.supersedes:
            gone.add(e.supersedes)
        if e.type != "deal" or e.id in entries or e.superseded_by or e.state in ("rejected", "local"):
            continue
        entries[e.id] = _entry(e.wire, e.captured_at, e.rep, True, e.state)
    deals = []
    for d in entries.values():
        if d.id not in gone:
            first = original_of(d.id, up, times)
            deals.append(replace(d, original=first, original_at=times[first]))
    deals.sort(key=lambda d: d.captured_at, reverse=True)
    return deals


def customer_phone(store: LocalStore, phone_hash: str | None) -> str:
    """The customer's phone as typed in a record this tablet holds ("" when none: the replica
    keeps only a masked number). Reads the store: off the UI thread."""
    if not phone_hash:
        return ""
    for e in reversed(store.own_records_for(phone_hash)):
        phone = (e.wire.get("customer") or {}).get("phone")
        if phone:
            return phone
    for r in reversed(store.records_for(phone_hash)):
        phone = (json.loads(r["wire"]).get("customer") or {}).get("phone")
        if phone:
            return phone
    return ""


def current_deal(deals: list[DealEntry]) -> DealEntry | None:
    """The deal a 退订 or 换房 is about (its ``data.refers_to``): the latest stage reached or unit
    change of ``deals`` (``customer_deals``, latest first)."""
    return next((d for d in deals if d.event in ("stage", "unit_change")), None)


def change_refusal(store: LocalStore, deal: DealEntry | None) -> Problem | None:
    """Why the signed-in user may not 退订 or 换房 ``deal`` (``RecordRights``: another rep's deal —
    on a shared tablet, the previous user's; the server would refuse it ``not_own_record``);
    None: she may, or there is no deal to refer to. Reads the store: off the UI thread."""
    if deal is None:
        return None
    return RecordRights.load(store).reference_refusal(store, deal.id, "cancel_or_change")


def stage_repeat(deals: list[DealEntry], stage: str, unit: str, rep: str | None) -> Problem | None:
    """``deal_stage_recorded`` when ``rep``'s ``stage`` on ``unit`` repeats a live deal of the same
    rep among the customer's ``deals`` (``customer_deals``) not cancelled since
    (``shared.deals.repeated_stage``): said on the form before saving (QA of issue 11, F5: five
    小定 of one unit read 小定率 500 %). Only the same rep's: another rep's deal on the unit is a
    claim of its own, which the server must take whatever the order the tablets sync in
    (protocol principle 5), so the server refuses neither."""
    facts = [DealFact(d.event, unit_key(d.unit), unit_key(d.previous_unit), d.stage,
                      parse_time(d.original_at or d.captured_at), d.rep, d.original or d.id, parse_time(d.captured_at))
             for d in deals if d.captured_at and d.rep == rep]
    new = DealFact("stage", unit_key(unit), "", stage, datetime.now(UTC))  # captured now: after the known ones
    if repeated_stage(facts, new) is None:
        return None
    return Problem("deal_stage_recorded", "This unit's stage is already recorded for this customer.", "data.stage")


def _deal_amount(deals: list[DealEntry], deal: DealEntry) -> Decimal | None:
    """``deal``'s amount in yuan; a 换房 without one keeps the amount of the deal it moved (its
    ``refers_to`` among ``deals``, or any version of that deal's chain), as the server reads it."""
    seen: set[str] = set()
    current: DealEntry | None = deal
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if isinstance(current.amount, int | float) and not isinstance(current.amount, bool):
            return Decimal(repr(current.amount)).quantize(Decimal("0.01"))
        if current.event != "unit_change" or not current.refers_to:
            return None
        ref = current.refers_to
        current = next((d for d in deals if ref in (d.id.lower(), d.original.lower())), None)
    return None


def refund_excess(deals: list[DealEntry], refund: float | int | None) -> Problem | None:
    """``refund_exceeds_deal`` when a 退订 giving back ``refund`` 元 would give back more than the
    customer's current deal (``current_deal`` of ``deals``: the one the 退订 names; its amount, a
    换房's without one the deal's it moved), with ``params`` ``{"deal_amount"}``; None when it does not,
    or either amount is unknown. Said on the form before saving (QA15 A); the server refuses it too
    (``sync_server/services/refund_checks.py``), against the deal's live version."""
    deal = current_deal(deals)
    if deal is None or refund is None:
        return None
    amount = _deal_amount(deals, deal)
    if amount is None or Decimal(repr(refund)).quantize(Decimal("0.01")) <= amount:
        return None
    return Problem("refund_exceeds_deal", "The amount given back is more than the deal it cancels.", "data.amount",
                   {"deal_amount": float(amount)})


def cancellation_repeat(deals: list[DealEntry]) -> Problem | None:
    """``deal_cancellation_recorded`` when the customer's current deal (``current_deal``: the one a
    new 退订 names) already has a 退订 among ``deals`` naming it (any version of its chain): said on
    the form before saving (QA15 A: a deal's 退订 recorded twice counted twice). The server takes
    a second 退订 from another tablet (captured offline, it must be taken in any order: protocol
    principle 5) and counts the deal's cancellation once (``shared.deals.repeats``)."""
    deal = current_deal(deals)
    if deal is None:
        return None
    chain = {deal.id.lower(), (deal.original or deal.id).lower()}
    chain |= {d.id.lower() for d in deals if (d.original or d.id).lower() in chain}
    if not any(d.event == "cancellation" and d.refers_to in chain for d in deals):
        return None
    return Problem("deal_cancellation_recorded", "This deal's cancellation is already recorded.", "data.event")
