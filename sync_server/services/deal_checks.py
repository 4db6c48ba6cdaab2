"""A deal stage recorded twice for one unit (QA of issue 11, F5), checked inside the push's write
(``services.push``) beside ``push_checks``.

The numbers count each 小定, 大定 and 签约 once per unit (docs/console.md, the deal funnel): five
小定 records of one customer's unit 9-9 read 小定 5 and 小定率 500 %. A ``stage`` deal record
(``shared.deals``) is refused ``deal_stage_recorded`` when the same customer already has a live
record of that stage on that unit — stored, or earlier in this push — and no cancellation (退订)
of that unit and stage came after it: the earlier one is corrected instead (a correction
supersedes it and is not refused), or withdrawn first. Units compare as people type them:
without spaces, full-width letters and digits folded, case ignored (``shared.deals.unit_key``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from shared.deals import DealFact, deal_event, repeated_stage, unit_key
from shared.errors import Problem
from shared.records import Record
from shared.timeutil import parse_time

from ..storage.base import Store
from .auth import Caller

__all__ = ["deal_stage_problems"]


def deal_stage_problems(store: Store, caller: Caller, checked: list[Record | Problem],
                        names: Callable[[], Mapping[str, str]]) -> dict[str, Problem]:
    """``record id -> Problem`` for this push's stage deals that repeat a live stage of the same
    customer's unit (``shared.deals.repeated_stage``; see the module's docstring). ``names``:
    username -> display name (called only when a refusal names who recorded the first)."""
    new = [r for r in checked if isinstance(r, Record) and r.type == "deal" and deal_event(r.data) == "stage"
           and unit_key(r.data.get("unit")) and r.data.get("stage")]
    if not new:
        return {}
    stored = store.records_for_keys(caller.site.id, {r.customer.phone_key for r in new})
    batch = [r for r in checked if isinstance(r, Record)]
    gone = {s.lower() for s in [*(r.supersedes for r in stored), *(r.supersedes for r in batch)] if s}
    known: dict[str, list[DealFact]] = defaultdict(list)  # by phone key
    for r in stored:
        if r.type == "deal" and r.id.lower() not in gone:
            known[r.phone_key].append(DealFact.of(r.wire.get("data") or {}, parse_time(r.estimated_at),
                                                  r.rep or r.author))
    for pushed in batch:  # this push's 退订 and 换房
        if pushed.type == "deal" and deal_event(pushed.data) != "stage":
            known[pushed.customer.phone_key].append(DealFact.of(pushed.data, pushed.captured_at,
                                                                pushed.rep or caller.user.username))
    problems: dict[str, Problem] = {}
    for record in new:
        deal = DealFact.of(record.data, record.captured_at, record.rep or caller.user.username)
        # a correction replaces the record it names: never a repeat
        earlier = None if record.supersedes else repeated_stage(known[record.customer.phone_key], deal)
        if earlier is not None:
            who = names().get(earlier.who or "", earlier.who or "")
            problems[record.id] = Problem(
                "deal_stage_recorded", f"This unit's {deal.stage} is already recorded for this customer ({who}); "
                "correct that record instead, or record a cancellation (退订) first.", "data.stage",
                {"unit": str(record.data.get("unit")), "stage": deal.stage, "rep": who})
            continue
        known[record.customer.phone_key].append(deal)
    return problems
