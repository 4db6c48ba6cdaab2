"""The second phone oracle (issue 14): a pushed record naming a phone.

A tablet (rep or desk) could push a record naming any number (a 来电, a walk-in, a follow-up…)
and read in the next pull whether it was a customer's and whose: a new customer row appeared
for a new number and none for a known one, and the record came back with the existing
customer's ``phone_tag`` (matched against the replica: the owner) — every candidate of a
last-four group at the push's speed, without computing a tag and past the look-up budget
(docs/privacy.md, "The push as an oracle").

So every record that names a phone its author could not already see counts against a
per-user budget, ``RECORD_BUDGET`` (300) phones per rolling 24 hours, counted by the look-up
budget's mechanism (``lookup_budget.LookupBudget``: in memory, or a file the workers share) in
its own file: the desk is often offline and pushes a whole day at once, so an hourly budget
would hold a normal busy day. Not counted: a manager's records (managers see every phone), a
phone of a customer the author owns or shares by a split, a phone the author's own earlier
records named (the tablet holds those in clear). Each such phone counts once per push.

Over budget the record is still accepted and stored (nothing a user entered is lost), but it
is **held**: its effect on the ownership index (customer row, links, recompute) waits until a
manager confirms it (``release``, called by ``confirmation.confirm_records``), so the push and
the pull read the same for a known and an unknown number: ``accepted`` with
``owner_withheld: true``, the record pulled back with ``phone_tag: null`` and
``owner_withheld: true`` (the tablet shows 归属待经理确认), no customer change. Later records
of the author naming a held phone are held too (no second count). The manager's audit log
gets ``customer.record_budget`` once per user per window.

A manager facing an obvious enumeration refuses the held records instead (不予确认, issue 14 N3,
``held.dismiss_records``): they stay stored and held for ever (``owner_dismissed`` in the pull,
kept out of every ownership decision, never released); a later record of the author naming a
refused phone is held again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime

from shared.records import Record
from shared.replica_privacy import sees_customer
from shared.timeutil import format_time

from ..storage.base import DismissedRecord, HeldRecord, Site, Store, StoredRecord
from .audit import Origin, log
from .auth import Caller
from .display import display_name
from .lookup_budget import LookupBudget
from .ownership import recompute

__all__ = ["hold_unseen_phones", "mark_duplicates", "dismissal_view", "settle", "phones_named", "release", "WITHHELD_FIELD", "DISMISSED_FIELD", "RECORD_BUDGET", "RECORD_WINDOW_S", "record_budget",
           "record_budget_file"]

RECORD_BUDGET = 300
"""Phones a user may name in pushed records per rolling 24 hours without seeing them (issue 14).
A busy desk day is 150 walk-ins and calls in 8 hours (about one every 3 minutes), each a
phone at most once; 300 is twice that, pushed at any pace (an offline desk pushes the day at
once). An enumeration gets 300 numbers a day: a 3-digit head's 10^4 candidates take 33 days,
a last-four group's 521,600 about 4.8 years per user (docs/privacy.md)."""
RECORD_WINDOW_S = 24 * 60 * 60

WITHHELD_FIELD = "owner_withheld"
"""Set ``true`` on a push result and a pulled record whose ownership is held (docs/protocol.md)."""
DISMISSED_FIELD = "owner_dismissed"
"""On a pulled held record a manager refused (不予确认, issue 14 N3): ``{"by", "by_name", "at",
"reason"}`` (docs/protocol.md); ``owner_withheld`` stays true."""


def record_budget_file(sign_in_file: str | None) -> str | None:
    """The shared count file of ``record_budget`` beside ``serve``'s sign-in failures file (its
    own: a file's rows are swept by its one window); None when counting in memory."""
    return os.path.join(os.path.dirname(sign_in_file), "phone-records.db") if sign_in_file else None


def record_budget(sign_in_file: str | None, limit: int = RECORD_BUDGET) -> LookupBudget:
    """The budget ``hold_unseen_phones`` counts against (``app.state.record_budget``): ``limit``
    phones per user per ``RECORD_WINDOW_S`` (the setting ``record_budget``, default 300)."""
    return LookupBudget(record_budget_file(sign_in_file), limit=limit, window_s=RECORD_WINDOW_S)


def _seen(store: Store, caller: Caller, keys: set[str]) -> set[str]:
    """The ``keys`` the caller could already see in clear: customers it owns or shares, and
    phones its own earlier records named (written by it, or naming it as the rep)."""
    username = caller.user.username
    seen = {key for key, row in store.customers_by_keys(caller.site.id, keys).items()
            if sees_customer(caller.user.role, username, row.owner, row.split)}
    rest = keys - seen
    if rest:
        seen |= {r.phone_key for r in store.records_for_keys(caller.site.id, rest)
                 if r.author == username or r.rep == username}
    return seen


def phones_named(store: Store, site_id: str, records: Iterable[Record]) -> dict[str, set[str]]:
    """``record id -> phone keys`` each record would tie into the ownership index: its own, its
    household member's (R6, ``data.household_phone``) and, for a correction, the phone of the
    record it supersedes (``push._store_records`` links all three). QA of issue 14 (N1, N2):
    counting the record's own phone alone let a household phone or a correction link a number
    the author could not see, past the budget, and pull its customer back in clear."""
    records = list(records)
    wanted = {record.supersedes for record in records if record.supersedes}
    superseded = {row.id: row.phone_key for row in store.records_by_ids(site_id, wanted)} if wanted else {}
    return {record.id: {key for key in (record.customer.phone_key, record.household_key,
                                         superseded.get(record.supersedes or "")) if key}
            for record in records}


def hold_unseen_phones(store: Store, caller: Caller, accepted: Iterable[tuple[Record, str]], results: list[dict],
                       budget: LookupBudget | None, address: str | None, now: datetime,
                       captured: Callable[[Record], str] | None = None) -> frozenset[str]:
    """*(inside the push's write, before the records are stored)* Count the phones ``accepted``
    records name (``phones_named``: own, household, corrected) that the caller could not see
    against ``budget``; return the ids of the records that are held (their ownership waits for
    a manager): a record naming any phone past the budget, any phone the caller has a held
    record of, or correcting a held record. Their results are marked ``owner_withheld`` and
    the records remembered (``Store.hold_records``, with ``captured(record)``: its estimated
    capture time, UTC ISO 8601, the 待确认归属 page's order within a push). No budget (tests, tools) or a manager:
    nothing is held and nothing read."""
    if budget is None or caller.is_manager:
        return frozenset()
    records = [record for record, _ in accepted if record.customer.phone_key]
    if not records:
        return frozenset()
    site, username = caller.site, caller.user.username
    named = phones_named(store, site.id, records)
    keys = set().union(*named.values())
    held = store.held_keys(site.id, keys, author=username)
    counted = keys - held - _seen(store, caller, keys - held)
    tell, spent = False, False
    for key in sorted(counted):  # one per phone, in a fixed order; once spent, the rest of the push is held
        if not spent:
            ok, tell = budget.take(caller)
            spent = not ok
        if spent:
            held.add(key)
    if tell:
        log(store, site.id, Origin.api(username, address), "customer.record_budget", username,
            limit=budget.limit, window_hours=round(budget.window_s / 3600))
    corrected = {record.supersedes for record in records if record.supersedes}
    held_before = (store.held_record_ids(site.id, corrected) | set(store.dismissed(site.id, corrected))
                   if corrected else set())  # correcting a held or a refused record is held too
    ids = {record.id for record in records if named[record.id] & held or record.supersedes in held_before}
    if not ids:
        return frozenset()
    store.hold_records([HeldRecord(site.id, record.id, username, record.customer.phone_key, format_time(now),
                                   captured(record) if captured else format_time(record.captured_at.astimezone(UTC)))
                        for record in records if record.id in ids])
    for result in results:
        if result.get("id") in ids and result["status"] == "accepted":
            result[WITHHELD_FIELD] = True
    return frozenset(ids)


def dismissal_view(refusal: DismissedRecord, by_name: str) -> dict:
    """A manager's refusal as tablets read it (``owner_dismissed``, docs/protocol.md)."""
    return {"by": refusal.dismissed_by, "by_name": by_name, "at": refusal.dismissed_at, "reason": refusal.reason}


def mark_duplicates(store: Store, caller: Caller, results: list[dict]) -> None:
    """*(inside the push's write)* A ``duplicate`` (a record pushed again after a lost answer)
    of a held record answers ``owner_withheld`` as its first push did, and of a record a manager
    refused also ``owner_dismissed`` (``{"by", "by_name", "at", "reason"}``, as pulled): the
    retry's answer must not clear the tablet's mark (the pull that told it may have come while
    the record was still unanswered on the tablet)."""
    ids = [r["id"] for r in results if r["status"] == "duplicate"]
    if not ids:
        return
    held, dismissed = store.held_record_ids(caller.site.id, ids), store.dismissed(caller.site.id, ids)
    for result in results:
        record_id = result.get("id")
        if result["status"] != "duplicate" or (record_id not in held and record_id not in dismissed):
            continue
        result[WITHHELD_FIELD] = True
        refusal = dismissed.get(record_id)
        if refusal is not None:
            result[DISMISSED_FIELD] = dismissal_view(refusal, display_name(store, refusal.dismissed_by))


def release(store: Store, site: Site, phone_keys: Iterable[str], now: datetime) -> list[str]:
    """*(inside a write of ``site``)* A manager confirmed a held record: take every held record
    of these phones into the ownership index, as a push would have (links, customers,
    ``ownership.recompute``), and forget that they were held; their ids (none: nothing to do).
    R1 decides by capture time, so ownership comes out as if they had arrived late."""
    ids = store.release_held(site.id, phone_keys)
    if not ids:
        return []
    rows = [r for r in store.records_by_ids(site.id, ids) if r.phone_key]
    settle(store, site, rows, now)
    return ids


def settle(store: Store, site: Site, rows: list[StoredRecord], now: datetime,
           validated: Mapping[str, Record] | None = None) -> None:
    """The ownership effect of stored ``rows`` — of a push's records as they are inserted
    (``push._store_records``) and of held records as a manager releases them: household
    links (R6), customers, ``recompute`` — of the phones a correction moved away from too
    (``validated``: the push's ``Record`` of each row, the engine's input as it is)."""
    if not rows:
        return
    store.add_links(site.id, [(r.phone_key, r.household_key) for r in rows])
    names: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r.estimated_at):
        names[row.phone_key] = row.name or names.get(row.phone_key, "")
    customers = store.ensure_customers(site.id, names)
    # a correction to another phone (a mistyped number fixed) changes the old phone's customer
    # too: decided again, not linked to the new one as a household (QA of issue 15)
    superseded = {r.phone_key for r in store.records_by_ids(site.id, {r.supersedes for r in rows if r.supersedes})
                  if r.phone_key and r.phone_key not in names}
    recompute(store, site, names.keys() | superseded, now, customers, {row.id: row for row in rows}, validated)
