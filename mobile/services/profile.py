"""What the screens need from the store about this tablet, held in memory.

Screens run on the UI thread and must not read the store (house rule: no I/O on the UI
thread). ``ProfileService.load`` reads the site, the signed-in user and the enrolment once —
at app start before the first frame, after enrolling, and on the sync worker after each sync —
and swaps in a new frozen ``TabletProfile``; screens read ``current`` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from shared.timeutil import local_text, parse_time, site_zone

from ..store import LocalStore

__all__ = ["ProfileService", "TabletProfile", "DEFAULT_UTC_OFFSET_MINUTES", "user_names", "site_tz", "site_offset_minutes"]

DEFAULT_UTC_OFFSET_MINUTES = 480  # China Standard Time until the first pull brings the site


def site_offset_minutes(site: Mapping | None) -> int:
    """The UTC offset (minutes) of the site row ``site`` (the store's ``site()``), China
    Standard Time before the first pull. An offset of 0 is a real offset (a UTC site), not none."""
    offset = (site or {}).get("utc_offset_minutes")
    return DEFAULT_UTC_OFFSET_MINUTES if offset is None else int(offset)


def site_tz(site: Mapping | None) -> timezone:
    """The zone of the site row ``site`` (``site_offset_minutes``)."""
    return site_zone(site_offset_minutes(site))


@dataclass(frozen=True)
class TabletProfile:
    """A snapshot of the tablet's identity and its site (never mutated: replaced whole)."""

    site: dict = field(default_factory=dict)
    user: dict = field(default_factory=dict)
    signed_in: bool = False
    language: str | None = None
    server_url: str = ""
    device_name: str = ""
    reps: tuple[dict, ...] = ()  # the site's active reps, in duty order (who can be chosen)
    # username -> display name of every user the tablet holds, deactivated ones included: their
    # records (a handed-over customer's visits and deals, old clashes) still name them
    names: Mapping[str, str] = field(default_factory=dict)

    def name_of(self, username: str | None) -> str:
        """The display name of ``username`` ('' for none; the username for a user not held)."""
        return self.names.get(username or "", username or "")

    @property
    def site_name(self) -> str:
        return self.site.get("name") or self.user.get("site_id", "")

    @property
    def utc_offset_minutes(self) -> int:
        return site_offset_minutes(self.site)

    def local_text(self, value: str | datetime | None, with_time: bool = True) -> str:
        """A stored time as people at the site read it ('' for none)."""
        if not value:
            return ""
        moment = parse_time(value) if isinstance(value, str) else value
        return local_text(moment, self.utc_offset_minutes, with_time)


def user_names(store: LocalStore) -> dict[str, str]:
    """username -> display name of every user the tablet holds, active or not (QA of issue 12
    F8: a deactivated rep read ``chen.jie`` on clash lines, customer cards and deal rows)."""
    return {u["username"]: u["name"] or u["username"] for u in store.users(active_only=False)}


class ProfileService:
    """Holds the current ``TabletProfile``. ``load`` does I/O: call it off the UI thread
    (or before the first frame); reading ``current`` is free anywhere."""

    def __init__(self, store: LocalStore):
        self.store = store
        self.current = TabletProfile()

    def load(self) -> TabletProfile:
        store = self.store
        profile = TabletProfile(
            site=dict(store.site() or {}), user=dict(store.get_meta("user") or {}),
            signed_in=bool(store.get_meta("token")), language=store.get_meta("language"),
            server_url=store.get_meta("server_url") or "", device_name=store.get_meta("device_name") or "",
            reps=tuple(store.users(role="rep")), names=user_names(store))
        self.current = profile  # one reference swap: readers see the old or the new snapshot, never a mix
        return profile
