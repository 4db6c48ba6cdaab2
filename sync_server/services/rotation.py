"""排班 on the server: the site's rotation board of a day, folded from every tablet's ``rotation``
records exactly as each tablet folds them (``shared.rotation_log``), and fairness by rep and
week for the manager (001 §12.3–12.5, §14(二)).

A day starts from where the previous day of its week ended (``shared.rotation_week.board_of``);
Monday from the duty list: the site's reps by username on duty when the day began (their
``duty_periods``: a past day's board does not change when a rep is deactivated or reactivated
later); a rep added or reactivated during the day joins the back at that moment, one
deactivated during it leaves then (``shared.rotation_duty.duty_list``); a rep the order does
not know joins at the back when a record names them. A withdrawn rotation record is left out
of every board.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from shared.rotation import STATUSES
from shared.rotation_duty import duty_list, duty_spans
from shared.rotation_log import (
    DayBoard,
    RotationEvent,
    Tally,
    fairness_by_week,
    week_of,
)
from shared.rotation_week import boards_of
from shared.timeutil import site_zone

from ..storage.base import Site, StoredRecord, User
from ..storage.reporting import RecordView, ReportingStore

__all__ = ["day_boards", "Fairness", "fairness", "status_setters", "Undone", "undone_receptions"]


def _event(record: StoredRecord) -> RotationEvent | None:
    try:
        return RotationEvent.from_record({**record.wire, "estimated_at": record.estimated_at,
                                          "device_id": record.device_id, "received_at": record.received_at})
    except (KeyError, TypeError, ValueError):  # stored records were validated; never fail a page on one
        return None


def day_boards(reporting: ReportingStore, site: Site, users: Iterable[User], first: date, last: date
               ) -> tuple[list[DayBoard], dict[str, RecordView]]:
    """The board of each day ``first``..``last`` (site-local days, inclusive), oldest first,
    and the rotation records read, by id (their desk and time, for the manager). Events are
    read from the Monday of ``first``'s week (what carries over) to a day after ``last``, and a
    day before: a record's ``data.day`` names its board, its estimated capture time may fall
    just outside it (a wrong tablet clock). Withdrawals of them are read whenever made."""
    zone = site_zone(site.utc_offset_minutes)
    monday = date.fromisoformat(week_of(first.isoformat()))
    start = datetime.combine(monday - timedelta(days=1), time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=2), time(0), tzinfo=zone)
    views = {v.record.id: v for v in reporting.records(site.id, ["rotation"], start, end)}
    withdrawals = [v.record for v in reporting.records_superseding(site.id, views) if v.record.type == "withdrawal"]
    events = [e for r in [v.record for v in views.values()] + withdrawals if (e := _event(r))]
    spans = duty_spans(asdict(u) for u in users)
    rosters: dict[str, list[str]] = {}
    for n in range((last - monday).days + 1):
        day = (monday + timedelta(days=n)).isoformat()
        rosters[day], joins = duty_list(spans, day, zone)
        events += joins

    return boards_of(rosters.__getitem__, events, first.isoformat(), last.isoformat(), site.utc_offset_minutes), views


def status_setters(board: DayBoard, views: Mapping[str, RecordView]) -> dict[str, RecordView]:
    """rep (username) -> the view of the standing record that set the rep's status shown on
    ``board`` (``present`` / ``absent`` / ``assigned`` of its day, the latest in fold order;
    withdrawn ones left out): its ``author_name`` and ``device_name`` say who set it and where
    (QA of issue 12 F3: the manager could not see who set a status)."""
    standing = sorted((views[i] for i in board.event_ids if i in views),
                      key=lambda v: (v.record.estimated_at, v.record.device_id, v.record.seq, v.record.id))
    setters: dict[str, RecordView] = {}
    for view in standing:
        if (view.record.wire.get("data") or {}).get("event") in STATUSES and view.record.rep:
            setters[view.record.rep] = view
    return setters


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


@dataclass(frozen=True)
class Undone:
    """A reception the desk undid (撤销上一位接待): the ``rotation`` record (its rep, time and
    desk) and the ``withdrawal`` that took it off the board (its author, time and reason)."""

    reception: RecordView
    withdrawal: RecordView


def undone_receptions(views: dict[str, RecordView], reporting: ReportingStore, site: Site, day: date) -> list[Undone]:
    """The receptions of ``day`` (``data.day``, site-local) the desks withdrew, by capture time
    (issue 12 QA: the console left them out without a trace). ``views``: the rotation records
    ``day_boards`` read, by id; their withdrawals are read once."""
    mine = {rid: v for rid, v in views.items() if v.withdrawn and v.record.wire.get("data", {}).get("day") ==
            day.isoformat() and v.record.wire.get("data", {}).get("event") == "receive"}
    if not mine:
        return []
    undone = {w.record.supersedes: w for w in reporting.records_superseding(site.id, mine)
              if w.record.type == "withdrawal"}
    return sorted((Undone(mine[rid], w) for rid, w in undone.items() if rid in mine),
                  key=lambda u: (u.reception.record.estimated_at, u.reception.record.id))
