"""The rotation board (排班) as the tablet uses it: today's board folded from the site's shared
log of ``rotation`` records (``shared.rotation_log``), the ones pulled from the server and this
tablet's own not yet pulled back.

Pulled records carry the server's ``estimated_at``; an own record the server has not sent back
is placed at its capture time corrected by this tablet's last known clock offset (a provisional
board). Once everything is pushed and pulled, every tablet of the site folds the same board as
the server. Every change is a record (saved in one transaction with the walk-in it goes with).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from shared.errors import Problem
from shared.rotation import STATUSES, Turn
from shared.rotation_duty import duty_list, duty_spans, on_duty_at
from shared.rotation_log import DayBoard, RotationEvent, week_of
from shared.rotation_week import board_of
from shared.timeutil import parse_time

from ..device_clock import wall_now
from ..store import LocalStore
from ..store.rotation_queries import desk_receptions, rotation_records
from .capture import RecordCapture
from .profile import site_offset_minutes, site_tz, user_names
from .record_rights import RecordRights

__all__ = ["RotationService", "DeskReception", "visit_of", "OWN"]

OWN = "own"
"""A ``Turn.reason`` of the rep's own tablet: the rep receives whoever they register (no turn)."""


@dataclass(frozen=True)
class DeskReception:
    """One of today's receptions by this desk (排班), as the undo list shows it: the record
    ``id``, the receiving ``rep`` (username), ``visit`` (new / returning / designated), the
    ``turn`` number the board gave (new customers), ``captured_at`` (UTC ISO 8601), and
    ``withdrawal``: the ``data`` of the withdrawal that undid it (None while it stands)."""

    id: str
    rep: str
    visit: str
    turn: int | None
    captured_at: str
    withdrawal: dict | None = None
    # why the signed-in user may not undo it (``RecordRights``: another user's, not desk work); None: may
    refusal: Problem | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawal is not None


class RotationService:
    def __init__(self, store: LocalStore, capture: RecordCapture, now: Callable[[], datetime] = wall_now):
        self.store, self.capture, self.now = store, capture, now

    def today(self) -> str:
        """The site-local day (the site's UTC offset, 480 = Beijing until the site is pulled)."""
        return self.now().astimezone(site_tz(self.store.site())).date().isoformat()

    def reps(self) -> list[dict]:
        """Active reps of the site on the duty list today, in duty order (by username, as on
        the server): who the desk may name as receiver. A rep listed from a later day (``users
        add --listed-from``) is not yet (QA5 F4: 指定接待 offered him days before he started).
        Today is the site's day by this tablet's clock corrected with its last known offset
        from the server, so a tablet whose clock is some hours wrong still offers everyone."""
        users = self.store.users(role="rep")
        offset = timedelta(milliseconds=self.store.latest_clock_offset_ms() or 0)
        zone = site_tz(self.store.site())
        today = (self.now() - offset).astimezone(zone).date()
        day_end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone) - timedelta(microseconds=1)
        started = on_duty_at(duty_spans(users), day_end)
        return [u for u in users if u["username"] in started]

    def names(self) -> dict[str, str]:
        """username -> display name of every user the tablet holds, deactivated ones included
        (the board's past turns and clashes still name them)."""
        return user_names(self.store)

    def board(self, day: str | None = None) -> DayBoard:
        """The board of ``day`` (default today) from every rotation record this tablet holds of
        that day's week up to it (the order and owed turns carry over, ``board_of``), less the
        withdrawn ones. The duty list of each day is the reps on duty that day, a rep added or
        deactivated during it joining or leaving the queue at that moment
        (``shared.rotation_duty.duty_list``, as on the server): a rep deactivated later still
        counts on past days, and the desk never gives a turn to a rep who has left."""
        day = day or self.today()
        offset = timedelta(milliseconds=self.store.latest_clock_offset_ms() or 0)
        device = self.store.get_meta("device_id") or ""
        events = []
        monday = date.fromisoformat(week_of(day))
        for n in range((date.fromisoformat(day) - monday).days + 1):
            pulled, own = rotation_records(self.store, (monday + timedelta(days=n)).isoformat())
            for record in pulled:
                events.append(RotationEvent.from_record(record))
            for wire in own:  # provisional: the tablet's estimate until the server's comes back
                events.append(RotationEvent.from_record(wire, at=parse_time(wire["captured_at"]) - offset,
                                                        device_id=device))
        zone = site_tz(self.store.site())
        spans = duty_spans(self.store.users(role="rep", active_only=False))
        rosters: dict[str, list[str]] = {}
        for n in range((date.fromisoformat(day) - monday).days + 1):
            listed = (monday + timedelta(days=n)).isoformat()
            rosters[listed], joins = duty_list(spans, listed, zone)
            events += joins
        # an earlier day's records that reached the server after the next day began do not
        # reorder it: the same rule, offset and receipt times as the server (QA of issue 12 M1)
        return board_of(rosters.__getitem__, events, day, site_offset_minutes(self.store.site()))

    def _record(self, event: str, rep: str | None = None, **data: Any) -> DayBoard:
        day = self.today()
        self.capture.save(self.capture.build_rotation(rep, {"day": day, "event": event, **data}))
        return self.board(day)

    def set_status(self, rep: str, status: str) -> DayBoard:
        """Mark a rep present (on duty, back), absent, or away on the manager's errand."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        return self._record(status, rep)

    def lunch(self, starting: bool) -> DayBoard:
        """Lunch begins (the first two in the order staff the desk, 001 §12.3.14) or ends."""
        return self._record("lunch_start" if starting else "lunch_end")

    def plan(self, visit: str, rep: str | None = None) -> Turn:
        """Who would receive this customer now (nothing is saved; raises NoRepOnDuty). On a
        rep's own tablet the rep receives whoever they register (reason ``own``, no turn): the
        board is the desk's (001 §12.3), and a rep's walk-in is the rep's own claim (R1) — it
        went to whoever's turn it was at the desk (QA6 H2)."""
        user = self.store.get_meta("user") or {}
        if user.get("role") == "rep" and user.get("username"):
            return Turn(user["username"], OWN, counted=False)
        return self.board().plan(visit, rep)

    def marked_out(self, rep: str | None) -> str | None:
        """``absent`` or ``assigned`` when today's board marks ``rep`` so (else None): a customer
        may insist on a rep marked 缺席 (指定接待 is allowed), but the desk is told first (QA of
        issue 12 L4: it was accepted without a word)."""
        return self.board().out().get(rep or "") if rep else None

    def reception(self, visit: str, turn: Turn, owner: str | None) -> Callable[[str], Mapping[str, Any]]:
        """The ``rotation`` record of a reception, made when the registration is saved (its id
        given): the receiving rep, the kind of visit and, for a new customer, the turn number
        the board gives now (two desks giving the same number is a clash the manager sees)."""
        def make(registration: str) -> Mapping[str, Any]:
            day = self.today()
            data: dict[str, Any] = {"day": day, "event": "receive", "visit": visit, "reason": turn.reason,
                                    "owner": owner, "registration": registration}
            if visit == "new":
                data["turn"] = self.board(day).next_turn
            return self.capture.build_rotation(turn.rep, data)

        return make

    def desk_receptions(self) -> list[DeskReception]:
        """Today's receptions by this tablet, newest first, withdrawn ones with their reason; each
        says whether the signed-in user may undo it (``refusal``: a desk user may undo the desk's
        and a manager's, QA re-check HIGH-C)."""
        rights = RecordRights.load(self.store)
        return [DeskReception(id=entry.id, rep=entry.rep or "", visit=str(entry.wire["data"].get("visit") or "new"),
                              turn=entry.wire["data"].get("turn"), captured_at=entry.captured_at,
                              withdrawal=dict(undo.get("data") or {}) if undo else None,
                              refusal=rights.entry_refusal(entry, "undo"))
                for entry, undo in desk_receptions(self.store, self.today())]

    def withdraw_reception(self, record_id: str, reason: str) -> DayBoard:
        """Undo one of today's receptions by this desk (a customer given to the wrong rep, a
        tap by mistake; issue 12): a ``withdrawal`` record with the desk's ``reason``, pushed
        and pulled like the others, so the reception leaves every tablet's board and the
        server's. Works offline. The walk-in it went with is not changed (correct that on the
        sync screen). Returns today's board without it. Raises ValueError when ``record_id`` is
        not a standing reception of today by this tablet, RecordInvalid for an empty reason,
        NotOwnRecord for one the signed-in user may not undo (``DeskReception.refusal``)."""
        if not any(r.id == record_id and not r.withdrawn for r in self.desk_receptions()):
            raise ValueError("not one of today's standing receptions on this tablet")
        self.capture.withdraw(record_id, reason, action="undo")
        return self.board()


def visit_of(verdict: str | None, owner: str | None, active: set[str], designated: str | None
             ) -> tuple[str, str | None]:
    """The kind of a walk-in's visit and the rep it names (排班): a returning customer
    (``verdict`` returning / deal / disputed) goes to its ``owner`` — unless the owner has left
    (not among ``active`` reps: the server refuses a walk-in for them, QA of issue 14 N7; the
    rotation gives the customer until a manager hands them over; ``active`` empty: not read
    yet, the owner is trusted) —; else the ``designated`` rep (指定接待); else a new customer by
    the rotation."""
    if verdict in ("returning", "deal", "disputed") and owner and (not active or owner in active):
        return "returning", owner
    if designated:
        return "designated", designated
    return "new", None
