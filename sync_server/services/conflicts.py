"""Conflicts for managers, and their decisions (R10/R11).

A decision is stored like a record — id, author, time, the claim ids it covers — and the
unit is decided again at once. Later-arriving claims it did not cover open a new conflict
flagged ``after_decision`` (the engine does that) instead of overturning it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from shared.timeutil import format_time, local_text, parse_time, utc_now

from ..errors import Conflict, NotFound, Unprocessable
from ..storage.base import ConflictRow, CustomerRow, DecisionRow, Store
from .approval import approval_view, needs_approval, refuse_if_awaiting, rule_owner, submit
from .audit import Origin
from .auth import Actor
from .lapsing import lapse
from .ownership import recompute, unit_keys
from .reasons import refuse_control_characters
from .seen_claims import changed_since_seen
from .views import arrivals, conflict_view

__all__ = ["list_conflicts", "get_conflict", "decide", "decisions_of", "decision_parties", "parties_of", "DecisionParties",
           "STATUS_FILTERS", "REASON_MAX_CHARS", "changed_since_seen", "refuse_if_changed"]

STATUS_FILTERS = ("open", "decided", "all")
REASON_MAX_CHARS = 4000
"""The longest reason a decision keeps (characters, after trimming): a written opinion (R10)
fits; a pasted document does not. The API's schema and the console's form use this one limit."""


def decisions_of(store: Store, site_id: str, conflicts: Iterable[ConflictRow]) -> dict[str, DecisionRow]:
    """``decision id -> DecisionRow`` for the decided conflicts given. A decision is kept under
    the phone its conflict had when decided; the conflict's row may since show another phone
    of the household (R6), so every phone of its unit is asked."""
    conflicts = [c for c in conflicts if c.decision_id]
    if not conflicts:
        return {}
    keys = {c.phone_key for c in conflicts} | {k["customer_key"] for c in conflicts for k in c.claims}
    units = unit_keys(store, site_id, keys)
    return {d.id: d for d in store.decisions_for_keys(site_id, set().union(keys, *units.values()))}


def list_conflicts(store: Store, actor: Actor, status: str) -> list[dict]:
    rows = store.list_conflicts(actor.site.id, None if status == "all" else status)
    decisions = decisions_of(store, actor.site.id, rows)
    customers = store.customers_by_keys(actor.site.id, {row.phone_key for row in rows}) if rows else {}
    received = arrivals(store, rows)
    proposals = _proposals(store, actor.site.id, rows)
    return [{**conflict_view(row, decisions.get(row.decision_id or ""), parties_of(row, customers.get(row.phone_key)),
                             received, actor.site.utc_offset_minutes), "approval": approval_view(proposals.get(row.id, []))}
            for row in rows]


def _proposals(store: Store, site_id: str, rows: Iterable[ConflictRow]) -> dict[str, list]:
    """conflict id -> its proposals (R10 approval), oldest first."""
    grouped: dict[str, list] = {}
    for proposal in store.proposals_of_conflicts(site_id, [row.id for row in rows]):
        grouped.setdefault(proposal.conflict_id, []).append(proposal)
    return grouped


def get_conflict(store: Store, actor: Actor, conflict_id: str) -> dict:
    """One conflict of the actor's site, in the list's shape."""
    with store.read():
        row = store.get_conflict(actor.site.id, conflict_id)
        if row is None:
            raise NotFound("unknown_conflict", "No such conflict at your site; reload the conflict list.",
                           zh="本案场没有这个争议：请刷新争议列表。")
        decision = decisions_of(store, actor.site.id, [row]).get(row.decision_id or "")
        return {**conflict_view(row, decision, decision_parties(store, actor.site.id, row), arrivals(store, [row]),
                                actor.site.utc_offset_minutes),
                "approval": approval_view(_proposals(store, actor.site.id, [row]).get(row.id, []))}


@dataclass(frozen=True)
class DecisionParties:
    """Everyone a decision on one conflict must consider (issue 9 item 1, R10/R11).

    ``owner``: who holds the customer now. ``split``: the customer's split now, username ->
    whole percent summing to 100 (empty when the owner holds it all): the form's prefill.
    ``holders``: the reps holding a share above 0 now; a decision's split must name each of
    them (0 takes a share away, said explicitly). ``reps``: every rep the form lists, the
    current share-holders first, then the conflict's claimants, then the owner now (who may hold
    the customer by a hand-over, without a claim), each once."""

    owner: str | None
    split: dict[str, int]
    holders: tuple[str, ...]
    reps: tuple[str, ...]


def decision_parties(store: Store, site_id: str, conflict: ConflictRow) -> DecisionParties:
    """The share-holders and claimants of ``conflict``'s customer as stored now."""
    return parties_of(conflict, store.customers_by_keys(site_id, {conflict.phone_key}).get(conflict.phone_key))


def parties_of(conflict: ConflictRow, customer: CustomerRow | None) -> DecisionParties:
    """``decision_parties`` for a conflict whose customer row is already at hand."""
    split = dict(customer.split or {}) if customer else {}
    holders = tuple(rep for rep, share in split.items() if share > 0)
    claimants = [c["rep"] for c in conflict.claims]
    owner = customer.owner if customer else conflict.owner
    # the owner last: one who holds the customer by a hand-over made no claim here (issue 12)
    return DecisionParties(owner=owner, split=split, holders=holders,
                           reps=tuple(dict.fromkeys([*split, *claimants, *([owner] if owner else [])])))


def _check_holders_named(parties: DecisionParties, owner: str, split: dict[str, int] | None,
                         names: dict[str, str]) -> None:
    named = set(split) if split else {owner}
    missing = [rep for rep in parties.holders if rep not in named]
    if missing:
        now = ", ".join(f"{names.get(r, r)} ({r}) {parties.split[r]}%" for r in parties.holders)
        left = ", ".join(f"{names.get(r, r)} ({r})" for r in missing)
        now_zh = "，".join(f"{names.get(r, r)}（{r}）{parties.split[r]}%" for r in parties.holders)
        left_zh = "、".join(f"{names.get(r, r)}（{r}）" for r in missing)
        raise Unprocessable("share_holder_left_out", f"The customer's commission is split now: {now}. The split "
                            f"leaves out {left}; name every current share-holder, with 0 to take a share away, "
                            "and say why in the reason.", "split",
                            zh=f"该客户的佣金目前分成为：{now_zh}。本次分成漏掉了 {left_zh}：请写明每位当前持有分成者的"
                            "新分成（不再分给其请填 0），并在理由中说明。")


def _check_decision(store: Store, actor: Actor, owner: str, split: dict[str, int] | None, reason: str,
                    holders: Iterable[str] = ()) -> None:
    reps = {u.username for u in store.list_users(actor.site.id) if u.role == "rep" and u.active}
    if not reason.strip():
        raise Unprocessable("missing_reason", "Write the reason for the decision (a written opinion); it is "
                            "kept with the decision.", "reason", zh="请填写裁定理由：裁定需有书面理由，理由随裁定保存。")
    refuse_control_characters(reason)
    if len(reason.strip()) > REASON_MAX_CHARS:
        raise Unprocessable("too_long", f"The reason has {len(reason.strip())} characters; shorten it to at "
                            f"most {REASON_MAX_CHARS}.", "reason",
                            zh=f"裁定理由最多 {REASON_MAX_CHARS} 字，当前为 {len(reason.strip())} 字：请精简后再提交。")
    if owner not in reps:
        known = store.get_user(owner)
        shown = known.name if known is not None and known.site_id == actor.site.id and known.name else owner
        raise Unprocessable("unknown_rep", f"owner {shown!r} is not an active rep of this site; choose one of the "
                            "site's reps.", "owner", zh=f"“{shown}”不是本案场在职的售楼员：请选择本案场的售楼员作为归属。")
    if split is not None:
        strangers = sorted(set(split) - reps - set(holders))  # a holder who left may be named, with 0
        if strangers:
            raise Unprocessable("unknown_rep", f"split names {', '.join(strangers)}, not reps of this site.", "split",
                                zh=f"分成中的 {'、'.join(strangers)} 不是本案场的售楼员。")
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 or v > 100 for v in split.values()):
            raise Unprocessable("invalid_value", "split shares are whole percentages from 0 to 100.", "split",
                                zh="分成须为 0 到 100 之间的整数百分比（不能有小数）。")
        if sum(split.values()) != 100:
            raise Unprocessable("invalid_value", f"split shares must add up to 100; they add up to "
                                f"{sum(split.values())}.", "split",
                                zh=f"分成比例合计须为 100%，当前为 {sum(split.values())}%。")
        if not split.get(owner):
            raise Unprocessable("invalid_value", "The owner must hold a share above 0 in the split; choose "
                                "the rep who gets the largest share as the owner.", "split",
                                zh="归属售楼员的分成须大于 0：请把分成最多的售楼员选为归属。")


def _not_open(store: Store, actor: Actor, conflict: ConflictRow) -> Conflict:
    """409 ``already_decided``: who decided the conflict and when (issue 9 QA), so a second
    manager knows whom to ask; ``decided_by``/``decided_at`` in the error body too."""
    decision = decisions_of(store, actor.site.id, [conflict]).get(conflict.decision_id or "")
    if decision is None and conflict.status == "lapsed":
        return Conflict("already_decided", "The customer's protection ended before anyone decided this conflict "
                        "(R2): nobody holds the customer now, there is nothing to decide. The next registration "
                        "claims the customer; reload the conflict list.",
                        zh="保护期已过，此争议未经裁定即已失效（客户现无人保护），无需裁定：下一次登记将确定归属；"
                        "请刷新争议列表。")
    if decision is None:
        return Conflict("already_decided", f"This conflict is {conflict.status} (no longer open); nothing to decide. "
                        "Reload the conflict list: a later claim opens a new conflict, decide that one instead.",
                        zh="该争议已不再待裁定，无需裁定：请刷新争议列表；之后的新登记会另开争议，请裁定那一个。")
    user = store.get_user(decision.author)
    who = f"{user.name} ({decision.author})" if user and user.name != decision.author else decision.author
    owner_user = store.get_user(decision.owner)
    owner = owner_user.name if owner_user and owner_user.name else decision.owner
    when = local_text(parse_time(decision.decided_at), actor.site.utc_offset_minutes)  # site time, as pages say it
    return Conflict("already_decided", f"This conflict was already decided by {who} at {when} (site time) "
                    f"(owner {owner}); your decision was not saved. Reload it to read that decision; "
                    "a later claim opens a new conflict, decide that one instead.",
                    details={"decided_by": decision.author, "decided_at": decision.decided_at,
                             "decision_id": decision.id},
                    zh=f"该争议已由 {who.replace(' (', '（').replace(')', '）')} 于 {when} 裁定（归 {owner}），您的裁定未保存：请刷新"
                    "查看该裁定；之后的新登记会另开争议，请裁定那一个。")


def refuse_if_changed(store: Store, actor: Actor, conflict_id: str, seen: Iterable[str] | None) -> None:
    """``changed_since_seen`` for an open conflict as stored now (a read of its own): the
    console asks before it checks the form, so a changed dispute is said first."""
    if seen is None:
        return
    with store.read():
        conflict = store.get_conflict(actor.site.id, conflict_id)
        refusal = (changed_since_seen(store, actor.site.id, conflict.claim_ids, seen)
                   if conflict is not None and conflict.status == "open" else None)
    if refusal is not None:
        raise refusal


def decide(store: Store, actor: Actor, conflict_id: str, owner: str, split: dict[str, int] | None,
           reason: str, origin: Origin | None = None, seen: Iterable[str] | None = None) -> dict:
    """Record a manager's decision on an open conflict and decide its customer again.
    ``seen``: the claim record ids the manager saw (optional, protocol: an old client does not
    send them): 409 ``conflict_changed`` when the conflict's claims are no longer those
    (``changed_since_seen``), so a decision never covers a claim its manager did not see.
    Refused (422 ``share_holder_left_out``) when the split leaves out a rep who holds a share
    now (``decision_parties``): a later decision never silently erases an earlier split.

    At a site whose ``approval`` setting holds this decision back (``approval.needs_approval``)
    it is stored awaiting the director instead (R10, 001 §14(五)): nothing changes owner, the
    view's ``approval.status`` is ``awaiting``. 409 ``awaiting_approval`` while one waits.
    ``origin``: who acts from where, for the audit log (default: the API, no address)."""
    with store.read():
        stored = store.get_conflict(actor.site.id, conflict_id)
    if stored is not None and stored.status == "open":
        # its window may have ended since the sweep last ran (services.lapsing): stored lapsed in
        # a write of its own, so the refusal below does not roll it back (QA9)
        lapse(store, actor.site, utc_now(), {stored.phone_key})
    with store.write(actor.site.id):
        conflict = store.get_conflict(actor.site.id, conflict_id)
        if conflict is None:
            raise NotFound("unknown_conflict", "No such conflict at your site; reload the conflict list.",
                           zh="本案场没有这个争议：请刷新争议列表。")
        if conflict.status != "open":
            raise _not_open(store, actor, conflict)
        refuse_if_awaiting(store, actor.site.id, conflict)
        if (changed := changed_since_seen(store, actor.site.id, conflict.claim_ids, seen)) is not None:
            raise changed
        parties = decision_parties(store, actor.site.id, conflict)
        _check_decision(store, actor, owner, split, reason, parties.holders)
        _check_holders_named(parties, owner, split, {u.username: u.name for u in store.list_users(actor.site.id)})
        setting = store.site_approval(actor.site.id)
        rules = rule_owner(store, actor.site, conflict) if setting == "against_rule" else conflict.owner
        if needs_approval(setting, rules, owner, split):
            proposal = submit(store, actor.site.id, origin or Origin.api(actor.user.username, None), conflict,
                              owner, split, reason, actor.user.username)
            return {**conflict_view(conflict, None, parties, arrivals(store, [conflict]), actor.site.utc_offset_minutes),
                    "approval": approval_view([proposal])}
        now = utc_now()
        decision = DecisionRow(id=str(uuid.uuid4()), site_id=actor.site.id, conflict_id=conflict.id,
                               phone_key=conflict.phone_key, owner=owner, split=split, reason=reason.strip(),
                               decided_at=format_time(now), author=actor.user.username,
                               covers=sorted(conflict.claim_ids))
        store.add_decision(decision)
        recompute(store, actor.site, {conflict.phone_key} | {c["customer_key"] for c in conflict.claims}, now)
        updated = store.get_conflict(actor.site.id, conflict.id) or conflict
        after = decision_parties(store, actor.site.id, updated)
        received = arrivals(store, [updated])
    return {**conflict_view(updated, decision, after, received, actor.site.utc_offset_minutes), "approval": None}
