"""Day confirmation (审核确认): the day's walk-ins and calls by desk and rep, confirmed in
bulk or one by one through ``services.confirmation``."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from ...services.confirmation import CONFIRMABLE_TYPES, NotConfirmable, confirm_records
from ..days import day_bounds, parse_day, today
from ..deps import ManagerDep

router = APIRouter()


def _day_page(manager, day_text: str | None) -> Response:
    page, site = manager.page, manager.site
    day = parse_day(day_text, today(site.utc_offset_minutes))
    start, end = day_bounds(day, site.utc_offset_minutes)
    views = [v for v in page.state.reporting.records(site.id, CONFIRMABLE_TYPES, start, end) if not v.superseded]
    by_desk: dict[str, list] = {}
    by_rep: dict[str, list] = {}
    for v in views:
        by_desk.setdefault(v.device_name, []).append(v)
        by_rep.setdefault(v.rep_name or page.t("confirm.no_rep"), []).append(v)
    open_count = sum(1 for v in views if v.confirmation is None)
    # a registration that is a claim in an open dispute gets the 有争议 badge
    disputed = {claim["record_id"] for c in page.state.reporting.conflicts(site.id, "open") for claim in c.claims}
    return page.render("confirm.html", manager=manager, day=day,
                       prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1), views=views,
                       by_desk=by_desk, by_rep=by_rep, open_count=open_count, disputed=disputed,
                       people=page.state.reporting.people(site.id))


@router.get("/confirm")
def day_confirmation(manager: ManagerDep, day: str = "") -> Response:
    return _day_page(manager, day)


@router.post("/confirm")
async def confirm(manager: ManagerDep) -> Response:
    """Confirm, then 303 back to the same day (redirect-after-post: the address keeps ``?day``
    and reloading does not post again); the outcome is shown once on that page."""
    page, site = manager.page, manager.site
    form = await page.check_csrf()
    day = parse_day(str(form.get("day") or ""), today(site.utc_offset_minutes))
    back = f"/console/confirm?day={day.isoformat()}"
    if form.get("all"):
        start, end = day_bounds(day, site.utc_offset_minutes)
        ids = [v.record.id for v in page.state.reporting.records(site.id, CONFIRMABLE_TYPES, start, end)
               if v.confirmation is None and not v.superseded]
    else:
        ids = [str(i) for i in form.getlist("record_id")]
    if not ids:
        return page.redirect(back, flash=page.t("confirm.nothing"), flash_kind="error")
    try:
        result = confirm_records(page.state.store, site_id=site.id, author=manager.user.username, record_ids=ids)
    except NotConfirmable:
        return page.redirect(back, flash=page.t("error.not_found"), flash_kind="error")
    return page.redirect(back, flash=page.t("confirm.done", count=len(result.confirmed)))
