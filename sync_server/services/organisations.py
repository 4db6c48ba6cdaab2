"""Organisations of several sites and their sales directors, as the command line sets them up
(issue 12; ``fieldsync-server orgs …``, ``sites set --org/--approval``, ``users add --role director``)."""

from __future__ import annotations

import re

from ..storage.base import DuplicateKey, Store, UnknownSite
from ..storage.organisations import APPROVAL_SETTINGS, Director, Organisation
from .admin import AdminError, check_name, check_password
from .audit import Origin, log_org
from .auth import hash_password

__all__ = ["add_org", "set_site_org", "add_director"]

_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def add_org(store: Store, org_id: str, name: str) -> Organisation:
    """A new organisation. ``AdminError`` for a bad or taken id, or no name."""
    if not _ID.match(org_id):
        raise AdminError(f"Organisation id {org_id!r} must be 1-64 letters, digits, '.', '_' or '-'.")
    if not check_name(name):
        raise AdminError("Give the organisation a name (--name).")
    org = Organisation(org_id, check_name(name))
    try:
        store.add_org(org)
    except DuplicateKey:
        raise AdminError(f"Organisation {org_id!r} already exists; list them with 'orgs list'.") from None
    return org


def set_site_org(store: Store, site_id: str, *, org_id: str | None = None, approval: str | None = None) -> None:
    """Put a site in an organisation and/or set which decisions wait for its director
    (``APPROVAL_SETTINGS``). ``AdminError`` for an unknown site or organisation, or a setting
    other than those; ``approval`` other than ``none`` needs the site to be in an organisation
    (no director could approve otherwise)."""
    if approval is not None and approval not in APPROVAL_SETTINGS:
        raise AdminError(f"--approval must be one of {', '.join(APPROVAL_SETTINGS)}.")
    if org_id is not None and store.get_org(org_id) is None:
        raise AdminError(f"No organisation {org_id!r}; create it with 'orgs add' first.")
    if approval not in (None, "none") and (org_id or store.org_of_site(site_id)) is None:
        raise AdminError(f"Site {site_id!r} is in no organisation, so no director could approve; "
                         "give --org as well.")
    try:
        store.set_site_org(site_id, org_id=org_id, approval=approval)
    except UnknownSite:
        raise AdminError(f"No site {site_id!r}; list them with 'sites list'.") from None


def add_director(store: Store, *, org_id: str, username: str, password: str, name: str,
                 origin: Origin | None = None) -> Director:
    """A sales director of ``org_id`` (the rules of ``users add``). ``AdminError`` as there.
    Written to the audit log of every site of the organisation (``director.added``, ``origin``:
    the command line by default; ``audit.log_org``)."""
    if store.get_org(org_id) is None:
        raise AdminError(f"No organisation {org_id!r}; create it with 'orgs add' first.", "unknown_org")
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", username):
        raise AdminError("A username is 1-64 letters, digits, '.', '_' or '-'.", "bad_username")
    check_password(password)
    director = Director(username=username, org_id=org_id, name=check_name(name) or username,
                        password_hash=hash_password(password))
    try:
        store.add_director(director)
    except DuplicateKey:
        raise AdminError(f"User {username!r} already exists; usernames are unique on this server.",
                         "duplicate_username", username=username) from None
    log_org(store, org_id, origin or Origin.cli(), "director.added", director.username, role="director",
            name=director.name)
    return director
