"""Request and response models: they validate input and make ``/openapi.json`` tell the truth."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt
from pydantic_core import PydanticCustomError

from shared.boundary import MAX_ID_LENGTH, MAX_SAFE_INTEGER, printable
from shared.fields import DEVICE_NAME_MAX, control_character_problem

from ..services.conflicts import REASON_MAX_CHARS

__all__ = ["ErrorDetail", "ErrorResponse", "ERRORS", "EnrollRequest", "EnrollResponse", "EnrolledUser",
           "WireClock", "PushRequest", "PushResult", "PushResponse", "PullResponse", "Lookup",
           "ConflictOut", "DecisionRequest", "Health", "CustomerDetail"]


def _whole_characters(value: str) -> str:
    if printable(value, len(value) + 1) != value:
        if not any("\ud800" <= c <= "\udfff" for c in value):
            raise PydanticCustomError("control_characters", "contains control characters (such as NUL); remove "
                                      "them and type the text again")
        raise PydanticCustomError("lone_surrogate", "holds half of a character (a lone UTF-16 surrogate); type "
                                  "the text again")
    return value


def _no_control_characters(value: str) -> str:
    if control_character_problem(value, ""):
        raise PydanticCustomError("control_characters", "contains control characters (such as NUL); remove them "
                                  "and type the text again")
    return _whole_characters(value)


Text = Annotated[str, AfterValidator(_no_control_characters)]
"""Text a person typed: no invisible control characters (PostgreSQL cannot store NUL) and no
half characters (no UTF-8 text, hash or database holds a lone surrogate)."""
Secret = Annotated[str, AfterValidator(_whole_characters)]
"""A password typed to sign in: whole characters without control characters (no password
set can hold one: ``shared.fields.password_problem``)."""


def _no_half_characters(value: str) -> str:
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise PydanticCustomError("lone_surrogate", "holds half of a character (a lone UTF-16 surrogate); type "
                                  "the text again")
    return value


NewSecret = Annotated[str, AfterValidator(_no_half_characters)]
"""A password being chosen: whole characters; the service refuses control characters and
blank ones with their own codes (``password_control``, ``blank_password``)."""


class ErrorDetail(BaseModel):
    code: str = Field(description="stable code (see docs/protocol.md)")
    message: str = Field(description="what was wrong and what to do, in words a person can act on")
    field: str | None = None
    params: dict[str, Any] | None = Field(
        default=None, description="values to say it in the reader's words (a refused record's error: rep_inactive "
        "{rep, deactivated_at}, user_inactive {user, deactivated_at}, forbidden_type {role, type}; docs/errors.md)")


class ErrorResponse(BaseModel):
    error: ErrorDetail


def ERRORS(*statuses: int) -> dict[int | str, dict[str, Any]]:  # noqa: N802 - reads like a constant table
    """``responses=`` for routes: each status documented with the one error body shape."""
    words = {401: "missing or bad token / credentials", 403: "revoked device, role without the right, other site",
             404: "no such thing at your site", 409: "already done", 410: "cursor cannot be served: resync",
             413: "too many records or too large a body", 422: "the request is not the documented shape",
             429: "too many wrong passwords, or phone look-ups over budget: wait (Retry-After) and try again", 503: "the store does not answer"}
    return {s: {"model": ErrorResponse, "description": words.get(s, "error")} for s in statuses}


class EnrollRequest(BaseModel):
    username: Text = Field(min_length=1, max_length=100)
    password: Secret = Field(min_length=1, max_length=1000)
    device_name: Text = Field(min_length=1, max_length=DEVICE_NAME_MAX)
    new_password: NewSecret | None = Field(default=None, max_length=1000, description=(
        "Only after 403 password_change_required (a manager reset the password): the new password "
        "the user chose, at least 8 characters; it replaces the temporary one."))


class EnrolledUser(BaseModel):
    username: str
    name: str
    role: str
    site_id: str


class EnrollResponse(BaseModel):
    device_id: str
    token: str
    user: EnrolledUser
    replica_key: str | None = Field(None, description="the site's secret for phone tags (issue 14, "
                                    "shared.phones.phone_tag): keep it with the token, never show or log it")


class WireClock(BaseModel):
    """A reading of the device's elapsed-since-boot clock (protocol.md, "Clocks")."""

    model_config = ConfigDict(extra="forbid")
    boot_id: Text = Field(min_length=1, max_length=MAX_ID_LENGTH)
    # strict, as a record's clock is (shared.records.CLOCK_FIELDS): true is no reading (pydantic
    # would read it as 1; QA F5's kind: bool passing for an int)
    elapsed_ms: StrictInt = Field(ge=0, le=MAX_SAFE_INTEGER, description="milliseconds since boot, 0..2^53-1")


class PushRequest(BaseModel):
    """The push envelope. Records are validated one by one (a bad one never blocks the rest),
    so here each is any JSON value: one that is not an object is refused alone (``wrong_type``;
    QA 2026-12-03: a ``null`` among them made the whole push 422). ``/openapi.json`` shows a
    record's shape."""

    model_config = ConfigDict(extra="forbid")
    device_id: Text = Field(min_length=1, max_length=MAX_ID_LENGTH)
    sent_at: Text = Field(max_length=64, description="device wall clock in the wire's one time shape, "
                          "YYYY-MM-DDTHH:MM:SS[.fff]±HH:MM (or Z), e.g. 2026-11-22T10:00:00.000+08:00 "
                          "(docs/protocol.md, Times), from 1970-01-01T00:00Z to ten years after the server's "
                          "receive time (a fast clock still syncs; see docs/protocol.md, Bounds)")
    clock: WireClock
    records: list[Any]


class OwnerDismissed(BaseModel):
    """A manager's refusal of a held record (docs/protocol.md, "Phones the pusher cannot see")."""

    by: str
    by_name: str
    at: str
    reason: str


class PushResult(BaseModel):
    id: str | None
    status: Literal["accepted", "duplicate", "rejected"]
    error: ErrorDetail | None = None
    owner_withheld: bool | None = Field(None, description="true: accepted and stored, but the record named a phone "
                                        "the caller could not see after its look-up budget was spent; its ownership "
                                        "waits until a manager confirms it (issue 14, docs/privacy.md)")
    owner_dismissed: OwnerDismissed | None = Field(None, description="on a duplicate of a held record a manager "
                                                   "refused (不予确认, issue 14 N3): who, when and why, as pulled")


class PushResponse(BaseModel):
    server_time: str
    contiguous_seq: int
    results: list[PushResult]


class PullResponse(BaseModel):
    changes: list[dict[str, Any]] = Field(description="see docs/protocol.md for the change shapes")
    cursor: str
    more: bool
    about: int | None = Field(None, description="change ids between the cursor and the head at read time: at most "
                              "this many changes are still to come (issue 13, for a progress display)")


class Lookup(BaseModel):
    customer_id: str
    owner: str | None
    owner_name: str | None
    status: Literal["protected", "lapsed", "deal", "disputed"] | None
    protected_until: str | None
    first_registered_at: str | None = Field(description="when the current claim began (after a lapse: the new "
                                            "claim's start)")
    first_ever_registered_at: str | None = Field(description="the customer's first registration ever (a walk-in; "
                                                 "calls never count), even if that claim lapsed")
    split: dict[str, int] | None
    approval: Literal["awaiting"] | None = Field(None, description="awaiting: disputed, the manager's decision "
                                                 "awaits the sales director (R10, 待总监审批); else null")
    phone_hash: str | None = Field(None, description="the legacy unsalted SHA-256 key: only on a site set to "
                                   "replica_keys=legacy (issue 14, docs/privacy.md), else null")
    phone_tag: str | None = Field(None, description="shared.phones.phone_tag with the site's replica key; null "
                                  "until the server's tagger computed it")
    phone_masked: str = Field(description="the last four digits only (+86 *******8000)")
    phone: str | None = Field(description="E.164; only for the owner and managers")
    name: str | None = Field(description="only for the owner and managers")
    explanation: list[dict[str, Any]] | None = Field(description="only for the owner and managers")


class CustomerDetail(Lookup):
    records: list[dict[str, Any]]
    history: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]


class ConflictOut(BaseModel):
    id: str
    customer_id: str
    claims: list[dict[str, Any]]
    owner: str
    status: Literal["open", "decided", "withdrawn", "lapsed"]
    flags: list[str]
    opened_at: str
    decision: dict[str, Any] | None
    explanation: list[dict[str, Any]]
    parties: dict[str, Any] | None = Field(default=None, description="who a decision must consider now")
    approval: dict[str, Any] | None = Field(
        default=None, description="the latest decision sent to the sales director (R10, issue 12): status "
        "awaiting | approved | returned, owner, split, reason, proposed_by/at, reviewed_by/at, return_reason; "
        "null when none")


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    owner: Text = Field(min_length=1)
    # strict: true or "70" is no share (pydantic would read them as 1 and 70)
    split: dict[Text, StrictInt] | None = None
    reason: Text = Field(max_length=REASON_MAX_CHARS)  # services.conflicts: one limit for API and console
    # optional (QA14 F2): the claim record ids the manager saw; when sent, a conflict whose claims
    # differ since is 409 conflict_changed (an old client without it decides as before)
    seen_claims: list[Text] | None = None


class Health(BaseModel):
    status: str
