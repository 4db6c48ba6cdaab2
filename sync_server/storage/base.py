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
from typing import Any

from .audit import AuditRow
from .care_calendar import CareCalendarStore
from .devices import DeviceStore
from .manager_store import ManagerStore
from .organisations import OrgStore
from .rows import (
    ROLES,
    Anchor,
    Change,
    ConfirmationRow,
    ConflictRow,
    ConsoleSessionRow,
    CustomerRow,
    DecisionRow,
    Device,
    DismissedRecord,
    DuplicateKey,
    HandoverItemRow,
    HandoverRow,
    HeldRecord,
    RefusedSeq,
    Site,
    StoredRecord,
    UnknownSite,
    User,
)

__all__ = ["Store", "Site", "User", "Device", "Anchor", "StoredRecord", "CustomerRow", "ConflictRow",
           "DecisionRow", "HandoverRow", "HandoverItemRow", "ConfirmationRow", "HeldRecord", "DismissedRecord", "ConsoleSessionRow", "RefusedSeq", "Change", "ROLES", "DuplicateKey",
           "UnknownSite"]

class Store(OrgStore, DeviceStore, CareCalendarStore, ManagerStore, ABC):
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
    def untagged_customers(self, site_id: str, limit: int, keys: str = "tag") -> list[tuple[str, str]]:
        """Up to ``limit`` ``(customer id, phone_key)`` of the site's customers without a
        tag of ``keys``: ``tag`` (``phone_tag``, issue 14) or ``tag2`` (``phone_tag2``, migration
        ``0025_phone_tag2``); a partial index finds them. Read outside any write."""

    @abstractmethod
    def set_phone_tags(self, site_id: str, tags: Mapping[str, tuple[str, str]], keys: str = "tag") -> int:
        """Store ``customer id -> (phone_key, tag)`` as the customer's tag of ``keys`` (``tag``:
        ``phone_tag``; ``tag2``: ``phone_tag2``) where the row still has that key and no such
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

    @abstractmethod
    def records_superseding(self, site_id: str, ids: Iterable[str]) -> list[StoredRecord]:
        """The site's stored records whose ``supersedes`` is among ``ids`` (corrections and
        withdrawals of them), by change id (then id)."""

    def with_chains(self, site_id: str, records: list[StoredRecord]) -> list[StoredRecord]:
        """``records`` and every other version of their chains (R4), wherever their phones are:
        a correction that changed the phone (a mistyped number fixed) is stored under the new
        phone and supersedes a record under the old. A unit decided over its phones' records
        reads the whole chain and keeps the chains whose live version names one of its phones
        (``services.ownership.decide_unit``'s ``keys``). Before (QA of issue 15) such a
        correction linked the two phones as one household: a stranger later registered on the
        mistyped number shared the customer 50/50. Two indexed reads a round (records
        superseding these, records these supersede), until no chain grows; ``records`` itself
        when nothing was added."""
        have = {r.id: r for r in records}
        todo = set(have)
        while todo:
            targets = {s for i in todo if (s := have[i].supersedes) and s not in have}
            found = [*self.records_superseding(site_id, todo), *(self.records_by_ids(site_id, targets) if targets else [])]
            todo = {r.id for r in found if r.id not in have}
            have.update((r.id, r) for r in found if r.id in todo)
        return list(have.values()) if len(have) > len(records) else records

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

    # -- pull ------------------------------------------------------------------------
    @abstractmethod
    def changes_after(self, site_id: str, after: int, upto: int, limit: int, *,
                      record_scope: tuple[str, str] | None, conflicts: bool, texts: bool = False) -> list[Change]:
        """Up to ``limit`` changes of the site with ``after < change_id <= upto`` in change id
        order, read in one snapshot. ``record_scope``: None for every record, ``("user",
        name)`` for records the user wrote or is the rep of, ``("device", id)`` for one
        device's records, each with the records that correct or withdraw one of them (by
        ``supersedes``: a manager's withdrawal of a rep's deal names no rep); every scope
        includes the site's ``rotation`` records and the withdrawals of them (排班: one board on
        every tablet). ``conflicts``: include conflicts (managers). ``texts``: each record's and
        customer's ``Change.text`` is its stored ``wire`` / ``explanation`` JSON text where the
        backend holds it as text (the rows are decoded all the same)."""

    @abstractmethod
    def count_changes(self, site_id: str, after: int, upto: int, *, record_scope: tuple[str, str] | None,
                      conflicts: bool) -> int:
        """How many changes ``changes_after`` and ``confirmations_after`` together give for
        ``after < change_id <= upto`` with no limit (the same scope and ``conflicts`` rules),
        counted in the database: the snapshot's header announces it before the first change is
        read (issue 13). Exact inside one ``read()`` with the reads that follow."""

    @abstractmethod
    def phone_tags(self, site_id: str, phone_keys: Iterable[str], keys: str = "tag",
                   held: bool = False) -> dict[str, str | None]:
        """``phone_key -> tag`` of ``keys`` (``tag``: ``phone_tag``; ``tag2``: ``phone_tag2``;
        None: not tagged yet, issue 14) for the keys that are customers of the site: what a
        ``keys=tag``/``tag2`` pull gives each record, read without the
        customers' other columns (a snapshot asks it for every record of the site, issue 13).
        ``held`` (a manager's pull): also keys only held or refused records name, with the
        tagger's tag (``0026_held_phone_tags``); one read (``UNION ALL``) a chunk of keys."""

    @abstractmethod
    def phones_named_by(self, site_id: str, username: str) -> set[str]:
        """The phone keys (and household keys) of the site's records written by ``username`` or
        naming them as the rep, held and refused records left out (``record_budget``): the
        numbers that user's tablet already holds in clear, whose customers' tags a rep's pull
        may carry (issue 14, ``shared.replica_privacy``)."""

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



def iter_chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """Slices of ``items``: SQL ``IN (…)`` lists stay under the parameter limit."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
