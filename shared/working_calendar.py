"""A site's working days: the official PRC holidays and make-up workdays (调休), plus the
site's own closed days.

The official schedule comes from the ``chinesecalendar`` package (module ``chinese_calendar``,
pure Python, no dependencies), which carries each year's notice of the State Council's General
Office (国务院办公厅关于XXXX年部分节假日安排的通知) — never a hand-written list here. How the
package is compared with the others and updated each year: docs/working_calendar.md.

A year the package does not cover yet (the notice is published around November of the year
before) falls back to Monday–Friday without the statutory public holidays (``statutory_holidays``:
the days of 全国年节及纪念日放假办法 — 元旦, 春节 from 除夕 to 初三, 清明, 劳动节, 端午, 中秋,
国庆 — their lunar dates and 清明 from ``lunar-python``; the notice's bridge days and 调休
make-up workdays cannot be known before it), and every answer that used such a day says so
(``WorkingCalendar.official``), so a deadline computed from it can be shown as provisional.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar
from lunar_python import Lunar

__all__ = ["WorkingCalendar", "DEFAULT_CALENDAR", "calendar_version", "statutory_holidays"]

_MAX_SCAN_DAYS = 400
"""No run of closed days is longer than a year: a scan past this is a site that closed every day."""


def calendar_version() -> str:
    """The installed official schedule, as text: ``"chinesecalendar 1.11.0 (2004–2026)"`` —
    the package's release and the years it covers. The server records it with the complaint
    deadlines it keeps, so a new release (next year's holidays) shows the kept ones are stale
    (docs/working_calendar.md, "How it is updated")."""
    years = [d.year for d in chinese_calendar.holidays]
    covered = f" ({min(years)}–{max(years)})" if years else ""
    return f"chinesecalendar {getattr(chinese_calendar, '__version__', '?')}{covered}"


@lru_cache(maxsize=32)
def statutory_holidays(year: int) -> frozenset[date]:
    """The public holidays of ``year`` by law (国务院《全国年节及纪念日放假办法》, as revised in 2024:
    13 days — 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3), the lunar
    ones and 清明 (a solar term) computed by ``lunar-python``. Only what the law fixes: the yearly
    notice adds bridge days and weekend make-up workdays (调休), which is why a year the official
    schedule covers never uses this (QA of issue 11, F9: a 2027 deadline fell inside 春节)."""
    def solar(month: int, day: int) -> date:
        found = Lunar.fromYmd(year, month, day).getSolar()
        return date(found.getYear(), found.getMonth(), found.getDay())

    spring = solar(1, 1)
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2), date(year, 10, 1), date(year, 10, 2),
            date(year, 10, 3), solar(5, 5), solar(8, 15),
            date(qingming.getYear(), qingming.getMonth(), qingming.getDay()),
            *(spring + timedelta(days=n) for n in range(-1, 3))}
    return frozenset(days)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days a site works.

    ``closed_days``: the site's own closed days (a company outing, a site closure) on top of the
    official holidays; a make-up workday the site closes is closed. Immutable; build one per
    site and share it."""

    closed_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def for_site(cls, closed_days: Iterable[date | str] = ()) -> WorkingCalendar:
        """A calendar with the site's closed days given as dates or ``YYYY-MM-DD`` strings
        (ValueError for a string that is not a calendar date)."""
        return cls(frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in closed_days))

    def official(self, day: date) -> bool:
        """True when the official schedule of ``day``'s year is known (the package covers it);
        False when ``is_working_day`` fell back to Monday–Friday and the statutory holidays."""
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def is_working_day(self, day: date) -> bool:
        """Is ``day`` a working day at this site: an official workday (a weekday that is not a
        public holiday, or a weekend make-up workday, 调休上班) and not a site closed day.
        Years the package does not cover: Monday–Friday but the statutory holidays
        (``statutory_holidays``), provisional (``official`` is False)."""
        if day in self.closed_days:
            return False
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        for step in range(1, _MAX_SCAN_DAYS):
            candidate = day + timedelta(days=step)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {_MAX_SCAN_DAYS} days after {day}; check the site's closed days")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The moment ``days`` working days after ``start`` (an aware datetime, read in its own
        offset: the site's local time).

        Counted as people count "within N working days" (001 §2 第十一条): the same time of day
        on the N-th working day after the start day. A start on a closed day (a holiday, a
        weekend) first moves to the start of the next working day, so a complaint taken on a
        Sunday has until Monday 24:00 for one working day. ``days`` ≥ 1 (ValueError otherwise)."""
        if days < 1:
            raise ValueError("days must be at least 1")
        if start.tzinfo is None:
            raise ValueError("naive datetime; give it the site's offset")
        day, at = start.date(), start.timetz()
        if not self.is_working_day(day):
            # the clock starts when the site opens: the whole next working day counts as the first
            day = self.next_working_day(day)
            for _ in range(days - 1):
                day = self.next_working_day(day)
            return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=start.tzinfo)
        for _ in range(days):
            day = self.next_working_day(day)
        return datetime.combine(day, at)

    def official_between(self, start: date, end: date) -> bool:
        """True when every year from ``start`` to ``end`` has its official schedule."""
        return all(self.official(date(year, 1, 1)) for year in range(start.year, end.year + 1))


DEFAULT_CALENDAR = WorkingCalendar()
"""The official calendar with no site closed days."""
