"""People and tablets of a site, as the console and the command line manage them (issue 12).

Each act runs in one ``store.write(site_id)`` with its audit row (``services.audit.log``): the
act and its row commit together. The rules are ``admin``'s (the command line's) plus what a
manager acting in the console may not do:

- a manager cannot deactivate themselves, nor the last active manager of the site (the site
  would have nobody left to manage it); the command line (the server's administrator) may;
- a manager reaches only their own site's users and tablets: another site's answer as unknown.

Deactivating a user keeps what they captured: their tablet may still push records captured
before the deactivation, which count (R4; ``services/push.py``); every other call of their
tablets is refused, and their console sign-in stops at the next page. Resetting a password
sets ``must_change_password``: the next console sign-in or tablet enrolment must choose a new
one before anything else; tablets enrolled already keep syncing with their own token.
"""

from __future__ import annotations

import secrets

from shared.timeutil import format_time, utc_now

from ..storage.base import Device, Store, User
from . import admin
from .admin import AdminError
from .audit import Origin, log
from .auth import hash_password, verify_password

__all__ = ["add_person", "set_active", "reset_password", "set_password", "choose_password", "revoke_device",
           "temporary_password", "TEMP_PASSWORD_CHARS"]

TEMP_PASSWORD_CHARS = "abcdefghjkmnpqrstuvwxyz23456789"
"""No 0/o, 1/l/i: a temporary password is read aloud or copied by hand."""


def temporary_password(length: int = 10) -> str:
    """A random one-time password (``secrets``; 10 characters of 31: about 49 bits)."""
    return "".join(secrets.choice(TEMP_PASSWORD_CHARS) for _ in range(length))


def add_person(store: Store, origin: Origin, *, site_id: str, username: str, password: str, role: str,
               name: str, must_change_password: bool = False, listed_from: str | None = None) -> User:
    """``admin.add_user`` and its ``user.added`` row; ``AdminError`` as there."""
    with store.write(site_id):
        user = admin.add_user(store, site_id=site_id, username=username, password=password, role=role, name=name,
                              must_change_password=must_change_password, listed_from=listed_from)
        log(store, site_id, origin, "user.added", user.username, role=user.role, name=user.name)
    return user


def set_active(store: Store, origin: Origin, username: str, active: bool, *, site_id: str | None = None) -> User:
    """Deactivate or reactivate ``username`` (``site_id``: the acting manager's site; None for
    the command line). ``AdminError`` codes: ``unknown_user``, ``self_deactivate``,
    ``last_manager``. Doing what is already so is no error and writes no row."""
    user = admin.existing_user(store, username, site_id)
    if not active and origin.actor is not None:
        if user.username == origin.actor:
            raise AdminError("You cannot deactivate yourself; ask another manager.", "self_deactivate")
        managers = [u for u in store.list_users(user.site_id) if u.role == "manager" and u.active]
        if user.role == "manager" and user.active and len(managers) <= 1:
            raise AdminError(f"{user.username} is the site's last active manager; add or reactivate another "
                             "manager first.", "last_manager", username=user.username, name=user.name)
    if user.active == active:
        return user
    with store.write(user.site_id):
        store.update_user(user.username, active=active)
        log(store, user.site_id, origin, "user.reactivated" if active else "user.deactivated", user.username,
            role=user.role, name=user.name)
    return admin.existing_user(store, username)


def reset_password(store: Store, origin: Origin, username: str, *, site_id: str | None = None,
                   password: str | None = None) -> str:
    """Give ``username`` a new password they must replace at their next sign-in
    (``must_change_password``): ``password`` when given (at least 8 characters), else a
    ``temporary_password``, which is returned (to be handed over once; never stored plain).
    ``AdminError``: ``unknown_user``, ``weak_password``."""
    user = admin.existing_user(store, username, site_id)
    chosen = password if password else temporary_password()
    admin.check_password(chosen)
    hashed = hash_password(chosen)  # ~30 ms: outside the site's write
    with store.write(user.site_id):
        store.update_user(user.username, password_hash=hashed, must_change_password=True)
        log(store, user.site_id, origin, "password.reset", user.username, chosen_by="manager" if password else
            "generated")
    return chosen


def set_password(store: Store, origin: Origin, username: str, password: str, *,
                 must_change_password: bool = False) -> None:
    """The command line's ``users passwd``: a password the administrator gives (``--must-change``:
    the user replaces it at the next sign-in)."""
    user = admin.existing_user(store, username)
    with store.write(user.site_id):
        admin.set_password(store, username, password, must_change_password=must_change_password)
        log(store, user.site_id, origin, "password.set", user.username, must_change=must_change_password)


def choose_password(store: Store, origin: Origin, user: User, new_password: str) -> None:
    """The user's own new password after a reset (console or tablet): at least 8 characters and
    not the one it replaces; clears ``must_change_password``. ``AdminError``: ``weak_password``,
    ``same_password``."""
    admin.check_password(new_password)
    if verify_password(new_password, user.password_hash):
        raise AdminError("Choose a password other than the one you were given.", "same_password")
    hashed = hash_password(new_password)
    with store.write(user.site_id):
        store.update_user(user.username, password_hash=hashed, must_change_password=False)
        log(store, user.site_id, origin, "password.changed", user.username)


def revoke_device(store: Store, origin: Origin, device_id: str, *, site_id: str | None = None) -> Device:
    """Revoke a tablet: its token stops working at once (its next call is 403
    ``device_revoked``; its unsent records stay on it). ``site_id``: the acting manager's site
    (another site's tablets answer as unknown). ``AdminError`` ``unknown_device``; revoking a
    revoked tablet changes nothing and writes no row."""
    device = store.get_device(device_id)
    if device is None or (site_id is not None and device.site_id != site_id):
        raise AdminError(f"No device {device_id!r}; list them with 'devices list'.", "unknown_device")
    if device.revoked_at:
        return device
    with store.write(device.site_id):
        store.revoke_device(device.id, format_time(utc_now()))
        log(store, device.site_id, origin, "device.revoked", device.id, name=device.name, user=device.username)
    revoked = store.get_device(device.id)
    assert revoked is not None
    return revoked
