"""The desk's day (来人来电): today's walk-ins and calls registered on this tablet, with counts.

"Today" is the site's calendar day (its UTC offset from the replica's site). Corrected records
count once (as their correction) and withdrawn ones not at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from shared.timeutil import parse_time

from ..device_clock import wall_now
from ..store import LocalStore

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


@dataclass(frozen=True)
class DeskDay:
    visitors: tuple[Visitor, ...]  # the latest first

    @property
    def walkins(self) -> int:
        return sum(v.type == "walkin" for v in self.visitors)

    @property
    def calls(self) -> int:
        return sum(v.type == "call" for v in self.visitors)


class TodaysVisitors:
    """Reads the store: call off the UI thread. ``now`` is a seam for tests."""

    def __init__(self, store: LocalStore, now: Callable[[], datetime] = wall_now):
        self.store, self.now = store, now

    def _day_start(self) -> datetime:
        site = self.store.site() or {}
        offset = site.get("utc_offset_minutes")
        zone = timezone(timedelta(minutes=480 if offset is None else offset))
        local = self.now().astimezone(zone)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    def today(self) -> DeskDay:
        start = self._day_start()
        coarse = (start - timedelta(days=1)).strftime("%Y-%m-%d")  # offsets differ: widen, then compare times
        entries = self.store.own_records_of_types(DAY_TYPES, captured_from=coarse)
        visitors = [Visitor(e.type, e.customer_name, (e.wire.get("customer") or {}).get("phone", ""), e.rep,
                            parse_time(e.captured_at), e.state)
                    for e in entries if not e.superseded_by and parse_time(e.captured_at) >= start]
        return DeskDay(tuple(sorted(visitors, key=lambda v: v.captured_at, reverse=True)))

    def walkins_today(self) -> int:
        return self.today().walkins
