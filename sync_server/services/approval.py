"""R10's second half (issue 12): a manager's decision that the site's ``approval`` setting holds
back waits for the sales director (由项目经理……提出书面意见，报销售总监审批, 001 §14(五)).

- ``needs_approval``: which decisions wait (``storage.organisations.APPROVAL_SETTINGS``);
- ``submit`` (called by ``conflicts.decide``): stores a ``ProposalRow`` instead of a decision.
  The engine reads decisions only, so the rule's owner stands and the conflict stays open,
  shown as awaiting approval;
- ``approve``: the director stores the decision, dated at the approval (the time the engine
  orders decisions by: the decision takes effect from then), and the unit is decided again;
- ``send_back``: the director returns it with a written reason; the conflict is open for the
  manager again, who reads the reason.

Every approval and return is in the audit log (``decision.approved``/``decision.returned``;
a submission is ``decision.submitted``), in the act's transaction. A director sees and acts on
the sites of their organisation only: another site's proposal is 404, as if it did not exist.
Nobody approves a decision they wrote (403 ``own_decision``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from shared.timeutil import format_time, utc_now

from ..errors import Conflict, Forbidden, NotFound, Unprocessable
from ..storage.base import ConflictRow, DecisionRow, Site, Store
from ..storage.organisations import Director, ProposalRow
from .audit import Origin, log
from .display import display_name, site_time
from .ownership import decide_unit, recompute, unit_handovers, unit_keys, unit_records
from .reasons import refuse_control_characters
from .seen_claims import changed_since_seen

__all__ = ["needs_approval", "rule_owner", "submit", "approve", "send_back", "awaiting_of", "approval_view", "queue",
           "director_sites", "DirectorActor", "latest_proposals", "director_names", "find_proposal",
           "proposals_for", "proposal_view", "REASON_MAX_CHARS"]

REASON_MAX_CHARS = 4000  # as a decision's reason (services.conflicts)


@dataclass(frozen=True)
class DirectorActor:
    """A signed-in director and the ids of their organisation's sites (sorted)."""

    director: Director
    site_ids: tuple[str, ...]


def director_sites(store: Store, director: Director) -> DirectorActor:
    return DirectorActor(director, tuple(store.sites_of_org(director.org_id)))


def needs_approval(setting: str, rule_owner: str | None, owner: str, split: dict[str, int] | None) -> bool:
    """Whether a decision (``owner``, ``split``) waits for the director at a site whose
    ``approval`` is ``setting``: ``splits``: two or more reps keep a share above 0;
    ``against_rule``: ``owner`` is not ``rule_owner``, the owner the rules alone give
    (``rule_owner``: never the conflict's owner after an earlier decision, R10, 001 §14(五));
    ``all``: always."""
    if setting == "all":
        return True
    if setting == "splits":
        return split is not None and sum(1 for share in split.values() if share > 0) > 1
    if setting == "against_rule":
        return owner != rule_owner
    return False


def rule_owner(store: Store, site: Site, conflict: ConflictRow) -> str | None:
    """*(in a read or write of the site)* The owner the rules alone give for ``conflict``'s
    claims: its unit decided again from the stored records and hand-overs (001 §14(五)3(12))
    **without any manager decision**. After an earlier decision ``conflict.owner`` is the decided
    owner (an ``after_decision`` conflict); this is the owner R10's ``against_rule`` compares
    with. The engine conflict sharing a claim with ``conflict`` gives it; else the unit's owner;
    else ``conflict.owner``."""
    keys_asked = {conflict.phone_key} | {c["customer_key"] for c in conflict.claims}
    units = unit_keys(store, site.id, keys_asked)
    keys = set().union(*units.values()) if units else keys_asked
    users = store.list_users(site.id)
    decided = decide_unit(site, unit_records(store, site.id, keys), [], utc_now(),
                          {u.username: u.name for u in users}, {d.id: d.name for d in store.list_devices(site.id)},
                          handovers=unit_handovers(store, site.id, keys), keys=keys)
    match = next((c for c in decided.conflicts if c.claim_ids & conflict.claim_ids), None)
    if match is not None:
        return match.owner
    return decided.owner or conflict.owner


def awaiting_of(store: Store, site_id: str, conflict_id: str) -> ProposalRow | None:
    """The conflict's proposal awaiting approval, or None."""
    return next((p for p in store.proposals_of_conflicts(site_id, [conflict_id]) if p.status == "awaiting"), None)


def refuse_if_awaiting(store: Store, site_id: str, conflict: ConflictRow) -> None:
    """409 ``awaiting_approval``: a second decision while one waits for the director."""
    waiting = awaiting_of(store, site_id, conflict.id)
    if waiting is not None:
        who, when = display_name(store, waiting.author), site_time(store, site_id, waiting.proposed_at)
        raise Conflict("awaiting_approval", f"A decision by {who} ({when}, site time) awaits the "
                       "sales director's approval; wait for the director to approve or return it.",
                       details={"proposed_by": waiting.author, "proposed_at": waiting.proposed_at},
                       zh=f"{who} 于 {when} 提交的裁定正在等待销售总监审批：请等总监批准或退回后再处理。")


def submit(store: Store, site_id: str, origin: Origin, conflict: ConflictRow, owner: str,
           split: dict[str, int] | None, reason: str, author: str) -> ProposalRow:
    """*(in write of the site)* Store a decision awaiting approval (checked by the caller as a
    decision is) and log ``decision.submitted``."""
    row = ProposalRow(id=str(uuid.uuid4()), site_id=site_id, conflict_id=conflict.id, phone_key=conflict.phone_key,
                      owner=owner, split=split, reason=reason.strip(), proposed_at=format_time(utc_now()),
                      author=author, covers=sorted(conflict.claim_ids))
    store.add_proposal(row)
    _touch(store, site_id, conflict.phone_key)
    log(store, site_id, origin, "decision.submitted", conflict.id, proposal=row.id, owner=owner,
        split=split or {}, note=row.reason)
    return row


def _touch(store: Store, site_id: str, phone_key: str) -> None:
    """*(in write of the site)* The customer of ``phone_key`` again in the pull (a new change
    id): whether its decision awaits the director is part of its view (``awaiting_keys``)."""
    rows = store.customers_by_keys(site_id, [phone_key]).values()
    store.save_customers([replace(row, change_id=store.next_change_id()) for row in rows])


def _reviewable(store: Store, actor: DirectorActor, site_id: str, proposal_id: str) -> ProposalRow:
    proposal = store.get_proposal(site_id, proposal_id) if site_id in actor.site_ids else None
    if proposal is None:
        raise _unknown_proposal()
    if proposal.status != "awaiting":
        # by the director's name and in the site's local time, as every page says it (issue 12
        # QA: "dir.one 于 2026-12-01T11:14:12.134+00:00"); the raw values stay in ``details``
        who, when = display_name(store, proposal.reviewer), site_time(store, site_id, proposal.reviewed_at)
        raise Conflict("already_reviewed", f"This decision was already {proposal.status} by {who} at {when} "
                       "(site time); reload the approval queue.",
                       details={"reviewed_by": proposal.reviewer, "reviewed_at": proposal.reviewed_at},
                       zh=f"该裁定已由 {who} 于 {when} "
                       f"{'批准' if proposal.status == 'approved' else '退回'}：请刷新审批列表。")
    return proposal


def approve(store: Store, actor: DirectorActor, origin: Origin, site_id: str, proposal_id: str) -> ProposalRow:
    """Approve a proposal: its decision is stored dated now (the approval) and the unit is
    decided again. 404 ``unknown_proposal`` (not of the director's sites), 409
    ``already_reviewed``, 403 ``own_decision`` (the director wrote it), 409 ``conflict_closed``
    (the conflict is no longer open: its claims were withdrawn or lapsed), 409 ``conflict_changed``
    (a claim joined or left the dispute after the decision was submitted), 409 ``owner_left``
    (the proposed owner was deactivated while it waited), 409 ``handed_over_since`` (a hand-over
    moved the customer after the decision was submitted)."""
    reviewer = actor.director.username
    with store.write(site_id):
        proposal = _reviewable(store, actor, site_id, proposal_id)
        if proposal.author == reviewer:
            raise Forbidden("own_decision", "You wrote this decision; another director must approve it.",
                            zh="这是您本人提交的裁定，不能由您审批：请由另一位销售总监审批。")
        conflict = store.get_conflict(site_id, proposal.conflict_id)
        if conflict is None or conflict.status != "open":
            raise Conflict("conflict_closed", "The dispute is no longer open (its claims were withdrawn or its "
                           "protection lapsed); return the decision with a reason instead.",
                           zh="该争议已不再待裁定（登记已撤回或保护期已过）：请退回该裁定并写明理由。")
        # a claim joined or left the dispute while the decision waited (QA14 F2): approving would
        # store a decision that never considered it; the manager decides again
        if (changed := changed_since_seen(store, site_id, conflict.claim_ids, proposal.covers, "approval")) is not None:
            raise changed
        active = {u.username for u in store.list_users(site_id) if u.role == "rep" and u.active}
        if proposal.owner not in active:  # the rep left while the decision waited
            owner = display_name(store, proposal.owner)
            raise Conflict("owner_left", f"{owner} is no longer an active rep of the site; return the "
                           "decision with a reason so the manager decides again.",
                           details={"owner": proposal.owner, "proposal_id": proposal.id},
                           zh=f"{owner} 已不是该案场在职的售楼员：请退回该裁定并写明理由，由项目经理重新裁定。")
        _refuse_if_handed_over_since(store, site_id, proposal, {conflict.phone_key} |
                                     {c["customer_key"] for c in conflict.claims})
        site = store.get_site(site_id)
        assert site is not None
        now = utc_now()
        decision = DecisionRow(id=str(uuid.uuid4()), site_id=site_id, conflict_id=proposal.conflict_id,
                               phone_key=proposal.phone_key, owner=proposal.owner, split=proposal.split,
                               reason=proposal.reason, decided_at=format_time(now), author=proposal.author,
                               covers=proposal.covers)
        store.add_decision(decision)
        store.review_proposal(site_id, proposal.id, status="approved", reviewer=reviewer,
                              reviewed_at=decision.decided_at, decision_id=decision.id)
        recompute(store, site, {conflict.phone_key} | {c["customer_key"] for c in conflict.claims}, now)
        _touch(store, site_id, proposal.phone_key)
        log(store, site_id, origin, "decision.approved", proposal.conflict_id, proposal=proposal.id,
            decision=decision.id, author=proposal.author, owner=proposal.owner, split=proposal.split or {})
        reviewed = store.get_proposal(site_id, proposal.id)
    assert reviewed is not None
    return reviewed


def _refuse_if_handed_over_since(store: Store, site_id: str, proposal: ProposalRow, phone_keys: set[str]) -> None:
    """409 ``handed_over_since`` when a hand-over moved the disputed customer (any phone of the
    dispute) after the decision was submitted (QA of issue 12, N1: approving it silently gave the
    customer back, undoing the hand-over): the manager must decide again knowing it."""
    for item in store.handover_items_for_keys(site_id, phone_keys):
        handover = store.get_handover(site_id, item.handover_id)
        if handover is None or handover.created_at <= proposal.proposed_at:
            continue
        to, author = display_name(store, item.to_rep), display_name(store, handover.author)
        when = site_time(store, site_id, handover.created_at)
        raise Conflict("handed_over_since", f"After this decision was submitted, {author} handed the customer over "
                       f"to {to} at {when} (site time); return the decision with a reason so the manager decides "
                       "again.", details={"handover_id": handover.id, "to_rep": item.to_rep,
                                           "proposal_id": proposal.id},
                       zh=f"该裁定提交后，{author} 已于 {when} 将该客户交接给 {to}：请退回该裁定并写明理由，"
                       "由项目经理重新裁定。")


def send_back(store: Store, actor: DirectorActor, origin: Origin, site_id: str, proposal_id: str,
              reason: str) -> ProposalRow:
    """Return a proposal to the manager with a written ``reason`` (422 ``missing_reason`` /
    ``too_long``); the conflict is open again for a new decision. Errors as ``approve``."""
    reason = reason.strip()
    refuse_control_characters(reason)
    if not reason:
        raise Unprocessable("missing_reason", "Write why you return the decision; the manager reads it.", "reason",
                            zh="请填写退回理由：项目经理会看到这条理由。")
    if len(reason) > REASON_MAX_CHARS:
        raise Unprocessable("too_long", f"The reason has {len(reason)} characters; shorten it to at most "
                            f"{REASON_MAX_CHARS}.", "reason",
                            zh=f"退回理由最多 {REASON_MAX_CHARS} 字，当前为 {len(reason)} 字：请精简后再提交。")
    with store.write(site_id):
        proposal = _reviewable(store, actor, site_id, proposal_id)
        store.review_proposal(site_id, proposal.id, status="returned", reviewer=actor.director.username,
                              reviewed_at=format_time(utc_now()), review_reason=reason)
        _touch(store, site_id, proposal.phone_key)
        log(store, site_id, origin, "decision.returned", proposal.conflict_id, proposal=proposal.id,
            author=proposal.author, owner=proposal.owner, split=proposal.split or {}, note=reason)
        reviewed = store.get_proposal(site_id, proposal.id)
    assert reviewed is not None
    return reviewed


def approval_view(proposals: Iterable[ProposalRow]) -> dict | None:
    """The ``approval`` of a conflict's view: its latest proposal, or None. ``status``: awaiting
    | approved | returned; who proposed what and why; who reviewed it, when, and (returned) why."""
    latest = max(proposals, key=lambda p: (p.proposed_at, p.id), default=None)
    if latest is None:
        return None
    return {"id": latest.id, "status": latest.status, "owner": latest.owner, "split": latest.split,
            "reason": latest.reason, "proposed_by": latest.author, "proposed_at": latest.proposed_at,
            "reviewed_by": latest.reviewer, "reviewed_at": latest.reviewed_at,
            "return_reason": latest.review_reason}


def latest_proposals(store: Store, site_id: str, conflict_ids: Iterable[str]) -> dict[str, ProposalRow]:
    """conflict id -> its latest proposal (awaiting, approved or returned), for the conflicts given."""
    latest: dict[str, ProposalRow] = {}
    for proposal in store.proposals_of_conflicts(site_id, conflict_ids):  # oldest first
        latest[proposal.conflict_id] = proposal
    return latest


def queue(store: Store, actor: DirectorActor) -> list[ProposalRow]:
    """The organisation's proposals awaiting approval, oldest first."""
    return store.proposals_of_sites(actor.site_ids, "awaiting")


def awaiting_keys(store: Store, site_id: str) -> set[str]:
    """Phone keys of the site's disputes whose decision awaits the sales director (R10): their
    customers are 待总监审批 to tablets (``views.ownership_view``, QA of issue 12 L1)."""
    return {p.phone_key for p in store.proposals_of_sites([site_id], "awaiting")}


def director_names(store: Store, site_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """``username -> (display name, "director")`` of the directors of these sites' organisations
    (the console names a director as it names everyone else, never by username alone)."""
    orgs = {org for org in (store.org_of_site(site_id) for site_id in site_ids) if org}
    return {d.username: (d.name or d.username, "director") for org in sorted(orgs) for d in store.list_directors(org)}


def _unknown_proposal() -> NotFound:
    return NotFound("unknown_proposal", "No such decision awaiting approval at your organisation's sites; "
                    "reload the approval queue.", zh="您所辖案场没有这条待审批的裁定：请刷新审批列表。")


def find_proposal(store: Store, actor: DirectorActor, proposal_id: str) -> ProposalRow:
    """The proposal ``proposal_id`` at one of the director's sites (the JSON API names a
    proposal by its id alone); 404 ``unknown_proposal`` otherwise, another organisation's too."""
    for site_id in actor.site_ids:
        found = store.get_proposal(site_id, proposal_id)
        if found is not None:
            return found
    raise _unknown_proposal()


def proposals_for(store: Store, actor: DirectorActor, status: str | None = "awaiting") -> list[ProposalRow]:
    """The organisation's proposals with ``status`` (None: all), oldest first."""
    return store.proposals_of_sites(actor.site_ids, status)


def proposal_view(store: Store, proposal: ProposalRow) -> dict:
    """The documented JSON shape of a proposal (protocol.md "Director API"): the decision
    proposed, who and when, the rule's owner (``rule_owner``), the review."""
    site = store.get_site(proposal.site_id)
    conflict = store.get_conflict(proposal.site_id, proposal.conflict_id)
    rules = rule_owner(store, site, conflict) if site and conflict else None
    return {"id": proposal.id, "site_id": proposal.site_id, "conflict_id": proposal.conflict_id,
            "status": proposal.status, "owner": proposal.owner, "split": proposal.split, "rule_owner": rules,
            "reason": proposal.reason, "proposed_by": proposal.author, "proposed_at": proposal.proposed_at,
            "reviewed_by": proposal.reviewer, "reviewed_at": proposal.reviewed_at,
            "return_reason": proposal.review_reason, "decision_id": proposal.decision_id}
