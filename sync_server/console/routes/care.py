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
    page number that is not one shows the first page; one past the last, an empty page."""
    view, site, reporting = manager.page, manager.site, manager.page.state.reporting
    now = utc_now()
    calendar = WorkingCalendar.for_site(site.closed_days)  # official holidays and 调休, and the site's own days
    case_page = page_of(cases) or 1
    queue = complaint_queue(reporting, site, now, calendar, offset=(case_page - 1) * PAGE_SIZE)
    today = now.astimezone(site_zone(site.utc_offset_minutes)).date()
    reps = care_by_rep(reporting, site, today)
    chosen = next((r for r in reps if r.rep == rep), None)
    rep_page = page_of(page) or 1
    customers = rep_customers(reporting, site, chosen.rep, offset=(rep_page - 1) * PAGE_SIZE) if chosen else []
    return view.render("care.html", manager=manager, queue=queue, cases=queue.cases, reps=reps, now=now,
                       today=today, people=reporting.people(site.id), chosen=chosen, customers=customers,
                       case_page=case_page, case_pages=max(1, -(-queue.total // PAGE_SIZE)), rep_page=rep_page,
                       rep_has_next=len(customers) == PAGE_SIZE, page_size=PAGE_SIZE)
