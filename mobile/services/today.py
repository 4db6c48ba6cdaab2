"""The desk's day (来人来电): today's walk-ins and calls registered on this tablet, with counts.

"Today" is the site's calendar day (its UTC offset from the replica's site). Corrected records
count once (as their correction) and withdrawn ones not at all. A record the server refused and
nobody has corrected or withdrawn yet is not a visitor of the day: it is counted apart, "to fix"
(待处理, QA of issue 14 F8), until it is corrected (then its correction counts) or withdrawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import Problem
from shared.timeutil import parse_time

from ..device_clock import wall_now
from ..store import LocalStore
from .profile import site_tz, user_names
from .record_rights import RecordRights

__all__ = ["TodaysVisitors", "DeskDay", "Visitor"]

DAY_TYPES = ("walkin", "call")


@dataclass(frozen=True)
class Visitor:
    type: str  # walkin | call
    name: str
    phone: str
    rep: str | None
    captured_at: datetime
    state: str
    rep_name: str = ""  # the receiving rep's display name, deactivated reps too; "" for none (a call)
    # why the signed-in user may not correct or withdraw it (another user's on a shared tablet,
    # ``RecordRights``); None: she may. Said on a row to fix: the sync screen offers her nothing
    refusal: Problem | None = None

    @property
    def to_fix(self) -> bool:
        """Refused by the server, not corrected or withdrawn yet (the sync screen offers both)."""
        return self.state == "rejected"


@dataclass(frozen=True)
class DeskDay:
    visitors: tuple[Visitor, ...]  # the latest first

    @property
    def walkins(self) -> int:
        """Walk-ins of the day, those to fix (``to_fix``) left out."""
        return sum(v.type == "walkin" and not v.to_fix for v in self.visitors)

    @property
    def calls(self) -> int:
        """Calls of the day, those to fix left out."""
        return sum(v.type == "call" and not v.to_fix for v in self.visitors)

    @property
    def to_fix(self) -> int:
        """Walk-ins and calls the server refused, still to correct or withdraw (待处理)."""
        return sum(v.to_fix for v in self.visitors)


class TodaysVisitors:
    """Reads the store: call off the UI thread. ``now`` is a seam for tests."""

    def __init__(self, store: LocalStore, now: Callable[[], datetime] = wall_now):
        self.store, self.now = store, now

    def _day_start(self) -> datetime:
        local = self.now().astimezone(site_tz(self.store.site()))
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    def today(self) -> DeskDay:
        start = self._day_start()
        coarse = (start - timedelta(days=1)).strftime("%Y-%m-%d")  # offsets differ: widen, then compare times
        entries = self.store.own_records_of_types(DAY_TYPES, captured_from=coarse)
        names = user_names(self.store)  # active or not: a rep deactivated since still has a name
        rights = RecordRights.load(self.store)
        visitors = [Visitor(e.type, e.customer_name, (e.wire.get("customer") or {}).get("phone", ""), e.rep,
                            parse_time(e.captured_at), e.state, names.get(e.rep, e.rep) if e.rep else "",
                            rights.entry_refusal(e, "correct_or_withdraw"))
                    for e in entries if not e.superseded_by and parse_time(e.captured_at) >= start]
        return DeskDay(tuple(sorted(visitors, key=lambda v: v.captured_at, reverse=True)))

    def walkins_today(self) -> int:
        return self.today().walkins
