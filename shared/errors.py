"""The problems fieldsync reports about records, shared by tablet and server.

Hierarchy::

    FieldsyncError                 base of every error this package raises
    ├── RecordInvalid              a record failed validation; carries every Problem
    └── InvalidPhone               a phone that is not a personal number (code invalid_phone)

A ``Problem`` is the wire shape ``{code, message, field}`` that protocol v1 puts in a
rejected record's ``error``. Codes are stable (the tablet translates them); messages are
English sentences that say what to do. Every code is listed in docs/errors.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

__all__ = ["Problem", "FieldsyncError", "RecordInvalid", "InvalidPhone", "PROBLEM_CODES"]

# code -> one line on what it means; docs/errors.md is written from the same list.
PROBLEM_CODES: dict[str, str] = {
    "missing_field": "a required field is absent or empty",
    "wrong_type": "a field has the wrong JSON type (text where a number belongs, …)",
    "invalid_value": "a field's value is outside what the form allows or the protocol's bounds (a number beyond 2^53-1, NaN, half a character, a date not written YYYY-MM-DD: params.reason date_shape)",
    "invalid_time": "a time is not in the wire's one shape (YYYY-MM-DDTHH:MM:SS[.1-6 digits] then Z or ±HH:MM within -12:00..+14:00; params.reason time_shape), or lies before 1970-01-01T00:00Z or too far after the server's receive time (a typed time: a day; the device's clock: ten years)",
    "invalid_id": "an id is not a UUID",
    "amount_format": "an amount typed on the tablet that is not a number, or whose separators are not in threes",
    "amount_negative": "an amount typed on the tablet below zero",
    "amount_cents": "an amount (typed on the tablet, or a deal's data.amount) with more than two decimals (fen)",
    "amount_too_large": "an amount typed on the tablet over 10^12 yuan",
    "date_in_past": "a date that plans ahead (a follow-up's next date) lies before the day the record was captured",
    "invalid_phone": "a phone is not a valid personal number for the site's region",
    "landline_walkin": "a walk-in registered by a landline at a site that registers walk-ins by mobile (the site's `walkin_landlines`, default no)",
    "unknown_type": "the record type is not one this server knows",
    "too_long": "a text field is longer than allowed",
    "unknown_field": "the record carries a field the form does not define",
    "unknown_rep": "`rep` does not name a rep of this site",
    "id_reused": "the record id was already used for a record with different content",
    "seq_reused": "the device already sent a different record with this seq",
    "unknown_record": "the record named by supersedes/refers_to is not known",
    "type_changed": "supersedes names a record of another type: a correction keeps the record's type (a withdrawal withdraws any type)",
    "not_withdrawable": "supersedes names a withdrawal: a withdrawal is neither withdrawn nor corrected",
    "not_a_deal": "a deal's data.refers_to (退订, 换房) names a record that is not a deal or a unit change (a walk-in, a complaint, a cancellation)",
    "other_customers_deal": "a deal's data.refers_to names another customer's deal",
    "refund_exceeds_deal": "a cancellation (退订) gives back more than the amount of the deal it cancels (the live version of the deal named by data.refers_to)",
    "self_reference": "supersedes or data.refers_to names the record itself",
    "supersedes_cycle": "records of one push supersede (or refer to) each other in a circle: none is the original",
    "not_a_complaint": "a complaint step's data.refers_to names a record that is not a complaint's opening (a deal, another step)",
    "other_customers_complaint": "a complaint step is about another customer than the complaint it names",
    "step_before_opening": "a complaint step was captured before the complaint it names was opened (beyond the clocks' uncertainty)",
    "complaint_withdrawn": "a complaint step names a complaint whose opening was withdrawn",
    "complaint_closed": "a complaint step was captured after the complaint was closed (结案; beyond the clocks' uncertainty)",
    "satisfaction_before_resolved": "a satisfaction check (satisfaction_checked) was captured before the complaint was resolved (beyond the clocks' uncertainty)",
    "extension_manager_only": "an approved extension of a complaint's limit (extension_approved) pushed by someone other than a manager",
    "deal_stage_recorded": "the tablet's own check: the rep already recorded this stage (小定, 大定, 签约) of the customer's unit, not cancelled since (never sent by the server: two tablets' deals are claims it must take in any order)",
    "deal_cancellation_recorded": "the tablet's own check: the customer's current deal already has a cancellation (退订) recorded (never sent by the server: a second 退订 from another tablet is taken and counted once)",
    "not_own_record": "supersedes (or a deal's refers_to) names a record another user captured: only its author, a manager or the desk for desk work may",
    "clock_inconsistent": "the record's elapsed clock is later than the push's on the same boot",
    "wrong_device": "the record belongs to another device",
    "forbidden_type": "the user's role may not create this record type",
    "rotation_desk_only": "only a reception desk or a manager records the rotation board (排班)",
    "rep_inactive": "the record was captured after its `rep` was deactivated",
    "rep_not_started": "the record was captured on a day before its `rep` is on the site's duty list (`users add --listed-from`)",
    "user_inactive": "the record was captured after the pushing tablet's user was deactivated",
    "not_stored": "the server could not store this record (a server fault); the others of the push were stored",
    "already_superseded": "the tablet's own store: the record was already corrected or withdrawn (never sent by the server)",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a record: stable ``code``, actionable ``message``, ``field`` path;
    ``params`` (optional) the values a reader needs to say it in their own words — e.g.
    ``rep_inactive``: ``{"rep": username, "deactivated_at": UTC ISO 8601}`` — so a tablet names
    the rep by display name in its user's language (issue 14 F7, docs/protocol.md "Push")."""

    code: str
    message: str
    field: str = ""
    params: Mapping[str, Any] | None = _field(default=None, compare=False, hash=False)

    def as_dict(self) -> dict[str, Any]:
        """``{code, message, field}``, and ``params`` when it has them (an extension: readers
        that do not know it ignore it)."""
        out: dict[str, Any] = {"code": self.code, "message": self.message, "field": self.field}
        if self.params:
            out["params"] = dict(self.params)
        return out


class FieldsyncError(Exception):
    """Base of every error raised by the shared domain code."""


class RecordInvalid(FieldsyncError):
    """A record failed validation; ``problems`` holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


class InvalidPhone(FieldsyncError):
    """A phone that cannot identify a customer (impossible, a short code, a service number).

    ``reason`` says what is wrong, for a reader's own words (a Problem's ``params``): ``empty``,
    ``letter_o`` (the letter O typed for the digit 0), ``letters``, ``extension`` (转 / 分机 / ext:
    ``char``), ``symbol`` (``char``: the
    first character that is not part of a phone number, e.g. 📞), ``unreadable``,
    ``no_such_number``, ``service``."""

    code = "invalid_phone"

    def __init__(self, raw: str, region: str, why: str, reason: str = "no_such_number", char: str = ""):
        self.raw, self.region, self.reason, self.char = raw, region, reason, char
        super().__init__(
            f"'{raw}' is not a valid personal phone number for region {region} ({why}). "
            "Check the digits with the customer; write foreign numbers with their + country code."
        )
