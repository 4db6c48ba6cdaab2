"""Sales directors on the JSON API (issue 12 QA item 9): a bearer token from signing in, as a
tablet's token comes from enrolment (``auth.enroll``).

``sign_in``: username and password (argon2id, ``auth.verify_password``), the sign-in throttle
the console and enrolment share (5 wrong passwords in 10 minutes for a user or an address:
429), and the audit log of every site of the director's organisation (``audit.log_org``: a
director has no site). The token, ``secrets.token_urlsafe(32)``, is shown once; the server
keeps its SHA-256 (prefixed ``api:``, so it is never a console cookie's sign-in id, nor a
console sign-in id a token) as a console sign-in row (``Store.add_console_session``) that
expires after ``TOKEN_MAX_AGE_S`` and ends at ``sign_out``.

``director_of``: the ``DirectorActor`` a ``Bearer`` header belongs to: 401 ``not_authenticated``
/ ``bad_token`` (unknown, expired or signed out), 403 ``director_only`` (a tablet's token: a
site's user is not a director), 403 ``user_inactive`` (a deactivated director).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from shared.timeutil import format_time, utc_now

from ..errors import Forbidden, NotAuthenticated, TooManyAttempts
from ..storage.base import ConsoleSessionRow, Store
from ..storage.organisations import Director
from .approval import DirectorActor, director_sites
from .audit import Origin, log_org
from .auth import DUMMY_HASH, verify_password
from .throttle import SignInThrottle, minutes

__all__ = ["sign_in", "sign_out", "director_of", "TOKEN_MAX_AGE_S"]

TOKEN_MAX_AGE_S = 12 * 3600
"""A director's API token lasts one working day, as a console sign-in does (then sign in again)."""


def _hash(token: str) -> str:
    return hashlib.sha256(b"api:" + token.encode()).hexdigest()


def sign_in(store: Store, username: str, password: str, *, throttle: SignInThrottle | None = None,
            address: str | None = None) -> tuple[str, str, Director]:
    """``(token, expires_at, director)`` for a director's username and password. 401
    ``bad_credentials`` (also for a site's user: this is the directors' door), 403
    ``user_inactive``, 429 ``too_many_attempts`` (``Retry-After``)."""
    keys = throttle.keys(username, address) if throttle else []
    wait = throttle.retry_after(keys) if throttle else 0
    if wait:
        raise TooManyAttempts("too_many_attempts", f"Too many wrong passwords for this user or from this network; "
                              f"wait {minutes(wait)} minute(s) and try again.", retry_after_s=int(wait) + 1,
                              zh=f"该用户或本网络的密码错误次数过多：请 {minutes(wait)} 分钟后再试。")
    director = store.get_director(username)
    ok = verify_password(password, director.password_hash if director else DUMMY_HASH)  # same time for unknown names
    origin = Origin.director_api(username, address)
    if director is None or not ok:
        if throttle:
            throttle.failed(keys)
        if director is not None:
            log_org(store, director.org_id, origin, "sign_in.failed", director.username, where="api")
            if throttle and throttle.retry_after(keys):
                log_org(store, director.org_id, origin, "sign_in.locked", director.username, where="api")
        raise NotAuthenticated("bad_credentials", "Wrong username or password of a sales director; check both.",
                               zh="销售总监的用户名或密码不正确：请检查后重试。")
    if throttle:
        throttle.succeeded(keys)
    if not director.active:
        log_org(store, director.org_id, origin, "sign_in.failed", director.username, where="api", reason="inactive")
        raise Forbidden("user_inactive", "This director is deactivated; ask the server's administrator.",
                        zh="该销售总监账号已停用：请联系系统管理员。")
    token = secrets.token_urlsafe(32)
    now = utc_now()
    expires_at = format_time(now + timedelta(seconds=TOKEN_MAX_AGE_S))
    store.add_console_session(ConsoleSessionRow(_hash(token), director.username, format_time(now), expires_at))
    log_org(store, director.org_id, origin, "sign_in.ok", director.username, where="api")
    return token, expires_at, director


def _token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("not_authenticated", "Send the director's token as 'Authorization: Bearer <token>'; "
                               "get one from POST /api/v1/auth/director.",
                               zh="请在请求头 Authorization: Bearer <令牌> 中携带销售总监的令牌（由 POST /api/v1/auth/director 取得）。")
    return token.strip()


def is_director_token(store: Store, token: str) -> bool:
    """Whether ``token`` is a director's API token (signed in or not any more): a tablet
    endpoint then says which door a director uses, not "enrol the tablet" (QA of issue 12 N5)."""
    return store.console_session(_hash(token)) is not None


def director_of(store: Store, authorization: str | None) -> DirectorActor:
    """The signed-in director of a ``Bearer`` header and their organisation's sites."""
    token = _token(authorization)
    row = store.console_session(_hash(token))
    if row is None or row.ended_at is not None or row.expires_at <= format_time(utc_now()):
        if store.device_by_token(hashlib.sha256(token.encode()).hexdigest()) is not None:
            raise Forbidden("director_only", "Only a sales director may do this; a tablet's token is a site's user.",
                            zh="只有销售总监可以执行此操作：平板的令牌属于案场人员。")
        raise NotAuthenticated("bad_token", "This token is unknown, expired or signed out; sign in again with POST "
                               "/api/v1/auth/director.", zh="该令牌无效、已过期或已退出：请通过 POST /api/v1/auth/director 重新登录。")
    director = store.get_director(row.username)
    if director is None or not director.active:
        raise Forbidden("user_inactive", "This director is deactivated; ask the server's administrator.",
                        zh="该销售总监账号已停用：请联系系统管理员。")
    return director_sites(store, director)


def sign_out(store: Store, authorization: str | None) -> None:
    """End the token's sign-in (its next use is 401 ``bad_token``)."""
    store.end_console_session(_hash(_token(authorization)), format_time(utc_now()))
