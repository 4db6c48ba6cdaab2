"""One rotation board (排班) per site and day, folded from the shared log of ``rotation`` records.

Every tablet of a site pushes its rotation events as records (type ``rotation``, docs/protocol.md)
and pulls everyone else's. The board is a pure function of the day's set of events: they are
folded in a total order taken from the events themselves — estimated capture time (the
server's ``estimated_at``; before a record reached the server, the tablet's own estimate), then
device id, then ``seq``, then id — so the same set gives the same board on every tablet and on
the server, whatever order or batching it arrived in. A tablet offline shows a provisional board;
after a sync it holds the server's estimates and folds to the server's board.

The rules are ``shared.rotation`` (001 §12.3–12.5, §14(二)). A reception is a recorded fact:
the rep who received the customer keeps them, whatever the board now says. Two kinds of
clash are reported for the manager (``Clash``), never silently settled:

- ``same_turn``: two receptions carry the same turn number (two desks, offline, each gave
  the next turn on the board they had); the turn keeps its number and the next new
  customer's turn follows it (turns are numbered 1, 2, 3… without gaps);
- ``out_of_order``: a new customer was received by another rep than the one the order
  names (001 §12.3: no skipping or swapping without the manager).

Both receptions stand: each counts as its rep's turn (``take_out_of_order``). Clashes are
listed by turn number (ties in fold order).

Event kinds (``data.event``): ``present`` (on duty, back), ``absent`` (without reason: loses
turns), ``assigned`` (away on the manager's errand: turns owed, 补接), ``receive`` (a customer
received; ``visit`` new / returning / designated), ``lunch_start`` and ``lunch_end`` (001
§12.3.14: the first two in the order staff the desk). A ``withdrawal`` record whose
``supersedes`` names a rotation record (a reception or status tapped by mistake) removes that
event from every board: the fold reads it as a ``withdraw`` event, whatever its day.

Days carry over within the week (``shared.rotation_week.board_of``; 001 §12.3.2 滚动循环，周而复始 and §12.3.4
安排当前位置优先轮值): a day starts from the order the previous day with events ended in, and
turns owed for the manager's errand (补接) are still owed; statuses, lunch and the day's counts
start afresh (everyone present). Monday starts from the duty list again (the bound: at most
six days are read back); a turn still owed then is shown as owed in that week's fairness.

**Late records of an earlier day** (QA of issue 12 M1: a desk offline overnight pushed
yesterday's receptions next morning, and today's turns, given in the order every desk showed,
became "out of order"): given the site's offset (``utc_offset_minutes``), what a day carries
into the next is the day as the server had it **when the next day began** (site-local
midnight). A record of it received later (``received``; a tablet's own record not yet on the
server counts as received later still) stands on its own day's board and in its fairness but
does not reorder the next day — unless no other tablet had recorded anything of the next day
before it arrived (a desk alone, offline overnight, keeps its own order: nobody acted on
another order). ``DayBoard.late`` lists the records left out, so a board can say the order was
not changed by them instead of blaming the desk. Still a pure function of the records (their
server receipt time is part of each pulled record: docs/protocol.md).

The duty list follows the people (``shared.rotation_duty``): a rep added or reactivated during a
day joins the back of the queue at that moment (a ``join`` event) — a rep deactivated earlier
that day gets their place back if no new customer was received in between —, one deactivated
during it leaves the queue then (``leave``), keeping what they did that day; a day outside a rep's periods
on duty does not list them. Neither is a record: the server and each tablet derive them from the
users they hold. An event naming a rep not on the duty list at that moment (deactivated, not yet
listed; an offline desk's older list) stands as a record but never puts them back in the queue:
a status is ignored by the board, a reception counts and is shown out of order (QA of issue 12).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .rotation import (
    VISITS,
    NoRepOnDuty,
    Rotation,
    Turn,
    assign,
    end_lunch,
    set_status,
    start_lunch,
    start_rotation,
    take_out_of_order,
)
from .rotation_tally import Tally, fairness_by_week, week_of
from .timeutil import parse_time

__all__ = [
    "ROTATION_EVENTS",
    "RECEPTION_REASONS",
    "RotationEvent",
    "Reception",
    "Clash",
    "Tally",
    "DayBoard",
    "fold_day",
    "fairness_by_week",
    "week_of",
]

ROTATION_EVENTS = ("present", "absent", "assigned", "receive", "lunch_start", "lunch_end")
"""``data.event`` of a ``rotation`` record."""
RECEPTION_REASONS = ("turn", "makeup", "returning", "duty", "designated")
"""Why the desk's board gave the customer to the rep (``data.reason``; ``Turn.reason``)."""


@dataclass(frozen=True)
class RotationEvent:
    """One rotation record as the fold reads it. ``at``: estimated capture time (aware);
    ``turn``: for a new customer, the turn number the desk's board gave (1 = the day's first)."""

    id: str
    day: str
    at: datetime
    device_id: str
    seq: int
    event: str
    rep: str | None = None
    visit: str | None = None
    owner: str | None = None
    turn: int | None = None
    withdraws: str | None = None  # a ``withdraw`` event: the id of the rotation record withdrawn
    received: datetime | None = None  # when the server received it (None: not yet, or a derived event)

    @property
    def order_key(self) -> tuple[datetime, str, int, str]:
        return (self.at, self.device_id, self.seq, self.id)

    @classmethod
    def from_record(cls, record: Mapping[str, Any], *, at: datetime | None = None,
                    device_id: str | None = None) -> RotationEvent:
        """From a pulled record view (``estimated_at``, ``device_id`` set by the server) or,
        for an own record not yet on the server, its wire form with ``at`` and ``device_id``
        given. A ``withdrawal`` record is read as a ``withdraw`` event (no day: it applies to
        the day of the record it names). Raises ValueError/KeyError for a record that is not a
        valid rotation record or withdrawal."""
        data = record.get("data") or {}
        when = parse_time(record["estimated_at"]) if at is None else at
        received = parse_time(record["received_at"]) if record.get("received_at") else None
        if record.get("type") == "withdrawal":
            return cls(id=str(record["id"]).lower(), day="", at=when,
                       device_id=str(device_id if device_id is not None else record.get("device_id") or ""),
                       seq=int(record.get("seq") or 0), event="withdraw", withdraws=str(record["supersedes"]).lower(),
                       received=received)
        return cls(id=str(record["id"]).lower(), day=str(data["day"]), at=when,
                   device_id=str(device_id if device_id is not None else record.get("device_id") or ""),
                   seq=int(record.get("seq") or 0), event=str(data["event"]), rep=record.get("rep") or None,
                   visit=data.get("visit"), owner=data.get("owner") or None, turn=data.get("turn"),
                   received=received)


@dataclass(frozen=True)
class Reception:
    """A customer received, as the fold counts it. ``reason``: turn, makeup (补接), returning,
    duty (义务接待) or designated (指定接待); ``counted``: a rotation turn; ``turn``: the
    fold's turn number for a new customer."""

    event_id: str
    rep: str
    visit: str
    reason: str
    counted: bool
    turn: int | None = None
    owner: str | None = None
    given_turn: int | None = None  # the turn number the desk's board gave (data.turn), if any


@dataclass(frozen=True)
class Clash:
    """Receptions the manager should look at (see the module docstring). ``turn``: the turn
    number concerned; ``reps``: who received, in fold order; ``expected``: whom the order named
    (``out_of_order``; None when nobody present could)."""

    kind: str
    turn: int | None
    event_ids: tuple[str, ...]
    reps: tuple[str, ...]
    expected: str | None = None


@dataclass(frozen=True)
class DayBoard:
    """The board of one site-local ``day``: the rotation after every event (``rotation``:
    queue, statuses, owed, lunch desk), the receptions and clashes in fold order, and the
    ids of the events folded."""

    day: str
    rotation: Rotation
    receptions: tuple[Reception, ...] = ()
    clashes: tuple[Clash, ...] = ()
    event_ids: frozenset[str] = field(default_factory=frozenset)
    late: tuple[RotationEvent, ...] = ()
    """Records of earlier days of the week that reached the server after this day began, so
    they did not change the order it started in (module docstring), in fold order."""

    @property
    def turns_given(self) -> int:
        """New-customer turns given so far today: each turn number once, however many desks
        gave it (a ``same_turn`` clash lists the receptions beyond the first)."""
        again = sum(len(c.event_ids) - 1 for c in self.clashes if c.kind == "same_turn")
        return sum(1 for r in self.receptions if r.visit == "new") - again

    @property
    def next_turn(self) -> int:
        """The number the next new customer's turn gets (``data.turn`` of its record)."""
        return self.turns_given + 1

    @property
    def next_up(self) -> Turn | None:
        return self.rotation.next_up

    def plan(self, visit: str, rep: str | None = None) -> Turn:
        """Who would receive this customer now (``shared.rotation.assign``; NoRepOnDuty)."""
        return assign(self.rotation, visit, rep)[1]

    def out(self) -> dict[str, str]:
        """Reps not present (rep -> ``absent`` or ``assigned``), in queue order."""
        return {rep: self.rotation.status[rep] for rep in self.rotation.queue
                if self.rotation.status.get(rep) in ("absent", "assigned")}

    def tally(self) -> dict[str, Tally]:
        """Each rep's numbers for the day: reps of the queue in queue order, then reps who left
        the duty list during the day with what they did before (``duty_list``)."""
        rot = self.rotation
        reps = list(dict.fromkeys([*rot.queue, *rot.counted, *rot.lost, *rot.uncounted,
                                   *(r.rep for r in self.receptions)]))
        made_up = {rep: 0 for rep in reps}
        kinds: dict[str, dict[str, int]] = {rep: {"duty": 0, "designated": 0, "returning": 0} for rep in reps}
        for r in self.receptions:
            if r.reason == "makeup":
                made_up[r.rep] = made_up.get(r.rep, 0) + 1
            elif r.reason in ("duty", "designated", "returning"):
                kinds.setdefault(r.rep, {"duty": 0, "designated": 0, "returning": 0})[r.reason] += 1
        return {rep: Tally(taken=rot.counted.get(rep, 0), lost=rot.lost.get(rep, 0), made_up=made_up.get(rep, 0),
                           owed=rot.owed.get(rep, 0), **kinds.get(rep, {}))
                for rep in reps}


def _ordered(events: Iterable[RotationEvent], day: str) -> list[RotationEvent]:
    events = list(events)
    withdrawn = {e.withdraws for e in events if e.event == "withdraw"}
    unique: dict[str, RotationEvent] = {}
    for event in events:
        if event.day == day and event.event != "withdraw" and event.id not in withdrawn:
            known = unique.get(event.id)
            # one id, two copies (the tablet's provisional one and the server's): any rule
            # that does not depend on arrival works; the earlier key wins
            if known is None or event.order_key < known.order_key:
                unique[event.id] = event
    return sorted(unique.values(), key=lambda e: e.order_key)


def _receive(rotation: Rotation, event: RotationEvent, turn_no: int) -> tuple[Rotation, Reception, Clash | None]:
    rep = event.rep or ""
    visit = event.visit if event.visit in VISITS else "new"
    if visit != "new":
        owner = event.owner or rep
        if visit == "designated":
            reason = "designated"
        else:
            reason = "returning" if owner == rep else "duty"
        after = rotation if rep in rotation.queue else set_status(rotation, rep, "present")
        after = replace(after, uncounted={**after.uncounted, rep: after.uncounted.get(rep, 0) + 1})
        return after, Reception(event.id, rep, visit, reason, False, None, owner), None
    try:
        expected_after, expected = assign(rotation, "new")
    except NoRepOnDuty:
        expected_after, expected = rotation, None
    if expected is not None and expected.rep == rep:
        return expected_after, Reception(event.id, rep, visit, expected.reason, True, turn_no, None, event.turn), None
    after, turn = take_out_of_order(rotation, rep)
    clash = Clash("out_of_order", turn_no, (event.id,), (rep,), expected.rep if expected else None)
    return after, Reception(event.id, rep, visit, turn.reason, True, turn_no, None, event.turn), clash


def _without(rotation: Rotation, rep: str) -> Rotation:
    """``rotation`` with ``rep`` off the queue, statuses, owed turns and lunch (a ``leave``)."""
    return replace(rotation, queue=tuple(r for r in rotation.queue if r != rep),
                   status={r: s for r, s in rotation.status.items() if r != rep},
                   owed={r: n for r, n in rotation.owed.items() if r != rep},
                   lunch=tuple(r for r in rotation.lunch if r != rep))


def _new_receptions(receptions: list[Reception]) -> int:
    return sum(1 for r in receptions if r.visit == "new")


def _rejoin(rotation: Rotation, rep: str, place: tuple[int, int, int, str] | None, new_now: int) -> Rotation:
    """``rep`` back on the duty list (a ``join``): at the back of the queue, present — or,
    deactivated earlier the same day and no new customer received since (they missed no turn:
    QA of issue 12 M2, 停用 then 重新启用 by mistake), as they left: place, status, owed turns."""
    if place is None or place[1] != new_now:
        return set_status(rotation, rep, "present")
    index, _, owed, status = place
    queue = list(rotation.queue)
    queue.insert(min(index, len(queue)), rep)
    return replace(rotation, queue=tuple(queue), status={**rotation.status, rep: status},
                   owed={**rotation.owed, rep: owed} if owed else rotation.owed)


def _start(reps: Iterable[str], carry: Rotation | None) -> Rotation:
    """The day's first board: the order ``carry`` ended in (reps no longer on the duty list
    left out, new ones at the back in the order given), everyone present, owed turns kept."""
    roster = list(dict.fromkeys(reps))
    if carry is None:
        return start_rotation(roster)
    queue = [rep for rep in carry.queue if rep in roster] + [rep for rep in roster if rep not in carry.queue]
    owed = {rep: n for rep, n in carry.owed.items() if rep in roster and n > 0}
    return replace(start_rotation(queue), owed=owed)


def fold_day(reps: Iterable[str], events: Iterable[RotationEvent], day: str,
             carry: Rotation | None = None) -> DayBoard:
    """The board of ``day``: the duty order ``reps`` (usernames; everyone present at the start,
    as ``shared.rotation.start_rotation``) or, given ``carry`` (the previous board's rotation),
    the order it ended in with its owed turns; then the day's events in their total order
    (events of other days ignored; an id seen twice folded once; a withdrawn event not at all).
    Pure: the same set of events, in any order or batching, gives the same board."""
    ordered = _ordered(events, day)
    rotation = _start(reps, carry)
    on_duty = set(rotation.queue)  # the duty list as the day goes: join adds, leave takes out
    receptions: list[Reception] = []
    clashes: list[Clash] = []
    of_turn: dict[int, tuple[Reception, int | None]] = {}  # desk's turn number -> first reception, its clash
    new_turns = 0
    left: dict[str, tuple[int, int, int, str]] = {}  # rep -> (queue place, new receptions, owed, status) at a leave
    for event in ordered:
        kind = event.event
        if kind in ("present", "absent", "assigned") and event.rep:
            if event.rep in on_duty:  # a status of a rep not on duty (left, not yet listed) stands
                rotation = set_status(rotation, event.rep, kind)  # as a record, never puts them back
        elif kind == "join" and event.rep:
            on_duty.add(event.rep)
            if event.rep not in rotation.queue:
                rotation = _rejoin(rotation, event.rep, left.pop(event.rep, None), _new_receptions(receptions))
        elif kind == "leave" and event.rep:
            on_duty.discard(event.rep)
            if event.rep in rotation.queue:
                left[event.rep] = (rotation.queue.index(event.rep), _new_receptions(receptions),
                                   rotation.owed.get(event.rep, 0), rotation.status.get(event.rep, "present"))
            rotation = _without(rotation, event.rep)
        elif kind == "lunch_start":
            rotation = start_lunch(rotation)
        elif kind == "lunch_end":
            rotation = end_lunch(rotation)
        elif kind == "receive" and event.rep:
            # a turn given again (two desks offline) keeps its number and takes none: the next
            # new customer's turn follows the last one given (QA of issue 12 N7: after two clashes
            # the numbers jumped from 2 to 5)
            new = (event.visit if event.visit in VISITS else "new") == "new"
            given = event.turn if new and isinstance(event.turn, int) and event.turn in of_turn else None
            again = given is not None
            rotation, reception, clash = _receive(rotation, event, given if given is not None else new_turns + 1)
            if event.rep not in on_duty:
                # a rep not on duty that moment (deactivated, an offline desk's old list; QA of
                # issue 12 A): the reception stands and counts, the manager sees it out of order,
                # and the queue goes on without them
                rotation = _without(rotation, event.rep)
                if clash is None and reception.visit == "new":
                    clash = Clash("out_of_order", reception.turn, (event.id,), (event.rep,), None)
            receptions.append(reception)
            new_turns += reception.visit == "new" and not again
            desk_turn = event.turn if reception.visit == "new" and isinstance(event.turn, int) else None
            if desk_turn is not None and desk_turn in of_turn:
                # the same turn given again: one clash for the turn, every reception of it listed
                first, index = of_turn[desk_turn]
                if index is None:
                    of_turn[desk_turn] = (first, len(clashes))
                    expected = clash.expected if clash else None
                    clashes.append(Clash("same_turn", desk_turn, (first.event_id, event.id), (first.rep, reception.rep),
                                         expected))
                else:
                    old = clashes[index]
                    clashes[index] = Clash("same_turn", desk_turn, old.event_ids + (event.id,),
                                           old.reps + (reception.rep,), old.expected)
                continue
            if clash is not None:
                clashes.append(clash)
            if desk_turn is not None:
                of_turn[desk_turn] = (reception, len(clashes) - 1 if clash is not None else None)
    clashes.sort(key=lambda c: c.turn if c.turn is not None else 0)  # by turn, ties in fold order (N7)
    return DayBoard(day=day, rotation=rotation, receptions=tuple(receptions), clashes=tuple(clashes),
                    event_ids=frozenset(e.id for e in ordered))

