"""Wiring: the console's router, static files and error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from .deps import (
    CsrfFailed,
    FormRefused,
    IsDirector,
    MustChoosePassword,
    NotManager,
    NotSignedIn,
    _page,
    refusal,
)
from .routes import (
    analysis,
    audit,
    auth,
    care,
    confirm,
    customers,
    devices,
    director,
    disputes,
    exports,
    handover,
    held,
    held_dismiss,
    numbers,
    password,
    people,
    rotation,
)

__all__ = ["console_router", "mount_console", "is_console_page", "console_http_error"]

STATIC_DIR = Path(__file__).parent / "static"

console_router = APIRouter(prefix="/console", include_in_schema=False)
for module in (auth, password, disputes, confirm, held, held_dismiss, customers, care, numbers, analysis, rotation, devices, people,
               audit, handover, exports, director):
    console_router.include_router(module.router)


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":  # back to the page the form was on (a dispute being decided), else home
        target = _console_page_of(request.headers.get("referer", ""), request.url.netloc) or "/console/"
        return RedirectResponse(f"/console/login?next={_quote(target)}&unsaved=1", status_code=303)
    return RedirectResponse(f"/console/login?next={_quote(target)}", status_code=303)


def _console_page_of(referer: str, netloc: str) -> str | None:
    """The path and query of ``referer`` when it is a console page of this server, else None
    (never another site's address: ``next`` must stay on the console)."""
    from urllib.parse import urlsplit

    parts = urlsplit(referer)
    if parts.netloc != netloc or not parts.path.startswith("/console/") or parts.path.startswith("/console/login"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def _must_choose_password(request: Request, exc: Exception) -> Response:
    """A reset password: the new-password page first, then back where the manager was going."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/console/"
    return RedirectResponse(f"/console/password?next={_quote(target)}", status_code=303)


async def _is_director(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/console/director/approvals", status_code=303)


async def _not_manager(request: Request, exc: Exception) -> Response:
    """403: the page names the role it is for and links where this person belongs (a manager's
    or a director's pages); a rep or reception account, or a deactivated one, is told what to do."""
    page = _page(request)
    assert isinstance(exc, NotManager)
    return refusal(page, exc.page_role, exc.user, exc.director)


async def _csrf_failed(request: Request, exc: Exception) -> Response:
    page = _page(request)
    return page.render("error.html", status_code=403, message=page.t("error.csrf"))


async def _form_refused(request: Request, exc: Exception) -> Response:
    from ..services.conflicts import REASON_MAX_CHARS

    page = _page(request)
    return page.render("error.html", status_code=413, message=page.t("error.form_too_large", limit=REASON_MAX_CHARS))


def is_console_page(request: Request) -> bool:
    """A console page (what a browser shows), not a static file or the API."""
    path = request.url.path
    return (path == "/console" or path.startswith("/console/")) and not path.startswith("/console/static/")


async def console_http_error(request: Request, exc: Exception) -> Response:
    """404, 405 and other HTTP errors under /console as the console's page, never JSON."""
    page = _page(request)
    status = getattr(exc, "status_code", 500)
    message = (page.t("error.not_found") if status in (404, 405) else page.t("error.control_characters")
               if status == 422 else page.t("error.http", status=status))
    return page.render("error.html", status_code=status, message=message)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="/")


async def _no_store(request: Request, call_next) -> Response:
    """Console pages show customers' phone numbers: no browser or proxy may keep a copy, so
    Back after sign-out asks the server again (and gets the sign-in page)."""
    response = await call_next(request)
    path = request.url.path
    if path.startswith("/console") and not path.startswith("/console/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def mount_console(app: FastAPI) -> None:
    """Add the console to the server's app (routes, ``/console/static``, error pages, and
    ``Cache-Control: no-store`` on every console response but the static files)."""
    app.middleware("http")(_no_store)
    app.include_router(console_router)
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(NotManager, _not_manager)
    app.add_exception_handler(IsDirector, _is_director)
    app.add_exception_handler(MustChoosePassword, _must_choose_password)
    app.add_exception_handler(CsrfFailed, _csrf_failed)
    app.add_exception_handler(FormRefused, _form_refused)
