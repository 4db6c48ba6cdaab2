"""The boundary: what a tablet may send, read the same way on the tablet and on the server.

Every integer, number, time and text that crosses the wire has a documented bound
(docs/protocol.md, "Bounds"); anything outside is refused where it sits — a record's field
rejects that record alone (``invalid_value`` / ``invalid_time`` with the field), an envelope
field is a 422 — and never reaches arithmetic, a digest or a database that cannot hold it.

Strict JSON (``loads_strict``): a body nested deeper than ``MAX_NESTING`` is refused
(``StrictJsonError``); ``NaN``/``Infinity`` tokens, numbers that overflow a double and
integers longer than ``MAX_INTEGER_DIGITS`` digits are read as ``Unrepresentable`` markers, so
the record (or envelope field) holding one is refused by ``value_problem`` or by its type
check, not the whole push. Lone UTF-16 surrogates (``"\\ud83d"`` alone) stay in the strings
and ``value_problem`` refuses them: no UTF-8 text, digest or database can hold them.

Hierarchy::

    ValueError
    └── StrictJsonError     the body cannot be read as strict JSON (an envelope fault: 422)
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .errors import Problem
from .timeutil import DATE_EXAMPLE, TIME_EXAMPLE

__all__ = [
    "MAX_SAFE_INTEGER",
    "EARLIEST_TIME",
    "MAX_AHEAD",
    "MAX_CLOCK_AHEAD",
    "EARLIEST_DATE",
    "MAX_NESTING",
    "MAX_INTEGER_DIGITS",
    "MAX_ID_LENGTH",
    "Unrepresentable",
    "StrictJsonError",
    "loads_strict",
    "value_problem",
    "time_problem",
    "date_problem",
    "time_shape_problem",
    "date_shape_problem",
    "printable",
]

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer every JSON reader (a double) holds exactly: bound of seq, elapsed_ms."""
EARLIEST_TIME = datetime(1970, 1, 1, tzinfo=UTC)
"""The floor of every time on the wire: a tablet whose clock was reset reads the Unix epoch."""
MAX_AHEAD = timedelta(days=1)
"""A time a person entered may be at most this far after the push's receive time (time zones,
small skew)."""
MAX_CLOCK_AHEAD = timedelta(days=3653)
"""How far a device's own wall-clock reading (``captured_at``, a push's ``sent_at``) may lie after
the receive time: ten years. A tablet whose clock runs days or months fast must still sync —
its records are estimated from their elapsed clocks, or marked ``impossible`` for a manager
(issue 8 item 7) — so refusing them would lose real registrations; beyond ten years the
reading is no clock at all (``9999-12-31``)."""
EARLIEST_DATE = date(1970, 1, 1)
"""The floor of every calendar date on the wire."""
MAX_NESTING = 32
"""Deepest nesting of arrays/objects in a body (no form nests deeper than 5)."""
MAX_INTEGER_DIGITS = 20
"""Longer integer literals are refused where they sit (no bound of the protocol is that long)."""
MAX_ID_LENGTH = 100
"""Longest id, username, boot id or device id."""


class Unrepresentable:
    """A JSON number no field can hold: ``NaN``, ``Infinity``, an overflowing or over-long number.
    Hashable and printable, so a record holding one is rejected with a message, never a crash."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token if len(token) <= 24 else token[:20] + "…"

    def __repr__(self) -> str:
        return self.token

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unrepresentable) and other.token == self.token

    def __hash__(self) -> int:
        return hash(("Unrepresentable", self.token))


class StrictJsonError(ValueError):
    """The body is not strict JSON: not JSON at all, or nested deeper than ``MAX_NESTING``."""


def _float(token: str) -> float | Unrepresentable:
    value = float(token)
    return value if math.isfinite(value) else Unrepresentable(token)


def _int(token: str) -> int | Unrepresentable:
    return int(token) if len(token.lstrip("-")) <= MAX_INTEGER_DIGITS else Unrepresentable(token)


def loads_strict(data: bytes | str) -> Any:
    """The JSON value of ``data`` (UTF-8 bytes or text); StrictJsonError when it is not JSON or is
    nested deeper than ``MAX_NESTING``. Unreadable numbers become ``Unrepresentable``."""
    try:  # numbers parsed in C; only a body holding an unreadable one is parsed again, number by number
        value = json.loads(data, parse_constant=Unrepresentable)
        if _plain_numbers_depth(value) <= MAX_NESTING:
            return value
    except (ValueError, UnicodeDecodeError, RecursionError):
        pass
    try:
        value = json.loads(data, parse_constant=Unrepresentable, parse_float=_float, parse_int=_int)
    except RecursionError:
        raise StrictJsonError(f"The body is nested too deeply; at most {MAX_NESTING} levels of arrays and "
                              "objects are allowed.") from None
    except (ValueError, UnicodeDecodeError):
        raise StrictJsonError("The body is not valid JSON; send a JSON object with "
                              "Content-Type: application/json.") from None
    if _depth(value) > MAX_NESTING:
        raise StrictJsonError(f"The body is nested too deeply; at most {MAX_NESTING} levels of arrays and "
                              "objects are allowed.")
    return value


def _plain_numbers_depth(value: Any) -> int:
    """``_depth`` of ``value``, or ``MAX_NESTING + 1`` when a number in it is one ``_int`` or
    ``_float`` would have made ``Unrepresentable`` (more than ``MAX_INTEGER_DIGITS`` digits,
    not finite): then ``loads_strict`` parses with them."""
    deepest, stack = 0, [(value, 1)]
    too_long = 10 ** MAX_INTEGER_DIGITS
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind is dict or kind is list:
            deepest = max(deepest, depth)
            for inner in (item.values() if kind is dict else item):
                if type(inner) is dict or type(inner) is list:
                    stack.append((inner, depth + 1))
                elif (type(inner) is int and not -too_long < inner < too_long) or (
                        type(inner) is float and not math.isfinite(inner)):
                    return MAX_NESTING + 1
        elif (kind is int and not -too_long < item < too_long) or (kind is float and not math.isfinite(item)):
            return MAX_NESTING + 1
    return deepest


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack += [(v, depth + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return deepest


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _unprintable(c: str) -> bool:
    """A control character ``printable`` hides: C0 but tab and newline, DEL, and C1 (U+0080-U+009F)."""
    return (c < " " and c not in "\t\n") or "\x7f" <= c <= "\x9f"


def printable(text: Any, limit: int = 80) -> str:
    """``text`` safe to echo in a message or a field path: lone surrogates and control
    characters (NUL, which PostgreSQL cannot store, among them; C1 such as U+009B CSI too; tab
    and newline kept) as U+FFFD,
    at most ``limit`` characters (an ellipsis marks a cut)."""
    text = str(text)
    if _has_lone_surrogate(text) or any(_unprintable(c) for c in text):
        text = "".join("\ufffd" if "\ud800" <= c <= "\udfff" or _unprintable(c) else c for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_problem(value: Any, path: str = "") -> Problem | None:
    """The first value inside ``value`` that no field can hold, as ``invalid_value`` at its
    dotted path: an ``Unrepresentable`` number, a float that is not finite, or text (a value or
    a key) with a lone UTF-16 surrogate. None when every value is representable."""
    try:
        if _plainly_representable(value):  # the common case, without building a path per value
            return None
    except RecursionError:
        pass
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, Unrepresentable) or (isinstance(item, float) and not math.isfinite(item)):
            return Problem("invalid_value", f"{printable(where) or 'the record'} is {item!r}, which is not a "
                           "number; enter a finite number.", printable(where))
        if isinstance(item, str) and _has_lone_surrogate(item):
            return Problem("invalid_value", f"{printable(where) or 'the record'} holds half of a character "
                           "(a lone UTF-16 surrogate); type the text again.", printable(where))
        if isinstance(item, Mapping):
            for key, inner in item.items():
                inner_path = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and _has_lone_surrogate(key):
                    return Problem("invalid_value", "A field name holds half of a character (a lone UTF-16 "
                                   "surrogate); update the app.", printable(inner_path))
                stack.append((inner, inner_path))
        elif isinstance(item, list):
            stack += [(inner, f"{where}[{i}]") for i, inner in enumerate(item)]
    return None


def _plainly_representable(item: Any) -> bool:
    """True when ``item`` is plain JSON (dict with text keys, list, text, finite float, int,
    bool, None) holding no lone surrogate; False when ``value_problem`` must look closer."""
    kind = type(item)
    if kind is str:
        return item.isascii() or not _has_lone_surrogate(item)
    if kind is dict:
        return all(type(key) is str and (key.isascii() or not _has_lone_surrogate(key))
                   and _plainly_representable(inner) for key, inner in item.items())
    if kind is list:
        return all(map(_plainly_representable, item))
    if kind is float:
        return math.isfinite(item)
    return item is None or kind is int or kind is bool


def time_problem(value: datetime, path: str, now: datetime, ahead: timedelta = MAX_AHEAD) -> Problem | None:
    """``invalid_time`` when ``value`` lies before ``EARLIEST_TIME`` or after ``now + ahead``."""
    try:
        too_early = value < EARLIEST_TIME
        too_late = value > now + ahead
    except OverflowError:  # an offset that carries the time past year 9999 in UTC
        too_early, too_late = False, True
    if too_early:
        return Problem("invalid_time", f"{path} is before {EARLIEST_TIME:%Y-%m-%d}: the tablet's clock is wrong; "
                       "set the date and time in the tablet's settings, then capture the record again.", path)
    if too_late:
        return Problem("invalid_time", f"{path} is more than {ahead.days} day(s) after the server's time: the "
                       "tablet's clock is ahead; set the date and time in the tablet's settings, then capture "
                       "the record again.", path)
    return None


def date_problem(value: date, path: str, today: date, ahead_days: int) -> Problem | None:
    """``invalid_value`` when ``value`` lies before ``EARLIEST_DATE`` or more than ``ahead_days``
    after ``today``."""
    latest = today + timedelta(days=ahead_days)
    if value < EARLIEST_DATE or value > latest:
        return Problem("invalid_value", f"{path} must be a date from {EARLIEST_DATE} to {latest}; it is {value}. "
                       "Pick the date again.", path)
    return None


def time_shape_problem(value: Any, path: str) -> Problem:
    """``invalid_time`` (``params`` ``{"reason": "time_shape"}``) for a value that is not a time in
    the wire's one shape (``shared.timeutil.parse_wire_time``; QA of issue 15: ``2026-12-02
    10:00:00+08:00``, ``20261202T100000+0800``, ``+1400``, seven fraction digits were stored as
    sent and relayed), or a time that does not exist (``T24:00``, 30 February)."""
    return Problem("invalid_time", f"{path} must be a time written YYYY-MM-DDTHH:MM:SS, optionally with a fraction "
                   "of 1 to 6 digits (.000), then Z or the UTC offset ±HH:MM from -12:00 to +14:00 — ASCII digits, "
                   f"upper-case T and Z — like {TIME_EXAMPLE} (docs/protocol.md, \"Times\"); "
                   f"{printable(repr(value), 60)} is not one.", path, {"reason": "time_shape"})


def date_shape_problem(value: Any, path: str) -> Problem:
    """``invalid_value`` (``params`` ``{"reason": "date_shape"}``) for a value that is not a date
    written ``YYYY-MM-DD`` (``shared.timeutil.parse_wire_date``: not ``20261202``, ``2026-W49-3``,
    ``2026-336`` or full-width digits), or a date that does not exist (2026-02-30)."""
    return Problem("invalid_value", f"{path} must be a date written YYYY-MM-DD in ASCII digits, like {DATE_EXAMPLE} "
                   f"(docs/protocol.md, \"Times\"); {printable(repr(value), 60)} is not one: pick the date again.",
                   path, {"reason": "date_shape"})
