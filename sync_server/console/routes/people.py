"""人员 (People, issue 12): the site's users with their last sign-in and last sync; add one,
deactivate or reactivate, reset a password. Every act goes through ``services/people.py``
(the command line's rules) and into the audit log from the manager's address."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import Response

from shared.timeutil import parse_time

from ...services import people
from ...services.admin import AdminError
from ...storage.base import ROLES, User
from ..deps import Manager, ManagerDep

router = APIRouter()


@dataclass(frozen=True)
class PersonRow:
    user: User
    last_sign_in: str | None
    last_sync: str | None
    tablets: int  # tablets enrolled for the user and not revoked


def _rows(manager: Manager) -> list[PersonRow]:
    state, site_id = manager.page.state, manager.site.id
    signed = state.reporting.last_sign_ins(site_id)
    synced: dict[str, list[str]] = {}
    tablets: dict[str, int] = {}
    for report in state.reporting.devices(site_id):
        username = report.device.username
        if report.last_sync:
            synced.setdefault(username, []).append(report.last_sync)
        tablets[username] = tablets.get(username, 0) + (0 if report.device.revoked_at else 1)
    users = sorted(state.store.list_users(site_id), key=lambda u: (not u.active, ROLES.index(u.role)
                                                                     if u.role in ROLES else 9, u.username))
    return [PersonRow(u, signed.get(u.username), max(synced[u.username], key=parse_time)
                      if u.username in synced else None, tablets.get(u.username, 0)) for u in users]


def _render(manager: Manager, status_code: int = 200, **context) -> Response:
    context.setdefault("error", None)
    context.setdefault("form", {"username": "", "name": "", "role": "rep"})
    return manager.page.render("people.html", status_code=status_code, manager=manager, rows=_rows(manager),
                               roles=ROLES, **context)


@router.get("/people")
def people_page(manager: ManagerDep) -> Response:
    return _render(manager)


@router.post("/people")
async def add(manager: ManagerDep) -> Response:
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
    # shown once, on this answer only (never in the cookie or a redirect)
    return _render(manager, issued={"user": user, "password": None if fields["password"] else password,
                                    "kind": "added"})


@router.post("/people/{username}/{action}")
async def act(manager: ManagerDep, username: str, action: str) -> Response:
    page = manager.page
    form = await page.check_csrf()
    store = page.state.store
    try:
        if action in ("deactivate", "activate"):
            user = people.set_active(store, manager.origin, username, action == "activate", site_id=manager.site.id)
            done = "people.deactivated_ok" if action == "deactivate" else "people.activated_ok"
            return page.redirect("/console/people", flash=page.t(done, name=user.name, username=user.username))
        if action == "reset":
            chosen = str(form.get("password") or "")
            password = people.reset_password(store, manager.origin, username, site_id=manager.site.id,
                                             password=chosen or None)
            return _render(manager, issued={"user": store.get_user(username), "password": None if chosen else password, "kind": "reset"})
    except AdminError as exc:
        return _render(manager, 422, error=page.t(f"people.err.{exc.code or 'other'}", **exc.values))
    return page.redirect("/console/people", flash=page.t("error.not_found"), flash_kind="error")
