"""Checks of a push's records against what the site already holds, inside the push's write
(``services.push``): a walk-in correction to a landline the site does not take (issue 14), a
withdrawal whose customer does not fit the record it takes back (issue 12), a record captured
after its rep or its author was deactivated (issue 8 item 8), a record naming a rep on a day before
the rep is on the site's duty list (QA5 F4). Each gives the ``Problem`` the
record is rejected with; the tablet keeps the record with it until a person deals with it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from shared.clocks import CaptureEstimate
from shared.errors import Problem
from shared.phones import dialled_text, phone_kind
from shared.records import RECORD_TYPES, Record
from shared.supersede_rights import may_supersede
from shared.timeutil import parse_time, site_zone

from ..storage.base import Store, User
from .auth import Caller

__all__ = ["landline_walkin", "landline_problem", "landline_corrections", "withdrawal_mismatches",
           "foreign_supersedes", "deactivation_problem", "not_started_problem"]


def landline_walkin(record: Record, caller: Caller) -> bool:
    return (record.type == "walkin" and not caller.site.walkin_landlines
            and phone_kind(record.customer.phone_key) == "landline")


def landline_problem(record: Record, site_id: str) -> Problem:
    return Problem("landline_walkin", f"{dialled_text(record.customer.phone_key)} is a landline; this site "
                   "registers walk-ins by the customer's mobile number: ask for it (a manager can allow "
                   f"landlines: fieldsync-server sites set --id {site_id} --walkin-landlines yes).", "customer.phone")


def landline_corrections(store: Store, caller: Caller, checked: list[Record | Problem]) -> set[str]:
    """Ids of walk-in corrections that change the number to a landline the site does not take.

    A stored walk-in stays correctable (its rep, its name) whatever the site decides later
    (issue 14 QA: switching landlines off left such walk-ins uncorrectable), so a correction
    may keep its original's number; a *new* landline through a correction is refused like a new
    walk-in's (QA: a correction changed one landline to another)."""
    corrections = [r for r in checked if isinstance(r, Record) and r.supersedes and landline_walkin(r, caller)]
    if not corrections:
        return set()
    originals = {r.id: (r.supersedes or "").lower() for r in corrections}  # ids are stored lower-case
    in_batch = {r.id: r.customer.phone_key for r in checked if isinstance(r, Record)}
    stored = {r.id: r.phone_key for r in store.records_by_ids(
        caller.site.id, {o for o in originals.values() if o not in in_batch})}
    return {r.id for r in corrections
            if r.customer.phone_key != in_batch.get(originals[r.id], stored.get(originals[r.id]))}


def withdrawal_mismatches(store: Store, caller: Caller, checked: list[Record | Problem]) -> dict[str, Problem]:
    """Withdrawals whose customer does not fit the record withdrawn (``unknown_field``/``missing_field``): the
    withdrawal of a ``rotation`` record (排班: a reception tapped by mistake) names no customer,
    the withdrawal of any other record names its customer, as before."""
    withdrawals = [r for r in checked if isinstance(r, Record) and r.type == "withdrawal" and r.supersedes]
    if not withdrawals:
        return {}
    in_batch = {r.id: r.type for r in checked if isinstance(r, Record)}
    targets = {(r.supersedes or "").lower() for r in withdrawals}
    stored = {r.id: r.type for r in store.records_by_ids(caller.site.id, targets - set(in_batch))}
    problems: dict[str, Problem] = {}
    for record in withdrawals:
        target = in_batch.get((record.supersedes or "").lower(), stored.get((record.supersedes or "").lower()))
        if target is None:
            continue  # unknown_record says so
        customerless = not RECORD_TYPES[target].has_customer
        if customerless and record.customer.phone:
            problems[record.id] = Problem("unknown_field", "This withdraws a rotation record, which names no "
                                          "customer; remove customer.", "customer")
        elif not customerless and not record.customer.phone:
            problems[record.id] = Problem("missing_field", "customer with at least a phone is required (the "
                                          "customer of the record withdrawn).", "customer")
    return problems


def foreign_supersedes(store: Store, caller: Caller, checked: list[Record | Problem]) -> dict[str, Problem]:
    """Corrections and withdrawals (``supersedes``) of a record another user captured, and
    records referring to one (``data.refers_to``: a 退订 of another rep's deal, QA fourth round):
    ``not_own_record`` on that field (QA of issue 14, HIGH-3: a rep's tablet pushed a
    walk-in superseding the desk's with herself as the rep and took the customer; she could
    withdraw another rep's follow-up). Allowed: the record's own author; a manager (R4: the
    manager corrects and arbitrates); the rep of a deal for its entries, whoever wrote them (R9:
    the rep keeps the deal; QA fifth round: her 退订 of a deal entry the manager corrected was
    refused); the desk for the desk's records (reception staff share
    the desk's day, its walk-ins and 排班) and for the 排班 records a manager made covering the
    desk's board — the rule is ``shared.supersede_rights.may_supersede``, which the tablet
    applies too before it offers 更正/撤回. A record of this same push not stored before is the
    caller's."""
    if caller.role == "manager":
        return {}
    linked = [(r, field, ref) for r in checked if isinstance(r, Record)
              for field, ref in (("supersedes", r.supersedes),
                                 # a deal's refers_to (退订, 换房); a complaint step's is the handler's (not checked)
                                 ("data.refers_to", r.data.get("refers_to") if r.type == "deal" else None))
              if isinstance(ref, str) and ref]
    if not linked:
        return {}
    # every target is looked up, those of this push too: a record of this push reusing a stored
    # id is that stored record's (id_reused refuses the copy), not the pusher's (QA re-check:
    # pushing any record with the desk's id beside a correction of it took the customer)
    stored = {r.id: r for r in store.records_by_ids(caller.site.id, {ref.lower() for _, _, ref in linked})}
    roles = {u.username: u.role for u in store.list_users(caller.site.id)} if stored else {}
    me = caller.user.username
    problems: dict[str, Problem] = {}
    for record, field, ref in linked:
        target = stored.get(ref.lower())
        if record.id in problems or target is None or may_supersede(
                me, caller.role, target_type=target.type, author=target.author,
                author_role=roles.get(target.author), rep=target.rep):
            continue  # this push's own, unknown_record says so, or the caller may (shared.supersede_rights)
        problems[record.id] = Problem(
            "not_own_record", "This corrects, withdraws or refers to a record another user captured; only its "
            "author, the desk for the desk's records, or a manager may: ask them.", field,
            {"author": target.author})
    return problems


def deactivation_problem(record: Record, estimate: CaptureEstimate, caller: Caller,
                          reps: Mapping[str, User]) -> Problem | None:
    """A new record captured after its rep, or its author, was deactivated (issue 8 item 8).
    "After" compares the estimated capture time (for an impossible clock: the earliest possible).
    A ``rotation`` record is what happened at the desk (排班): always kept, the board shows it."""
    if record.type == "rotation":
        return None
    rep = reps.get(record.rep or "")
    if rep is not None and _captured_after_deactivation(rep, estimate):
        return Problem("rep_inactive", f"This record was captured after the rep {rep.name} was "
                       f"deactivated ({_local(rep, caller)}); choose an active rep (a manager reassigns the customers "
                       "of reps who left).", "rep", {"rep": rep.username, "deactivated_at": rep.deactivated_at})
    if _captured_after_deactivation(caller.user, estimate):
        return Problem("user_inactive", f"This record was captured after this tablet's user "
                       f"{caller.user.name} was deactivated ({_local(caller.user, caller)}); ask an active "
                       "colleague to record it on their tablet.", "captured_at",
                       {"user": caller.user.username, "deactivated_at": caller.user.deactivated_at})
    return None


def not_started_problem(record: Record, estimate: CaptureEstimate, caller: Caller,
                        reps: Mapping[str, User]) -> Problem | None:
    """A new record naming as ``rep`` a rep captured (estimated capture time, site-local day)
    on a day before the rep's first period on the duty list (``User.duty_periods``, ``users add
    --listed-from``): ``rep_not_started``, params ``{"rep": username, "from": YYYY-MM-DD}`` (QA5
    F4: the desk offers only reps on today's list, the hand-over refuses them; an old tablet or a
    script still sent them). Day-wise as the desk's list (``shared.rotation_duty.duty_list``): a
    rep listed from later today may be named all day. Only the first period counts: a later gap
    (deactivated, reactivated) is ``rep_inactive``'s, and what was captured before a deactivation
    stays accepted (issue 8 item 8). A ``rotation`` record is what happened at the desk: kept."""
    if record.type == "rotation":
        return None
    rep = reps.get(record.rep or "")
    first = _listed_since(rep) if rep is not None else None
    if rep is None or first is None:
        return None
    zone = site_zone(caller.site.utc_offset_minutes)
    start_day = first.astimezone(zone).date()
    captured_day = estimate.at.astimezone(zone).date()
    if captured_day >= start_day:
        return None
    name = rep.name or rep.username
    return Problem("rep_not_started", f"{name} is on this site's duty list only from {start_day.isoformat()}; this "
                   f"record was captured on {captured_day.isoformat()}, before: choose a rep on duty that day.",
                   "rep", {"rep": rep.username, "from": start_day.isoformat()})


def _listed_since(user: User) -> datetime | None:
    """When ``user`` first went on the duty list (None: always, or periods not kept)."""
    starts = [period[0] for period in user.duty_periods or () if period]
    if not starts or any(not s for s in starts):
        return None
    return min(parse_time(s) for s in starts)


def _captured_after_deactivation(user: User | None, estimate: CaptureEstimate) -> bool:
    return (user is not None and not user.active and bool(user.deactivated_at)
            and estimate.at >= parse_time(user.deactivated_at or ""))


def _local(user: User, caller: Caller) -> str:
    """When ``user`` was deactivated, in the site's time (for the message)."""
    when = parse_time(user.deactivated_at or "")
    return when.astimezone(site_zone(caller.site.utc_offset_minutes)).strftime("%Y-%m-%d %H:%M")
