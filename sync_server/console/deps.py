"""What every console route needs: the session, the signed-in manager, CSRF, templates.

``Page`` bundles the request with its session and language; routes render through
``page.render(...)`` so every template gets ``t`` (the string table in the session's
language), the CSRF token and the manager, and every response re-sets the session cookie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.explain import isolated, turns_text
from shared.records import rating_label, rating_score

from ..services.approval import DirectorActor, director_sites
from ..services.audit import Origin
from ..services.auth import Actor
from ..services.care_calendar import stale
from ..services.client_address import request_address
from ..services.throttle import SignInThrottle
from ..storage.base import Site, Store, User
from ..storage.organisations import Director
from ..storage.reporting import ReportingStore
from . import formatting
from .export_cache import ExportCache
from .i18n import label, normalise_lang, text
from .session import COOKIE_NAME, ConsoleSession, SessionCodec, codec_for, sign_in_open

__all__ = ["Page", "PageDep", "ManagerDep", "DirectorDep", "SignedInDirector", "IsDirector", "SignedInManagerDep", "Manager", "NotSignedIn", "NotManager",
           "MustChoosePassword", "CsrfFailed", "FormRefused", "refusal",
           "console_state", "set_cookie", "TEMPLATES"]

def _rating_score(scale: str, value: str) -> str:
    try:
        return str(rating_score(scale, value))
    except KeyError:
        return ""


TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters.update(formatting.FILTERS)
TEMPLATES.env.globals["label"] = label
TEMPLATES.env.globals["rating_score"] = _rating_score
TEMPLATES.env.globals["rating_label"] = rating_label


class NotSignedIn(Exception):
    """No manager session: the handler redirects to the sign-in page."""


class NotManager(Exception):
    """Signed in as someone this page is not for: ``page_role`` ``manager`` (a site manager's
    page) or ``director`` (a sales director's page). ``user`` (a site's user) or ``director``
    says who they are, so the refusal names the page's role and links where they belong."""

    def __init__(self, user: User | None, page_role: str = "manager", director: Director | None = None):
        self.user = user
        self.page_role = page_role
        self.director = director


class IsDirector(Exception):
    """A sales director on a site manager's page: the handler sends them to their own pages."""


class MustChoosePassword(Exception):
    """A manager whose password was reset: every page but the new-password one sends them there."""


class CsrfFailed(Exception):
    """A POST without the session's CSRF token."""


class FormRefused(Exception):
    """A POSTed form the server would not read (a field over Starlette's 1 MB part limit):
    the browser gets the console's error page saying what to do, never a JSON body."""


@dataclass
class ConsoleState:
    codec: SessionCodec
    store: Store
    reporting: ReportingStore
    throttle: SignInThrottle = field(default_factory=SignInThrottle)  # the app's: shared by the workers of one server (services/throttle.py)
    exports: ExportCache = field(default_factory=ExportCache)  # finished export files (export_cache.py)


def console_state(request: Request) -> ConsoleState:
    """The console's shared objects, made once per app from the server's store."""
    app = request.app
    state = getattr(app.state, "console", None)
    if state is None:
        from ..storage import open_reporting

        store = _server_store(app)
        reporting = open_reporting(store)
        codec = codec_for(app.state.settings.console_key())  # FIELDSYNC_CONSOLE_SECRET, checked at start
        state = app.state.console = ConsoleState(codec=codec, store=store, reporting=reporting,
                                                 throttle=app.state.sign_in_throttle)
    return state


def _server_store(app) -> Store:
    for name in ("store",):
        store = getattr(app.state, name, None)
        if store is not None:
            return store
    raise RuntimeError("the console needs the server's store on app.state.store")


@dataclass
class Page:
    request: Request
    session: ConsoleSession
    state: ConsoleState
    set_session: bool = False

    @property
    def lang(self) -> str:
        return self.session.lang

    def t(self, key: str, **values: Any) -> str:
        """``key`` in the session's language; a text value holding right-to-left letters or bidi
        controls (a device or person's name) isolated (U+2068 … U+2069), so it cannot reorder the
        sentence around it (QA of issue 14, M6); other values as they are."""
        return text(key, self.lang, **{name: isolated(value) if isinstance(value, str) and turns_text(value) else value
                                       for name, value in values.items()})

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        if self.session.flash:  # a message carried over a redirect-after-post: shown once
            if not context.get("flash"):
                context.update(flash=self.session.flash, flash_kind=self.session.flash_kind)
            self.session = self.session.with_flash(None)
        manager = context.get("manager")
        if manager and "held_count" not in context:  # the navigation's 待确认归属 badge (issue 14)
            context["held_count"] = self.state.store.held_count(manager.site.id)
        context.update(t=self.t, lang=self.lang, csrf=self.session.csrf, session=self.session,
                       path=self.request.url.path, query=self.request.url.query, tz=self.tz)
        manager = context.get("manager")
        if manager is not None and "calendar_stale" not in context:  # issue 11: a banner until `care rebuild`
            context["calendar_stale"] = stale(self.state.store, manager.site.id)
        response = TEMPLATES.TemplateResponse(self.request, template, context, status_code=status_code)
        set_cookie(self.request, response, self.state.codec, self.session)
        return response

    def redirect(self, url: str, session: ConsoleSession | None = None, flash: str | None = None,
                 flash_kind: str = "ok") -> RedirectResponse:
        """303 to ``url`` (redirect-after-post: reloading the next page posts nothing again);
        ``flash`` is shown once on that page."""
        session = session or self.session
        if flash:
            session = session.with_flash(flash, flash_kind)
        response = RedirectResponse(url, status_code=303)
        set_cookie(self.request, response, self.state.codec, session)
        return response

    async def check_csrf(self) -> FormData:
        """The POSTed form, once its CSRF token (field or header) matches the session's."""
        try:
            form = await self.request.form()
        except StarletteHTTPException as exc:
            raise FormRefused() from exc
        presented = self.request.headers.get("x-csrf-token") or form.get("csrf_token")
        if not self.session.csrf_ok(presented if isinstance(presented, str) else None):
            raise CsrfFailed()
        return form

    @property
    def tz(self) -> int:
        site = self.site
        return site.utc_offset_minutes if site else 480

    @property
    def site(self) -> Site | None:
        if not self.session.site_id:
            return None
        return self.state.store.get_site(self.session.site_id)


def set_cookie(request: Request, response: Response, codec: SessionCodec, session: ConsoleSession) -> None:
    response.set_cookie(COOKIE_NAME, codec.dumps(session), max_age=codec.max_age_s, path="/console",
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")


def _page(request: Request) -> Page:
    state = console_state(request)
    session = state.codec.loads(request.cookies.get(COOKIE_NAME))
    if session is None:
        accept = request.headers.get("accept-language", "")
        session = ConsoleSession.anonymous(normalise_lang("en" if accept.lower().startswith("en") else "zh"))
    return Page(request=request, session=session, state=state)


def refusal(page: Page, page_role: str, user: User | None, director: Director | None = None) -> Response:
    """The refused page for ``user`` (a site's) or ``director`` on a page for ``page_role``."""
    home = None
    if director is not None:
        name, role, active = director.name, "director", director.active
        if active:
            home = "/console/director/approvals"
    elif user is not None:
        name, role, active = user.name, user.role, user.active
        if active and user.role == "manager":
            home = "/console/disputes"
    else:
        name, role, active = page.session.display_name or page.session.username or "?", "?", True
    return page.render("refused.html", status_code=403, user=user, role=role, name=name, page_role=page_role,
                       home=home, inactive=not active)


PageDep = Annotated[Page, Depends(_page)]


@dataclass
class Manager:
    """The signed-in manager and their site, checked against the store on every request
    (a deactivated or demoted user loses the console at once)."""

    user: User
    site: Site
    page: Page

    @property
    def actor(self) -> Actor:
        """The manager as the server's services expect someone acting for a site."""
        return Actor(user=self.user, site=self.site)

    @property
    def origin(self) -> Origin:
        """Who acts and from where, for the audit log: this manager at the request's address."""
        return Origin.console(self.user.username, request_address(self.page.request))


def _signed_in_manager(page: PageDep) -> Manager:
    """The signed-in manager, whether or not they must still choose a new password."""
    username = page.session.username
    if not username or not sign_in_open(page.state.store, page.session):
        raise NotSignedIn()  # never signed in, signed out (on any worker), or expired
    user = page.state.store.get_user(username)
    director = page.state.store.get_director(username) if user is None and not page.session.site_id else None
    if director is not None:
        if not director.active:
            raise NotManager(None, director=director)
        raise IsDirector()
    if user is None or not user.active or user.role != "manager" or user.site_id != page.session.site_id:
        raise NotManager(user)
    site = page.state.store.get_site(user.site_id)
    if site is None:
        raise NotManager(user)
    return Manager(user=user, site=site, page=page)


def _manager(manager: Annotated[Manager, Depends(_signed_in_manager)]) -> Manager:
    if manager.user.must_change_password:
        raise MustChoosePassword()  # a reset password opens the new-password page only (issue 12)
    return manager


ManagerDep = Annotated[Manager, Depends(_manager)]
SignedInManagerDep = Annotated[Manager, Depends(_signed_in_manager)]
"""For the new-password page only: a manager who must still replace a reset password."""


@dataclass
class SignedInDirector:
    """The signed-in sales director (issue 12) and the ids of their organisation's sites,
    checked against the store on every request (a deactivated director loses the console)."""

    director: Director
    site_ids: tuple[str, ...]
    page: Page

    @property
    def actor(self) -> DirectorActor:
        return DirectorActor(self.director, self.site_ids)

    @property
    def origin(self) -> Origin:
        return Origin.console(self.director.username, request_address(self.page.request))


def _director(page: PageDep) -> SignedInDirector:
    username = page.session.username
    if not username or not sign_in_open(page.state.store, page.session):
        raise NotSignedIn()
    director = page.state.store.get_director(username)
    if director is None or page.session.site_id:  # a site's user on a director's page
        raise NotManager(page.state.store.get_user(username), page_role="director")
    if not director.active:
        raise NotManager(None, page_role="director", director=director)
    return SignedInDirector(director, director_sites(page.state.store, director).site_ids, page)


DirectorDep = Annotated[SignedInDirector, Depends(_director)]
