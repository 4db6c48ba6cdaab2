"""The storage contract of the sync server: one narrow interface (``Store``), implemented
once over SQLAlchemy Core for SQLite and PostgreSQL (``storage/sql``).

Like Kinto's storage, every row a tablet may pull carries a ``change_id``; here the counter
is per site (sites never share customers, so nothing orders one site's changes against
another's). A write transaction of a site takes fresh ids with ``next_change_id``; a pull
asks ``changes_after`` for the site's rows whose ``change_id`` lies in ``(after, head]``.
Together with ``epoch`` (a random id made when the database is created) that is all a
resumable cursor needs.

Rules every implementation keeps (the contract suite in tests/storage checks them on both
databases):
- ``write(site_id)`` is one transaction that serialises with every other writer of that
  site (SQLite: every writer, ``BEGIN IMMEDIATE``; PostgreSQL: the site's counter row, FOR
  UPDATE); everything inside commits together or not at all. Writers of different sites
  proceed in parallel on PostgreSQL;
- change ids of a site are handed out in commit order: a pull that read head ``H`` never
  misses a change of the site with ``change_id <= H`` committed later;
- a ``write()`` opened inside another is a savepoint of the outer one (so ``add_user`` and
  friends, which open their own, may run inside a caller's write), on both databases;
- reads outside ``write()``/``read()`` see a consistent snapshot per call;
- nothing is deleted (console sessions excepted): records are immutable, other rows are
  updated in place with a new ``change_id``.

Errors: ``DuplicateKey``/``UnknownSite`` where documented; a database integrity error (the
driver's, wrapped by SQLAlchemy as ``sqlalchemy.exc.IntegrityError``) where a key is stored
twice against the contract; ``RuntimeError`` for a method called outside the transaction it
needs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from shared.phones import new_replica_key

from .audit import AuditRow
from .care_calendar import CareCalendarStore
from .organisations import OrgStore

__all__ = ["Store", "Site", "User", "Device", "Anchor", "StoredRecord", "CustomerRow", "ConflictRow",
           "DecisionRow", "HandoverRow", "HandoverItemRow", "ConfirmationRow", "HeldRecord", "ConsoleSessionRow", "RefusedSeq", "Change", "ROLES", "DuplicateKey",
           "UnknownSite"]

ROLES = ("reception", "rep", "manager")
"""Roles of a site's users. A sales director (``director``) belongs to an organisation, not a
site: ``storage.organisations.Director``."""


class DuplicateKey(Exception):
    """A row with this key already exists (a username, a site id)."""


class UnknownSite(Exception):
    """No site has this id."""


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
    """Which phone keys tablets get (issue 14, docs/privacy.md): ``private`` (the default): only
    the keyed ``phone_tag`` and a last-four mask, whatever a tablet asks; ``legacy``: a tablet
    from before issue 14 (no ``keys=tag``) still gets the unsalted ``phone_hash`` and the old
    mask, for offices that still run such tablets."""
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
    """One row a pull returns: which table (``kind``) and the row."""

    change_id: int
    kind: str  # site | user | record | ownership | conflict | confirmation
    row: Any


class Store(OrgStore, CareCalendarStore, ABC):
    """The storage contract. *(in write)* marks a method that must run inside ``write()``
    (of the rows' site where it takes change ids); it then joins that transaction. Other
    methods read outside any transaction (one snapshot per call), or inside the caller's
    ``read()``/``write()`` when one is open on the thread. Lists are ordered as documented;
    where nothing is said, the order is unspecified."""

    # -- lifecycle -------------------------------------------------------------------
    @abstractmethod
    def ping(self) -> bool:
        """True when the database answers a trivial query (raises the driver's error when
        it cannot connect)."""

    @abstractmethod
    def epoch(self) -> str:
        """A random id (32 hex digits) made when this database was created; cursors carry it,
        so a cursor of another database (a restore, a copy) is refused, not misread."""

    @abstractmethod
    def head(self, site_id: str) -> int:
        """The latest change id handed out for ``site_id`` (0 for a site without changes or
        an unknown site). Inside that site's ``write()``: including ids taken so far."""

    @abstractmethod
    def write(self, site_id: str | None = None) -> AbstractContextManager[None]:
        """One write transaction: commit when the block ends, roll back (and re-raise) when it
        raises. ``site_id``: the site whose change ids the block takes and whose writers it
        waits for; None for writes that take no change id (console sessions).

        Nesting: ``write()`` inside an open ``write()`` of the same site (or inside one
        without a site) is a savepoint: an error inside undoes the inner block and
        propagates. ``write(B)`` inside ``write(A)`` raises RuntimeError (one site per
        transaction), as does ``write()`` inside ``read()``."""

    @abstractmethod
    def savepoint(self) -> AbstractContextManager[None]:
        """*(in write)* A savepoint: an exception in the block undoes the block's writes alone
        and propagates; the enclosing ``write()`` goes on (a push isolates one record's fault).
        Change ids taken inside may be lost (ids may have gaps, never go back).
        RuntimeError outside ``write()``."""

    @abstractmethod
    def next_change_id(self) -> int:
        """*(in write of a site)* A fresh change id of the write's site, greater than every
        earlier one of that site. RuntimeError outside ``write(site_id)`` (on both databases:
        an id taken outside a transaction could be handed out twice)."""

    def next_change_ids(self, count: int) -> list[int]:
        """*(in write of a site)* ``count`` fresh change ids in increasing order, as ``count``
        calls of ``next_change_id`` would give them ([] for 0)."""
        return [self.next_change_id() for _ in range(count)]

    @abstractmethod
    def read(self) -> AbstractContextManager[None]:
        """A consistent read snapshot spanning several calls (a pull reads head and rows in
        one). Inside an open ``write()``/``read()`` it joins that transaction."""

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release the process's connections; the store is not used afterwards."""

    # -- sites and users -------------------------------------------------------------
    @abstractmethod
    def add_site(self, site: Site) -> None:
        """Create a site with its first change id (its own ``write(site.id)``, a savepoint
        when nested). Raises DuplicateKey if the id exists (no change id is used then)."""

    @abstractmethod
    def get_site(self, site_id: str) -> Site | None:
        """The site, or None."""

    @abstractmethod
    def list_sites(self) -> list[Site]:
        """Every site, by id."""

    @abstractmethod
    def update_site(self, site_id: str, *, walkin_landlines: bool | None = None,
                    closed_days: Sequence[str] | None = None, replica_keys: str | None = None) -> None:
        """Change a site's settings (the ones given), with a new change id of the site so every
        tablet pulls them (own write, savepoint when nested); ``UnknownSite`` for an unknown id."""

    @abstractmethod
    def untagged_customers(self, site_id: str, limit: int) -> list[tuple[str, str]]:
        """Up to ``limit`` ``(customer id, phone_key)`` of the site's customers without a
        ``phone_tag`` (issue 14; a partial index finds them). Read outside any write."""

    @abstractmethod
    def set_phone_tags(self, site_id: str, tags: Mapping[str, tuple[str, str]]) -> int:
        """Store ``customer id -> (phone_key, tag)`` where the row still has that key and no
        tag, each with a new change id (a new ownership change: tablets pull the tag). Own
        write under the site's lock. Returns how many rows changed."""

    @abstractmethod
    def add_user(self, user: User) -> None:
        """Create a user with a change id of its site (own write, savepoint when nested).
        Raises UnknownSite for an unknown ``user.site_id``, DuplicateKey for a username that
        exists at any site (usernames are unique server-wide)."""

    @abstractmethod
    def get_user(self, username: str) -> User | None:
        """The user, active or not, or None."""

    @abstractmethod
    def list_users(self, site_id: str | None = None) -> list[User]:
        """The site's users (every site's when None), by site then username."""

    @abstractmethod
    def update_user(self, username: str, *, active: bool | None = None, password_hash: str | None = None,
                    must_change_password: bool | None = None) -> None:
        """Deactivate/reactivate a user, set a new password hash and/or whether the next
        sign-in must choose a new password, with a new change id of the user's site (own
        write, savepoint when nested); an unknown username changes nothing. Deactivating an
        active user records the time (``deactivated_at``, now, UTC); deactivating an inactive
        one keeps the first time; reactivating clears it. ``duty_periods``: deactivating closes the
        open period (now), reactivating opens one (now); ``add_user`` stores them as given, or
        one period to ``deactivated_at`` when empty (``services.admin.add_user`` gives now on)."""

    # -- audit log (issue 12) --------------------------------------------------------
    @abstractmethod
    def add_audit(self, row: AuditRow) -> None:
        """Append an audit row (``storage.audit``): inside the act's ``write(row.site_id)`` it
        joins that transaction (the act and its row commit together or not at all), else its
        own write. An id stored twice at a site raises the database's integrity error."""

    # -- devices ---------------------------------------------------------------------
    @abstractmethod
    def add_device(self, device: Device, token_hash: str) -> None:
        """Enrol a device whose bearer token has SHA-256 ``token_hash`` (own write of its site,
        savepoint when nested). A device id or token hash stored twice raises the database's
        integrity error."""

    @abstractmethod
    def device_by_token(self, token_hash: str) -> Device | None:
        """The device (revoked or not) with that token hash, or None."""

    @abstractmethod
    def get_device(self, device_id: str) -> Device | None:
        """The device (with its sync state), or None. Device ids are unique server-wide:
        ``devices`` is looked up before a site is known, like a token."""

    @abstractmethod
    def list_devices(self, site_id: str | None = None) -> list[Device]:
        """The site's devices (all when None), in enrolment order (``enrolled_at``, then id)."""

    @abstractmethod
    def revoke_device(self, device_id: str, at: str) -> None:
        """Revoke a device at ``at`` (ISO 8601); the first revocation stands; an unknown id
        changes nothing (own write of the device's site, savepoint when nested)."""

    @abstractmethod
    def anchors(self, site_id: str, device_id: str) -> list[Anchor]:
        """The clock anchors kept for a device of ``site_id``, one per boot (the latest push
        of that boot), by ``boot_id``."""

    @abstractmethod
    def save_push_clock(self, site_id: str, anchor: Anchor, offset_ms: int) -> None:
        """*(in write of ``site_id``)* Keep the push's anchor (replacing the boot's earlier
        one) and the device's wall-clock offset in milliseconds."""

    @abstractmethod
    def note_pull(self, site_id: str, device_id: str, at: str) -> None:
        """Remember that the device pulled at ``at`` (UTC ISO 8601) in ``device_sync.last_pull_at``
        (issue 12 QA: a rep's tablet that only pulls showed 从未同步). Its own small write that takes
        no site lock (a pull never waits for a push); called at most once a minute per device
        (``services.pull.PULL_NOTE_EVERY``), so an older ``at`` never replaces a newer one."""

    @abstractmethod
    def add_refused_seqs(self, site_id: str, refused: Sequence[RefusedSeq]) -> None:
        """*(in write of ``site_id``)* Remember seqs of the site's devices whose records were
        rejected; the first refusal of a seq stands."""

    @abstractmethod
    def advance_contiguous_seq(self, site_id: str, device_id: str) -> int:
        """*(in write of ``site_id``)* Move the device's contiguous seq past every seq that arrived, stored or
        refused; return it."""

    # -- records ---------------------------------------------------------------------
    @abstractmethod
    def digests_by_id(self, site_id: str, ids: Iterable[str]) -> dict[str, str]:
        """``id -> digest`` for the ids already stored at ``site_id`` (record ids are unique
        per site: another site's records are not looked at)."""

    @abstractmethod
    def ids_by_seq(self, site_id: str, device_id: str, seqs: Iterable[int]) -> dict[int, str]:
        """``seq -> record id`` for the stored seqs among ``seqs`` of this device of ``site_id``."""

    @abstractmethod
    def insert_records(self, records: Sequence[StoredRecord]) -> None:
        """*(in write of their site)* Store new records (their change ids already set, from
        ``next_change_ids``), with what the numbers count of each (``storage/facts.py``; the
        records they supersede or withdraw stop counting). An id, or a device's seq, stored
        twice at one site raises the database's integrity error (use a ``savepoint`` to
        survive it)."""

    @abstractmethod
    def records_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[StoredRecord]:
        """Every record of the site about these phone keys, by change id (then id)."""

    def records_for_keys_reusing(self, site_id: str, phone_keys: Iterable[str],
                                 known: Mapping[str, StoredRecord]) -> list[StoredRecord]:
        """``records_for_keys``, except that a record whose id is in ``known`` (records are
        immutable: the caller holds them as stored, e.g. just inserted) is given as the known
        object, so a backend may skip decoding it."""
        return [known.get(record.id, record) for record in self.records_for_keys(site_id, phone_keys)]

    @abstractmethod
    def records_by_ids(self, site_id: str, ids: Iterable[str]) -> list[StoredRecord]:
        """The site's stored records among ``ids`` (missing ids are left out), by change id
        (then id)."""

    # -- customers, households, ownership --------------------------------------------
    @abstractmethod
    def add_links(self, site_id: str, links: Iterable[tuple[str, str | None]]) -> None:
        """*(in write)* Remember ``(phone_key, linked_key or None)``: a customer, or two
        customers that belong together (a household, R6, or a corrected phone); repeats are
        ignored."""

    @abstractmethod
    def linked_component(self, site_id: str, phone_keys: Iterable[str]) -> list[tuple[str, str | None]]:
        """Every link of the site reachable from ``phone_keys`` (each key given appears as
        ``(key, None)`` too), sorted by ``(phone_key, linked_key or "")``: the input
        ``household_units`` needs."""

    @abstractmethod
    def ensure_customers(self, site_id: str, names: dict[str, str]) -> dict[str, CustomerRow]:
        """*(in write of the site)* ``phone_key -> CustomerRow``, creating missing customers
        with a new id (change id 0 until ownership is saved); a non-empty name given here
        becomes the customer's name."""

    @abstractmethod
    def customers_by_keys(self, site_id: str, phone_keys: Iterable[str]) -> dict[str, CustomerRow]:
        """``phone_key -> CustomerRow`` for the keys that are customers of the site."""

    @abstractmethod
    def get_customer(self, site_id: str, customer_id: str) -> CustomerRow | None:
        """The site's customer, or None (another site's id is not found)."""

    @abstractmethod
    def save_customers(self, rows: Sequence[CustomerRow]) -> None:
        """*(in write of the site)* Store customers' ownership (each row carries its new change id)."""

    # -- conflicts and decisions -----------------------------------------------------
    @abstractmethod
    def conflicts_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[ConflictRow]:
        """The site's conflicts about these phone keys, by ``(opened_at, id)`` as text."""

    @abstractmethod
    def get_conflict(self, site_id: str, conflict_id: str) -> ConflictRow | None:
        """The site's conflict, or None."""

    @abstractmethod
    def list_conflicts(self, site_id: str, status: str | None) -> list[ConflictRow]:
        """The site's conflicts, oldest first (``opened_at``, then id); ``status`` None means all."""

    @abstractmethod
    def save_conflict(self, row: ConflictRow) -> None:
        """*(in write of the site)* Insert or replace a conflict (the row carries its new change id)."""

    def save_conflicts(self, rows: Sequence[ConflictRow]) -> None:
        """*(in write of the site)* ``save_conflict`` for each row, in order; backends may batch them."""
        for row in rows:
            self.save_conflict(row)

    @abstractmethod
    def add_decision(self, row: DecisionRow) -> None:
        """*(in write of the site)* Append a manager's decision (decisions are never changed);
        an id stored twice raises the database's integrity error."""

    @abstractmethod
    def decisions_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[DecisionRow]:
        """The site's decisions about these phone keys, by ``(decided_at, id)`` as text."""

    # -- hand-overs -------------------------------------------------------------------
    @abstractmethod
    def add_handover(self, row: HandoverRow, items: Sequence[HandoverItemRow]) -> None:
        """*(in write of the site)* Append a hand-over and the customers it moves (never
        changed), and give every record of those customers (and its confirmation) a new change
        id: the receivers' pull scope now holds them (``changes_after``). An id stored twice at
        a site raises the database's integrity error."""

    @abstractmethod
    def get_handover(self, site_id: str, handover_id: str) -> HandoverRow | None:
        """The site's hand-over, or None (another site's id reads as None)."""

    @abstractmethod
    def list_handovers(self, site_id: str) -> list[HandoverRow]:
        """The site's hand-overs, newest first (``created_at`` then id, descending)."""

    @abstractmethod
    def customers_of_owner(self, site_id: str, owner: str) -> list[CustomerRow]:
        """The site's customers whose stored owner is ``owner`` (any status), by phone key."""

    @abstractmethod
    def handover_items_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[HandoverItemRow]:
        """The site's hand-over items about these phone keys, by (handover id, phone key)."""

    # -- pull ------------------------------------------------------------------------
    @abstractmethod
    def changes_after(self, site_id: str, after: int, upto: int, limit: int, *,
                      record_scope: tuple[str, str] | None, conflicts: bool) -> list[Change]:
        """Up to ``limit`` changes of the site with ``after < change_id <= upto`` in change id
        order, read in one snapshot. ``record_scope``: None for every record, ``("user",
        name)`` for records the user wrote or is the rep of, ``("device", id)`` for one
        device's records, each with the records that correct or withdraw one of them (by
        ``supersedes``: a manager's withdrawal of a rep's deal names no rep); every scope
        includes the site's ``rotation`` records and the withdrawals of them (排班: one board on
        every tablet). ``conflicts``: include conflicts (managers)."""

    @abstractmethod
    def count_changes(self, site_id: str, after: int, upto: int, *, record_scope: tuple[str, str] | None,
                      conflicts: bool) -> int:
        """How many changes ``changes_after`` and ``confirmations_after`` together give for
        ``after < change_id <= upto`` with no limit (the same scope and ``conflicts`` rules),
        counted in the database: the snapshot's header announces it before the first change is
        read (issue 13). Exact inside one ``read()`` with the reads that follow."""

    @abstractmethod
    def phone_tags(self, site_id: str, phone_keys: Iterable[str]) -> dict[str, str | None]:
        """``phone_key -> phone_tag`` (None: not tagged yet, issue 14) for the keys that are
        customers of the site: what a ``keys=tag`` pull gives each record, read without the
        customers' other columns (a snapshot asks it for every record of the site, issue 13)."""

    # -- confirmations (R4) ------------------------------------------------------------
    @abstractmethod
    def add_confirmations(self, rows: Sequence[ConfirmationRow]) -> list[ConfirmationRow]:
        """*(in write of the rows' site)* Append confirmations of records that have none yet,
        each with a fresh change id (in input order); return the rows stored. The first
        confirmation of a record stands: later ones, and repeats within ``rows``, are skipped."""

    @abstractmethod
    def confirmations_after(self, site_id: str, after: int, upto: int, limit: int, *,
                            record_scope: tuple[str, str] | None) -> list[Change]:
        """Up to ``limit`` confirmations of the site (kind ``confirmation``) with
        ``after < change_id <= upto`` in change id order, only of records ``record_scope``
        lets the caller see (the same rule as ``changes_after``)."""

    # -- records held from the ownership index (issue 14, services/record_budget.py) -------
    @abstractmethod
    def hold_records(self, rows: Sequence[HeldRecord]) -> None:
        """*(in write of the rows' site)* Remember these records as held."""

    @abstractmethod
    def held_keys(self, site_id: str, phone_keys: Iterable[str], author: str | None = None) -> set[str]:
        """The ``phone_keys`` with a held record of the site (of ``author`` only, if given)."""

    @abstractmethod
    def held_record_ids(self, site_id: str, record_ids: Iterable[str]) -> set[str]:
        """The ``record_ids`` that are held at the site."""

    @abstractmethod
    def release_held(self, site_id: str, phone_keys: Iterable[str]) -> list[str]:
        """*(in write of the site)* Forget the held records of these phone keys; their ids."""

    @abstractmethod
    def held_count(self, site_id: str) -> int:
        """How many records of the site are held (the console's 待确认归属 badge)."""

    @abstractmethod
    def held_page(self, site_id: str, offset: int = 0, limit: int = 100) -> list[HeldRecord]:
        """One page of the site's held records, the longest waiting first (``held_at``; then
        by phone key and record id: a push's records of one phone together): the console's
        待确认归属 page."""

    @abstractmethod
    def held_of_phones(self, site_id: str, phone_keys: Iterable[str]) -> list[HeldRecord]:
        """Every held record of the site naming one of ``phone_keys`` (any author), oldest first."""

    @abstractmethod
    def held_captured(self, site_id: str, low: str, high: str) -> list[tuple[str, str, str]]:
        """``(record id, type, estimated_at)`` of the site's held records whose capture text
        ``estimated_at`` is in ``[low, high)`` (ISO text bounds: the caller allows a day's margin
        for offsets and filters by instant)."""

    # -- console sessions (signed-in managers; not pulled by tablets) --------------------
    @abstractmethod
    def add_console_session(self, row: ConsoleSessionRow) -> None:
        """Store a new sign-in (its own ``write()``, a savepoint when nested). Rows that
        expired before ``row.started_at`` are removed on the way: nothing else reads them."""

    @abstractmethod
    def console_session(self, token_hash: str) -> ConsoleSessionRow | None:
        """The sign-in with that id hash, ended or not; None when unknown or removed."""

    @abstractmethod
    def end_console_session(self, token_hash: str, at: str) -> None:
        """Mark a sign-in ended at ``at`` (its own ``write()``); the first end stands."""

    @abstractmethod
    def set_console_reveal(self, token_hash: str, value: str | None) -> None:
        """Keep ``value`` (text) for the sign-in as its one-time answer, replacing any (its own
        ``write()``; an unknown sign-in: nothing). ``console/reveal.py`` seals what it keeps."""

    @abstractmethod
    def take_console_reveal(self, token_hash: str) -> str | None:
        """The sign-in's one-time answer, cleared in the same ``write()``: a second call, or
        another sign-in, gets None."""


def iter_chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """Slices of ``items``: SQL ``IN (…)`` lists stay under the parameter limit."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
