"""排班 on the server: the site's rotation board of a day, folded from every tablet's ``rotation``
records exactly as each tablet folds them (``shared.rotation_log``), and fairness by rep and
week for the manager (001 §12.3–12.5, §14(二)).

The day's starting order is the site's active reps by username, as on the tablets
(``mobile.services.rotation_board``); a rep the order does not know joins at the back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shared.rotation_log import DayBoard, RotationEvent, Tally, fairness_by_week, fold_day
from shared.timeutil import site_zone

from ..storage.base import Site, StoredRecord, User
from ..storage.reporting import RecordView, ReportingStore

__all__ = ["duty_order", "day_boards", "Fairness", "fairness"]


def duty_order(users: Iterable[User]) -> list[str]:
    """The day's starting order: active reps by username (what every tablet starts from)."""
    return sorted(u.username for u in users if u.role == "rep" and u.active)


def _event(record: StoredRecord) -> RotationEvent | None:
    try:
        return RotationEvent.from_record({**record.wire, "estimated_at": record.estimated_at,
                                          "device_id": record.device_id})
    except (KeyError, TypeError, ValueError):  # stored records were validated; never fail a page on one
        return None


def day_boards(reporting: ReportingStore, site: Site, users: Iterable[User], first: date, last: date
               ) -> tuple[list[DayBoard], dict[str, RecordView]]:
    """The board of each day ``first``..``last`` (site-local days, inclusive), oldest first,
    and the rotation records read, by id (their desk and time, for the manager). Events are
    read a day either side of the range: a record's ``data.day`` names its board, its estimated
    capture time may fall just outside it (a wrong tablet clock)."""
    zone = site_zone(site.utc_offset_minutes)
    start = datetime.combine(first - timedelta(days=1), time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=2), time(0), tzinfo=zone)
    views = {v.record.id: v for v in reporting.records(site.id, ["rotation"], start, end)}
    events = [e for v in views.values() if (e := _event(v.record))]
    order = duty_order(users)
    days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    return [fold_day(order, [e for e in events if e.day == day], day) for day in days], views


@dataclass(frozen=True)
class Fairness:
    """Fairness for the manager: ``weeks`` (each week's Monday, newest first), ``by_week``
    (week -> rep -> Tally) and ``totals`` (rep -> Tally over the range), reps by username."""

    weeks: list[str]
    reps: list[str]
    by_week: dict[str, dict[str, Tally]]
    totals: dict[str, Tally]


def fairness(boards: Iterable[DayBoard]) -> Fairness:
    """Turns taken, lost, made up, owed; duty and designated receptions by rep and week."""
    by_week = fairness_by_week(boards)
    reps = sorted({rep for week in by_week.values() for rep in week})
    totals = {rep: sum((week.get(rep, Tally()) for week in by_week.values()), Tally()) for rep in reps}
    return Fairness(weeks=sorted(by_week, reverse=True), reps=reps, by_week=by_week, totals=totals)
