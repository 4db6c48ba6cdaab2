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


def _rows(reporting, site_id: str, start, end) -> list:
    """The day's registrations as they read now, on their original's day (R4): a corrected one
    once, in its latest version (``previous`` is what it corrected); a withdrawn one kept, with
    its ``withdrawal`` (issue 9 items 4, 5)."""
    return [v for v in reporting.day_records(site_id, CONFIRMABLE_TYPES, start, end) if not v.corrected]


def _to_confirm(views: list) -> list[str]:
    """What 'confirm all' confirms: unconfirmed registrations (a correction of a confirmed one
    included: confirm it again) and withdrawals of confirmed ones (the manager acknowledges)."""
    return ([v.record.id for v in views if v.confirmation is None and not v.withdrawn]
            + [v.withdrawal.record.id for v in views if v.needs_acknowledgement])


def _day_page(manager, day_text: str | None, flash: str | None = None, flash_kind: str = "ok",
              status_code: int = 200) -> Response:
    page, site = manager.page, manager.site
    day = parse_day(day_text, today(site.utc_offset_minutes))
    start, end = day_bounds(day, site.utc_offset_minutes)
    views = _rows(page.state.reporting, site.id, start, end)
    by_desk: dict[str, list] = {}
    by_rep: dict[str, list] = {}
    for v in views:
        by_desk.setdefault(v.device_name, []).append(v)
        by_rep.setdefault(v.rep_name or page.t("confirm.no_rep"), []).append(v)
    open_count = len(_to_confirm(views))
    return page.render("confirm.html", status_code=status_code, manager=manager, day=day,
                       prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1), views=views,
                       by_desk=by_desk, by_rep=by_rep, open_count=open_count, flash=flash, flash_kind=flash_kind,
                       people=page.state.reporting.people(site.id))


@router.get("/confirm")
def day_confirmation(manager: ManagerDep, day: str = "") -> Response:
    return _day_page(manager, day)


@router.post("/confirm")
async def confirm(manager: ManagerDep) -> Response:
    page, site = manager.page, manager.site
    form = await page.check_csrf()
    day_text = str(form.get("day") or "")
    if form.get("all"):
        day = parse_day(day_text, today(site.utc_offset_minutes))
        start, end = day_bounds(day, site.utc_offset_minutes)
        ids = _to_confirm(_rows(page.state.reporting, site.id, start, end))
    else:
        ids = [str(i) for i in form.getlist("record_id")]
    if not ids:
        return _day_page(manager, day_text, flash=page.t("confirm.nothing"), flash_kind="error", status_code=422)
    try:
        result = confirm_records(page.state.store, site_id=site.id, author=manager.user.username, record_ids=ids)
    except NotConfirmable:
        return _day_page(manager, day_text, flash=page.t("error.not_found"), flash_kind="error", status_code=404)
    return _day_page(manager, day_text, flash=page.t("confirm.done", count=len(result.confirmed)))
