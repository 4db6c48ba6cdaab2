"""The checks of one record type beyond its fields (``RecordType.data``): the rules that tie
fields together. ``type_problems`` is called by ``shared.records.validate_record`` with the
record's ``data`` (already a mapping), its whole wire form and its ``rep``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .boundary import EARLIEST_DATE
from .deals import deal_problems
from .errors import Problem
from .timeutil import FIRST_DAY, LAST_DAY, parse_wire_date, parse_wire_time

__all__ = ["COMPLAINT_STATUSES", "type_problems"]

COMPLAINT_STATUSES = ("open", "responded", "solution_offered", "resolved", "satisfaction_checked", "closed",
                      "severity_changed", "extension_approved")
"""A complaint's steps (003 问题处理; 001 §2 第十一条). ``open`` starts a case; every other status
is a later record naming it in ``refers_to``."""


def type_problems(type_: str, data: Mapping[str, Any], wire: Mapping[str, Any], rep: Any) -> list[Problem]:
    """Every problem of ``data`` for a record of ``type_`` that its fields alone cannot show."""
    check = _CHECKS.get(type_)
    return check(data, wire, rep) if check else []


def _follow_up(data: Mapping[str, Any], wire: Mapping[str, Any]) -> list[Problem]:
    """A next follow-up date before the day the record was captured (in the tablet's own offset,
    the site's day) plans nothing: ``date_in_past`` (issue 11: it used to be kept and ignored)."""
    next_on = data.get("next_action_on")
    try:
        captured = parse_wire_time(wire.get("captured_at"))
        day = parse_wire_date(next_on) if isinstance(next_on, str) else None
    except ValueError:
        return []  # the field and envelope checks already said what is wrong
    if day is not None and day < captured.date():
        return [Problem("date_in_past", f"data.next_action_on is {day}, before the day of this follow-up "
                        f"({captured.date()}); pick today or a later day.", "data.next_action_on")]
    return []


def _rotation(data: Mapping[str, Any], rep: Any) -> list[Problem]:
    """A status change or a reception names its rep; a reception says what kind of visit; a
    returning customer names their own rep (the owner)."""
    event = data.get("event")
    problems: list[Problem] = []
    if board_day := _board_day_problem(data.get("day")):
        problems.append(board_day)
    if event in ("present", "absent", "assigned", "receive") and not (isinstance(rep, str) and rep.strip()):
        problems.append(Problem("missing_field", "A rotation status change or reception needs the rep (rep); "
                                "choose the rep on the rotation board.", "rep"))
    if event == "receive" and not data.get("visit"):
        problems.append(Problem("missing_field", "A reception needs the kind of visit (data.visit): new, returning "
                                "or designated.", "data.visit"))
    if event == "receive" and data.get("visit") == "returning" and not data.get("owner"):
        problems.append(Problem("missing_field", "A returning customer's reception needs the customer's own rep "
                                "(data.owner).", "data.owner"))
    return problems


def _board_day_problem(value: Any) -> Problem | None:
    """A board's day (``data.day``) the console cannot show: before ``FIRST_DAY`` (2000-01-01)
    or after ``LAST_DAY``. QA F8e: a 排班 record of 1970-01-01 (what a tablet whose clock was
    reset names as today) was stored, and its board could never be viewed; a board of a wrong
    day also gives nobody their turn. Days before 1970 or too far ahead are the date field's own
    problem (``shared.boundary``), said once."""
    try:
        day = parse_wire_date(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if day is None or day < EARLIEST_DATE or FIRST_DAY <= day <= LAST_DAY:
        return None
    return Problem("invalid_value", f"data.day is {day}: a rotation board's day is from {FIRST_DAY} to {LAST_DAY} "
                   "(the days the console shows). The tablet's date is wrong: correct the date and time in the "
                   "system settings, then record it again.", "data.day",
                   {"reason": "board_day", "day": day.isoformat(), "first": FIRST_DAY.isoformat(),
                    "last": LAST_DAY.isoformat()})


def _complaint(data: Mapping[str, Any]) -> list[Problem]:
    """A status record names its case; a severity change says the new severity; an extension
    says the approved limit (at most 7 working days) and who approved it (001 §2 第十一条)."""
    status = data.get("status")
    problems: list[Problem] = []
    if status not in COMPLAINT_STATUSES:
        return problems
    if status != "open" and not data.get("refers_to"):
        problems.append(Problem("missing_field", "A complaint status record must name the complaint it updates "
                                "(data.refers_to).", "data.refers_to"))
    if status == "severity_changed" and not data.get("severity"):
        problems.append(Problem("missing_field", "A severity change needs the new severity.", "data.severity"))
    if status == "extension_approved":
        if not data.get("limit_days"):
            problems.append(Problem("missing_field", "An approved extension needs the limit in working days "
                                    "(at most 7).", "data.limit_days"))
        approved_by = data.get("approved_by")
        if approved_by is None or (isinstance(approved_by, str) and not approved_by.strip()):
            problems.append(Problem("missing_field", "An approved extension needs who approved it.",
                                    "data.approved_by"))
    return problems


_CHECKS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any], Any], list[Problem]]] = {
    "follow_up": lambda data, wire, rep: _follow_up(data, wire),
    "complaint": lambda data, wire, rep: _complaint(data),
    "rotation": lambda data, wire, rep: _rotation(data, rep),
    "deal": lambda data, wire, rep: deal_problems(data),
}
