"""Site-local calendar days and date ranges as instants (what the reporting store takes)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from shared.timeutil import FIRST_DAY, LAST_DAY, parse_wire_date, site_zone, utc_now

__all__ = ["today", "day_bounds", "range_bounds", "parse_day", "recent_days", "BadDay", "DayFields", "MAX_RANGE_DAYS", "FIRST_DAY", "LAST_DAY"]

MAX_RANGE_DAYS = 366
# FIRST_DAY, LAST_DAY (shared.timeutil): the days a manager may ask for (issue 9 QA: 0001-01-01 was a 500)


class BadDay(ValueError):
    """A day in the address or a form that is not a calendar date from ``FIRST_DAY`` to
    ``LAST_DAY``; ``text`` is what was given (the page says it was not understood)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def today(utc_offset_minutes: int) -> date:
    return utc_now().astimezone(site_zone(utc_offset_minutes)).date()


def parse_day(text: str | None, default: date) -> date:
    """``YYYY-MM-DD`` as a date; ``default`` when nothing was given; ``BadDay`` for anything
    else (a date that does not exist, or outside ``FIRST_DAY``…``LAST_DAY``; another ISO 8601
    form, ``20261202``, ``2026-W49-3``, full-width digits: the wire's one shape, QA of issue 15):
    never silently another day, and never a day a bulk action was not asked for."""
    text = (text or "").strip()
    if not text:
        return default
    try:
        day = parse_wire_date(text)
    except ValueError:
        raise BadDay(text[:40]) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadDay(text[:40])
    return day


def recent_days(start: str | None, end: str | None, utc_offset_minutes: int, days: int = 30
                ) -> tuple[date, date, BadDay | None]:
    """``(first, last, bad)``: the typed range, by default the last ``days`` site-local days
    to today; a day that is not one (``BadDay``) gives the default range and the problem to say."""
    last_default = today(utc_offset_minutes)
    try:
        last = parse_day(end, last_default)
        return parse_day(start, last - timedelta(days=days - 1)), last, None
    except BadDay as bad:
        return last_default - timedelta(days=days - 1), last_default, bad


def day_bounds(day: date, utc_offset_minutes: int) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=site_zone(utc_offset_minutes))
    return start, start + timedelta(days=1)


def range_bounds(first: date, last: date, utc_offset_minutes: int) -> tuple[datetime, datetime] | None:
    """``[first 00:00, last+1 00:00)`` local, or None when the range is backwards or too long."""
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        return None
    return day_bounds(first, utc_offset_minutes)[0], day_bounds(last, utc_offset_minutes)[1]


class DayFields:
    """The days and ranges a page read from its query, and what was wrong with each field
    (issue 12 QA: a bad day, a reversed or too long range must be said next to its field, never
    silently replaced). ``errors``: field name -> message in the reader's language (the page
    shows each beside its input and answers 422); a wrong field gives its default."""

    def __init__(self, t):
        self.t = t
        self.errors: dict[str, str] = {}

    def day(self, name: str, text: str | None, default: date) -> date:
        """``parse_day`` of the field ``name``; its default, and an error, for a day that is not one."""
        try:
            return parse_day(text, default)
        except BadDay as bad:
            self.errors[name] = self.t("error.bad_day", text=bad.text)
            return default

    def choice(self, name: str, text: str, allowed: tuple[str, ...], default: str) -> str:
        """``text`` when it is one of ``allowed`` (empty: ``default``); else ``default`` and an error."""
        if not text:
            return default
        if text in allowed:
            return text
        self.errors[name] = self.t("error.bad_choice", text=text[:40])
        return default

    def page_number(self, name: str, text: str, pages: int) -> int:
        """The page ``text`` names, 1 to ``pages`` (empty: 1); a number that is not a whole
        number, below 1 or past the last page gives the nearest page and an error (issue 12 QA:
        ``page_no=-1|abc|99999`` was answered without a word)."""
        text = (text or "").strip()
        if not text:
            return 1
        number = int(text) if text.lstrip("-").isdigit() and len(text) < 12 else None
        shown = 1 if number is None or number < 1 else min(number, max(1, pages))
        if number != shown:
            self.errors[name] = self.t("error.bad_page", text=text[:40], pages=max(1, pages), shown=shown)
        return shown

    def range(self, first: date, last: date, default: tuple[date, date], max_days: int = MAX_RANGE_DAYS,
              end_field: str = "end") -> tuple[date, date]:
        """``(first, last)`` when it runs forwards over at most ``max_days`` days; else ``default``
        and an error on ``end_field`` saying which (reversed, or how long and the page's limit)."""
        if last < first:
            self.errors.setdefault(end_field, self.t("error.range_reversed", start=first.isoformat(),
                                                     end=last.isoformat()))
            return default
        days = (last - first).days + 1
        if days > min(max_days, MAX_RANGE_DAYS):
            self.errors.setdefault(end_field, self.t("error.range_too_long", start=first.isoformat(),
                                                     end=last.isoformat(), days=days,
                                                     max=min(max_days, MAX_RANGE_DAYS)))
            return default
        return first, last

    @property
    def status(self) -> int:
        return 422 if self.errors else 200
