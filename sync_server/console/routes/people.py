"""人员 (People, issue 12): the site's users with their last sign-in and last sync; add one,
deactivate or reactivate, reset a password. Every act goes through ``services/people.py``
(the command line's rules) and into the audit log from the manager's address."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from shared.timeutil import parse_time

from ...services import people
from ...services.admin import AdminError
from ...storage.base import ROLES, User
from ..deps import Manager, ManagerDep
from ..reveal import Reveal, keep_reveal, take_reveal

router = APIRouter()


@dataclass(frozen=True)
class PersonRow:
    user: User
    last_sign_in: str | None
    last_sync: str | None  # last upload (push) of any of the user's tablets
    last_pull: str | None  # last download (pull), to the minute
    tablets: int  # tablets enrolled for the user and not revoked


def _rows(manager: Manager) -> list[PersonRow]:
    state, site_id = manager.page.state, manager.site.id
    signed = state.reporting.last_sign_ins(site_id)
    pushed: dict[str, list[str]] = {}
    pulled: dict[str, list[str]] = {}
    tablets: dict[str, int] = {}
    for report in state.reporting.devices(site_id):
        username = report.device.username
        if report.last_sync:
            pushed.setdefault(username, []).append(report.last_sync)
        if report.last_pull:
            pulled.setdefault(username, []).append(report.last_pull)
        tablets[username] = tablets.get(username, 0) + (0 if report.device.revoked_at else 1)
    users = sorted(state.store.list_users(site_id), key=lambda u: (not u.active, ROLES.index(u.role)
                                                                     if u.role in ROLES else 9, u.username))

    def latest(times: dict[str, list[str]], username: str) -> str | None:
        return max(times[username], key=parse_time) if username in times else None

    return [PersonRow(u, signed.get(u.username), latest(pushed, u.username), latest(pulled, u.username),
                      tablets.get(u.username, 0)) for u in users]


def _render(manager: Manager, status_code: int = 200, **context) -> Response:
    context.setdefault("error", None)
    context.setdefault("notice", None)
    context.setdefault("left", None)
    context.setdefault("form", {"username": "", "name": "", "role": "rep"})
    return manager.page.render("people.html", status_code=status_code, manager=manager, rows=_rows(manager),
                               roles=ROLES, **context)


@router.get("/people")
def people_page(manager: ManagerDep, left: str = "") -> Response:
    """The people of the site; ``left``: a rep just deactivated (the redirect of 停用), whose
    customers stay theirs until handed over — said with a link to 客户交接 (QA of issue 12 L5)."""
    user = manager.page.state.store.get_user(left) if left else None
    if user is None or user.site_id != manager.site.id or user.active or user.role != "rep":
        return _render(manager)
    customers = manager.page.state.store.customers_of_owner(manager.site.id, user.username)
    return _render(manager, left=user, left_customers=len(customers))


@router.post("/people")
async def add(manager: ManagerDep) -> Response:
    """Add a person, then 303 to ``/console/people/issued`` (redirect-after-post: a reload adds
    nobody again); a temporary password the server made is kept for this sign-in and shown
    there once (``console/reveal.py``)."""
    page = manager.page
    form = await page.check_csrf()
    fields = {k: str(form.get(k) or "") for k in ("username", "name", "role", "password")}
    if not fields["name"].strip():
        return _render(manager, 422, error=page.t("people.err.missing_name"), form=fields)
    password = fields["password"] or people.temporary_password()
    try:
        user = people.add_person(page.state.store, manager.origin, site_id=manager.site.id,
                                 username=fields["username"].strip(), password=password, role=fields["role"],
                                 name=fields["name"], must_change_password=True)
    except AdminError as exc:
        return _render(manager, 422, error=page.t(f"people.err.{exc.code or 'other'}", **exc.values), form=fields)
    keep_reveal(page.state.store, page.session, Reveal("added", user.username, None if fields["password"] else password))
    return page.redirect("/console/people/issued")


@router.get("/people/issued")
def issued(manager: ManagerDep) -> Response:
    """The one-time answer of the last add or reset, shown once; a reload says it was shown
    and how to get a new temporary password (reset again)."""
    page, store = manager.page, manager.page.state.store
    reveal = take_reveal(store, page.session)
    user = store.get_user(reveal.username) if reveal else None
    if reveal is None or user is None or user.site_id != manager.site.id:
        return _render(manager, notice=page.t("people.issued_gone"))
    return _render(manager, issued={"user": user, "password": reveal.password, "kind": reveal.kind})


def _not_found(manager: Manager, key: str, **values) -> Response:
    page = manager.page
    return page.render("error.html", status_code=404, manager=manager, message=page.t(key, **values))


@router.get("/people/{username}/{action}")
def person_page(manager: ManagerDep, username: str, action: str) -> Response:
    """``/people/<u>/log``: that person's acts in the audit log (the 操作记录 link's page); 404
    with the message for a person not of the site or another path (QA of issue 12 N9.2: a GET
    here answered 405)."""
    user = manager.page.state.store.get_user(username)
    if action != "log":
        return _not_found(manager, "error.not_found")
    if user is None or user.site_id != manager.site.id:
        return _not_found(manager, "people.err.unknown_user")
    return RedirectResponse(f"/console/audit?person={quote(user.username)}", status_code=303)


@router.post("/people/{username}/{action}")
async def act(manager: ManagerDep, username: str, action: str) -> Response:
    """Deactivate, reactivate or reset; 404 (the console's page) for a person not of the site or
    an unknown act. Each answers with a 303 (a reload repeats nothing); doing what is already
    so says so instead of claiming it was done now."""
    page = manager.page
    form = await page.check_csrf()
    store = page.state.store
    if action not in ("deactivate", "activate", "reset"):
        return _not_found(manager, "error.not_found")
    before = store.get_user(username)
    if before is None or before.site_id != manager.site.id:
        return _not_found(manager, "people.err.unknown_user")
    try:
        if action in ("deactivate", "activate"):
            if before.active == (action == "activate"):
                return page.redirect("/console/people", flash=page.t(
                    "people.already_active" if before.active else "people.already_inactive", name=before.name,
                    username=before.username), flash_kind="error")
            user = people.set_active(store, manager.origin, username, action == "activate", site_id=manager.site.id)
            rep = "_rep" if user.role == "rep" else ""  # a rep: their customers and today's queue (QA of issue 12 L5, M2)
            done = f"people.deactivated{rep}_ok" if action == "deactivate" else f"people.activated{rep}_ok"
            target = f"/console/people?{urlencode({'left': user.username})}" if rep and action == "deactivate" else "/console/people"
            return page.redirect(target, flash=page.t(done, name=user.name, username=user.username))
        chosen = str(form.get("password") or "")
        password = people.reset_password(store, manager.origin, username, site_id=manager.site.id,
                                         password=chosen or None)
    except AdminError as exc:
        return _render(manager, 422, error=page.t(f"people.err.{exc.code or 'other'}", **exc.values))
    # redirect-after-post: the temporary password is shown once on the next page, never here
    keep_reveal(store, page.session, Reveal("reset", username, None if chosen else password))
    return page.redirect("/console/people/issued")
