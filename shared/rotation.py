"""The reception rotation (排班 / 轮流接待, 001 §12.3–12.5, §14(二)): who takes the next walk-in.

Pure and deterministic: a ``Rotation`` is folded from the day's events; nothing here reads a
clock or storage. The rules:

- reps on duty take *new* walk-ins in rolling order (滚动循环): the head of the queue takes the
  customer and goes to the back;
- a rep absent at their turn without reason loses it (goes to the back, nothing owed);
- a rep away on work the manager assigned is skipped too, but each skipped turn is owed back
  (补接, "空几轮,补接几名"): once present again they take the next new customers first;
- a returning customer goes to the rep who first received them and is not counted; if that
  rep is away, the last present rep in the order receives as a duty (义务接待), not counted;
- a customer who names a rep before reception goes to that rep (指定接待), not counted;
- at lunch the first two present reps in the order staff the desk (001 §12.3.14): they take
  the new customers between them in their order; the others keep their places, nothing lost
  and nothing owed (they are not at fault).

The site's shared board is folded from ``rotation`` records by ``shared.rotation_log``, which
applies these rules. ``apply_event``/``replay`` fold the old tablet-only log (before issue 12),
whose events were plain dicts::

    {"kind": "status", "rep": "wang.li", "status": "present" | "absent" | "assigned"}
    {"kind": "receive", "visit": "new" | "returning" | "designated", "rep": ..., "owner": ...}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

__all__ = [
    "Rotation",
    "Turn",
    "Skip",
    "NoRepOnDuty",
    "STATUSES",
    "VISITS",
    "start_rotation",
    "set_status",
    "start_lunch",
    "end_lunch",
    "assign",
    "take_out_of_order",
    "apply_event",
    "replay",
]

STATUSES = ("present", "absent", "assigned")
VISITS = ("new", "returning", "designated")


class NoRepOnDuty(Exception):
    """Nobody present can take the customer: mark a rep present (or ask the manager)."""


@dataclass(frozen=True)
class Skip:
    """A rep passed over at their turn: ``why`` is ``absent`` (turn lost) or ``assigned`` (owed)."""

    rep: str
    why: str


@dataclass(frozen=True)
class Turn:
    """Who receives a customer and why. ``reason``: turn, makeup (补接), returning, duty
    (义务接待) or designated (指定). ``counted``: whether it counts as the rep's turn."""

    rep: str
    reason: str
    counted: bool
    skipped: tuple[Skip, ...] = ()


@dataclass(frozen=True)
class Rotation:
    """The board: ``queue`` (head takes the next new walk-in), each rep's status, turns owed,
    and the day's fairness numbers (counted turns, uncounted receptions, turns lost)."""

    queue: tuple[str, ...]
    status: Mapping[str, str] = field(default_factory=dict)
    owed: Mapping[str, int] = field(default_factory=dict)
    counted: Mapping[str, int] = field(default_factory=dict)
    uncounted: Mapping[str, int] = field(default_factory=dict)
    lost: Mapping[str, int] = field(default_factory=dict)
    lunch: tuple[str, ...] = ()  # the two reps staffing the desk at lunch (001 §12.3.14); () otherwise

    def is_present(self, rep: str) -> bool:
        return self.status.get(rep) == "present"

    @property
    def next_up(self) -> Turn | None:
        """Who takes the next new walk-in, or None if nobody present can."""
        try:
            return assign(self, "new")[1]
        except NoRepOnDuty:
            return None

    @property
    def duty_rep(self) -> str | None:
        """The last present rep in the order: who receives on duty for an absent owner."""
        present = [rep for rep in self.queue if self.is_present(rep) and (not self.lunch or rep in self.lunch)]
        return present[-1] if present else None


def _bump(counts: Mapping[str, int], rep: str, by: int = 1) -> dict[str, int]:
    out = dict(counts)
    out[rep] = out.get(rep, 0) + by
    return out


def start_rotation(reps: Iterable[str], present: Iterable[str] | None = None) -> Rotation:
    """A fresh board in duty order; every rep present unless ``present`` says otherwise."""
    queue = tuple(dict.fromkeys(reps))
    here = set(queue if present is None else present)
    return Rotation(queue=queue, status={rep: "present" if rep in here else "absent" for rep in queue})


def set_status(rotation: Rotation, rep: str, status: str) -> Rotation:
    """Mark a rep present, absent (without reason) or assigned (away on the manager's work).
    A rep not yet on the board joins at the back of the queue."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    queue = rotation.queue if rep in rotation.queue else rotation.queue + (rep,)
    return replace(rotation, queue=queue, status={**rotation.status, rep: status})


def start_lunch(rotation: Rotation) -> Rotation:
    """Lunch begins: the first two present reps in the order staff the desk (001 §12.3.14:
    午餐时间由当时轮班在前两位的售楼员负责在接待台值班). Already at lunch: unchanged."""
    if rotation.lunch:
        return rotation
    return replace(rotation, lunch=tuple([rep for rep in rotation.queue if rotation.is_present(rep)][:2]))


def end_lunch(rotation: Rotation) -> Rotation:
    """Lunch is over: everyone present takes turns in the order again."""
    return replace(rotation, lunch=())


def _to_back(queue: tuple[str, ...], rep: str) -> tuple[str, ...]:
    return tuple(r for r in queue if r != rep) + (rep,)


def take_out_of_order(rotation: Rotation, rep: str) -> tuple[Rotation, Turn]:
    """A new customer ``rep`` received although the order named someone else (a desk that gave
    the turn offline on an older board): the reception stands, counts as ``rep``'s turn (a
    turn owed is made up first) and ``rep`` goes to the back; nobody else loses anything."""
    if rep not in rotation.queue:  # a rep the day's order did not know yet joins at the back
        rotation = set_status(rotation, rep, "present")
    owed = rotation.owed.get(rep, 0)
    after = replace(rotation, queue=_to_back(rotation.queue, rep), counted=_bump(rotation.counted, rep),
                    owed=_bump(rotation.owed, rep, -1) if owed > 0 else rotation.owed)
    return after, Turn(rep, "makeup" if owed > 0 else "turn", True)


def _lunch_customer(rotation: Rotation) -> tuple[Rotation, Turn]:
    desk = [rep for rep in rotation.queue if rep in rotation.lunch and rotation.is_present(rep)]
    if not desk:
        raise NoRepOnDuty("Nobody staffing the desk at lunch is present; end lunch or mark a rep present.")
    return take_out_of_order(rotation, desk[0])


def _new_customer(rotation: Rotation) -> tuple[Rotation, Turn]:
    if rotation.lunch:
        return _lunch_customer(rotation)
    # A present rep owed turns (补接) takes precedence, first in queue order.
    for rep in rotation.queue:
        if rotation.is_present(rep) and rotation.owed.get(rep, 0) > 0:
            return (replace(rotation, owed=_bump(rotation.owed, rep, -1), counted=_bump(rotation.counted, rep)),
                    Turn(rep, "makeup", True))
    if not any(rotation.is_present(rep) for rep in rotation.queue):
        raise NoRepOnDuty("Nobody on duty is present; mark a rep present first.")
    queue, owed, lost = list(rotation.queue), dict(rotation.owed), dict(rotation.lost)
    skipped: list[Skip] = []
    while True:
        head = queue.pop(0)
        queue.append(head)  # taking the turn or losing it: either way the head goes to the back
        status = rotation.status.get(head)
        if status == "present":
            return (replace(rotation, queue=tuple(queue), owed=owed, lost=lost, counted=_bump(rotation.counted, head)),
                    Turn(head, "turn", True, tuple(skipped)))
        if status == "assigned":
            owed[head] = owed.get(head, 0) + 1
            skipped.append(Skip(head, "assigned"))
        else:
            lost[head] = lost.get(head, 0) + 1
            skipped.append(Skip(head, "absent"))


def assign(rotation: Rotation, visit: str, rep: str | None = None) -> tuple[Rotation, Turn]:
    """Who receives a customer, and the board afterwards.

    ``visit`` is ``new`` (rolling order), ``returning`` (``rep`` is the original rep, the
    owner) or ``designated`` (``rep`` is the rep the customer named). Raises NoRepOnDuty when
    nobody present can receive."""
    if visit == "new":
        return _new_customer(rotation)
    if visit not in VISITS:
        raise ValueError(f"visit must be one of {VISITS}")
    if not rep:
        raise ValueError(f"a {visit} customer needs the rep they belong to or named")
    uncounted = rotation.uncounted
    if visit == "designated" or rotation.is_present(rep):
        turn = Turn(rep, "designated" if visit == "designated" else "returning", False)
    else:
        duty = rotation.duty_rep
        if duty is None:
            raise NoRepOnDuty("Nobody on duty is present to receive for the absent rep.")
        turn = Turn(duty, "duty", False)
    return replace(rotation, uncounted=_bump(uncounted, turn.rep)), turn


def apply_event(rotation: Rotation, event: Mapping) -> Rotation:
    """The board after one stored event (see the module docstring for their shapes)."""
    if event.get("kind") == "status":
        return set_status(rotation, event["rep"], event["status"])
    if event.get("kind") == "receive":
        visit = event.get("visit", "new")
        try:
            after, _turn = assign(rotation, visit, event.get("owner") or event.get("rep"))
        except NoRepOnDuty:
            return rotation
        return after
    raise ValueError(f"unknown rotation event {event!r}")


def replay(reps: Iterable[str], events: Iterable[Mapping], present: Iterable[str] | None = None) -> Rotation:
    """The board for a day: the duty order, then every event in the order it happened."""
    rotation = start_rotation(reps, present)
    for event in events:
        rotation = apply_event(rotation, event)
    return rotation
