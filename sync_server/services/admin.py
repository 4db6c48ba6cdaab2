"""Setting a server up: sites, users and devices, as the command line manages them."""

from __future__ import annotations

import re

from shared.policy import HOUSEHOLD_RULES

from ..storage.base import ROLES, DuplicateKey, Site, Store, UnknownSite, User
from .auth import MIN_PASSWORD_LENGTH, hash_password

__all__ = ["AdminError", "add_site", "add_user", "set_password", "set_active"]

_SITE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class AdminError(Exception):
    """A command that cannot be carried out; the message says what to change."""


def add_site(store: Store, site: Site) -> Site:
    if not _SITE_ID.match(site.id):
        raise AdminError(f"Site id {site.id!r} must be 1-64 letters, digits, '.', '_' or '-'.")
    if not site.name.strip():
        raise AdminError("Give the site a name (--name).")
    if not 1 <= site.validity_days <= 3660:
        raise AdminError("--validity-days must be from 1 to 3660 (ten years).")
    if site.household not in HOUSEHOLD_RULES:
        raise AdminError(f"--household must be one of {', '.join(HOUSEHOLD_RULES)}.")
    if not re.fullmatch(r"[A-Z]{2}", site.region):
        raise AdminError("--region must be a two-letter country code such as CN.")
    try:
        store.add_site(site)
    except DuplicateKey:
        raise AdminError(f"Site {site.id!r} already exists; pick another id or list them with 'sites list'.") from None
    return site


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AdminError(f"The password is too weak: use at least {MIN_PASSWORD_LENGTH} characters.")


def add_user(store: Store, *, site_id: str, username: str, password: str, role: str, name: str) -> User:
    if role not in ROLES:
        raise AdminError(f"Role {role!r} is not known; use one of {', '.join(ROLES)}.")
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", username):
        raise AdminError("A username is 1-64 letters, digits, '.', '_' or '-'.")
    _check_password(password)
    user = User(username=username, site_id=site_id, name=name.strip() or username, role=role,
                password_hash=hash_password(password))
    try:
        store.add_user(user)
    except UnknownSite:
        raise AdminError(f"Site {site_id!r} does not exist; create it with 'sites add' first.") from None
    except DuplicateKey:
        raise AdminError(f"User {username!r} already exists; usernames are unique on this server.") from None
    return user


def _existing(store: Store, username: str) -> User:
    user = store.get_user(username)
    if user is None:
        raise AdminError(f"No user {username!r}; list them with 'users list'.")
    return user


def set_password(store: Store, username: str, password: str) -> None:
    _existing(store, username)
    _check_password(password)
    store.update_user(username, password_hash=hash_password(password))


def set_active(store: Store, username: str, active: bool) -> None:
    _existing(store, username)
    store.update_user(username, active=active)
