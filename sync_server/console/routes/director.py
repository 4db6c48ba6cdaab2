"""The sales director's console (issue 12, R10 报销售总监审批): the 审批 queue of the
organisation's decisions awaiting approval (approve, or return with a written reason), every
site's disputes (read only), the sites' numbers side by side (各案场对比) and the audit log of
the organisation's sites. A director reaches their own organisation's sites only: another
site's proposal or dispute is 404, as if it did not exist."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from ...errors import ApiError
from ...services import approval
from ..days import DayFields, today
from ..deps import DirectorDep, SignedInDirector
from ..formatting import local
from .audit import AuditScope, audit_file, audit_view

router = APIRouter(prefix="/director")


def _sites(director: SignedInDirector) -> dict:
    store = director.page.state.store
    return {site.id: site for site in (store.get_site(i) for i in director.site_ids) if site}


def _people(director: SignedInDirector) -> dict[str, tuple[str, str]]:
    """``username -> (name, role)`` over the organisation's sites and its directors."""
    reporting = director.page.state.reporting
    people: dict[str, tuple[str, str]] = approval.director_names(director.page.state.store, director.site_ids)
    for site_id in director.site_ids:
        people.update(reporting.people(site_id))
    return people


@router.get("")
def home(director: DirectorDep) -> Response:
    return RedirectResponse("/console/director/approvals", status_code=303)


@router.get("/approvals")
def approvals(director: DirectorDep) -> Response:
    """审批: the organisation's decisions awaiting approval, oldest first."""
    return _approvals_page(director)


def _approvals_page(director: SignedInDirector, errors: list[str] | None = None, status_code: int = 200,
                    error_for: str | None = None) -> Response:
    """The queue; ``errors`` beside the proposal ``error_for`` when it is still listed (QA of
    issue 12 N4: "the proposed owner left" sat at the top of the page), else at the top."""
    page, reporting = director.page, director.page.state.reporting
    waiting = approval.queue(page.state.store, director.actor)
    conflicts = {(p.site_id, p.conflict_id): reporting.conflict(p.site_id, p.conflict_id) for p in waiting}
    customers = {key: reporting.customer(key[0], c.customer_id) for key, c in conflicts.items() if c}
    sites = _sites(director)
    rule_owners = {key: approval.rule_owner(page.state.store, sites[key[0]], c) for key, c in conflicts.items()
                   if c and key[0] in sites}  # the rules alone, never an earlier decision (R10)
    return page.render("director_approvals.html", status_code=status_code, director=director, proposals=waiting,
                       conflicts=conflicts, customers=customers, rule_owners=rule_owners, sites=sites,
                       people=_people(director),
                       errors=errors or [], reason_max=approval.REASON_MAX_CHARS,
                       error_for=error_for if any(p.id == error_for for p in waiting) else None)


@router.post("/approvals/{site_id}/{proposal_id}/{verdict}")
async def review(director: DirectorDep, site_id: str, proposal_id: str, verdict: str) -> Response:
    """Approve (``verdict`` approve) or return (``return``, with the form's ``reason``) one
    proposal; a refusal comes back on the queue page (403/404/409/422) in the reader's language."""
    page = director.page
    form = await page.check_csrf()
    if verdict not in ("approve", "return"):
        return page.render("error.html", status_code=404, director=director, message=page.t("error.not_found"))
    try:
        if verdict == "approve":
            approval.approve(page.state.store, director.actor, director.origin, site_id, proposal_id)
        else:
            reason = form.get("reason")
            approval.send_back(page.state.store, director.actor, director.origin, site_id, proposal_id,
                               reason if isinstance(reason, str) else "")
    except ApiError as exc:
        errors = [_refusal(director, exc, site_id, proposal_id)]
        typed = form.get("reason") if verdict == "return" else None
        if isinstance(typed, str) and typed.strip() and exc.code != "missing_reason":  # nothing typed is lost
            errors.append(page.t("director.kept_reason", reason=typed.strip()))
        return _approvals_page(director, errors=errors, status_code=exc.status, error_for=proposal_id)
    return page.redirect("/console/director/approvals",
                         flash=page.t("director.approved" if verdict == "approve" else "director.returned"))


def _refusal(director: SignedInDirector, exc: ApiError, site_id: str, proposal_id: str) -> str:
    """The service's refusal in the director's language; a proposal reviewed already (a double
    submit, or another director) says by whom (their name), when (site-local) and what."""
    page = director.page
    proposal = page.state.store.get_proposal(site_id, proposal_id) if exc.code == "already_reviewed" else None
    if proposal is None or site_id not in director.site_ids:
        return exc.text(page.lang)
    people = _people(director)
    site = _sites(director).get(site_id)
    return page.t("director.already_reviewed", verdict=page.t(f"approval.verb.{proposal.status}"),
                  who=people.get(proposal.reviewer or "", (proposal.reviewer or "?", ""))[0],
                  time=local(proposal.reviewed_at, site.utc_offset_minutes if site else 480),
                  owner=people.get(proposal.owner, (proposal.owner, ""))[0],
                  author=people.get(proposal.author, (proposal.author, ""))[0])


@router.get("/disputes")
def disputes(director: DirectorDep, status: str = "open") -> Response:
    page, reporting, store = director.page, director.page.state.reporting, director.page.state.store
    fields = DayFields(page.t)  # status=bogus: said beside the tabs (422), the open ones shown
    status = fields.choice("status", status, ("open", "decided", "resolved"), "open")
    status = "decided" if status in ("decided", "resolved") else "open"
    by_site, customers = [], {}
    for site in _sites(director).values():
        conflicts = reporting.conflicts(site.id, status)
        by_site.append((site, conflicts, approval.latest_proposals(store, site.id, [c.id for c in conflicts])))
        # which customer each is (issue 12 QA: a row named only reps): its name, its number as on the manager's page
        customers.update({(site.id, c.customer_id): reporting.customer(site.id, c.customer_id) for c in conflicts})
    return page.render("director_disputes.html", status_code=fields.status, director=director, status=status,
                       by_site=by_site, customers=customers, people=_people(director), field_errors=fields.errors)


@router.get("/compare")
def compare(director: DirectorDep, start: str = "", end: str = "") -> Response:
    """各案场对比: each site's funnel total over the same local days, its disputes, and its
    records held for the manager's confirmation (待确认归属, issue 14)."""
    page, reporting, store = director.page, director.page.state.reporting, director.page.state.store
    sites = _sites(director)
    tz = next(iter(sites.values())).utc_offset_minutes if sites else 480
    fields = DayFields(page.t)  # a bad day, a reversed or too long range: said beside its field (422)
    last = fields.day("end", end, today(tz))
    first = fields.day("start", start, last - timedelta(days=29))
    first, last = fields.range(first, last, (today(tz) - timedelta(days=29), today(tz)))
    error = page.t("error.in_field") if fields.errors else None
    rows = []
    for site in sites.values():
        total = reporting.funnel(site.id, first, last, "total")[0]
        open_conflicts = reporting.conflicts(site.id, "open")
        waiting = sum(1 for p in store.proposals_of_sites([site.id]) if p.status == "awaiting")
        rows.append((site, total, len(open_conflicts), waiting, store.held_count(site.id)))  # 待确认归属
    return page.render("director_compare.html", status_code=fields.status, director=director, rows=rows,
                       start=first, end=last, error=error, field_errors=fields.errors)


def _audit_scope(director: SignedInDirector) -> AuditScope:
    """The organisation's sites' log as the manager's page reads one site's (``routes/audit.py``),
    each row naming its site; nothing of another organisation (its sites are not in ``site_ids``)."""
    reporting = director.page.state.reporting
    sites = _sites(director)
    devices = {r.device.id: r.device.name for s in sites for r in reporting.devices(s)}
    return AuditScope(director.page, sites, _people(director), devices, "/console/director/audit",
                      "/console/director/disputes?status=decided", f"fieldsync-{director.director.username}-audit",
                      {"director": director}, held_links=False)


@router.get("/audit")
def audit(director: DirectorDep, start: str = "", end: str = "", person: str = "", page_no: str = "1",
          action: str = "") -> Response:
    """审计日志 of the organisation's sites (decisions approved and returned among them):
    filtered by dates, person and act, paged, as the manager's (QA of issue 12 M3)."""
    return audit_view(_audit_scope(director), start, end, person, page_no, action)


@router.get("/audit/export")
def audit_export(director: DirectorDep, start: str = "", end: str = "", person: str = "", format: str = "csv",
                 action: str = "") -> Response:
    """The same rows as CSV or XLSX (``routes/audit.py`` ``audit_file``)."""
    return audit_file(_audit_scope(director), start, end, person, format, action)
