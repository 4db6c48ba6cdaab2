"""Dispute queues, one dispute with its claims side by side, and the decision form."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ..decisions import DecisionForm, parse_decision_form, record_decision
from ..deps import ManagerDep
from ..explaining import explain, owner_changes, unique_steps

router = APIRouter()


@router.get("/disputes")
def dispute_queue(manager: ManagerDep, status: str = "open") -> Response:
    page, reporting = manager.page, manager.page.state.reporting
    status = "decided" if status in ("decided", "resolved") else "open"
    conflicts = reporting.conflicts(manager.site.id, status)
    customers = {c.id: c for c in (reporting.customer(manager.site.id, cid) for cid in {c.customer_id for c in conflicts}) if c}
    decisions = {c.id: reporting.decision(manager.site.id, c.decision_id) for c in conflicts if c.decision_id}
    return page.render("disputes.html", manager=manager, status=status, conflicts=conflicts, customers=customers,
                       decisions=decisions, people=reporting.people(manager.site.id))


def _dispute_page(manager, conflict_id: str, form: DecisionForm | None = None, errors: list[str] | None = None,
                  flash: str | None = None, status_code: int = 200) -> Response:
    page, reporting, site = manager.page, manager.page.state.reporting, manager.site
    conflict = reporting.conflict(site.id, conflict_id)
    if conflict is None:
        return page.render("error.html", status_code=404, manager=manager, message=page.t("error.not_found"))
    people = reporting.people(site.id)
    records = {v.record.id: v for v in reporting.records_by_ids(site.id, [c["record_id"] for c in conflict.claims])}
    customer = reporting.customer(site.id, conflict.customer_id)
    decision = reporting.decision(site.id, conflict.decision_id) if conflict.decision_id else None
    reps = list(dict.fromkeys(c["rep"] for c in conflict.claims))
    form = form or DecisionForm(owner=conflict.owner, preset="", split={}, reason="")
    timeline = reporting.timeline(site.id, conflict.customer_id)
    return page.render("dispute.html", status_code=status_code, manager=manager, conflict=conflict,
                       customer=customer, records=records, people=people, decision=decision, reps=reps,
                       owner_changes=owner_changes(page.state.store, site, timeline) if timeline else [],
                       steps=explain(unique_steps([*(customer.explanation if customer else []), *conflict.explanation]),
                                     page.lang, site.utc_offset_minutes),
                       form=form, errors=errors or [], flash=flash)


@router.get("/disputes/{conflict_id}")
def dispute(manager: ManagerDep, conflict_id: str, saved: int = 0) -> Response:
    return _dispute_page(manager, conflict_id, flash=manager.page.t("dispute.saved") if saved else None)


@router.post("/disputes/{conflict_id}/decision")
async def decide(manager: ManagerDep, conflict_id: str) -> Response:
    page = manager.page
    form_data = await page.check_csrf()
    conflict = page.state.reporting.conflict(manager.site.id, conflict_id)
    if conflict is None:
        return page.render("error.html", status_code=404, manager=manager, message=page.t("error.not_found"))
    reps = list(dict.fromkeys(c["rep"] for c in conflict.claims))
    form, errors = parse_decision_form(form_data, reps, page.lang)
    if not errors:
        errors = record_decision(page.state.store, manager, conflict_id, form, page.lang)
    if errors:
        return _dispute_page(manager, conflict_id, form=form, errors=errors, status_code=422)
    return page.redirect(f"/console/disputes/{conflict_id}?saved=1")
