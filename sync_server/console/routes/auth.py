"""Sign-in, sign-out, the language switch and the home page."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...services.audit import Origin, log, log_org
from ...services.auth import DUMMY_HASH, rehash_on_sign_in, verify_password
from ...services.client_address import request_address
from ...services.throttle import minutes
from ..deps import ManagerDep, PageDep, refusal
from ..i18n import normalise_lang
from ..session import ConsoleSession, end_sign_in, start_sign_in

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only console paths: an open redirect would let a link send a manager anywhere."""
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console/disputes"


@router.get("/")
def home(manager: ManagerDep) -> Response:
    return RedirectResponse("/console/disputes", status_code=303)


@router.get("/login")
def login_form(page: PageDep, next: str = "", unsaved: str = "") -> Response:
    """The sign-in page; ``unsaved=1``: a form was posted after the session ended (it was not
    saved, and the page says so, issue 9 QA)."""
    notice = page.t("login.unsaved") if unsaved else None
    return page.render("login.html", next=_safe_next(next), error=None, username="", notice=notice)


@router.post("/login")
async def login(request: Request, page: PageDep, username: str = Form(""), password: str = Form(""),
                next: str = Form("")) -> Response:
    await page.check_csrf()
    store, throttle = page.state.store, page.state.throttle
    keys = throttle.keys(username, request_address(request))
    wait = throttle.retry_after(keys)
    if wait > 0:  # refused before the password is checked: guessing gets no answer at all
        response = page.render("login.html", status_code=429, next=_safe_next(next), username=username,
                               error=page.t("login.throttled", minutes=minutes(wait)), throttled=True)
        response.headers["Retry-After"] = str(int(wait + 0.999))
        return response
    user = store.get_user(username.strip())
    director = None if user else store.get_director(username.strip())
    if director is not None:  # a sales director (issue 12): their organisation's pages
        origin = Origin.console(director.username, request_address(request))
        # a director has no site: each act is logged at every site of the organisation (audit.log_org)
        if verify_password(password, director.password_hash) and director.active:
            throttle.succeeded(keys)
            session = page.session.signed_in(director.username, "", director.name)
            start_sign_in(store, session)
            log_org(store, director.org_id, origin, "sign_in.ok", director.username, where="console")
            return page.redirect("/console/director/approvals", session)
        throttle.failed(keys)
        log_org(store, director.org_id, origin, "sign_in.failed", director.username, where="console",
                **({} if director.active else {"reason": "inactive"}))
        if throttle.retry_after(keys) > 0:
            log_org(store, director.org_id, origin, "sign_in.locked", director.username, where="console")
        return page.render("login.html", status_code=401, next=_safe_next(next), error=page.t("login.failed"),
                           username=username)
    # check a hash even for unknown users, so timing does not tell which usernames exist
    ok = verify_password(password, user.password_hash if user else DUMMY_HASH)
    if user is None or not ok or not user.active:
        throttle.failed(keys)
        if user is not None:  # a known user's failure (and the lock-out it causes) goes to the site's log
            origin = Origin.console(user.username, request_address(request))
            with store.write(user.site_id):
                log(store, user.site_id, origin, "sign_in.failed", user.username, where="console",
                    **({} if user.active else {"reason": "inactive"}))
                if throttle.retry_after(keys) > 0:
                    log(store, user.site_id, origin, "sign_in.locked", user.username, where="console")
        return page.render("login.html", status_code=401, next=_safe_next(next), error=page.t("login.failed"),
                           username=username)
    throttle.succeeded(keys)
    rehash_on_sign_in(store, user, password)  # an old scrypt hash becomes argon2id now
    session = page.session.signed_in(user.username, user.site_id, user.name)
    start_sign_in(store, session)
    if user.role != "manager":
        page.session = session
        return refusal(page, "manager", user)
    log(store, user.site_id, Origin.console(user.username, request_address(request)), "sign_in.ok", user.username,
        where="console")
    # a reset password: every page sends the manager to /console/password first (deps.MustChoosePassword)
    return page.redirect(_safe_next(next), session)


@router.post("/logout")
async def logout(page: PageDep) -> Response:
    await page.check_csrf()
    end_sign_in(page.state.store, page.session)  # copies of the cookie stop working too
    return page.redirect("/console/login", ConsoleSession.anonymous(page.lang), flash=page.t("login.signed_out"))


@router.post("/lang")
async def switch_language(page: PageDep, lang: str = Form("zh"), next: str = Form("")) -> Response:
    await page.check_csrf()
    target = next if next.startswith("/console/") else "/console/login"
    return page.redirect(target, page.session.with_lang(normalise_lang(lang)))
