"""待确认归属: the records held from the ownership index (issue 14 follow-up,
``services/held.py``), a page of 100 at a time, the longest waiting first, each releasable
alone or with every held record of its phone through the confirmation path."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from shared.phones import display_phone
from shared.timeutil import utc_now

from ...services.held import PAGE_SIZE, NotHeldHere, held_page, release_records
from ..deps import ManagerDep
from ..formatting import local
from .confirm import page_of

router = APIRouter()


@router.get("/held")
def held(manager: ManagerDep, page: str = "") -> Response:
    """``?page=`` from 1; a page number that is not one shows page 1 and says so; one past the
    last shows the last and says so."""
    view, site = manager.page, manager.site
    number = page_of(page)
    flash = view.t("held.bad_page", text=page[:20]) if number is None else None
    shown = held_page(view.state.store, view.state.reporting, site.id, number or 1, utc_now())
    if number is not None and number > shown.number:  # past the last: said, not silent (QA of issue 14, N8)
        flash = view.t("held.past_last", asked=number, pages=shown.pages)
    first = (shown.number - 1) * PAGE_SIZE
    return view.render("held.html", manager=manager, held=shown, first_row=first + 1,
                       last_row=first + len(shown.rows), flash=flash, flash_kind="error",
                       people=view.state.reporting.people(site.id))


@router.post("/held")
async def release(manager: ManagerDep) -> Response:
    """Release ``record_id`` (one record) or ``phone`` (every held record of that phone key),
    then 303 back to the page it was on; a second submit says who confirmed them and when; ids
    or a phone of no record of the site: 404 (nothing written)."""
    view, site = manager.page, manager.site
    form = await view.check_csrf()
    number = page_of(str(form.get("page") or ""))
    back = "/console/held" + (f"?page={number}" if number and number > 1 else "")
    ids = [str(i) for i in form.getlist("record_id")]
    key = str(form.get("phone") or "")
    if not ids and not key.strip():
        return view.redirect(back, flash=view.t("held.nothing"), flash_kind="error")
    try:
        done = release_records(view.state.store, view.state.reporting, site, manager.user.username,
                               record_ids=ids, phone_key=key)
    except NotHeldHere:
        return view.render("error.html", status_code=404, manager=manager, message=view.t("error.not_found"))
    if done.result is None:
        if done.earlier is None:
            return view.redirect(back, flash=view.t("held.already_released"))
        name = view.state.reporting.people(site.id).get(done.earlier.author, (done.earlier.author, ""))[0]
        return view.redirect(back, flash=view.t("held.already", name=name,
                                                time=local(done.earlier.confirmed_at, site.utc_offset_minutes)))
    records = view.state.reporting.records_by_ids(site.id, [r.record_id for r in done.result.confirmed])
    phones = ("、" if view.lang == "zh" else ", ").join(
        sorted({display_phone(v.record.phone_key) for v in records if v.record.phone_key}))
    return view.redirect(back, flash=view.t("held.done", count=len(done.result.confirmed), phones=phones))
