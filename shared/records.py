"""The record types of sync protocol v1 (plus ``deal`` for R9, ``withdrawal`` and ``rotation``).

Every captured thing is an immutable record. The wire shape (protocol.md, "Push")::

    {"id": uuid, "seq": int, "type": str, "captured_at": iso-time-with-offset,
     "clock": {"boot_id": str, "elapsed_ms": int}, "rep": username | null,
     "customer": {"name": str, "phone": str}, "supersedes": uuid | null, "data": {...}}

``parse_record`` checks a wire record completely and returns a ``Record`` or raises
``RecordInvalid`` with every problem. A ``rotation`` record (排班, ``shared.rotation_log``)
has no ``customer``, nor has the ``withdrawal`` of one (the record withdrawn must then be
customer-less: the server's check, as the tablet's). Whether ``rep`` names a rep of the site is the
server's check (``unknown_rep``); everything knowable from the record alone is checked here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .boundary import (
    MAX_CLOCK_AHEAD,
    MAX_ID_LENGTH,
    MAX_SAFE_INTEGER,
    printable,
    time_problem,
    time_shape_problem,
    value_problem,
)
from .clocks import DeviceClock
from .deals import DEAL_EVENTS, DEAL_STAGES
from .errors import Problem, RecordInvalid
from .fields import INVISIBLE, Field, check_fields, control_character_problem, is_uuid
from .name_form import MAX_STACKED_MARKS, stacked_marks
from .phones import normalise_phone
from .record_checks import COMPLAINT_STATUSES, type_problems
from .rotation import VISITS
from .rotation_log import RECEPTION_REASONS, ROTATION_EVENTS
from .timeutil import parse_wire_time, utc_now

__all__ = [
    "Record",
    "Customer",
    "RecordType",
    "RECORD_TYPES",
    "parse_record",
    "validate_record",
    "content_digest",
    "RATING_SCALES",
    "rating_score",
    "WALKIN_SOURCES",
    "TIERS",
    "COMPLAINT_STATUSES",
    "WITHDRAWAL_REASON_CODES",
]

WALKIN_SOURCES = ("walk_in", "passing_by", "friend", "newspaper", "outdoor", "online", "tv_radio", "event", "old_customer", "other")
INTENT = ("A", "B", "C", "D")
TIERS = ("vip", "core", "regular")
WITHDRAWAL_REASON_CODES = ("reception_moved",)
"""``data.reason_code`` of a ``withdrawal`` a tablet makes itself: the reader renders it in their
language from ``data.reason_params`` (``reception_moved``: a walk-in corrected to another rep,
``{"rep": username}``); ``data.reason`` keeps the text for readers that do not know the code."""

# Site visit report ratings (客户走访报告单), scored left to right 100/90/85/80/70/60/50,
# except the two service labels whose scores the form prints beside them.
RATING_SCALES: dict[str, dict[str, int]] = {
    "quality": {"非常优良": 100, "优良": 90, "良好": 85, "一般": 80, "合格": 70, "不合格": 60},
    "service": {"非常优良": 100, "优良": 90, "良好": 85, "一般": 80, "不好": 30, "恶劣": 0},
    "awareness": {"非常驰名": 100, "驰名": 90, "知名度高": 85, "知名度较高": 80, "知名": 70, "知道": 60, "不知道": 50},
}


RATING_ENGLISH: dict[str, str] = {
    "非常优良": "Excellent", "优良": "Very good", "良好": "Good", "一般": "Fair", "合格": "Acceptable",
    "不合格": "Unacceptable", "不好": "Poor", "恶劣": "Very poor", "非常驰名": "Very famous", "驰名": "Famous",
    "知名度高": "Well known", "知名度较高": "Fairly well known", "知名": "Known", "知道": "Heard of", "不知道": "Unknown",
}
"""Each visit-report label in English (the record keeps the form's Chinese label, which is
also the Chinese text): the tablet's form and the console's pages and exports read it alike."""


def rating_label(label: object, lang: str) -> object:
    """A rating as a reader of ``lang`` (``zh`` or ``en``) reads it: the stored label, or its
    English for ``en``; anything not a label of the form as it is."""
    return RATING_ENGLISH.get(label, label) if lang == "en" and isinstance(label, str) else label


def rating_score(scale: str, label: str) -> int:
    """The score a visit-report label stands for (KeyError for a label the form lacks)."""
    return RATING_SCALES[scale][label]


_TEXT = Field("text", max_len=2000)
CUSTOMER_PHONE_MAX = 40
"""Longest phone as typed (E.164 has at most 15 digits; spaces, dashes and a + fit in 40)."""
FUTURE_DATE_DAYS = 731
"""A date that plans ahead (an appointment, a next action) may lie up to two years ahead."""
_CONTACT = Field("object", fields={
    "name": Field("text", max_len=100),
    "title": Field("text", max_len=100),
    "phone": Field("text", max_len=40),
    "mobile": Field("text", max_len=40),
})


@dataclass(frozen=True)
class RecordType:
    """What one record type requires. ``claims`` marks types that may establish ownership."""

    name: str
    data: Mapping[str, Field]
    rep_required: bool = False
    name_required: bool = False
    claims: bool = False
    roles: tuple[str, ...] = ("reception", "rep", "manager")
    has_customer: bool = True  # False: the record concerns no customer and carries none


RECORD_TYPES: dict[str, RecordType] = {t.name: t for t in [
    RecordType("walkin", rep_required=True, name_required=True, claims=True, data={
        "party_size": Field("int", minimum=1, maximum=100),
        "source": Field("enum", choices=WALKIN_SOURCES),
        "visit": Field("enum", required=True, choices=("first", "return")),
        "intent": Field("enum", choices=INTENT),
        "notes": _TEXT,
        "household_phone": Field("phone", max_len=CUSTOMER_PHONE_MAX),
        "designated": Field("bool"),  # the customer named the rep before reception (指定接待)
        "duty": Field("bool"),  # received on behalf of an absent rep (义务接待)
    }),
    RecordType("call", data={
        "source": Field("enum", choices=WALKIN_SOURCES),
        "intent": Field("enum", choices=INTENT),
        "topic": Field("text", max_len=200),
        "notes": _TEXT,
    }),
    RecordType("visit_report", roles=("rep", "manager"), data={
        "organisation": Field("text", required=True, max_len=200),
        "address": Field("text", max_len=300),
        "legal_representative": Field("text", max_len=100),
        "visited_on": Field("date", required=True),
        "ratings": Field("object", required=True, fields={
            scale: Field("enum", required=True, choices=tuple(labels)) for scale, labels in RATING_SCALES.items()
        }),
        "suggestions": _TEXT,
        "contact": _CONTACT,
        "signature": Field("object", fields={
            "png_base64": Field("png", required=True, max_len=400_000),  # base64 of a PNG (QA F8c)
            "signed_on": Field("date", required=True),
            "signer": Field("text", max_len=100),
        }),
    }),
    RecordType("follow_up", roles=("rep", "manager"), data={
        "method": Field("enum", required=True, choices=("phone", "visit", "message")),
        "contact": Field("text", max_len=100),
        "content": Field("text", required=True, max_len=2000),
        "feedback": _TEXT,
        "next_action": Field("text", max_len=500),
        "next_action_on": Field("date", ahead_days=FUTURE_DATE_DAYS),  # never before the capture day
        "grade": Field("enum", choices=INTENT),  # a re-grade at this contact (000 四(三)); sets the cadence
        "tier": Field("enum", choices=TIERS),  # VIP / core / regular (003 第一步); sets the care plan
    }),
    RecordType("complaint", data={
        "refers_to": Field("uuid"),  # a later status record names the complaint it updates
        "content": Field("text", max_len=4000),
        "contact": Field("text", max_len=100),
        "handler": Field("text", max_len=100),
        "severity": Field("enum", choices=("general", "major")),
        "status": Field("enum", required=True, choices=COMPLAINT_STATUSES),
        "satisfaction": Field("enum", choices=("satisfied", "neutral", "dissatisfied")),
        "note": _TEXT,
        # extension_approved: the approved limit in working days and who approved (001 §2 第十一条)
        "limit_days": Field("int", minimum=1, maximum=7),
        "approved_by": Field("text", max_len=100),
    }),
    RecordType("referral", name_required=True, roles=("reception", "manager"), data={
        "referrer": Field("text", required=True, max_len=100),
        "channel": Field("enum", choices=("staff", "company")),
        "appointment_date": Field("date", ahead_days=FUTURE_DATE_DAYS),
        "notes": _TEXT,
    }),
    RecordType("deal", rep_required=True, claims=True, roles=("rep", "manager"), data={
        "stage": Field("enum", required=True, choices=DEAL_STAGES),
        "unit": Field("text", max_len=100),
        "amount": Field("number", minimum=0, maximum=1e12),  # yuan
        # later events on a deal (shared.deals): 退订, 换房; absent = a stage reached (v1)
        "event": Field("enum", choices=DEAL_EVENTS),
        "previous_unit": Field("text", max_len=100),
        "refers_to": Field("uuid"),  # the deal record a cancellation or unit change is about
        "reason": Field("text", max_len=500),
    }),
    RecordType("withdrawal", data={
        "reason": Field("text", required=True, max_len=500),
        "reason_code": Field("enum", choices=WITHDRAWAL_REASON_CODES),  # an app's own reason, rendered per reader
        "reason_params": Field("object", fields={"rep": Field("text", max_len=MAX_ID_LENGTH)}),
    }),
    # one event of the shared rotation board (排班, 001 §12.3–12.5, §14(二); shared.rotation_log)
    RecordType("rotation", has_customer=False, data={
        "day": Field("date", required=True),  # the site-local day whose board it belongs to
        "event": Field("enum", required=True, choices=ROTATION_EVENTS),
        "visit": Field("enum", choices=VISITS),  # receive: new, returning or designated customer
        "owner": Field("text", max_len=MAX_ID_LENGTH),  # receive, returning: the customer's own rep
        "turn": Field("int", minimum=1, maximum=100_000),  # receive, new: the turn number the board gave
        "reason": Field("enum", choices=RECEPTION_REASONS),  # receive: why the board gave it to rep
        "registration": Field("uuid"),  # receive: the walk-in registration of the customer
    }),
]}

_ENVELOPE_KEYS = {"id", "seq", "type", "captured_at", "clock", "rep", "customer", "supersedes", "data"}


@dataclass(frozen=True)
class Customer:
    name: str
    phone: str  # as typed
    phone_key: str  # E.164, the customer's identity


@dataclass(frozen=True)
class Record:
    """A validated record. ``wire`` is the exact JSON object received, kept for storage."""

    id: str
    seq: int
    type: str
    captured_at: datetime
    clock: DeviceClock | None
    rep: str | None
    customer: Customer
    data: Mapping[str, Any]
    supersedes: str | None
    wire: Mapping[str, Any]
    household_key: str | None = None  # E.164 of a household member (R6), from data.household_phone

    @property
    def digest(self) -> str:
        return content_digest(self.wire)


def content_digest(wire: Mapping[str, Any]) -> str:
    """A digest of a record's content, to tell a retried push from a reused id."""
    canonical = json.dumps(wire, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


CLOCK_FIELDS: dict[str, Field] = {
    "boot_id": Field("text", required=True, max_len=MAX_ID_LENGTH),
    "elapsed_ms": Field("int", required=True, minimum=0, maximum=MAX_SAFE_INTEGER),
}
"""A device clock reading (record and push): boot id and milliseconds since that boot."""


def _envelope_problems(wire: Mapping[str, Any], region: str, now: datetime) -> list[Problem]:
    problems: list[Problem] = []
    if not is_uuid(wire.get("id")) or len(wire["id"]) > MAX_ID_LENGTH:
        problems.append(Problem("invalid_id", "id must be a UUID generated on the device.", "id"))
    seq = wire.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int):
        problems.append(Problem("wrong_type", "seq must be a whole number from 1, counting the device's records.", "seq"))
    elif not 1 <= seq <= MAX_SAFE_INTEGER:
        problems.append(Problem("invalid_value", f"seq must be from 1 to {MAX_SAFE_INTEGER} (2^53-1); the tablet's "
                                "numbering is broken, report it.", "seq"))
    try:
        captured_at = parse_wire_time(wire.get("captured_at"))
    except ValueError:
        problems.append(time_shape_problem(wire.get("captured_at"), "captured_at"))
    else:
        if out_of_range := time_problem(captured_at, "captured_at", now, MAX_CLOCK_AHEAD):
            problems.append(out_of_range)
    clock = wire.get("clock")
    if clock is not None:
        problems += check_fields(CLOCK_FIELDS, clock if isinstance(clock, Mapping) else {"_": clock}, region,
                                 "clock.", now)
    if wire.get("supersedes") is not None and not is_uuid(wire.get("supersedes")):
        problems.append(Problem("invalid_id", "supersedes must be the UUID of the record this one corrects.", "supersedes"))
    elif _same_id(wire.get("supersedes"), wire.get("id")):  # QA round A, F4: left the customer without an owner
        problems.append(Problem("self_reference", "supersedes names this record itself; name the record this one "
                                "corrects or withdraws.", "supersedes"))
    for key in wire:
        if key not in _ENVELOPE_KEYS:
            problems.append(Problem("unknown_field", f"{printable(key)} is not part of a record; remove it.",
                                    printable(key)))
    return problems


def _same_id(reference: Any, own: Any) -> bool:
    """Does ``reference`` name the record whose id is ``own`` (ids compare case-blind)?"""
    return isinstance(reference, str) and isinstance(own, str) and bool(own) and reference.lower() == own.lower()


def validate_record(wire: Any, region: str = "CN", now: datetime | None = None) -> list[Problem]:
    """Every problem with a wire record; an empty list means ``parse_record`` will succeed.

    ``now``: the time the bounds are taken from (the server: the push's receive time; the
    tablet: its clock); default now (UTC). A record holding a value no field can hold (a
    ``NaN``, a lone surrogate; ``shared.boundary.value_problem``) gets that problem alone."""
    if not isinstance(wire, Mapping):
        return [Problem("wrong_type", "A record must be a JSON object.", "")]
    if unreadable := value_problem(wire):
        return [unreadable]
    now = now or utc_now()
    problems = _envelope_problems(wire, region, now)
    kind = RECORD_TYPES.get(wire["type"]) if isinstance(wire.get("type"), str) else None
    if kind is None:
        known = ", ".join(RECORD_TYPES)
        got = printable(repr(wire.get("type")), 60)
        return problems + [Problem("unknown_type", f"type must be one of {known}; got {got}.", "type")]
    rep = wire.get("rep")
    if rep is not None and not isinstance(rep, str):
        problems.append(Problem("wrong_type", "rep must be the username of a rep.", "rep"))
    elif rep is not None and len(rep) > MAX_ID_LENGTH:
        problems.append(Problem("too_long", f"rep is {len(rep)} characters; a username has at most {MAX_ID_LENGTH}.",
                                "rep"))
    elif rep is not None and (control := control_character_problem(rep, "rep")):
        problems.append(control)
    elif kind.rep_required and not (rep or "").strip():
        problems.append(Problem("missing_field", f"A {kind.name} needs the receiving rep (rep); choose who received the customer.", "rep"))
    customer = wire.get("customer")
    if kind.name == "withdrawal" and customer is None:
        pass  # the withdrawal of a record that names no customer (排班); the server checks which
    elif not kind.has_customer:
        if customer is not None:
            problems.append(Problem("unknown_field", f"A {kind.name} record concerns no customer; remove customer.",
                                    "customer"))
    elif not isinstance(customer, Mapping):
        problems.append(Problem("missing_field", "customer with at least a phone is required.", "customer"))
    else:
        problems += check_fields({"name": Field("text", required=kind.name_required, max_len=100),
                                  "phone": Field("phone", required=True, max_len=CUSTOMER_PHONE_MAX)},
                                 customer, region, "customer.", now)
        name = customer.get("name")
        if isinstance(name, str) and any(c in name for c in "\n\r\t\u2028\u2029"):  # a name is one line
            problems.append(Problem("invalid_value", "customer.name is one line: remove the line breaks and tabs "
                                    "and type the name again.", "customer.name"))
        elif isinstance(name, str) and INVISIBLE.search(name):  # a look-alike of another name
            problems.append(Problem("invalid_value", "customer.name contains invisible characters (such as a "
                                    "zero-width space, often pasted along with a name); type the name again.",
                                    "customer.name"))
        elif isinstance(name, str) and stacked_marks(name) > MAX_STACKED_MARKS:  # QA of issue 14, L4
            problems.append(Problem("invalid_value", f"customer.name stacks more than {MAX_STACKED_MARKS} accents "
                                    "on one letter (Zalgo text no font draws); type the name again.", "customer.name",
                                    {"reason": "stacked_marks", "limit": MAX_STACKED_MARKS}))
    data = wire.get("data", {})
    if not isinstance(data, Mapping):
        problems.append(Problem("wrong_type", "data must be an object.", "data"))
    else:
        problems += check_fields(kind.data, data, region, "data.", now)
        if kind.name == "referral" and data.get("channel", "staff") == "staff" and not data.get("appointment_date"):
            problems.append(Problem("missing_field", "A staff referral needs the appointment date (预约来访日期) the client agreed to come.", "data.appointment_date"))
        problems += type_problems(kind.name, data, wire, rep)
        if _same_id(data.get("refers_to"), wire.get("id")):
            problems.append(Problem("self_reference", "data.refers_to names this record itself; name the record it "
                                    "is about (the deal, the complaint).", "data.refers_to"))
        if kind.name == "withdrawal" and not wire.get("supersedes"):
            problems.append(Problem("missing_field", "A withdrawal must name the record it withdraws (supersedes).", "supersedes"))
    return problems


def parse_record(wire: Any, region: str = "CN", now: datetime | None = None) -> Record:
    """A validated Record from its wire form, or RecordInvalid listing every problem
    (``now`` as in ``validate_record``)."""
    problems = validate_record(wire, region, now)
    if problems:
        raise RecordInvalid(problems)
    customer = wire.get("customer") or {"phone": ""}
    data = dict(wire.get("data") or {})
    household = data.get("household_phone")
    clock = wire.get("clock")
    return Record(
        id=str(wire["id"]).lower(),
        seq=wire["seq"],
        type=wire["type"],
        captured_at=parse_wire_time(wire["captured_at"]),
        clock=DeviceClock.from_wire(clock) if clock else None,
        rep=(wire.get("rep") or "").strip() or None,
        customer=Customer(name=(customer.get("name") or "").strip(), phone=customer["phone"],
                          phone_key=normalise_phone(customer["phone"], region) if customer["phone"] else ""),
        data=data,
        supersedes=(wire.get("supersedes") or None),
        wire=dict(wire),
        household_key=normalise_phone(household, region) if household else None,
    )
