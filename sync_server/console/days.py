"""Site-local calendar days and date ranges as instants (what the reporting store takes)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from shared.timeutil import site_zone, utc_now

__all__ = ["today", "day_bounds", "range_bounds", "parse_day", "MAX_RANGE_DAYS"]

MAX_RANGE_DAYS = 366


def today(utc_offset_minutes: int) -> date:
    return utc_now().astimezone(site_zone(utc_offset_minutes)).date()


def parse_day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return default


def day_bounds(day: date, utc_offset_minutes: int) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=site_zone(utc_offset_minutes))
    return start, start + timedelta(days=1)


def range_bounds(first: date, last: date, utc_offset_minutes: int) -> tuple[datetime, datetime] | None:
    """``[first 00:00, last+1 00:00)`` local, or None when the range is backwards or too long."""
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        return None
    return day_bounds(first, utc_offset_minutes)[0], day_bounds(last, utc_offset_minutes)[1]
