"""The console's browser session: a signed cookie, and CSRF tokens bound to it.

The cookie holds a small JSON object (who signed in, their language, the CSRF token, when
it was issued) signed with HMAC-SHA256; it is not encrypted, so it holds nothing secret
beyond the CSRF token, which only the browser that owns the cookie can read back from our
own pages. It is HttpOnly (scripts cannot read it), SameSite=Lax (other sites' forms cannot
send it on a POST) and limited to ``/console``; every POST must also carry the session's
CSRF token in a form field or the ``X-CSRF-Token`` header (htmx sends the header).

The signing key comes from ``FIELDSYNC_CONSOLE_SECRET``; without it a random key is made
per process, which signs everyone out on restart and does not work with several workers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["ConsoleSession", "SessionCodec", "COOKIE_NAME", "SESSION_MAX_AGE_S", "codec_from_env"]

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

    @classmethod
    def anonymous(cls, lang: str = "zh") -> ConsoleSession:
        return cls(csrf=secrets.token_urlsafe(24), lang=lang)

    def signed_in(self, username: str, site_id: str, display_name: str) -> ConsoleSession:
        """A fresh session for the user: a new CSRF token, so one seen before sign-in is useless."""
        return ConsoleSession(csrf=secrets.token_urlsafe(24), lang=self.lang, username=username,
                              site_id=site_id, display_name=display_name)

    def with_lang(self, lang: str) -> ConsoleSession:
        return replace(self, lang=lang)

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

    def dumps(self, session: ConsoleSession) -> str:
        body: dict[str, Any] = {"c": session.csrf, "l": session.lang, "t": session.issued_at}
        if session.username:
            body.update(u=session.username, s=session.site_id, n=session.display_name)
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
        return ConsoleSession(csrf=str(body["c"]), lang=str(body.get("l", "zh")), username=body.get("u"),
                              site_id=body.get("s"), display_name=body.get("n"), issued_at=issued)


def codec_from_env() -> SessionCodec:
    secret = os.environ.get("FIELDSYNC_CONSOLE_SECRET", "").encode()
    return SessionCodec(secret if len(secret) >= 16 else secrets.token_bytes(32))
