"""Times on the wire: one shape, RFC 3339's profile of ISO 8601 (docs/protocol.md, "Times").

A time a client sends is ``YYYY-MM-DDTHH:MM:SS``, an optional ``.`` and 1–6 fraction digits,
then ``Z`` or ``±HH:MM`` from ``-12:00`` to ``+14:00``; ASCII digits, upper-case ``T`` and ``Z``
(``parse_wire_time``). A date is ``YYYY-MM-DD`` (``parse_wire_date``). Anything else
``datetime.fromisoformat`` reads (a space for ``T``, the basic ``20261202T100000+0800``, week and
ordinal dates, ``+1400``, seven fraction digits, seconds in the offset; QA of issue 15) is
refused where it arrives. ``parse_time`` stays the reader of stored and server-written text:
a record stored before the profile was enforced is still read.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone

__all__ = ["parse_time", "parse_wire_time", "parse_wire_date", "format_time", "utc_now", "site_zone",
           "local_text", "FIRST_DAY", "LAST_DAY", "TIME_SHAPE", "TIME_EXAMPLE", "DATE_SHAPE", "DATE_EXAMPLE",
           "MIN_OFFSET", "MAX_OFFSET"]


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
"""The days a person may name (a console date, a site's closed day): a sales office's records
are never outside them, and date arithmetic near year 1 or 9999 overflows."""


TIME_SHAPE = "YYYY-MM-DDTHH:MM:SS[.fff]±HH:MM (or Z)"
"""The wire's time shape, as messages say it."""
TIME_EXAMPLE = "2026-11-22T10:00:00.000+08:00"
DATE_SHAPE = "YYYY-MM-DD"
DATE_EXAMPLE = "2026-11-22"
MIN_OFFSET, MAX_OFFSET = timedelta(hours=-12), timedelta(hours=14)
"""The UTC offsets a wire time may carry: the zones in use, UTC−12 to UTC+14 (the margin
``sync_server.storage.sql.records.OFFSET_MARGIN`` compares stored text with)."""

# [0-9], never \d (it matches full-width and other digits); fullmatch, never $ (it allows a final \n)
_WIRE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?"
                        r"(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))")
_WIRE_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_wire_time(text: object) -> datetime:
    """A time a client sent, in the wire's one shape (``TIME_SHAPE``: ``2026-11-22T10:00:00Z``,
    ``2026-11-22T10:00:00.000+08:00``); ValueError for anything else: another ISO 8601 form,
    a time that does not exist (``T24:00``, ``:60`` seconds, 30 February), an offset beyond
    ``MIN_OFFSET``…``MAX_OFFSET`` or with minutes past 59, text that is not a string."""
    found = _WIRE_TIME.fullmatch(text) if isinstance(text, str) else None
    if found is None:
        raise ValueError(f"not a time of the shape {TIME_SHAPE}")
    year, month, day, hour, minute, second, fraction, utc, sign, off_h, off_m = found.groups()
    offset = timedelta(0)
    if not utc:
        if int(off_m) > 59:
            raise ValueError("the offset's minutes are past 59")
        offset = (-1 if sign == "-" else 1) * timedelta(hours=int(off_h), minutes=int(off_m))
        if not MIN_OFFSET <= offset <= MAX_OFFSET:
            raise ValueError("the offset is beyond -12:00 to +14:00")
    micro = int((fraction or "0").ljust(6, "0"))
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro,
                    tzinfo=UTC if utc or not offset else site_zone(offset // timedelta(minutes=1)))


def parse_wire_date(text: object) -> date:
    """A date a client sent, ``YYYY-MM-DD`` exactly (ASCII digits); ValueError for anything
    else (``20261202``, ``2026-W49-3``, ``2026-336``, full-width digits, a day that does not exist)."""
    found = _WIRE_DATE.fullmatch(text) if isinstance(text, str) else None
    if found is None:
        raise ValueError(f"not a date of the shape {DATE_SHAPE}")
    return date(*map(int, found.groups()))


def parse_time(text: object) -> datetime:
    """Read a stored or server-written ISO 8601 time that carries an offset
    (``2026-11-22T10:00:00.000+08:00``, ``Z`` for UTC); raise ValueError if it has none or is not
    a string. Lenient (any form ``datetime.fromisoformat`` reads): a record stored before the
    wire's one shape was enforced must stay readable. What a client sends is checked with
    ``parse_wire_time``."""
    if not isinstance(text, str):
        raise ValueError("not a string")
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("no UTC offset")
    return value


def format_time(value: datetime) -> str:
    """Format in the wire's shape with milliseconds, e.g. 2026-11-22T10:00:00.000+08:00: what
    ``parse_wire_time`` reads. An offset the shape cannot carry (seconds in it, a zone's
    historical local mean time; beyond ``MIN_OFFSET``…``MAX_OFFSET``) is written as UTC."""
    if value.tzinfo is None:
        raise ValueError("naive datetime; give it a timezone")
    offset = value.utcoffset()
    if offset is None or offset % timedelta(minutes=1) or not MIN_OFFSET <= offset <= MAX_OFFSET:
        value = value.astimezone(UTC)
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
