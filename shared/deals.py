"""Deals (成交): the stages 小定 → 大定 → 签约 and the later events on a deal, 退订 and 换房.

001 §14(三) 4–5 keeps a 小定单登记表 and a 大定单登记表; §14(六) manages 换房 (unit change),
换名 (rename), 违约 and 退房 (cancellation: 原则上不退房, never after the contract). All are
``deal`` records; ``data.event`` says which (absent = ``stage``, so every deal a v1 tablet
sends reads as before):

- ``stage``: the customer reached ``data.stage`` on ``data.unit`` for ``data.amount`` yuan;
- ``cancellation`` (退订): the deal at ``data.stage`` on ``data.unit`` was cancelled;
  ``data.amount`` is the amount given back, ``data.reason`` why;
- ``unit_change`` (换房): the deal moved from ``data.previous_unit`` to ``data.unit``
  (``data.amount`` the new amount).

Only a ``stage`` deal is a claim. R9 (001 §12.7 6): "成交后发生更名、换房等销售变更的，不变更
经办售楼员" — a rename or unit change keeps the rep, whoever records it; the seeds say nothing
of a cancellation taking the customer from the rep, so it changes no ownership either.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .errors import Problem

__all__ = ["DEAL_STAGES", "DEAL_EVENTS", "deal_event", "is_deal_claim", "deal_problems", "unit_key", "DealFact",
           "repeats", "repeated_stage"]

DEAL_STAGES = ("small_deposit", "large_deposit", "contract")
"""小定, 大定, 签约 (001 §14(三))."""
DEAL_EVENTS = ("stage", "cancellation", "unit_change")
"""What a deal record says happened: a stage reached, 退订, 换房."""


def deal_event(data: Mapping[str, Any]) -> str:
    """``data.event`` of a deal record, ``stage`` when absent (a v1 deal)."""
    event = data.get("event")
    return event if isinstance(event, str) and event in DEAL_EVENTS else "stage"


def is_deal_claim(record_type: str, data: Mapping[str, Any]) -> bool:
    """Does this record claim the customer as a deal? Only a reached stage does (R9)."""
    return record_type == "deal" and deal_event(data) == "stage"


def deal_problems(data: Mapping[str, Any]) -> list[Problem]:
    """What a deal record misses beyond its field table: a unit change names both units; an
    amount has at most two decimals (分: ``amount_cents``, as the tablet's form says; QA of issue
    11, second pass: 99999999.995 was stored and exported as 100000000.00)."""
    problems: list[Problem] = []
    amount = data.get("amount")
    if isinstance(amount, float) and math.isfinite(amount) and Decimal(repr(amount)).as_tuple().exponent < -2:  # type: ignore[operator]
        problems.append(Problem("amount_cents", "An amount has at most two decimals (分); round it.", "data.amount"))
    if data.get("event") == "unit_change":
        for key, what in (("unit", "the new unit"), ("previous_unit", "the unit it replaces")):
            value = data.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem("missing_field", f"A unit change (换房) needs {what} (data.{key}).",
                                        f"data.{key}"))
    return problems


def unit_key(unit: Any) -> str:
    """A unit as compared: NFKC (full-width ９－９ is 9-9), no spaces, case folded; "" for none."""
    if not isinstance(unit, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", unit).split()).casefold()


@dataclass(frozen=True)
class DealFact:
    """One live deal record of a customer as ``repeated_stage`` reads it: its event, unit and
    previous unit (``unit_key``), stage, when (aware) and who keeps it (the rep, else its author)."""

    event: str
    unit: str
    previous_unit: str
    stage: str
    at: datetime
    who: str | None = None
    chain: str = ""
    version_at: datetime | None = None
    cancels: str = ""

    @classmethod
    def of(cls, data: Mapping[str, Any], at: datetime, who: str | None = None, chain: str = "",
           version_at: datetime | None = None, cancels: str = "") -> DealFact:
        """``at``: the capture time of the record's chain original (R4: a correction keeps it),
        ``chain`` that original's id, ``version_at`` this version's own time (a correction's);
        ``cancels``, of a 退订 naming a deal (``data.refers_to``): the original of the deal's
        chain — through 换房, the deal reached (``stage``) that the unit changes moved — "" else."""
        return cls(deal_event(data), unit_key(data.get("unit")), unit_key(data.get("previous_unit")),
                   str(data.get("stage") or ""), at, who, chain, version_at, cancels)

    def order(self, record_id: str) -> tuple:
        """Where this deal (record ``record_id``) stands among a customer's deals: by its
        original's time, then the original's id (a tie between two chains does not move when one
        is corrected), then the later version first (two corrections of one deal: the later
        stands, docs/mobile.md), then the record's id."""
        return (self.at, self.chain or record_id, -(self.version_at or self.at).timestamp(), record_id)


def repeats(deals: Mapping[str, DealFact]) -> dict[str, str]:
    """Which ``stage`` deals among one customer's live ``deals`` (by record id) repeat a stage
    already counted on their unit, and which 退订 repeat one already counted: ``{repeat id: id
    of the counted deal it repeats}``.

    The deals are read in capture order (``DealFact.order``: every replica orders them alike). A
    ``stage`` deal on a unit counts unless the same stage of that unit was counted before and
    not ended since; a 退订 of the unit (of that stage, or of no stage named) or a 换房 away
    from the unit ends it, so the next such deal counts again (a new sale). A deal without a
    unit or stage always counts; a 换房 is never a repeat. QA of issue 11, F5: five 小定
    of one unit read 小定率 500 %; the funnel counts each reached stage of a unit once
    (``sync_server/storage/facts.py``: a repeat's fact reads ``event`` ``repeat``).

    A 退订 repeats an earlier one that cancels the same deal (QA15 A: two tablets offline, or a rep
    and the desk, recorded the customer's 退订 and 退订 and 退订金额 counted both): the same deal
    chain (``cancels``), or — for 退订 naming no deal — the same unit and stage with no new sale of
    the unit counted between them. The earlier by capture order counts; withdrawn, the next one
    does. A 退订 naming neither a deal nor a unit always counts.

    A 退订 naming a deal ends the stage of *that deal's* unit, whatever unit the 退订 itself says
    (QA of issue 15, finding 6: a 退订 without a unit, or with a mistyped one, ended nothing, and the
    unit's next 小定 — a new sale — was left uncounted); the deal named is the live one of its chain
    among ``deals``, else the 退订's own unit and stage stand."""
    counted: dict[tuple[str, str], str] = {}  # (unit, stage) reached and not ended -> the counting deal
    cancelled: dict[tuple[str, ...], str] = {}  # the deal (or unit and stage) cancelled -> the counting 退订
    found: dict[str, str] = {}
    stages: dict[str, DealFact] = {}  # a chain's original id -> its live stage deal (what a 退订 names)
    for rid, deal in deals.items():
        if deal.event == "stage":
            stages.setdefault(deal.chain or rid, deal)
    for rid, deal in sorted(deals.items(), key=lambda item: item[1].order(item[0])):
        if deal.event == "stage" and deal.unit and deal.stage:
            first = counted.setdefault((deal.unit, deal.stage), rid)
            if first != rid:
                found[rid] = first
            else:  # a new sale of the unit: its next 退订 (naming no deal) counts again
                cancelled = {k: v for k, v in cancelled.items() if not (k[0] == "unit" and k[1] == deal.unit)}
        elif deal.event == "cancellation":
            key = ("deal", deal.cancels) if deal.cancels else ("unit", deal.unit, deal.stage) if deal.unit else None
            if key is not None and (first := cancelled.setdefault(key, rid)) != rid:
                found[rid] = first
            named = stages.get(deal.cancels) if deal.cancels else None
            unit, stage = (named.unit, named.stage) if named is not None and named.unit else (deal.unit, deal.stage)
            counted = {k: v for k, v in counted.items() if not (k[0] == unit and stage in ("", k[1]))}
        elif deal.event == "unit_change":
            counted = {k: v for k, v in counted.items() if k[0] != deal.previous_unit}
    return found


def repeated_stage(known: Iterable[DealFact], new: DealFact) -> DealFact | None:
    """The live deal among one customer's ``known`` deals whose stage and unit ``new`` (captured
    at ``new.at``) would repeat (``repeats``: the counted one, not cancelled or moved away
    since); None when it would count. The tablet's deal form says so before saving a rep's repeat
    of her own (``deal_stage_recorded``); the server takes every deal (two tablets' deals are
    claims it must take in any order, protocol principle 5) and counts a repeat once."""
    deals = {f"k{i:09d}": deal for i, deal in enumerate(known)}
    deals["~new"] = new  # after the known ones captured at the same instant
    first = repeats(deals).get("~new")
    return deals[first] if first else None
