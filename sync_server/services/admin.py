"""Setting a server up: sites, users and devices, as the command line manages them."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, time, timedelta

import phonenumbers

from shared.fields import password_problem
from shared.policy import HOUSEHOLD_RULES
from shared.timeutil import (
    FIRST_DAY,
    LAST_DAY,
    format_time,
    parse_time,
    parse_wire_date,
    parse_wire_time,
    site_zone,
    utc_now,
)

from ..storage.base import ROLES, DuplicateKey, Site, Store, UnknownSite, User
from ..storage.rows import REPLICA_KEYS
from .auth import MIN_PASSWORD_LENGTH, hash_password

__all__ = ["AdminError", "LISTED_AHEAD_DAYS", "add_site", "set_site", "parse_days", "add_user", "set_password", "set_active",
           "existing_user", "check_password", "check_name", "MAX_CLOSED_DAYS", "MAX_NAME_CHARS"]

MAX_CLOSED_DAYS = 400
"""More than a year of a site's own closed days is a mistake (or a site that should be deleted)."""

_SITE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class AdminError(Exception):
    """A command that cannot be carried out; the message (English, for the command line) says
    what to change. ``code`` and ``values`` let the console say it in the manager's language
    (``people.err.<code>``); "" for errors only the command line meets."""

    def __init__(self, message: str, code: str = "", **values: object):
        super().__init__(message)
        self.code, self.values = code, values


MAX_NAME_CHARS = 100

LISTED_AHEAD_DAYS = 60
"""``--listed-from`` at most this many days ahead: a new hire starting within two months; a
later day is taken for a typo (2030 for 2026) that would keep the rep off the board unseen."""


def add_site(store: Store, site: Site) -> Site:
    if not _SITE_ID.match(site.id):
        raise AdminError(f"Site id {site.id!r} must be 1-64 letters, digits, '.', '_' or '-'.")
    if not site.name.strip():
        raise AdminError("Give the site a name (--name).")
    if not 1 <= site.validity_days <= 3660:
        raise AdminError("--validity-days must be from 1 to 3660 (ten years).")
    if site.household not in HOUSEHOLD_RULES:
        raise AdminError(f"--household must be one of {', '.join(HOUSEHOLD_RULES)}.")
    if site.region not in phonenumbers.SUPPORTED_REGIONS:
        raise AdminError(f"--region {site.region!r} is not a country whose phone numbers fieldsync can read; use a "
                         "two-letter country code such as CN or HK.")
    try:
        store.add_site(site)
    except DuplicateKey:
        raise AdminError(f"Site {site.id!r} already exists; pick another id or list them with 'sites list'.") from None
    return site


def parse_days(text: str) -> list[str]:
    """``2026-10-08,2026-10-09`` (commas or spaces; empty: none) as sorted distinct ISO dates;
    ``AdminError`` naming the first entry that is not a calendar date, or for too many."""
    days = set()
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        try:
            day = parse_wire_date(part)  # YYYY-MM-DD exactly, as every date a site sends (QA of issue 15)
            if not FIRST_DAY <= day <= LAST_DAY:  # the days the console takes too
                raise ValueError(part)
            days.add(day.isoformat())
        except ValueError:
            raise AdminError(f"{part!r} is not a date from 2000 to 2099: write the closed days as YYYY-MM-DD, "
                             "separated by commas (e.g. 2026-10-08,2026-10-09).") from None
    if len(days) > MAX_CLOSED_DAYS:
        raise AdminError(f"{len(days)} closed days is more than {MAX_CLOSED_DAYS}; give only the days the site "
                         "closes on top of the official holidays.")
    return sorted(days)


def set_site(store: Store, site_id: str, *, walkin_landlines: bool | None = None,
             closed_days: str | None = None, replica_keys: str | None = None) -> Site:
    """Change a site's settings (those given); the site's tablets pull them. ``closed_days`` is
    ``parse_days`` text and replaces the list; ``replica_keys`` one of ``REPLICA_KEYS``
    (issue 14, docs/privacy.md). ``AdminError`` for an unknown site, bad days or keys."""
    if store.get_site(site_id) is None:
        raise AdminError(f"No site {site_id!r}; list them with 'sites list'.")
    if walkin_landlines is None and closed_days is None and replica_keys is None:
        raise AdminError("Say what to change: --walkin-landlines yes|no, --closed-days YYYY-MM-DD,… and/or "
                         "--replica-keys private|tag2|legacy.")
    if replica_keys is not None and replica_keys not in REPLICA_KEYS:
        raise AdminError(f"--replica-keys is private, tag2 or legacy, not {replica_keys!r}.")
    store.update_site(site_id, walkin_landlines=walkin_landlines,
                      closed_days=None if closed_days is None else parse_days(closed_days), replica_keys=replica_keys)
    site = store.get_site(site_id)
    assert site is not None
    return site


def check_password(password: str) -> None:
    """``AdminError`` for a password nobody could type again or too short, wherever one is set
    (command line, console, API, tablet enrolment; QA of issue 12 N3): ``password_control``
    (control characters such as NUL or a pasted tab), ``blank_password`` (only spaces or
    invisible characters: ``shared.fields.password_problem``), ``weak_password`` (shorter
    than ``MIN_PASSWORD_LENGTH``)."""
    problem = password_problem(password)
    if problem == "password_control":
        raise AdminError("The password holds control characters (such as NUL or a tab, often pasted along with "
                         "text); type it again with letters, digits and signs only.", problem)
    if problem == "blank_password":
        raise AdminError("The password is only spaces or invisible characters; type a password with letters, "
                         "digits or signs.", problem)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AdminError(f"The password is too weak: use at least {MIN_PASSWORD_LENGTH} characters.",
                         "weak_password", min=MIN_PASSWORD_LENGTH)


def check_name(name: str) -> str:
    """The display name stripped; ``AdminError`` (``bad_name``) for one over 100 characters or
    holding control characters (a name is shown on every tablet and page)."""
    name = name.strip()
    if len(name) > MAX_NAME_CHARS or any(unicodedata.category(ch).startswith("C") for ch in name):
        raise AdminError(f"A name is at most {MAX_NAME_CHARS} characters, without control characters.",
                         "bad_name", max=MAX_NAME_CHARS)
    return name


def add_user(store: Store, *, site_id: str, username: str, password: str, role: str, name: str,
             must_change_password: bool = False, listed_from: str | None = None) -> User:
    """Create a user (the rules of ``users add``: username 1-64 of ``A-Za-z0-9_.-``, unique
    server-wide ignoring capitals; a password of at least 8 characters; a known role; the
    name checked by ``check_name``, the username when empty). ``listed_from``: when a rep
    joins the rotation board's duty list (``YYYY-MM-DD``, site-local start of day, or an ISO
    8601 time with offset; default now): an office moving onto fieldsync lists its staff from
    before. A board already used is never rewritten (QA of issue 12 N2): a rep listed from
    before now is refused (``listed_from_used_day``, naming the first such day) when a day
    from the listed day to today already has rotation records on the server; a day more than
    ``LISTED_AHEAD_DAYS`` ahead is refused (``listed_from_too_far``). ``AdminError`` with a
    code."""
    if role not in ROLES:
        raise AdminError(f"Role {role!r} is not known; use one of {', '.join(ROLES)}.", "unknown_role")
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", username):
        raise AdminError("A username is 1-64 letters, digits, '.', '_' or '-'.", "bad_username")
    twin = next((u.username for u in store.list_users() if u.username.casefold() == username.casefold()), None)
    if twin is not None and twin != username:  # sign-in throttles count names case-insensitively
        raise AdminError(f"User {twin!r} exists and differs from {username!r} only in capitals: pick another "
                         "username, or use that one.", "username_twin", twin=twin)
    check_password(password)
    since = format_time(utc_now()) if listed_from is None else _listed_from(store, site_id, listed_from, role)
    user = User(username=username, site_id=site_id, name=check_name(name) or username, role=role,
                password_hash=hash_password(password), must_change_password=must_change_password,
                duty_periods=((since, None),))  # on the duty list from then (rotation boards)
    try:
        store.add_user(user)
    except UnknownSite:
        raise AdminError(f"Site {site_id!r} does not exist; create it with 'sites add' first.",
                         "unknown_site") from None
    except DuplicateKey:
        raise AdminError(f"User {username!r} already exists; usernames are unique on this server.",
                         "duplicate_username", username=username) from None
    return user


def existing_user(store: Store, username: str, site_id: str | None = None) -> User:
    """The user; ``AdminError`` (``unknown_user``) when there is none, or (``site_id`` given)
    when it belongs to another site: a manager sees only their own site's people."""
    user = store.get_user(username)
    if user is None or (site_id is not None and user.site_id != site_id):
        raise AdminError(f"No user {username!r}; list them with 'users list'.", "unknown_user", username=username)
    return user


def set_password(store: Store, username: str, password: str, *, must_change_password: bool = False) -> None:
    existing_user(store, username)
    check_password(password)
    store.update_user(username, password_hash=hash_password(password), must_change_password=must_change_password)


def set_active(store: Store, username: str, active: bool) -> None:
    existing_user(store, username)
    store.update_user(username, active=active)


def _listed_from(store: Store, site_id: str, text: str, role: str) -> str:
    """``listed_from`` of ``add_user`` as UTC ISO 8601; ``AdminError`` ``bad_listed_from``,
    ``listed_from_too_far`` or (a rep) ``listed_from_used_day`` (see ``add_user``)."""
    site = store.get_site(site_id)
    zone = site_zone(site.utc_offset_minutes if site else 480)
    try:
        if len(text.strip()) == 10:  # the shapes of the wire (QA of issue 15): YYYY-MM-DD, or a time with its offset
            day = parse_wire_date(text.strip())
            at = datetime.combine(day, time(0), tzinfo=zone)
        else:
            at = parse_wire_time(text.strip())
    except ValueError:
        at = None
    if at is None or not FIRST_DAY <= at.date() <= LAST_DAY:
        raise AdminError(f"--listed-from {text!r} 不是日期（YYYY-MM-DD）或带时区的时间（2026-12-01T09:00:00+08:00），"
                         f"或不在 {FIRST_DAY} 至 {LAST_DAY} 之间：请改正后重试。 / --listed-from {text!r} is not a "
                         "day (YYYY-MM-DD) or a time with its offset (2026-12-01T09:00:00+08:00) between "
                         f"{FIRST_DAY} and {LAST_DAY}.", "bad_listed_from")
    now = utc_now()
    if at > now + timedelta(days=LISTED_AHEAD_DAYS):
        raise AdminError(f"--listed-from 的日期 {at.astimezone(zone).date()} 超过今天起 {LISTED_AHEAD_DAYS} 天，"
                         f"请检查年份，或到入职前再添加此人。 / --listed-from {at.astimezone(zone).date()} is more "
                         f"than {LISTED_AHEAD_DAYS} days ahead: check the year, or add the person nearer their "
                         "first day.", "listed_from_too_far", days=LISTED_AHEAD_DAYS)
    if role == "rep" and at < now and site is not None:
        used = rotation_days_used(store, site, at, now)
        if used:
            raise AdminError(f"{used} 的排班已有记录，不能把新售楼员列在这之前（会改写已用过的排班）：请不加 "
                             f"--listed-from（从现在起加入，排在队尾）。 / The rotation of {used} already has "
                             "records; listing a rep from before it would rewrite a board already used. Leave out "
                             "--listed-from: the rep joins the back of the queue now.", "listed_from_used_day",
                             day=used)
    return format_time(at.astimezone(UTC))


def rotation_days_used(store: Store, site: Site, start: datetime, end: datetime) -> str | None:
    """The first site-local day (ISO) from ``start``'s day to ``end``'s day whose rotation
    board has records on the server (a record's ``data.day``, or its local capture day); None
    when none has (a board no tablet has written to can still take a rep from before)."""
    from ..storage import open_reporting  # the console's read side: records by type and time

    zone = site_zone(site.utc_offset_minutes)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    low = datetime.combine(first - timedelta(days=1), time(0), tzinfo=zone)
    high = datetime.combine(last + timedelta(days=2), time(0), tzinfo=zone)
    days = set()
    for view in open_reporting(store).records(site.id, ["rotation"], low, high):
        day = str((view.record.wire.get("data") or {}).get("day") or "")
        days.add(day or parse_time(view.record.estimated_at).astimezone(zone).date().isoformat())
    return min((d for d in days if first.isoformat() <= d <= last.isoformat()), default=None)
