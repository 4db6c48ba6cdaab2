"""A deal stage recorded twice for one unit (QA of issue 11, F5), checked inside the push's write
(``services.push``) beside ``push_checks``.

The numbers count each 小定, 大定 and 签约 once per unit (docs/console.md, the deal funnel): five
小定 records of one customer's unit 9-9 read 小定 5 and 小定率 500 %. A ``stage`` deal record
(``shared.deals``) is refused ``deal_stage_recorded`` when the same customer already has a live
record of that stage on that unit — stored, or earlier in this push — and no cancellation (退订)
of that unit and stage came after it: the earlier one is corrected instead (a correction
supersedes it and is not refused), or withdrawn first. Units compare as people type them:
without spaces, full-width letters and digits folded, case ignored (``unit_key``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.deals import deal_event
from shared.errors import Problem
from shared.records import Record
from shared.timeutil import parse_time

from ..storage.base import Store
from .auth import Caller

__all__ = ["deal_stage_problems", "unit_key"]


def unit_key(unit: Any) -> str:
    """A unit as compared: NFKC (full-width ９－９ is 9-9), no spaces, case folded; "" for none."""
    if not isinstance(unit, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", unit).split()).casefold()


def deal_stage_problems(store: Store, caller: Caller, checked: list[Record | Problem],
                        names: Callable[[], Mapping[str, str]]) -> dict[str, Problem]:
    """``record id -> Problem`` for this push's stage deals that repeat a live stage of the same
    customer's unit (see the module's docstring). ``names``: username -> display name (called
    only when a refusal names who recorded the first)."""
    new = [r for r in checked if isinstance(r, Record) and r.type == "deal" and deal_event(r.data) == "stage"
           and unit_key(r.data.get("unit")) and r.data.get("stage")]
    if not new:
        return {}
    stored = store.records_for_keys(caller.site.id, {r.customer.phone_key for r in new})
    batch = [r for r in checked if isinstance(r, Record)]
    gone = {s.lower() for s in [*(r.supersedes for r in stored), *(r.supersedes for r in batch)] if s}
    known: list[_Deal] = [_Deal.of(r.phone_key, r.wire.get("data") or {}, parse_time(r.estimated_at), r.rep or r.author)
                          for r in stored if r.type == "deal" and r.id.lower() not in gone]
    known += [_Deal.of(r.customer.phone_key, r.data, r.captured_at, r.rep or caller.user.username)
              for r in batch if r.type == "deal" and deal_event(r.data) != "stage"]  # this push's 退订 and 换房
    problems: dict[str, Problem] = {}
    for record in new:
        deal = _Deal.of(record.customer.phone_key, record.data, record.captured_at,
                        record.rep or caller.user.username)
        earlier = None if record.supersedes else _live_stage(known, deal)  # a correction replaces the one it names
        if earlier is not None:
            who = names().get(earlier.rep or "", earlier.rep or "")
            problems[record.id] = Problem(
                "deal_stage_recorded", f"This unit's {deal.stage} is already recorded for this customer ({who}); "
                "correct that record instead, or record a cancellation (退订) first.", "data.stage",
                {"unit": str(record.data.get("unit")), "stage": deal.stage, "rep": who})
            continue
        known.append(deal)
    return problems


@dataclass(frozen=True)
class _Deal:
    phone: str
    event: str
    unit: str
    previous_unit: str
    stage: str
    at: datetime
    rep: str | None

    @classmethod
    def of(cls, phone: str, data: Mapping[str, Any], at: datetime, rep: str | None) -> _Deal:
        return cls(phone, deal_event(data), unit_key(data.get("unit")), unit_key(data.get("previous_unit")),
                   str(data.get("stage") or ""), at, rep)


def _live_stage(known: list[_Deal], deal: _Deal) -> _Deal | None:
    """The latest record of ``deal``'s stage on its customer's unit not followed by a
    cancellation of that unit and stage (or a 换房 away from the unit), or None."""
    same = [d for d in known if d.phone == deal.phone and d.event == "stage" and d.unit == deal.unit
            and d.stage == deal.stage]
    if not same:
        return None
    last = max(same, key=lambda d: d.at)
    ended = any(d.phone == deal.phone and d.at >= last.at and (
        (d.event == "cancellation" and d.unit == deal.unit and d.stage in ("", deal.stage))
        or (d.event == "unit_change" and d.previous_unit == deal.unit)) for d in known)
    return None if ended else last
