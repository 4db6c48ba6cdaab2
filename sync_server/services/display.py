"""People and times as a message shows them to a person: display names, never usernames, and
the site's local time, never UTC ISO text (QA of issue 12 N4: "zhao.min 于
2026-12-01T13:54:06.029+00:00")."""

from __future__ import annotations

from shared.timeutil import local_text, parse_time

from ..storage.base import Store

__all__ = ["display_name", "display_names", "site_time"]


def display_name(store: Store, username: str | None) -> str:
    """The display name of a site's user or a sales director; the text itself when nobody has
    that username (it is what the caller typed, shown so they can see the typo); "?" for none."""
    if not username:
        return "?"
    user = store.get_user(username)
    if user is not None and user.name:
        return user.name
    director = store.get_director(username)
    if director is not None and director.name:
        return director.name
    return username


def display_names(store: Store, usernames: list[str], sep: str) -> str:
    """``display_name`` of each, joined by ``sep`` ("、" in Chinese, ", " in English)."""
    return sep.join(display_name(store, u) for u in usernames)


def site_time(store: Store, site_id: str, iso: str | None) -> str:
    """A stored UTC ISO 8601 time as the site reads it (``2026-12-01 21:54``); "?" for none."""
    if not iso:
        return "?"
    site = store.get_site(site_id)
    return local_text(parse_time(iso), site.utc_offset_minutes if site else 480)
