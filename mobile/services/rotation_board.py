"""The rotation board as the desk uses it: today's board replayed from stored events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.rotation import Rotation, Turn, assign, replay

from ..device_clock import wall_now
from ..store import LocalStore

__all__ = ["RotationService"]


class RotationService:
    def __init__(self, store: LocalStore, now: Callable[[], datetime] = wall_now):
        self.store, self.now = store, now

    def today(self) -> str:
        return self.now().date().isoformat()

    def reps(self) -> list[dict]:
        """Active reps of the site, in duty order (by username until a manager sets one)."""
        return self.store.users(role="rep")

    def board(self) -> Rotation:
        names = [u["username"] for u in self.reps()]
        return replay(names, self.store.rotation_events(self.today()))

    def set_status(self, rep: str, status: str) -> Rotation:
        self.store.add_rotation_event(self.today(), self.now().isoformat(), {"kind": "status", "rep": rep, "status": status})
        return self.board()

    def plan(self, visit: str, rep: str | None = None) -> Turn:
        """Who would receive this customer now (nothing is saved; raises NoRepOnDuty)."""
        return assign(self.board(), visit, rep)[1]

    @staticmethod
    def event_for(visit: str, turn: Turn, owner: str | None) -> dict:
        """The event saved with the registration, in the same transaction."""
        return {"kind": "receive", "visit": visit, "rep": turn.rep, "owner": owner, "reason": turn.reason}
