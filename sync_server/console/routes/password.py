"""Choosing a new password after a manager reset it (issue 12): the only page a manager with a
reset password reaches, until they have chosen one."""

from __future__ import annotations

from fastapi import APIRouter, Form
from fastapi.responses import Response

from ...services.admin import AdminError
from ...services.auth import MIN_PASSWORD_LENGTH, verify_password
from ...services.people import choose_password
from ..deps import SignedInManagerDep
from .auth import _safe_next

router = APIRouter()


@router.get("/password")
def password_form(manager: SignedInManagerDep, next: str = "") -> Response:
    return manager.page.render("password.html", manager=None, next=_safe_next(next), error=None,
                               min=MIN_PASSWORD_LENGTH)


@router.post("/password")
async def choose(manager: SignedInManagerDep, new_password: str = Form(""), repeat: str = Form(""),
                 next: str = Form("")) -> Response:
    page = manager.page
    await page.check_csrf()
    error = None
    if not manager.user.must_change_password and new_password and verify_password(new_password,
                                                                                 manager.user.password_hash):
        # a double submit: the first one saved it; say so rather than "not the one you were given"
        return page.redirect(_safe_next(next), flash=page.t("password.changed"))
    if new_password != repeat:
        error = page.t("password.err_repeat")
    else:
        try:
            choose_password(page.state.store, manager.origin, manager.user, new_password)
        except AdminError as exc:
            error = page.t(f"people.err.{exc.code}", **exc.values)
    if error:
        return page.render("password.html", status_code=422, manager=None, next=_safe_next(next), error=error,
                           min=MIN_PASSWORD_LENGTH)
    return page.redirect(_safe_next(next), flash=page.t("password.changed"))
