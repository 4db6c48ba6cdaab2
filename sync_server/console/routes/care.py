"""投诉处理与跟进: the complaint queue (due / overdue, age, handler), a page of ``PAGE_SIZE``
cases at a time, and overdue contacts by rep; a rep's customers a page at a time."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from shared.timeutil import site_zone, utc_now
from shared.working_calendar import WorkingCalendar

from ...services.care import PAGE_SIZE, care_by_rep, complaint_queue, rep_customers
from ..deps import ManagerDep
from .confirm import page_of

router = APIRouter()


@router.get("/care")
def care(manager: ManagerDep, rep: str = "", cases: str = "", page: str = "") -> Response:
    """The queue (``?cases=`` its page number from 1) and the by-rep table; with ``rep``, that
    rep's customers with last contact and next due (``shared.cadence``; ``?page=`` from 1). A
    page number that is not one, or a ``rep`` who is no rep with customers here, is said above
    the page (422) and the first page / no rep shown; a page past the last is empty."""
    view, site, reporting = manager.page, manager.site, manager.page.state.reporting
    now = utc_now()
    calendar = WorkingCalendar.for_site(site.closed_days)  # official holidays and 调休, and the site's own days
    problems = []  # what in the address is not one, said above the page (QA of issue 11, F12: ignored silently)
    case_page, rep_page = page_of(cases), page_of(page)
    if case_page is None or rep_page is None:
        problems.append(view.t("care.err_page", page=(cases if case_page is None else page)[:20]))
    case_page, rep_page = case_page or 1, rep_page or 1
    queue = complaint_queue(reporting, site, now, calendar, offset=(case_page - 1) * PAGE_SIZE)
    today = now.astimezone(site_zone(site.utc_offset_minutes)).date()
    reps = care_by_rep(reporting, site, today)
    people = reporting.people(site.id)
    chosen = next((r for r in reps if r.rep == rep), None)
    if rep and chosen is None:
        name, role = people.get(rep, (rep[:40], ""))
        problems.append(view.t("care.err_no_customers" if role == "rep" else "care.err_not_rep", rep=name))
    customers = rep_customers(reporting, site, chosen.rep, offset=(rep_page - 1) * PAGE_SIZE) if chosen else []
    return view.render("care.html", status_code=422 if problems else 200, manager=manager, queue=queue,
                       cases=queue.cases, reps=reps, now=now, today=today, people=people, chosen=chosen,
                       customers=customers, case_page=case_page, case_pages=max(1, -(-queue.total // PAGE_SIZE)),
                       rep_page=rep_page, rep_has_next=len(customers) == PAGE_SIZE, page_size=PAGE_SIZE,
                       **({"flash": " ".join(problems), "flash_kind": "error"} if problems else {}))
