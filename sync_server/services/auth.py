"""Passwords, device tokens, enrolment and the current caller.

Passwords: ``hashlib.scrypt`` (slow, salted; stdlib). Tokens: ``secrets.token_urlsafe(32)``
given to the device once; the server keeps only their SHA-256, so a leaked database does not
leak working tokens, and revoking a device makes its token useless.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from shared.timeutil import format_time, utc_now

from ..errors import Forbidden, NotAuthenticated, TooManyAttempts
from ..storage.base import Device, Site, Store, User
from .throttle import SignInThrottle, minutes

__all__ = ["hash_password", "verify_password", "enroll", "authenticate", "Caller", "MIN_PASSWORD_LENGTH"]

MIN_PASSWORD_LENGTH = 8
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64) for a new random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Actor:
    """A signed-in person acting for their site: a tablet's user, or a manager in the console."""

    user: User
    site: Site

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def is_manager(self) -> bool:
        return self.user.role == "manager"


@dataclass(frozen=True)
class Caller(Actor):
    """An API caller: the user, the device they enrolled (its token authenticated the call), the site."""

    device: Device


def enroll(store: Store, username: str, password: str, device_name: str,
           throttle: SignInThrottle | None = None, address: str | None = None) -> tuple[Device, str, User]:
    """Register a tablet for a user: a new device id and a token shown only this once.
    With a ``throttle``, repeated wrong passwords for the user or from ``address`` are refused
    (429) without checking the password, as in the console."""
    keys = throttle.keys(username, address) if throttle else []
    wait = throttle.retry_after(keys) if throttle else 0
    if wait:
        raise TooManyAttempts("too_many_attempts", f"Too many wrong passwords for this user or from this network; "
                              f"wait {minutes(wait)} minute(s) and try again, or ask your manager to reset the "
                              "password.", retry_after_s=int(wait) + 1)
    user = store.get_user(username)
    # verify even for unknown users so timing does not tell which usernames exist
    ok = verify_password(password, user.password_hash if user else hash_password("-"))
    if user is None or not ok:
        if throttle:
            throttle.failed(keys)
        raise NotAuthenticated("bad_credentials", "Wrong username or password; check both and try again.")
    if throttle:
        throttle.succeeded(keys)
    if not user.active:
        raise Forbidden("user_inactive", "This user is deactivated; ask your manager to reactivate it.")
    token = secrets.token_urlsafe(32)
    device = Device(id=str(uuid.uuid4()), site_id=user.site_id, username=user.username,
                    name=device_name.strip() or "tablet", enrolled_at=format_time(utc_now()))
    store.add_device(device, _token_hash(token))
    return device, token, user


def authenticate(store: Store, authorization: str | None, *, allow_inactive: bool = False) -> Caller:
    """The caller a ``Bearer`` token belongs to; 401 for a missing or unknown token, 403 for a
    revoked device or a deactivated user. ``allow_inactive``: a deactivated user's device may
    still call (push only: what the rep captured before the deactivation is not lost, R4)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("not_authenticated",
                               "Send the device token as 'Authorization: Bearer <token>'; enrol the tablet to get one.")
    device = store.device_by_token(_token_hash(token.strip()))
    if device is None:
        raise NotAuthenticated("bad_token", "This token is not known here; enrol the tablet again.")
    if device.revoked_at:
        raise Forbidden("device_revoked", "This tablet was revoked by a manager; ask them to enrol it again.")
    user = store.get_user(device.username)
    site = store.get_site(device.site_id)
    if user is None or site is None or not (user.active or allow_inactive):
        raise Forbidden("user_inactive", "This user is deactivated; ask your manager to reactivate it.")
    return Caller(user=user, device=device, site=site)
