"""Checks of what a push's records name (``supersedes``, a deal's ``data.refers_to``) against the
records named, inside the push's write (``services.push``), beside ``push_checks`` and
``complaint_checks`` (QA round A of the push path):

- a correction keeps its original's type (``type_changed``, F1): a rep "corrected" her 来电 of 3
  hours before into a walk-in after a colleague registered the real visit, and since a correction
  keeps its original's capture time (docs/ownership.md) she became first registrant at the call's
  time (R3: calls never count); a deal superseded a walk-in, a complaint a deal, a walk-in a 排班
  record. A ``withdrawal`` withdraws a record of any type;
- a withdrawal stands: nothing supersedes it (``not_withdrawable``, F1: a withdrawal of a
  withdrawal was accepted). The tablet never sends one: it corrects with the original's type
  and offers 撤回 only for records the server took;
- a deal's 退订 or 换房 (``data.refers_to``) names a deal (``not_a_deal``, F3): a ``stage``
  deal or a 换房 — the tablet names the customer's latest stage or unit change
  (``mobile.services.deals.current_deal``) —, never a walk-in, a complaint or a 退订;
- of the same customer (``other_customers_deal``, F3): its phone is one of the phones of the
  named deal's chain (the original, its corrections, stored or in this push).

A record named is looked at as stored when it is (a record of this push reusing a stored id is
``id_reused``'s), else as it is in this push; a name the site does not know is
``unknown_record``'s to refuse, a record naming itself ``self_reference``'s (shared).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.deals import deal_event
from shared.errors import Problem
from shared.records import Record

from ..storage.base import Store, StoredRecord
from .auth import Caller

__all__ = ["Named", "named_records", "supersede_type_problems", "deal_reference_problems"]

TYPE_WORDS = {"walkin": "walk-in", "call": "call", "visit_report": "visit report", "follow_up": "follow-up",
              "complaint": "complaint", "referral": "referral", "deal": "deal", "withdrawal": "withdrawal",
              "rotation": "rotation (排班)"}


@dataclass(frozen=True)
class Named:
    """A record named, stored or of this push: what the checks read of it."""

    id: str
    type: str
    data: Mapping[str, Any]
    supersedes: str | None
    phone_key: str

    @classmethod
    def of(cls, record: Record | StoredRecord) -> Named:
        if isinstance(record, Record):
            return cls(record.id, record.type, record.data, (record.supersedes or "").lower() or None,
                       record.customer.phone_key)
        return cls(record.id.lower(), record.type, record.wire.get("data") or {},
                   (record.supersedes or "").lower() or None, record.phone_key)


class _Site:
    """The records a push's checks name: stored ones first (read once, on demand), then this push's."""

    def __init__(self, store: Store, caller: Caller, checked: list[Record | Problem]):
        self.store, self.site_id = store, caller.site.id
        self.batch: dict[str, Named] = {}
        self.records: dict[str, Record] = {}  # this push's records by id (the first of a repeated id)
        for record in checked:
            if isinstance(record, Record):
                self.batch.setdefault(record.id, Named.of(record))
                self.records.setdefault(record.id, record)
        self.stored: dict[str, Named | None] = {}

    def load(self, ids: set[str]) -> None:
        wanted = {i for i in ids if i not in self.stored}
        if wanted:
            found = {r.id.lower(): Named.of(r) for r in self.store.records_by_ids(self.site_id, wanted)}
            self.stored.update({i: found.get(i) for i in wanted})

    def get(self, record_id: str) -> Named | None:
        self.load({record_id})
        return self.stored[record_id] or self.batch.get(record_id)

    def root(self, record_id: str) -> str:
        """The original of ``record_id``'s chain: ``supersedes`` followed up (circles stop)."""
        seen = {record_id}
        current = self.get(record_id)
        while current is not None and current.supersedes and current.supersedes not in seen:
            seen.add(current.supersedes)
            parent = self.get(current.supersedes)
            if parent is None:
                break
            current = parent
        return current.id if current is not None else record_id


def named_records(store: Store, caller: Caller, checked: list[Record | Problem]) -> _Site:
    """What the checks below read of the records a push names (one per push: read once)."""
    return _Site(store, caller, checked)


def supersede_type_problems(site: _Site, checked: list[Record | Problem]) -> dict[str, Problem]:
    """``record id -> Problem`` for this push's records whose ``supersedes`` names a record of
    another type (``type_changed``; a withdrawal excepted) or a withdrawal (``not_withdrawable``)."""
    linked = [r for r in checked if isinstance(r, Record) and r.supersedes]
    if not linked:
        return {}
    site.load({(r.supersedes or "").lower() for r in linked})
    problems: dict[str, Problem] = {}
    for record in linked:
        target = site.get((record.supersedes or "").lower())
        if target is None:
            continue  # unknown_record says so
        if target.type == "withdrawal":
            problems[record.id] = Problem(
                "not_withdrawable", "supersedes names a withdrawal, which stands: it is neither withdrawn nor "
                "corrected. To bring the withdrawn record back, register it anew.", "supersedes")
        elif record.type != "withdrawal" and record.type != target.type:
            theirs, mine = TYPE_WORDS.get(target.type, target.type), TYPE_WORDS.get(record.type, record.type)
            problems[record.id] = Problem(
                "type_changed", f"A correction keeps the record's type: this {mine} supersedes a {theirs}. Withdraw "
                f"the {theirs} and register it anew as a {mine}.", "supersedes", {"type": target.type})
        elif record.type == "deal" and deal_event(record.data) != deal_event(target.data):
            # a stage deal is a claim (R9) and a 退订/换房 is not: a 退订 "corrected" into a 小定
            # would claim the customer at the 退订's time, as a call turned walk-in did
            problems[record.id] = Problem(
                "type_changed", f"A correction keeps the deal's kind: this {deal_event(record.data)} supersedes a "
                f"{deal_event(target.data)}. Withdraw it and record the deal anew.", "data.event",
                {"type": target.type, "event": deal_event(target.data)})
    return problems


def deal_reference_problems(site: _Site, checked: list[Record | Problem]) -> dict[str, Problem]:
    """``record id -> Problem`` for this push's deal records whose ``data.refers_to`` names no
    deal (``not_a_deal``) or another customer's (``other_customers_deal``)."""
    events = [r for r in checked if isinstance(r, Record) and r.type == "deal"
              and isinstance(r.data.get("refers_to"), str) and r.data.get("refers_to")]
    if not events:
        return {}
    site.load({str(r.data["refers_to"]).lower() for r in events})
    problems: dict[str, Problem] = {}
    unsure: list[tuple[Record, Named]] = []
    for record in events:
        target = site.get(str(record.data["refers_to"]).lower())
        if target is None or target.id == record.id:
            continue  # unknown_record, self_reference say so
        if target.type != "deal" or deal_event(target.data) == "cancellation":
            what = "a cancellation (退订)" if target.type == "deal" else f"a {TYPE_WORDS.get(target.type, target.type)}"
            problems[record.id] = Problem(
                "not_a_deal", f"data.refers_to names {what}, not a deal; a cancellation or unit change names the "
                "customer's deal: record it on the customer's deal.", "data.refers_to", {"type": target.type})
        elif record.customer.phone_key != target.phone_key:
            unsure.append((record, target))
    if unsure:  # the customer's phone may have been corrected along the deal's chain
        phones = {record.customer.phone_key for record, _ in unsure}
        same_phone = [Named.of(r) for r in site.store.records_for_keys(site.site_id, phones) if r.type == "deal"]
        same_phone += [n for n in site.batch.values() if n.type == "deal" and n.phone_key in phones]
        for record, target in unsure:
            chain = site.root(target.id)
            if not any(n.phone_key == record.customer.phone_key and site.root(n.id) == chain for n in same_phone):
                problems[record.id] = Problem(
                    "other_customers_deal", "This cancellation or unit change names another customer's deal; pick "
                    "this customer's deal, or correct the customer.", "data.refers_to")
    return problems
