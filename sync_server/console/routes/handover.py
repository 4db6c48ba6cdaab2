"""Hand-over of a leaving rep's customers (交接, 001 §14(五)3(12)): the reps and what they hold,
the hand-over form with its preview, and the recorded hand-over anyone can verify. Thin: the
work is ``services.handover``'s, as for the API and the CLI.

The draw's seed in the console is the server's: HMAC of (site, leaving rep, manager, the
site's day, hand-overs of that rep so far) under the console secret. The preview and the
confirmation compute the same seed and the form never carries it, so a manager can neither
choose a seed nor draw again by reloading the preview (the recorded seed is then shown)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import Response

from shared.handover import ALGORITHM
from shared.timeutil import site_zone, utc_now

from ...errors import ApiError
from ...services import handover
from ...services.conflicts import REASON_MAX_CHARS
from ..deps import Manager, ManagerDep
from ..formatting import local
from ..i18n import STRINGS

router = APIRouter()


@router.get("/handover")
def handover_home(manager: ManagerDep) -> Response:
    page, store, site = manager.page, manager.page.state.store, manager.site
    reps = [u for u in store.list_users(site.id) if u.role == "rep"]
    held = {u.username: handover.leaving_units(store, manager.actor, u.username) for u in reps}
    return page.render("handover.html", manager=manager, reps=reps, held=held, records=handover.list_for(store, manager.actor),
                       people=_people(manager))


def algorithm_name(page, code: str | None) -> str:
    """A draw's method as people read it (随机抽签（可复核）); its code (``shared.handover.ALGORITHM``)
    stays where a verifier needs it (the record page's how-to-check line, the CLI, the API)."""
    key = f"handover.alg.{code}"
    return page.t(key) if key in STRINGS else page.t("handover.alg.unknown", code=code or "?")


def _people(manager: Manager) -> dict[str, tuple[str, str]]:
    return manager.page.state.reporting.people(manager.site.id)


def _seed(manager: Manager, from_rep: str) -> str:
    store, site = manager.page.state.store, manager.site
    done = sum(1 for row in store.list_handovers(site.id) if row.from_rep == from_rep)
    day = utc_now().astimezone(site_zone(site.utc_offset_minutes)).date().isoformat()
    return manager.page.state.codec.derive("handover-seed", f"{site.id}|{from_rep}|{manager.user.username}|{day}|{done}")


def _method(params: Mapping[str, str]) -> str:
    method = params.get("method") or "draw"
    return method if method in handover.METHODS else "draw"


def _choices(params: Mapping[str, str], units: list[handover.Unit], deals_too: bool) -> dict[str, str]:
    every = params.get("all_to") or ""
    return {u.id: params.get(f"to.{u.id}") or every for u in units if (not u.deal or deals_too)
            and (params.get(f"to.{u.id}") or every)}


def _form(manager: Manager, from_rep: str, params: Mapping[str, str], excluded: list[str], preview: bool,
          errors: list[str] | None = None, reason: str = "", status_code: int = 200,
          record_preview: bool = False) -> Response:
    """The form; with ``preview`` the plan it would make. ``record_preview``: a preview the
    manager asked for (``?preview=1``), written to the audit log; a refused confirmation
    showing its plan again is none."""
    page, store = manager.page, manager.page.state.store
    try:
        units = handover.leaving_units(store, manager.actor, from_rep)
    except ApiError as exc:
        return page.render("error.html", status_code=404, manager=manager, message=exc.text(page.lang))
    method = _method(params)
    deals_too = params.get("deals_too") == "1"
    plan, errors = None, list(errors or [])
    if preview and units and not errors:
        try:
            plan = handover.plan(store, manager.actor, from_rep, method, deals_too=deals_too, exclude=excluded,
                                 choices=_choices(params, units, deals_too), seed=_seed(manager, from_rep))
            if record_preview:  # every preview counts (a draw must not be steered from it)
                handover.log_preview(store, manager.actor, manager.origin, plan, excluded)
        except ApiError as exc:
            errors.append(exc.text(page.lang))
            status_code = 422
    return page.render("handover_form.html", status_code=status_code, manager=manager, from_rep=from_rep,
                       units=units, receivers=handover.receivers_for(store, manager.actor, from_rep), method=method,
                       not_started=handover.not_started(store, manager.actor, from_rep),
                       deals_too=deals_too, excluded=excluded, params=params, plan=plan, errors=errors,
                       reason=reason, reason_max=REASON_MAX_CHARS, people=_people(manager), algorithm=ALGORITHM,
                       algorithm_name=lambda code: algorithm_name(page, code))


@router.get("/handover/rep/{username}")
def handover_form(manager: ManagerDep, username: str, request: Request) -> Response:
    params = dict(request.query_params)
    previewed = params.get("preview") == "1"
    return _form(manager, username, params, request.query_params.getlist("exclude"), previewed,
                 record_preview=previewed)


@router.post("/handover/rep/{username}")
async def make_handover(manager: ManagerDep, username: str) -> Response:
    page = manager.page
    form = await page.check_csrf()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    excluded = [v for v in form.getlist("exclude") if isinstance(v, str)]
    method = _method(params)
    deals_too = params.get("deals_too") == "1"
    store = page.state.store
    try:
        units = handover.leaving_units(store, manager.actor, username)
        row = handover.record(store, manager.actor, username, method, params.get("reason", ""),
                              origin=manager.origin, deals_too=deals_too,
                              exclude=excluded, choices=_choices(params, units, deals_too),
                              seed=_seed(manager, username) if method == "draw" else None)
    except ApiError as exc:
        if exc.code == "unknown_rep" and exc.field == "from_rep":  # not a rep of the site: as if none existed
            return page.render("error.html", status_code=404, manager=manager, message=exc.text(page.lang))
        earlier = [row for row in store.list_handovers(manager.site.id) if row.from_rep == username]
        if exc.code == "nothing_to_hand_over" and earlier:  # handed over already (a double submit, another tab)
            return _handed_over_already(manager, earlier[0], params.get("reason", ""))
        return _form(manager, username, params, excluded, True, [exc.text(page.lang)], params.get("reason", ""), 422)
    # redirect-after-post: reloading the record page hands nothing over again
    return page.redirect(f"/console/handover/{row.id}", flash=page.t("handover.done"))


def _handed_over_already(manager: Manager, row, reason: str) -> Response:
    """409: the rep's customers were handed over already (newest ``row``): said with who and
    when, that hand-over shown with a link, the reason typed now kept."""
    page = manager.page
    people = _people(manager)
    message = page.t("handover.already", rep=people.get(row.from_rep, (row.from_rep, ""))[0],
                     author=people.get(row.author, (row.author, ""))[0],
                     time=local(row.created_at, manager.site.utc_offset_minutes))
    return page.render("error.html", status_code=409, manager=manager, message=message,
                       link=f"/console/handover/{row.id}", link_text=page.t("handover.open_record"), kept=reason)


@router.get("/handover/{handover_id}")
def handover_record(manager: ManagerDep, handover_id: str) -> Response:
    page, store = manager.page, manager.page.state.store
    try:
        row = handover.get(store, manager.actor, handover_id)
    except ApiError as exc:
        return page.render("error.html", status_code=404, manager=manager, message=exc.text(page.lang))
    customers = {c.id: c for c in (page.state.reporting.customer(manager.site.id, cid) for cid in row.result) if c}
    same, _ = handover.verify(row)
    return page.render("handover_record.html", manager=manager, row=row, customers=customers, verified=same,
                       previews=handover.previews_before(store, page.state.reporting, row),
                       counts=handover.view(row)["counts"], people=_people(manager),
                       algorithm_name=lambda code: algorithm_name(page, code))
