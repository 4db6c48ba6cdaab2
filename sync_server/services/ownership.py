"""The authoritative ownership: ``shared.decide_ownership`` over the stored records of every
household unit a write touched, kept as per-customer rows and conflicts.

Conflict identity: the engine's conflicts carry no ids, so each is matched to a stored one —
a decided engine conflict to the conflict its decision was written for; an undecided one to
a stored *open* conflict of the unit sharing any claim id; otherwise it gets a new UUID. A
stored open conflict no engine conflict matches any more (its claims were withdrawn) becomes
``withdrawn``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from shared.clocks import CaptureEstimate, DeviceClock
from shared.ownership import (
    HandOver,
    ManagerDecision,
    Ownership,
    TimedRecord,
    decide_ownership,
    household_units,
)
from shared.policy import SitePolicy
from shared.records import Customer, Record
from shared.timeutil import format_time, parse_time

from ..storage.base import ConflictRow, CustomerRow, DecisionRow, Site, Store, StoredRecord
from .views import arrived_after_deactivation, inactive_since

__all__ = ["recompute", "without_held", "policy_of", "timed_record", "manager_decision", "decide_unit", "unit_keys",
           "unit_records", "chains_by_unit",
           "first_ever_registered", "handovers_for", "unit_handovers"]


def policy_of(site: Site) -> SitePolicy:
    return SitePolicy(validity_days=site.validity_days, household=site.household, close_call_ms=site.close_call_ms,
                      utc_offset_minutes=site.utc_offset_minutes, region=site.region)


def timed_record(stored: StoredRecord, device_names: dict[str, str], validated: Record | None = None) -> TimedRecord:
    """The engine's view of a stored record, rebuilt without re-validating it. ``validated``: the
    ``Record`` that ``parse_record`` gave for ``stored`` in the push that just wrote it, reused
    instead of decoded again (its capture time cut to the millisecond, as stored)."""
    if validated is not None:
        at = validated.captured_at
        record = validated if at.microsecond % 1000 == 0 else replace(
            validated, captured_at=at.replace(microsecond=at.microsecond // 1000 * 1000))
        return TimedRecord(record=record, estimate=CaptureEstimate(
            at=parse_time(stored.estimated_at), uncertainty_ms=stored.uncertainty_ms, method=stored.clock_method),
            device_id=stored.device_id, device_name=device_names.get(stored.device_id, stored.device_id))
    wire = stored.wire
    record = Record(
        id=stored.id, seq=stored.seq, type=stored.type, captured_at=parse_time(stored.captured_at),
        clock=DeviceClock.from_wire(wire["clock"]) if wire.get("clock") else None, rep=stored.rep,
        customer=Customer(name=stored.name, phone=wire["customer"]["phone"], phone_key=stored.phone_key),
        data=wire.get("data") or {}, supersedes=stored.supersedes, wire=wire, household_key=stored.household_key)
    estimate = CaptureEstimate(at=parse_time(stored.estimated_at), uncertainty_ms=stored.uncertainty_ms,
                               method=stored.clock_method)
    return TimedRecord(record=record, estimate=estimate, device_id=stored.device_id,
                       device_name=device_names.get(stored.device_id, stored.device_id))


def manager_decision(row: DecisionRow) -> ManagerDecision:
    return ManagerDecision(id=row.id, owner=row.owner, reason=row.reason, decided_at=parse_time(row.decided_at),
                           author=row.author, covers=frozenset(row.covers), split=row.split)


def handovers_for(store: Store, site_id: str, phone_keys: Iterable[str]) -> dict[str, list[HandOver]]:
    """``phone key -> the engine's hand-overs`` (001 §14(五)3(12)) of the site's customers with
    these phone keys (a missing key reads as [])."""
    items = store.handover_items_for_keys(site_id, phone_keys)
    rows = {i.handover_id: store.get_handover(site_id, i.handover_id) for i in items}
    out: dict[str, list[HandOver]] = defaultdict(list)
    for item in items:
        row = rows[item.handover_id]
        if row is not None:
            out[item.phone_key].append(HandOver(
                id=row.id, from_rep=row.from_rep, to_rep=item.to_rep, at=parse_time(row.created_at),
                author=row.author, reason=row.reason, method=row.method, deals_too=row.deals_too))
    return out


def unit_handovers(store: Store, site_id: str, keys: Iterable[str]) -> list[HandOver]:
    """The hand-overs of one household unit's phone keys, for ``decide_unit``."""
    return [h for hs in handovers_for(store, site_id, keys).values() for h in hs]


def unit_keys(store: Store, site_id: str, phone_keys: Iterable[str]) -> dict[str, set[str]]:
    """``unit key -> phone keys`` for every household unit containing one of ``phone_keys``."""
    units: dict[str, set[str]] = defaultdict(set)
    for key, unit in household_units(store.linked_component(site_id, phone_keys)).items():
        units[unit].add(key)
    return units


def decide_unit(site: Site, records: list[StoredRecord], decisions: list[DecisionRow], now: datetime,
                names: dict[str, str], device_names: dict[str, str],
                validated: Mapping[str, Record] | None = None, handovers: Iterable[HandOver] = (),
                keys: AbstractSet[str] | None = None) -> Ownership:
    """``decide_ownership`` of one household unit's stored records (``unit_records``: with the
    versions of their chains on other phones), decisions and hand-overs (``handovers_for``)
    ``as_of`` ``now``; ``keys``: the unit's phone keys (None: the records' own); ``validated``:
    record id -> the push's own validated ``Record`` (``timed_record``)."""
    validated = validated or {}
    keys = keys if keys is not None else {r.phone_key for r in records}
    return decide_ownership([timed_record(r, device_names, validated.get(r.id)) for r in records], policy_of(site),
                            [manager_decision(d) for d in decisions], as_of=now, rep_names=names,
                            handovers=handovers, keys=keys)


def unit_records(store: Store, site_id: str, keys: Iterable[str]) -> list[StoredRecord]:
    """The records a unit of phone ``keys`` is decided over: its phones' records less the held
    ones (``without_held``), with their chains' versions on other phones (``Store.with_chains``)."""
    return without_held(store, site_id, store.with_chains(site_id, store.records_for_keys(site_id, keys)))


_HOLDS_WITHOUT_CLAIM = ("decision", "handover", "handover_with_deal")
"""Steps by which an owner may hold a customer with no registration of theirs standing
(``first_registered_at`` null): the first ever is then found by deciding again (QA8)."""


def first_ever_registered(store: Store, site: Site, rows: Iterable[CustomerRow],
                          now: datetime) -> dict[str, str | None]:
    """``customer id -> first_ever_registered_at`` (UTC ISO text, ``None`` if never claimed):
    the first claim ever of the customer's unit (R1, a walk-in, or a deal recorded without
    one; calls never count, R3), even when that claim lapsed and a new one holds it now
    (``first_registered_at`` is that current claim's start). Issue 9 QA item 2.

    Cheap where nothing lapsed: the stored explanation (the current episode) then opens with
    the ``first_registration`` step, whose time is the first ever. Otherwise the unit is decided
    again from its records (``Ownership.first_ever_at``), as the console's customer page does."""
    out: dict[str, str | None] = {}
    again: list[CustomerRow] = []
    for row in rows:
        first = next((step for step in row.explanation or () if step.get("key") == "first_registration"), None)
        if first is not None and (first.get("params") or {}).get("time"):
            out[row.id] = format_time(parse_time(first["params"]["time"]))
        elif not row.first_registered_at and not any(step.get("key") in _HOLDS_WITHOUT_CLAIM
                                                     for step in row.explanation or ()):
            out[row.id] = None  # never claimed (calls only)
        else:
            again.append(row)
    if not again:
        return out
    units = unit_keys(store, site.id, {row.phone_key for row in again})
    keys = set().union(*units.values()) if units else set()
    records = chains_by_unit(unit_records(store, site.id, keys), units)
    decisions = by_phone_key(store.decisions_for_keys(site.id, keys))
    names = {u.username: u.name for u in store.list_users(site.id)}
    devices = {d.id: d.name for d in store.list_devices(site.id)}
    for row in again:
        unit_id, unit = next(((u, members) for u, members in units.items() if row.phone_key in members),
                             (row.phone_key, {row.phone_key}))
        decided = decide_unit(site, records.get(unit_id, []), [d for k in unit for d in decisions[k]],
                              now, names, devices, handovers=unit_handovers(store, site.id, unit), keys=unit)
        out[row.id] = format_time(decided.first_ever_at) if decided.first_ever_at else None
    return out


def chains_by_unit(records: list[StoredRecord], units: Mapping[str, set[str]]) -> dict[str, list[StoredRecord]]:
    """``unit -> its records``: those under the unit's phone keys and every version of their
    chains (``Store.with_chains``: a correction under another phone, or the original it corrected),
    in ``records``' order; a missing unit reads as []."""
    parent: dict[str, str] = {}

    def root(record_id: str) -> str:
        while parent.get(record_id, record_id) != record_id:
            record_id = parent[record_id]
        return record_id

    ids = {r.id for r in records}
    for r in records:
        if r.supersedes in ids:
            a, b = root(r.id), root(r.supersedes)
            if a != b:
                parent[a] = b
    by_root: dict[str, list[StoredRecord]] = defaultdict(list)
    for r in records:
        by_root[root(r.id)].append(r)
    unit_of = {key: unit for unit, keys in units.items() for key in keys}
    roots: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.phone_key in unit_of:
            roots[unit_of[r.phone_key]].add(root(r.id))
    order = {r.id: i for i, r in enumerate(records)}
    out: dict[str, list[StoredRecord]] = defaultdict(list)
    for unit, found in roots.items():
        out[unit] = sorted((r for top in found for r in by_root[top]), key=lambda r: order[r.id])
    return out


Row = TypeVar("Row", StoredRecord, DecisionRow, ConflictRow)


def by_phone_key(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """``rows`` grouped by their ``phone_key``, in their order; a missing key reads as []."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.phone_key].append(row)
    return grouped



def without_held(store: Store, site_id: str, records: list[StoredRecord]) -> list[StoredRecord]:
    """``records`` less those held by the record budget (issue 14, ``record_budget``): a held
    record has no effect on ownership until a manager releases it, and a dismissed one (不予确认,
    issue 14 N3) never, even when another user's record of the same phone makes the unit be
    decided again. Two indexed reads of the phones' held and dismissed records (none, almost
    always)."""
    keys = {r.phone_key for r in records if r.phone_key}
    held = {h.record_id for h in store.held_of_phones(site_id, keys)} if keys else set()
    if keys:
        held |= {d.held.record_id for d in store.dismissed_of_phones(site_id, keys)}
    return [r for r in records if r.id not in held] if held else records

def recompute(store: Store, site: Site, phone_keys: Iterable[str], now: datetime,
              customers: Mapping[str, CustomerRow] | None = None,
              fresh: Mapping[str, StoredRecord] | None = None,
              validated: Mapping[str, Record] | None = None) -> None:
    """*(inside a write)* Decide every unit touching ``phone_keys`` and store the results.
    ``customers``: customer rows as stored now that the caller already holds (``ensure_customers``
    just returned them); only the other customers of the units are read. ``fresh``: records
    by id the caller just stored, reused instead of decoded again; ``validated``: the ``Record``
    each of them was stored from, the engine's input as it is (``timed_record``)."""
    units = unit_keys(store, site.id, phone_keys)
    all_keys = set().union(*units.values()) if units else set()
    records = chains_by_unit(without_held(store, site.id, store.with_chains(
        site.id, store.records_for_keys_reusing(site.id, all_keys, fresh or {}))), units)
    decisions = by_phone_key(store.decisions_for_keys(site.id, all_keys))
    conflicts = by_phone_key(store.conflicts_for_keys(site.id, all_keys))
    handed = handovers_for(store, site.id, all_keys)
    known = {k: row for k, row in (customers or {}).items() if k in all_keys}
    known.update(store.customers_by_keys(site.id, all_keys - known.keys()))
    customers = known
    users = store.list_users(site.id)
    names = {u.username: u.name for u in users}
    inactive = inactive_since(users)
    device_names = {d.id: d.name for d in store.list_devices(site.id)}
    # rows to write, in the order they take change ids (one statement hands out all the ids)
    changed: list[CustomerRow | ConflictRow] = []
    for unit, keys in units.items():
        unit_decisions = [d for k in keys for d in decisions[k]]
        ownership = decide_unit(site, records[unit], unit_decisions, now, names, device_names, validated,
                                [h for k in keys for h in handed.get(k, ())], keys)
        changed += _changed_customers(site, ownership, [customers[k] for k in sorted(keys) if k in customers])
        late = {r.id for r in records[unit] if arrived_after_deactivation(r, inactive)}
        changed += _changed_conflicts(site, ownership, [c for k in keys for c in conflicts[k]], unit_decisions,
                                      customers, late)
    rows = [_with(row, change_id=change_id)
            for row, change_id in zip(changed, store.next_change_ids(len(changed)), strict=True)]
    store.save_customers([row for row in rows if isinstance(row, CustomerRow)])
    store.save_conflicts([row for row in rows if isinstance(row, ConflictRow)])


def _changed_customers(site: Site, ownership: Ownership, rows: list[CustomerRow]) -> list[CustomerRow]:
    """The unit's customer rows whose ownership differs from what is stored (change ids to set)."""
    offset = site.utc_offset_minutes
    computed = CustomerRow(
        id="", site_id=site.id, phone_key="", owner=ownership.owner, status=ownership.status,
        protected_until=format_time(ownership.protected_until) if ownership.protected_until else None,
        first_registered_at=(format_time(ownership.first_registered_at)
                             if ownership.first_registered_at else None),
        split=dict(ownership.split) if ownership.split else None,
        explanation=[step.as_dict(offset, text=False) for step in ownership.explanation])  # rendered when read
    return [_with(computed, id=row.id, site_id=row.site_id, phone_key=row.phone_key, name=row.name)
            for row in rows if _ownership_of(row) != _ownership_of(computed) or row.change_id == 0]


Written = TypeVar("Written", bound=CustomerRow | ConflictRow)


def _with(row: Written, **changes: object) -> Written:
    """``dataclasses.replace`` for the stored rows (frozen dataclasses of plain values), without
    calling ``__init__`` again: a push makes one per touched customer and conflict."""
    new = object.__new__(type(row))
    new.__dict__.update(row.__dict__, **changes)
    return new


def _ownership_of(row: CustomerRow) -> tuple:
    return (row.owner, row.status, row.protected_until, row.first_registered_at, row.split, row.explanation)


def _changed_conflicts(site: Site, ownership: Ownership, stored: list[ConflictRow],
                       decisions: list[DecisionRow], customers: Mapping[str, CustomerRow],
                       late: AbstractSet[str] = frozenset()) -> list[ConflictRow]:
    """The unit's conflicts to write (new, changed, or withdrawn), change ids to set. A claim
    whose record arrived after its rep or author was deactivated (``late``) carries
    ``after_deactivation`` and flags the conflict ``arrived_after_deactivation`` (issue 8 item 8)."""
    changed: list[ConflictRow] = []
    decided_in = {d.id: d.conflict_id for d in decisions}
    by_id = {c.id: c for c in stored}
    used: set[str] = set()
    for conflict in ownership.conflicts:
        conflict_id = decided_in.get(conflict.decision_id or "")
        if conflict_id is None or conflict_id in used:
            conflict_id = next((c.id for c in stored if c.status in ("open", "lapsed") and c.id not in used
                                and c.claim_ids & conflict.claim_ids), None) or str(uuid.uuid4())
        used.add(conflict_id)
        key = conflict.claims[0].customer_key
        claims = [{**c.as_dict(), "registered_first": c.record_id == conflict.first_claim_id,
                   **({"after_deactivation": True} if c.record_id in late else {})} for c in conflict.claims]
        flags = sorted({*conflict.flags, *(["arrived_after_deactivation"] if conflict.claim_ids & late else [])})
        row = ConflictRow(
            id=conflict_id, site_id=site.id, customer_id=customers[key].id, phone_key=key, status=conflict.status,
            owner=conflict.owner, flags=flags, claims=claims,
            explanation=[s.as_dict(site.utc_offset_minutes, text=False) for s in conflict.steps],
            opened_at=format_time(conflict.opened_at), decision_id=conflict.decision_id)
        if _differs(row, by_id.get(conflict_id)):
            changed.append(row)
    for old in stored:
        if old.id not in used and old.status in ("open", "lapsed"):
            changed.append(replace(old, status="withdrawn"))
    return changed


def _differs(row: ConflictRow, old: ConflictRow | None) -> bool:
    return old is None or {**row.__dict__, "change_id": 0} != {**old.__dict__, "change_id": 0}
