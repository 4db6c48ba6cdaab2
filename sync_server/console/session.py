"""The console's browser session: a signed cookie, and CSRF tokens bound to it.

The cookie holds a small JSON object (who signed in, their language, the CSRF token, when
it was issued) signed with HMAC-SHA256; it is not encrypted, so it holds nothing secret
beyond the CSRF token, which only the browser that owns the cookie can read back from our
own pages. It is HttpOnly (scripts cannot read it), SameSite=Lax (other sites' forms cannot
send it on a POST) and limited to ``/console``; every POST must also carry the session's
CSRF token in a form field or the ``X-CSRF-Token`` header (htmx sends the header).

The signing key comes from ``FIELDSYNC_CONSOLE_SECRET`` (``Settings.console_secret``, at
least 16 bytes); without it a random key is made per process, which signs everyone out on
restart and does not work with several workers, so ``serve --workers N`` (N > 1) refuses to
start without it (sync_server/config.py).

A signed-in cookie also names a server-side sign-in (``sid``, a random id; the store keeps
its SHA-256 in ``console_sessions``). Every request checks that sign-in is still open, so
sign-out ends the session on the server: a copy of the cookie stops working at once, on
every worker (issue 9).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from shared.timeutil import format_time, utc_now

from ..storage.base import ConsoleSessionRow, Store

__all__ = ["ConsoleSession", "SessionCodec", "COOKIE_NAME", "SESSION_MAX_AGE_S", "codec_for",
           "start_sign_in", "sign_in_open", "end_sign_in", "sid_hash"]

COOKIE_NAME = "fieldsync_console"
SESSION_MAX_AGE_S = 12 * 3600  # one working day; a manager signs in again the next morning


@dataclass(frozen=True)
class ConsoleSession:
    """What the cookie says. ``username`` is None before sign-in (language and CSRF still apply)."""

    csrf: str
    lang: str = "zh"
    username: str | None = None
    site_id: str | None = None
    display_name: str | None = None
    issued_at: int = field(default_factory=lambda: int(time.time()))
    sid: str | None = None  # the server-side sign-in (console_sessions), None before sign-in
    flash: str | None = None  # a message for the next page shown (redirect-after-post)
    flash_kind: str = "ok"  # ok | error

    @classmethod
    def anonymous(cls, lang: str = "zh") -> ConsoleSession:
        return cls(csrf=secrets.token_urlsafe(24), lang=lang)

    def signed_in(self, username: str, site_id: str, display_name: str) -> ConsoleSession:
        """A fresh session for the user: a new CSRF token, so one seen before sign-in is useless."""
        return ConsoleSession(csrf=secrets.token_urlsafe(24), lang=self.lang, username=username,
                              site_id=site_id, display_name=display_name, sid=secrets.token_urlsafe(32))

    def with_lang(self, lang: str) -> ConsoleSession:
        return replace(self, lang=lang)

    def with_flash(self, message: str | None, kind: str = "ok") -> ConsoleSession:
        """The session carrying ``message`` to the page the browser is redirected to."""
        return replace(self, flash=message, flash_kind=kind)

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(self.csrf.encode(), str(presented).encode())


class SessionCodec:
    """Turns a session into a cookie value and back; a tampered or expired cookie reads as None."""

    def __init__(self, secret: bytes, max_age_s: int = SESSION_MAX_AGE_S):
        if len(secret) < 16:
            raise ValueError("the console secret must be at least 16 bytes")
        self._key = hashlib.sha256(b"fieldsync-console-session:" + secret).digest()
        self.max_age_s = max_age_s

    def _sign(self, payload: bytes) -> str:
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def derive(self, purpose: str, text: str, length: int = 16) -> str:
        """``length`` hex digits of HMAC-SHA256 of ``text`` under a key derived from the console
        secret for ``purpose``: the same text gives the same digits; nobody without the secret
        can work them out (a hand-over draw's seed, ``routes/handover.py``)."""
        key = hashlib.sha256(f"fieldsync-console-{purpose}:".encode() + self._key).digest()
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:length]

    def dumps(self, session: ConsoleSession) -> str:
        body: dict[str, Any] = {"c": session.csrf, "l": session.lang, "t": session.issued_at}
        if session.username:
            body.update(u=session.username, s=session.site_id, n=session.display_name, i=session.sid)
        if session.flash:
            body.update(f=[session.flash, session.flash_kind])
        payload = base64.urlsafe_b64encode(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
        text = payload.decode().rstrip("=")
        return f"{text}.{self._sign(text.encode())}"

    def loads(self, value: str | None, now: float | None = None) -> ConsoleSession | None:
        if not value or "." not in value:
            return None
        text, mac = value.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._sign(text.encode())):
            return None
        try:
            body = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            issued = int(body["t"])
        except (ValueError, KeyError, TypeError):
            return None
        if (now if now is not None else time.time()) - issued > self.max_age_s:
            return None
        flash = body.get("f") if isinstance(body.get("f"), list) and len(body["f"]) == 2 else [None, "ok"]
        return ConsoleSession(csrf=str(body["c"]), lang=str(body.get("l", "zh")), username=body.get("u"),
                              site_id=body.get("s"), display_name=body.get("n"), issued_at=issued,
                              sid=body.get("i"), flash=flash[0], flash_kind=str(flash[1]))


def codec_for(key: bytes | None) -> SessionCodec:
    """The codec signing with ``key`` (``Settings.console_key()``); None: a random 32-byte key,
    good for this process only."""
    return SessionCodec(key or secrets.token_bytes(32))


def sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start_sign_in(store: Store, session: ConsoleSession, max_age_s: int = SESSION_MAX_AGE_S) -> None:
    """Record the server side of a fresh signed-in ``session`` (``Store.add_console_session``)."""
    now = utc_now()
    store.add_console_session(ConsoleSessionRow(sid_hash(session.sid or ""), session.username or "",
                                                format_time(now), format_time(now + timedelta(seconds=max_age_s))))


def sign_in_open(store: Store, session: ConsoleSession) -> bool:
    """True when the cookie's sign-in exists on the server, is the same user's, has not been
    ended by sign-out and has not expired."""
    if not session.sid or not session.username:
        return False
    row = store.console_session(sid_hash(session.sid))
    return (row is not None and row.username == session.username and row.ended_at is None
            and row.expires_at > format_time(utc_now()))


def end_sign_in(store: Store, session: ConsoleSession) -> None:
    """Sign-out: the sign-in is over on the server, whoever holds a copy of the cookie."""
    if session.sid:
        store.end_console_session(sid_hash(session.sid), format_time(utc_now()))
