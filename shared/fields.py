"""A tiny declarative validator: each record type's ``data`` is a table of Field specs.

No pydantic here: this runs on tablets built with python-for-android. A validator never
stops at the first problem; it returns every Problem with the dotted path of its field.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .boundary import (
    MAX_SAFE_INTEGER,
    date_problem,
    date_shape_problem,
    printable,
    time_problem,
    time_shape_problem,
)
from .errors import InvalidPhone, Problem
from .phones import normalise_phone
from .timeutil import parse_wire_date, parse_wire_time, utc_now

__all__ = ["Field", "check_fields", "is_uuid", "control_character_problem", "INVISIBLE", "clean_name",
           "password_problem", "hidden_character", "DEVICE_NAME_MAX", "PNG_SIGNATURE"]

DEVICE_NAME_MAX = 100
"""Longest name of a tablet (enrolment's ``device_name``)."""

# C0 control characters other than tab and newlines, DEL, and the C1 controls U+0080-U+009F
# (NEL, CSI…; QA F6: "王\x85丽" was a stored name): invisible, and PostgreSQL cannot store NUL.
# Multi-line text keeps its tab, \n and \r; U+0085 NEL is C1 and refused like the rest.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""Characters that draw nothing: soft hyphen, zero-width space and non-joiner, direction marks
and embeddings, word joiner, BOM. In a name they make a look-alike ("张伟" and "张\u200b伟"
look the same and are different names), so a name may not hold them. The zero-width *joiner*
(U+200D) and variation selectors stay: emoji sequences need them."""


def hidden_character(text: str) -> str:
    """The first character of ``text`` that draws nothing or turns the text around it (``INVISIBLE``:
    direction marks, embeddings, overrides and isolates U+202A-U+202E/U+2066-U+2069 among them;
    the Arabic letter mark U+061C), as ``U+202E``; "" when it holds none. A device name holding
    one is refused (QA of issue 14, M6: a name starting with U+202E turned the console's
    sentence around it backwards)."""
    return next((f"U+{ord(ch):04X}" for ch in text if ch == "\u061c" or INVISIBLE.match(ch)), "")


def clean_name(typed: str) -> str:
    """A typed or pasted name as it is stored: invisible characters (``INVISIBLE``) removed,
    surrounding white space trimmed. What the tablet saves; the server refuses what it removes."""
    return INVISIBLE.sub("", typed).strip()


def password_problem(password: str) -> str | None:
    """Why a password someone sets cannot be used, as a code; None when it can (QA of issue 12
    N3: a manager pasting from a chat set passwords nobody could type again):
    ``password_control`` when it holds a control character (NUL, tab, ``\x01``…, C0/C1/DEL),
    a line or paragraph separator (U+2028/U+2029) or half a character (a lone UTF-16
    surrogate); ``blank_password`` when nothing in it draws: only white space, format
    characters (zero-width, joiners, direction marks), combining marks (variation selectors)
    and the letters that draw blank (Hangul fillers, the blank Braille pattern; QA re-check of
    issue 12, D). The length rule is the caller's."""
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in password):
        return "password_control"
    if not any(_draws(ch) for ch in password):
        return "blank_password"
    return None


_DRAWS_BLANK = frozenset("\u115f\u1160\u2800\u3164\uffa0")  # Hangul fillers, blank Braille


def _draws(ch: str) -> bool:
    """True for a character a person sees: a letter, digit, punctuation or symbol that is not
    one of the few that draw blank."""
    return unicodedata.category(ch)[0] in "LNPS" and ch not in _DRAWS_BLANK


def control_character_problem(value: str, path: str) -> Problem | None:
    """A Problem if ``value`` holds control characters a person cannot see or type."""
    if _CONTROL.search(value):
        return _problem("invalid_value", path, f"{path} contains control characters (such as NUL); "
                        "remove them and type the text again.")
    return None


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def is_uuid(value: Any) -> bool:
    """A UUID in its canonical text, 8-4-4-4-12 hex digits (either case: ids are stored lower
    case). ``uuid.UUID`` also reads ``{braced}``, ``urn:uuid:`` and 32-hex forms: one UUID
    written four ways was four records (QA round A, F7); a tablet writes ``str(uuid4())``."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


@dataclass(frozen=True)
class Field:
    """How one field is checked. ``kind``: text, int, number, bool, enum, date, time, uuid,
    phone, object (``fields`` nested), base64 or png (base64 of a PNG image).

    Bounds (docs/protocol.md, "Bounds"): text, base64, png and phone at most ``max_len`` characters;
    int and number within ``minimum``..``maximum`` (each at most ``MAX_SAFE_INTEGER`` in size,
    numbers finite); date from ``EARLIEST_DATE`` and time from ``EARLIEST_TIME`` up to
    ``ahead_days`` after the check's ``now``."""

    kind: str
    required: bool = False
    max_len: int = 200
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    fields: Mapping[str, Field] = field(default_factory=dict)
    ahead_days: int = 1


def _problem(code: str, path: str, message: str) -> Problem:
    return Problem(code=code, message=message, field=path)


def _check_value(spec: Field, value: Any, path: str, region: str, now: datetime) -> list[Problem]:
    kind = spec.kind
    if kind in ("text", "base64", "png"):
        if not isinstance(value, str):
            return [_problem("wrong_type", path, f"{path} must be text.")]
        if len(value) > spec.max_len:
            return [_problem("too_long", path, f"{path} is {len(value)} characters; shorten it to at most {spec.max_len}.")]
        control = control_character_problem(value, path)
        if control:
            return [control]
        return _image_problems(kind, value, path) if kind != "text" else []
    if kind in ("int", "number"):
        ok_type = (int,) if kind == "int" else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_type):
            return [_problem("wrong_type", path, f"{path} must be a {'whole ' if kind == 'int' else ''}number.")]
        low = -MAX_SAFE_INTEGER if spec.minimum is None else spec.minimum
        high = MAX_SAFE_INTEGER if spec.maximum is None else spec.maximum
        if not low <= value <= high:
            shown = printable(value, 30)
            return [_problem("invalid_value", path, f"{path} must be between {low:g} and {high:g}; it is {shown}.")]
        return []
    if kind == "bool":
        return [] if isinstance(value, bool) else [_problem("wrong_type", path, f"{path} must be true or false.")]
    if kind == "enum":
        if value not in spec.choices:
            return [_problem("invalid_value", path, f"{path} must be one of {', '.join(spec.choices)}; got {printable(repr(value), 60)}.")]
        return []
    if kind == "date":
        try:
            day = parse_wire_date(value)
        except ValueError:
            return [date_shape_problem(value, path)]
        late = date_problem(day, path, now.date(), spec.ahead_days)
        return [late] if late else []
    if kind == "time":
        try:
            moment = parse_wire_time(value)
        except ValueError:
            return [time_shape_problem(value, path)]
        out_of_range = time_problem(moment, path, now)
        return [out_of_range] if out_of_range else []
    if kind == "uuid":
        return [] if is_uuid(value) else [_problem("invalid_id", path, f"{path} must be a UUID.")]
    if kind == "phone":
        if not isinstance(value, str):
            return [_problem("wrong_type", path, f"{path} must be text (the phone number as typed).")]
        if len(value) > spec.max_len:
            return [_problem("too_long", path, f"{path} is {len(value)} characters; a phone number has at most {spec.max_len}.")]
        try:
            normalise_phone(value, region)
        except InvalidPhone as exc:  # what is wrong, for the reader's own words (QA of issue 14, L12)
            params = {"reason": exc.reason, **({"char": exc.char} if exc.char else {})}
            return [Problem("invalid_phone", str(exc), path, params)]
        return []
    if kind == "object":
        if not isinstance(value, Mapping):
            return [_problem("wrong_type", path, f"{path} must be an object.")]
        return check_fields(spec.fields, value, region, path + ".", now)
    raise ValueError(f"unknown field kind {kind}")  # a programming error, not user input


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The eight bytes every PNG starts with; its first chunk, IHDR, follows (PNG spec, 5.2 and 5.3)."""


def _image_problems(kind: str, value: str, path: str) -> list[Problem]:
    """``base64``: standard base64 (line breaks allowed, as MIME writes them); ``png``: base64 of
    a PNG image (signature then the IHDR chunk). QA F8c: "!!!notb64" and non-PNG bytes were
    stored as a visit report's signature, and the console showed a broken image."""
    try:
        raw = base64.b64decode(re.sub(r"[ \t\r\n]", "", value), validate=True)
    except (binascii.Error, ValueError):
        return [Problem("invalid_value", f"{path} is not base64 (letters, digits, + and /, = at the end); "
                        "the image is damaged: sign again.", path, {"reason": "not_base64"})]
    if kind == "png" and not (raw.startswith(PNG_SIGNATURE) and raw[12:16] == b"IHDR"):
        return [Problem("invalid_value", f"{path} is not a PNG image (it must start with the PNG signature "
                        "\\x89PNG\\r\\n\\x1a\\n and its IHDR header); the image is damaged: sign again.", path,
                        {"reason": "not_png"})]
    return []


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_fields(specs: Mapping[str, Field], values: Mapping[str, Any], region: str, prefix: str = "",
                 now: datetime | None = None) -> list[Problem]:
    """Every problem of ``values`` against ``specs``: missing required, wrong types, bounds, unknown
    keys. ``now``: the time the bounds of dates and times are taken from (default: now, UTC)."""
    now = now or utc_now()
    problems: list[Problem] = []
    for name, spec in specs.items():
        path = prefix + name
        value = values.get(name)
        if _empty(value):
            if spec.required:
                problems.append(_problem("missing_field", path, f"{path} is required; fill it in."))
            continue
        problems.extend(_check_value(spec, value, path, region, now))
    for name in values:
        if name not in specs:
            path = printable(prefix + str(name))
            problems.append(_problem("unknown_field", path, f"{path} is not a field of this form; remove it."))
    return problems
