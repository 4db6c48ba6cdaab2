"""What carries over between the days of a week on the rotation board (排班): ``board_of`` and
``boards_of`` fold each day of an ISO week from the order the previous day ended in
(``shared.rotation_log``, module docstring: carry-over, late records of an earlier day).
Pure: the server and every tablet call them with the events they hold."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from .rotation import Rotation
from .rotation_log import DayBoard, RotationEvent, fold_day
from .rotation_tally import week_of

__all__ = ["board_of", "boards_of"]


def board_of(reps: Callable[[str], Iterable[str]], events: Iterable[RotationEvent], day: str,
             utc_offset_minutes: int | None = None) -> DayBoard:
    """The board of ``day`` with what carries over (module docstring): the days of its week
    before it that hold events are folded in turn, each starting from the previous one's end.
    ``reps(d)``: the duty list of day ``d`` (usernames in duty order; the server: reps not
    deactivated before ``d``). ``events`` may hold any days; only ``day``'s week is read.
    ``utc_offset_minutes``: the site's; given, what an earlier day carries is what the server
    had of it when ``day`` began (late records: ``DayBoard.late``); None: every record carries.
    Pure, as ``fold_day``."""
    return boards_of(reps, events, day, day, utc_offset_minutes)[0]


_DERIVED = ("join", "leave")  # from the users, not records: known to everyone from the start


def _carries(event: RotationEvent, cut: datetime, after: list[RotationEvent]) -> bool:
    """Whether ``event`` of a day shapes the next day's start: received before ``cut`` (the
    next day's beginning), or, later, before any other tablet acted on the next day (``after``:
    its records) — a desk alone, offline overnight, keeps its own order; nobody is blamed."""
    if event.event in _DERIVED or (event.received is not None and event.received < cut):
        return True
    return not any(n.device_id != event.device_id and n.event not in _DERIVED
                   and (event.received is None or n.at < event.received) for n in after)


def _carried(reps: Iterable[str], events: list[RotationEvent], withdrawals: list[RotationEvent], day: str,
             start: Rotation | None, board: DayBoard, cut: datetime,
             after: list[RotationEvent]) -> tuple[DayBoard, list[RotationEvent]]:
    """``board`` (the day's, from ``start``) as what carries into the next day (``_carries``;
    ``after``: the next day's records): folded again without the late records when there are
    some; with those (a withdrawal of one of the day's records among them)."""
    ids = {e.id for e in events}
    known = {e.id for e in events + withdrawals if _carries(e, cut, after)}
    withdrawn = {e.withdraws for e in withdrawals}
    late = [e for e in events if e.id not in known and e.id not in withdrawn]
    late += [e for e in withdrawals if e.withdraws in ids and e.id not in known]
    if not late:
        return board, []
    had = [e for e in events + withdrawals if e.id in known]
    return fold_day(reps, had, day, start), late


def boards_of(reps: Callable[[str], Iterable[str]], events: Iterable[RotationEvent], first: str,
              last: str, utc_offset_minutes: int | None = None) -> list[DayBoard]:
    """``board_of`` of every day ``first``..``last`` (``YYYY-MM-DD``, inclusive), oldest first,
    each week folded once (a day with late records once more, for what it carries)."""
    by_day: dict[str, list[RotationEvent]] = {}
    withdrawals: list[RotationEvent] = []
    for event in events:
        if event.event == "withdraw":
            withdrawals.append(event)
        else:
            by_day.setdefault(event.day, []).append(event)
    end = date.fromisoformat(last)
    current = date.fromisoformat(week_of(first))
    zone = timezone(timedelta(minutes=utc_offset_minutes)) if utc_offset_minutes is not None else None
    boards: list[DayBoard] = []
    carry: Rotation | None = None
    late: list[RotationEvent] = []
    while current <= end:
        day = current.isoformat()
        if current.weekday() == 0:
            carry, late = None, []  # Monday starts from the duty list
        duty = list(reps(day))
        board = fold_day(duty, by_day.get(day, []) + withdrawals, day, carry)
        if late:
            board = replace(board, late=tuple(sorted(late, key=lambda e: e.order_key)))
        carried = board
        if zone is not None:  # what the next day starts from: this day as the server had it then
            cut = datetime.combine(current + timedelta(days=1), time(0), tzinfo=zone)
            after = by_day.get((current + timedelta(days=1)).isoformat(), []) if current.weekday() < 6 else []
            carried, came_late = _carried(duty, by_day.get(day, []), withdrawals, day, carry, board, cut, after)
            late += came_late
        if carried.event_ids:  # a day without events (closed) carries the order through unchanged
            carry = carried.rotation
        if day >= first:
            boards.append(board)
        current += timedelta(days=1)
    return boards
