"""待确认归属: the records held from the ownership index (issue 14 follow-up,
``services/held.py``), a page of 100 at a time, the longest waiting first, all or one pusher's
(counts by pusher), each releasable alone, with every held record of its phone, or all of its
pusher's, through the confirmation path — or refused (不予确认, issue 14 N3): one, a phone's or
all of a pusher's, with a reason, after a confirmation page (``held_dismiss.py``)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response

from shared.phones import display_phone
from shared.timeutil import utc_now

from ...services.held import (
    PAGE_SIZE,
    AlreadyDismissed,
    NotHeldHere,
    held_page,
    held_pushers,
    release_records,
)
from ..deps import Manager, ManagerDep
from ..formatting import local
from .confirm import page_of

router = APIRouter()


def held_url(number: int | None = None, pusher: str = "") -> str:
    """The page's address: page ``number`` (1: none), of ``pusher`` only (a username) if given."""
    query = {k: v for k, v in (("pusher", pusher), ("page", str(number) if number and number > 1 else "")) if v}
    return "/console/held" + ("?" + urlencode(query) if query else "")


def refused_text(manager: Manager, refusal) -> str:
    """``held.already_dismissed`` for a ``DismissedRecord``: who refused it, when, why."""
    view, site = manager.page, manager.site
    name = view.state.reporting.people(site.id).get(refusal.dismissed_by, (refusal.dismissed_by, ""))[0]
    return view.t("held.already_dismissed", name=name, time=local(refusal.dismissed_at, site.utc_offset_minutes),
                  reason=refusal.reason)


@router.get("/held")
def held(manager: ManagerDep, page: str = "", pusher: str = "") -> Response:
    """``?page=`` from 1; a page number that is not one shows page 1 and says so; one past the
    last shows the last and says so. ``?pusher=`` (a username): that user's held records only;
    a name of nobody of the site shows everyone's and says so."""
    view, site = manager.page, manager.site
    number = page_of(page)
    flash = view.t("held.bad_page", text=page[:20]) if number is None else None
    people = view.state.reporting.people(site.id)
    pusher = pusher.strip()
    if pusher and pusher not in people:
        flash, pusher = view.t("held.unknown_pusher", text=pusher[:40]), ""
    shown = held_page(view.state.store, view.state.reporting, site.id, number or 1, utc_now(), pusher=pusher or None)
    if number is not None and number > shown.number:  # past the last: said, not silent (QA of issue 14, N8)
        flash = view.t("held.past_last", asked=number, pages=shown.pages)
    first = (shown.number - 1) * PAGE_SIZE
    pushers = held_pushers(view.state.store, view.state.reporting, site.id)
    # refused records of this pusher are no longer held: said, so the audit log's link to a pusher
    # whose records were all refused is no bare empty list (QA5 F6d)
    refused = view.state.store.dismissed_count(site.id, author=pusher) if pusher else 0
    return view.render("held.html", manager=manager, held=shown, first_row=first + 1, refused=refused,
                       last_row=first + len(shown.rows), flash=flash, flash_kind="error",
                       people=people, pushers=pushers, pusher=pusher,
                       pusher_name=people.get(pusher, (pusher, ""))[0] if pusher else "")


@router.post("/held")
async def release(manager: ManagerDep) -> Response:
    """Release ``record_id`` (one record), ``phone`` (every held record of that phone key) or,
    with ``confirmed=yes`` from the confirmation page, ``pusher`` (every held record of that
    user; without it: to that page, nothing written), then 303 back to the page it was on; a
    second submit says who confirmed them and when; a refused record (不予确认) is not
    released and the page says who refused it, when and why; ids or a phone of no record of the
    site: 404 (nothing written)."""
    view, site = manager.page, manager.site
    form = await view.check_csrf()
    number = page_of(str(form.get("page") or ""))
    pusher = str(form.get("pusher") or "").strip()
    back_pusher = str(form.get("back_pusher") or "").strip()
    ids = [str(i) for i in form.getlist("record_id")]
    key = str(form.get("phone") or "")
    if pusher and form.get("confirmed") != "yes":  # never a bulk act without its confirmation page
        return view.redirect("/console/held/release?" + _query(pusher=pusher))
    back = held_url(number, back_pusher or pusher)
    if not ids and not key.strip() and not pusher:
        return view.redirect(back, flash=view.t("held.nothing"), flash_kind="error")
    people = view.state.reporting.people(site.id)
    try:
        done = release_records(view.state.store, view.state.reporting, site, manager.user.username,
                               record_ids=ids, phone_key=key, pusher=pusher)
    except NotHeldHere:
        return view.render("error.html", status_code=404, manager=manager, message=view.t("error.not_found"))
    except AlreadyDismissed as refused:
        return view.redirect(back, flash=refused_text(manager, refused.refusal), flash_kind="error")
    if done.result is None:
        if pusher:
            return view.redirect(held_url(), flash=view.t("held.nothing_held_pusher",
                                                         name=people.get(pusher, (pusher, ""))[0]))
        if done.earlier is None:
            return view.redirect(back, flash=view.t("held.already_released"))
        name = people.get(done.earlier.author, (done.earlier.author, ""))[0]
        return view.redirect(back, flash=view.t("held.already", name=name,
                                                time=local(done.earlier.confirmed_at, site.utc_offset_minutes)))
    records = view.state.reporting.records_by_ids(site.id, [r.record_id for r in done.result.confirmed])
    phones = ("、" if view.lang == "zh" else ", ").join(
        sorted({display_phone(v.record.phone_key) for v in records if v.record.phone_key}))
    if pusher:  # their page is empty now: back to everyone's
        back = held_url(number)
    return view.redirect(back, flash=view.t("held.done", count=len(done.result.confirmed), phones=phones))


def _query(**values: str) -> str:
    return urlencode({k: v for k, v in values.items() if v})
