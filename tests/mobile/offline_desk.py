"""A desk tablet that has never reached a server, for tests of the tablet's services on a real
SQLite file: a settable clock, the site's three reps, and the store seeded as a first pull
would leave it (the site, then one user change a rep)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from mobile.services import RecordCapture, RotationService
from mobile.store import LocalStore

REPS = ("chen.jie", "wang.li", "zhang.qiang")
NAMES = {"chen.jie": "陈杰", "wang.li": "王丽", "zhang.qiang": "张强"}
MONDAY_10 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, Monday
TUESDAY_10 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


class Clock:
    """The time the tablet's services see, moved by the test (a seam: no sleeping, no wall clock)."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def rep_change(change_id: int, rep: str, name: str | None = None, active: bool = True,
               deactivated_at: str | None = None) -> dict:
    """The pull's ``user`` change of ``rep`` (display name ``name``, default the username)."""
    return {"change_id": change_id, "kind": "user",
            "user": {"username": rep, "name": name or rep, "role": "rep", "active": active,
                     "deactivated_at": deactivated_at}}


def offline_desk(path: Path, at: datetime, names: Mapping[str, str] | None = None
                 ) -> tuple[LocalStore, RotationService, Clock]:
    """``(store, rotation, clock)``: a fresh store at ``path`` holding site s1 (星河湾, UTC+8) and
    ``REPS`` (shown by ``names``, default their usernames), its services reading ``clock``
    (set to ``at``). The caller closes the store."""
    store = LocalStore(path)
    store.apply_changes([
        {"change_id": 1, "kind": "site", "site": {"id": "s1", "name": "星河湾", "utc_offset_minutes": 480}},
        *(rep_change(i + 2, rep, (names or {}).get(rep)) for i, rep in enumerate(REPS))], cursor="4")
    clock = Clock(at)
    return store, RotationService(store, RecordCapture(store, now=clock), now=clock), clock
