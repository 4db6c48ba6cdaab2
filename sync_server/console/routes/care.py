"""投诉处理与跟进: the complaint queue (due / overdue, age, handler) and overdue contacts by rep."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from shared.timeutil import site_zone, utc_now
from shared.working_calendar import WorkingCalendar

from ...services.care import complaint_queue, overdue_by_rep
from ..deps import ManagerDep

router = APIRouter()


@router.get("/care")
def care(manager: ManagerDep, rep: str = "") -> Response:
    """The queue and the by-rep table; with ``rep``, that rep's customers with last contact and
    next due (``shared.cadence``)."""
    page, site, reporting = manager.page, manager.site, manager.page.state.reporting
    now = utc_now()
    calendar = WorkingCalendar.for_site(site.closed_days)  # official holidays and 调休, and the site's own days
    cases = complaint_queue(reporting, site, now, calendar)
    reps = overdue_by_rep(reporting, site, now)
    today = now.astimezone(site_zone(site.utc_offset_minutes)).date()
    chosen = next((r for r in reps if r.rep == rep), None)
    return page.render("care.html", manager=manager, cases=cases, reps=reps, now=now, today=today,
                       people=reporting.people(site.id), chosen=chosen)
