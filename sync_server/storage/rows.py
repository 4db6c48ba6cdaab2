"""The rows the storage contract (``storage.base.Store``) takes and gives: frozen dataclasses,
one per table a service reads or writes, with the two errors the contract names. Times are
UTC ISO 8601 text unless said otherwise; ``change_id`` is the site's counter (base.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.phones import new_replica_key

__all__ = ["Site", "User", "Device", "Anchor", "StoredRecord", "CustomerRow", "ConflictRow", "DecisionRow",
           "HandoverRow", "HandoverItemRow", "ConfirmationRow", "HeldRecord", "DismissedRecord", "ConsoleSessionRow", "RefusedSeq",
           "Change", "ROLES", "REPLICA_KEYS", "DuplicateKey", "UnknownSite"]

ROLES = ("reception", "rep", "manager")
"""Roles of a site's users. A sales director (``director``) belongs to an organisation, not a
site: ``storage.organisations.Director``."""


class DuplicateKey(Exception):
    """A row with this key already exists (a username, a site id)."""


class UnknownSite(Exception):
    """No site has this id."""


REPLICA_KEYS = ("private", "tag2", "legacy")
"""The values of ``Site.replica_keys`` (issue 14, docs/privacy.md "Compatibility")."""


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    validity_days: int = 30
    household: str = "split"
    region: str = "CN"
    utc_offset_minutes: int = 480
    close_call_ms: int = 60_000
    walkin_landlines: bool = False
    """May a walk-in be registered by a landline (issue 14)? By default a walk-in needs the
    customer's mobile: a landline is a household's or a company's, not one person's."""
    closed_days: tuple[str, ...] = ()
    """The site's own closed days (``YYYY-MM-DD``, sorted) on top of the official holidays and
    调休: not working days for complaint limits (001 §2 第十一条; ``shared.working_calendar``)."""
    replica_keys: str = "private"
    """Which phone keys tablets get (issue 14, docs/privacy.md; ``REPLICA_KEYS``): ``private``
    (the default): only keyed tags and a last-four mask, whatever a tablet asks (``keys=tag``
    the n = 2^11 ``phone_tag``, ``keys=tag2`` the n = 2^13 ``phone_tag2``); ``tag2``: only the
    ``keys=tag2`` tags — a ``keys=tag`` pull gets ``phone_tag: null`` — once every tablet of
    the site is updated; ``legacy``: a tablet from before issue 14 (no ``keys=tag``) still gets
    the unsalted ``phone_hash`` and the old mask, for offices that still run such tablets."""
    replica_key: str = field(default_factory=new_replica_key, repr=False, compare=False)
    """The site's secret for ``shared.phones.phone_tag``: given only to enrolled devices (the
    enrolment answer, the site change of a ``keys=tag`` pull); never logged (``repr=False``)."""


@dataclass(frozen=True)
class User:
    username: str
    site_id: str
    name: str
    role: str
    password_hash: str
    active: bool = True
    deactivated_at: str | None = None  # when ``users deactivate`` last ran (UTC ISO 8601); None when active
    must_change_password: bool = False  # a manager reset the password: the next sign-in sets a new one (issue 12)
    # on the rotation duty list: ((from, to), …) UTC ISO 8601, None for always / still; () for a
    # user built without them (read as one period to ``deactivated_at``): shared.rotation_duty.duty_spans
    duty_periods: tuple[tuple[str | None, str | None], ...] = ()
    # when one of the user's tablets first pulled keys=tag2 (UTC ISO 8601; issue 14): from then on
    # a keys=tag pull of the user carries no tags (views.serves_tag); None: never
    tag2_since: str | None = None


@dataclass(frozen=True)
class Device:
    id: str
    site_id: str
    username: str
    name: str
    enrolled_at: str
    revoked_at: str | None = None
    last_offset_ms: int | None = None
    contiguous_seq: int = 0
    last_pull_at: str | None = None  # UTC ISO 8601 of its last pull, to the minute (``note_pull``)


@dataclass(frozen=True)
class Anchor:
    device_id: str
    boot_id: str
    elapsed_ms: int
    server_time: str


@dataclass(frozen=True)
class RefusedSeq:
    """A seq whose record arrived and was rejected: it stays on the tablet with this reason, so
    it is no gap in the device's numbering (the tablet's correction comes with a new seq)."""

    device_id: str
    seq: int
    record_id: str | None
    code: str
    message: str
    received_at: str


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored: the wire object plus what the server learned receiving it."""

    id: str
    site_id: str
    device_id: str
    author: str
    seq: int
    type: str
    rep: str | None
    phone_key: str
    household_key: str | None
    supersedes: str | None
    captured_at: str
    estimated_at: str
    uncertainty_ms: int
    clock_method: str
    received_at: str
    digest: str
    wire: dict
    name: str = ""
    change_id: int = 0


@dataclass(frozen=True)
class CustomerRow:
    """A customer of a site (one phone key) and the ownership last computed for it."""

    id: str
    site_id: str
    phone_key: str
    name: str = ""
    owner: str | None = None
    status: str | None = None
    protected_until: str | None = None
    first_registered_at: str | None = None
    split: dict | None = None
    explanation: list = field(default_factory=list)
    change_id: int = 0
    phone_tag: str | None = None
    """``shared.phones.phone_tag`` of ``phone_key`` with the site's key; None until the tagger
    (``services.tagging``) computed it, off the push transaction (issue 14)."""
    phone_tag2: str | None = None
    """``shared.phones.phone_tag2`` (``keys=tag2``, n = 2^13) of ``phone_key``; None until the
    tagger computed it (migration ``0025_phone_tag2``)."""


@dataclass(frozen=True)
class ConflictRow:
    id: str
    site_id: str
    customer_id: str
    phone_key: str
    status: str  # open | decided | withdrawn | lapsed (undecided, its protection lapsed, R2)
    owner: str
    flags: list
    claims: list
    explanation: list
    opened_at: str
    decision_id: str | None = None
    change_id: int = 0

    @property
    def claim_ids(self) -> frozenset[str]:
        return frozenset(c["record_id"] for c in self.claims)


@dataclass(frozen=True)
class DecisionRow:
    id: str
    site_id: str
    conflict_id: str
    phone_key: str
    owner: str
    split: dict | None
    reason: str
    decided_at: str
    author: str
    covers: list


@dataclass(frozen=True)
class HandoverRow:
    """A manager's hand-over of a leaving rep's customers (随机抽数分配, 001 §14(五)3(12)): the
    record itself is the trail. ``method``: ``draw`` (``seed``, ``algorithm``, ``receivers`` the
    sorted usernames drawn among and ``drawn`` the sorted customer ids drawn: the draw's whole
    input) or ``choice`` (the manager's). ``result``: customer id -> receiving rep (for a draw,
    exactly ``shared.handover.draw(drawn, receivers, seed)``). Times UTC ISO 8601. Append-only."""

    id: str
    site_id: str
    from_rep: str
    author: str
    created_at: str
    reason: str
    method: str
    deals_too: bool
    seed: str | None
    algorithm: str | None
    receivers: list
    drawn: list
    result: dict


@dataclass(frozen=True)
class HandoverItemRow:
    """One customer (phone key) a hand-over moves: the engine's input for that key."""

    site_id: str
    handover_id: str
    phone_key: str
    customer_id: str
    to_rep: str


@dataclass(frozen=True)
class HeldRecord:
    """An accepted record whose effect on the ownership index waits for a manager (issue 14:
    it named a phone its ``author`` could not see after the author's look-up budget was spent,
    ``services/record_budget.py``). ``held_at``: UTC ISO 8601."""

    site_id: str
    record_id: str
    author: str
    phone_key: str
    held_at: str
    captured_at: str = ""  # the record's estimated capture time (UTC ISO 8601): the page's order within a push


@dataclass(frozen=True)
class DismissedRecord:
    """A held record a manager refused (不予确认, issue 14 N3): stored, never settled, never
    released. ``held``: the hold as it was; ``dismissed_at`` UTC ISO 8601; ``dismissed_by`` the
    manager's username; ``reason`` the manager's words (required, any language)."""

    held: HeldRecord
    dismissed_at: str
    dismissed_by: str
    reason: str


@dataclass(frozen=True)
class ConfirmationRow:
    """A manager's confirmation (审核确认, R4) of one record: who, when. Append-only; it
    carries a change id so the tablets that see the record learn it is confirmed."""

    id: str
    site_id: str
    record_id: str
    author: str
    confirmed_at: str
    change_id: int = 0


@dataclass(frozen=True)
class ConsoleSessionRow:
    """A manager-console sign-in on the server's side (issue 9): the cookie names it by a
    random id; only that id's SHA-256 (hex) is stored, so a copy of the database opens no
    session. Times are ISO 8601 UTC text; ``ended_at`` is set by sign-out."""

    token_hash: str
    username: str
    started_at: str
    expires_at: str
    ended_at: str | None = None


@dataclass(frozen=True)
class Change:
    """One row a pull returns: which table (``kind``) and the row. ``text``: only from
    ``changes_after(..., texts=True)``, the JSON text a record's ``wire`` (both backends) or a
    customer's ``explanation`` (SQLite; PostgreSQL's driver hands ``jsonb`` decoded: None) is
    stored as, which a snapshot splices into its line instead of encoding the decoded value
    again (issue 13)."""

    change_id: int
    kind: str  # site | user | record | ownership | conflict | confirmation
    row: Any
    text: str | None = None
