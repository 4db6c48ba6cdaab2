"""Dispute queues, one dispute with its claims side by side, and the decision form."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ...errors import Conflict
from ...services.approval import awaiting_of, director_names, latest_proposals
from ...services.conflicts import refuse_if_changed
from ..decisions import (
    REASON_MAX_CHARS,
    DecisionForm,
    decision_parties,
    initial_form,
    parse_decision_form,
    record_decision,
)
from ..deps import ManagerDep
from ..explaining import explain, owner_changes, unique_steps
from ..formatting import local
from .confirm import page_of

router = APIRouter()


PAGE_SIZE = 100
"""Disputes a page lists (a busy site has thousands open)."""


@router.get("/disputes")
def dispute_queue(manager: ManagerDep, status: str = "open", page: str = "") -> Response:
    """A queue (open, decided, or lapsed undecided: R2, QA9), ``PAGE_SIZE`` disputes a page (``?page=`` from 1; a page
    number that is not one shows the first page, one past the last the last), newest first."""
    view, reporting = manager.page, manager.page.state.reporting
    status = {"decided": "decided", "resolved": "decided", "lapsed": "lapsed"}.get(status, "open")
    number = page_of(page) or 1
    total, conflicts = reporting.conflicts_page(manager.site.id, status, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if number > pages:
        number = pages
        total, conflicts = reporting.conflicts_page(manager.site.id, status, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    customers = _customers(manager, conflicts)
    decisions = {c.id: reporting.decision(manager.site.id, c.decision_id) for c in conflicts if c.decision_id}
    approvals = latest_proposals(view.state.store, manager.site.id, [c.id for c in conflicts])
    return view.render("disputes.html", manager=manager, status=status, conflicts=conflicts, customers=customers,
                       decisions=decisions, people=reporting.people(manager.site.id), approvals=approvals,
                       total=total, page_number=number, pages=pages, first_row=(number - 1) * PAGE_SIZE + 1,
                       last_row=(number - 1) * PAGE_SIZE + len(conflicts))


def _customers(manager, conflicts) -> dict:
    """``customer id -> CustomerRow`` of the conflicts' customers: one read by their phones
    (not one per dispute), the odd one whose phone moved looked up by its id."""
    site_id, wanted = manager.site.id, {c.customer_id for c in conflicts}
    found = {row.id: row for row in manager.page.state.store.customers_by_keys(
        site_id, {c.phone_key for c in conflicts}).values() if row.id in wanted}
    for missing in wanted - found.keys():
        if (row := manager.page.state.reporting.customer(site_id, missing)) is not None:
            found[missing] = row
    return found


def _dispute_page(manager, conflict_id: str, form: DecisionForm | None = None, errors: list[str] | None = None,
                  status_code: int = 200, unsaved: DecisionForm | None = None,
                  unsaved_message: str | None = None) -> Response:
    """One dispute. ``unsaved``: what a second manager typed for a dispute someone else has
    decided meanwhile, shown beside that decision so nothing they wrote is lost."""
    page, reporting, site = manager.page, manager.page.state.reporting, manager.site
    conflict = reporting.conflict(site.id, conflict_id)
    if conflict is None:
        return page.render("error.html", status_code=404, manager=manager, message=page.t("error.not_found"))
    people = {**director_names(page.state.store, [site.id]), **reporting.people(site.id)}
    records = {v.record.id: v for v in reporting.records_by_ids(site.id, [c["record_id"] for c in conflict.claims])}
    customer = reporting.customer(site.id, conflict.customer_id)
    decision = reporting.decision(site.id, conflict.decision_id) if conflict.decision_id else None
    parties, holders = decision_parties(conflict, customer)
    form = form or initial_form(conflict, customer, site.household)
    timeline = reporting.timeline(site.id, conflict.customer_id)
    return page.render("dispute.html", status_code=status_code, manager=manager, conflict=conflict,
                       customer=customer, records=records, people=people, decision=decision, reps=parties,
                       holders=holders, household_rule=site.household, reason_max=REASON_MAX_CHARS,
                       owner_changes=owner_changes(page.state.store, site, timeline) if timeline else [],
                       steps=explain(unique_steps([*(customer.explanation if customer else []), *conflict.explanation]),
                                     page.lang, site.utc_offset_minutes),
                       form=form, errors=errors or [], unsaved=unsaved, unsaved_message=unsaved_message,
                       active_reps={u.username for u in page.state.store.list_users(site.id)
                                    if u.role == "rep" and u.active},
                       approval=latest_proposals(page.state.store, site.id, [conflict.id]).get(conflict.id))


@router.get("/disputes/{conflict_id}")
def dispute(manager: ManagerDep, conflict_id: str) -> Response:
    return _dispute_page(manager, conflict_id)


@router.post("/disputes/{conflict_id}/decision")
async def decide(manager: ManagerDep, conflict_id: str) -> Response:
    """Record a decision, then 303 to the dispute (redirect-after-post). A form with problems
    comes back (422) with every message and what was typed; a dispute decided meanwhile in
    another tab comes back (409) showing who decided it and when, with this manager's text; a
    dispute whose claims changed since the page was shown (the form's ``seen_claim`` ids: a late
    claim joined, a claim seen was withdrawn) comes back (409) with its claims now, the change
    named and what was typed kept (QA14 F2), before any problem of the form itself."""
    page, reporting, site = manager.page, manager.page.state.reporting, manager.site
    form_data = await page.check_csrf()
    # a page shown before the form carried them (none sent) decides as before
    seen = [v for v in form_data.getlist("seen_claim") if isinstance(v, str)] or None
    conflict = reporting.conflict(site.id, conflict_id)
    if conflict is None:
        return page.render("error.html", status_code=404, manager=manager, message=page.t("error.not_found"))
    parties, holders = decision_parties(conflict, reporting.customer(site.id, conflict.customer_id))
    names = {rep: name for rep, (name, _) in reporting.people(site.id).items()}
    form, errors = parse_decision_form(form_data, parties, page.lang, holders, names)
    if conflict.status != "open":
        return _dispute_page(manager, conflict_id, status_code=409, unsaved=form)
    if (waiting := awaiting_of(page.state.store, site.id, conflict_id)) is not None:  # a double submit
        return _awaiting(manager, conflict_id, waiting, form)
    if (changed := _changed(manager, conflict_id, seen, form)) is not None:
        return changed
    if not errors:
        errors = record_decision(page.state.store, manager, conflict_id, form, page.lang, seen)
        if errors and (now := reporting.conflict(site.id, conflict_id)) and now.status != "open":
            return _dispute_page(manager, conflict_id, status_code=409, unsaved=form)  # decided meanwhile
        if errors and (changed := _changed(manager, conflict_id, seen, form)) is not None:
            return changed  # a claim joined or left meanwhile
        if errors and (waiting := awaiting_of(page.state.store, site.id, conflict_id)) is not None:
            return _awaiting(manager, conflict_id, waiting, form)  # sent for approval meanwhile (another tab)
    if errors:
        return _dispute_page(manager, conflict_id, form=form, errors=errors, status_code=422)
    waiting = awaiting_of(page.state.store, site.id, conflict_id)  # held back for the director (R10)
    return page.redirect(f"/console/disputes/{conflict_id}",
                         flash=page.t("approval.submitted") if waiting else page.t("dispute.saved"))


def _changed(manager, conflict_id: str, seen: list[str] | None, form: DecisionForm) -> Response | None:
    """409: the dispute's claims are not those the page showed (``services.conflicts.
    refuse_if_changed``): the page again with the claims now, the change said in the manager's
    language, and the form as typed (owner, split, reason) to check and submit again."""
    try:
        refuse_if_changed(manager.page.state.store, manager.actor, conflict_id, seen)
    except Conflict as exc:
        return _dispute_page(manager, conflict_id, form=form, errors=[exc.text(manager.page.lang)], status_code=409)
    return None


def _awaiting(manager, conflict_id: str, waiting, form: DecisionForm) -> Response:
    """409: a decision on this dispute already awaits the director (R10): said in the manager's
    language, that decision shown (``_approval.html``), what they typed kept beside it."""
    page = manager.page
    people = page.state.reporting.people(manager.site.id)
    author = people.get(waiting.author, (waiting.author, ""))[0]
    message = page.t("approval.already_awaiting", author=author,
                     time=local(waiting.proposed_at, manager.site.utc_offset_minutes))
    return _dispute_page(manager, conflict_id, status_code=409, unsaved=form, unsaved_message=message)
