"""Times on the wire: ISO 8601 with an explicit UTC offset, millisecond precision."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta, timezone

__all__ = ["parse_time", "format_time", "utc_now", "site_zone", "local_text", "FIRST_DAY", "LAST_DAY"]


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
"""The days a person may name (a console date, a site's closed day): a sales office's records
are never outside them, and date arithmetic near year 1 or 9999 overflows."""


def parse_time(text: object) -> datetime:
    """Parse an ISO 8601 time that carries an offset (``2026-11-22T10:00:00.000+08:00``, ``Z``
    for UTC); raise ValueError if it has none or is not a string (wire values are checked
    with it, so anything may arrive)."""
    if not isinstance(text, str):
        raise ValueError("not a string")
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("no UTC offset")
    return value


def format_time(value: datetime) -> str:
    """Format as ISO 8601 with offset and milliseconds, e.g. 2026-11-22T10:00:00.000+08:00."""
    if value.tzinfo is None:
        raise ValueError("naive datetime; give it a timezone")
    return value.isoformat(timespec="milliseconds")


def utc_now() -> datetime:
    return datetime.now(UTC)


@functools.lru_cache(maxsize=64)  # a handful of sites; a zone is made once, not per time told
def site_zone(utc_offset_minutes: int) -> timezone:
    """A fixed-offset zone for a site (sales offices do not move; CN has no DST)."""
    return timezone(timedelta(minutes=utc_offset_minutes))


def local_text(value: datetime, utc_offset_minutes: int, with_time: bool = True, seconds: bool = False) -> str:
    """A time as a person at the site reads it: '2026-11-20 10:02' or '2026-11-20';
    ``seconds``: '2026-11-20 10:02:07' (two times of one story in the same minute)."""
    local = value.astimezone(site_zone(utc_offset_minutes))
    clock = "%H:%M:%S" if seconds else "%H:%M"
    if local.year < 1000:  # strftime's %Y does not pad there
        return local.strftime("%Y-%m-%d " + clock if with_time else "%Y-%m-%d")
    day = f"{local.year}-{local.month:02d}-{local.day:02d}"
    if not with_time:
        return day
    return f"{day} {local.hour:02d}:{local.minute:02d}" + (f":{local.second:02d}" if seconds else "")
