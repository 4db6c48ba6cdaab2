"""Fairness of the rotation (001 §12.3–12.5): each rep's numbers for a day and summed by ISO
week — turns taken, lost and made up (补接), turns owed, duty (义务接待), designated (指定接待) and
returning receptions. Pure; split from ``shared.rotation_log`` (which folds the day boards)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rotation_log import DayBoard

__all__ = ["Tally", "fairness_by_week", "week_of"]


@dataclass(frozen=True)
class Tally:
    """One rep's fairness numbers (001 §12.3–12.5): turns ``taken`` (counted, made-up ones
    included), turns ``lost`` (absent at their turn), turns ``made_up`` (补接), turns still
    ``owed``, ``duty`` receptions (义务接待), ``designated`` receptions (指定接待) and
    ``returning`` customers received by their own rep. All counts of customers or turns."""

    taken: int = 0
    lost: int = 0
    made_up: int = 0
    owed: int = 0
    duty: int = 0
    designated: int = 0
    returning: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.taken, self.lost, self.made_up, self.owed, self.duty, self.designated, self.returning)


def week_of(day: str) -> str:
    """The Monday (``YYYY-MM-DD``) of the ISO week holding ``day``."""
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def fairness_by_week(boards: Iterable[DayBoard]) -> dict[str, dict[str, Tally]]:
    """Each week's (its Monday) numbers by rep, summed over the day boards given that hold
    events (boards of ``board_of``, oldest first). ``owed`` is what was still owed at the end
    of the week's last board given (owed turns carry over from day to day within the week)."""
    weeks: dict[str, dict[str, Tally]] = {}
    last_owed: dict[str, dict[str, int]] = {}
    for board in boards:
        if not board.event_ids:
            continue  # a day without rotation records (closed, or no tablet in use) counts nothing
        week = weeks.setdefault(week_of(board.day), {})
        for rep, tally in board.tally().items():
            week[rep] = week.get(rep, Tally()) + replace(tally, owed=0)
        last_owed[week_of(board.day)] = {rep: board.rotation.owed.get(rep, 0) for rep in board.rotation.queue}
    for monday, owed in last_owed.items():
        week = weeks[monday]
        for rep in week:
            week[rep] = replace(week[rep], owed=owed.get(rep, 0))
    return weeks
