"""What the manager's console keeps beside the sync contract (part of ``storage.base.Store``):
hand-overs (issue 12, 001 §14(五)3(12)), records held from the ownership index until a manager
releases them (issue 14, ``services/record_budget.py``) and console sign-ins. Rows are
``storage.rows`` types; errors as in ``storage.base``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence

from .rows import (
    ConsoleSessionRow,
    CustomerRow,
    DismissedRecord,
    HandoverItemRow,
    HandoverRow,
    HeldRecord,
)

__all__ = ["ManagerStore"]


class ManagerStore(ABC):
    """Hand-overs, held records and console sessions; ``Store`` inherits it."""

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

    # -- records held from the ownership index (issue 14, services/record_budget.py) -------
    @abstractmethod
    def hold_records(self, rows: Sequence[HeldRecord]) -> None:
        """*(in write of the rows' site)* Remember these records as held, and each one's phone
        (once a phone) for the tagger (``untagged_held_phones``)."""

    @abstractmethod
    def untagged_held_phones(self, site_id: str, limit: int, keys: str = "tag") -> list[str]:
        """Up to ``limit`` phone keys (in key order) that a held or refused record of the site
        named (``hold_records`` keeps one row a phone, ``0026_held_phone_tags``) still lacking a
        tag of ``keys`` (``tag`` or ``tag2``): the tagger's work besides customers. Read outside
        any write."""

    @abstractmethod
    def set_held_phone_tags(self, site_id: str, tags: Mapping[str, str], keys: str = "tag") -> int:
        """Store ``phone_key -> tag`` as the held phone's tag of ``keys`` where the phone has a
        row without one (a tag stored meanwhile stays). No change id: a tablet that pulled the
        record untagged has computed the tag already; later pulls and snapshots carry it (to
        managers, ``Store.phone_tags(held=True)``). Own write under the site's lock; returns how
        many rows changed."""

    @abstractmethod
    def held_keys(self, site_id: str, phone_keys: Iterable[str], author: str | None = None) -> set[str]:
        """The ``phone_keys`` with a held or dismissed record of the site (of ``author`` only, if
        given): a later record of the author naming a phone a manager refused is held too."""

    @abstractmethod
    def held_record_ids(self, site_id: str, record_ids: Iterable[str]) -> set[str]:
        """The ``record_ids`` that are held at the site."""

    @abstractmethod
    def release_held(self, site_id: str, phone_keys: Iterable[str]) -> list[str]:
        """*(in write of the site)* Forget the held records of these phone keys; their ids."""

    @abstractmethod
    def held_count(self, site_id: str, author: str | None = None) -> int:
        """How many records of the site are held (the console's 待确认归属 badge), of ``author``
        only if given. Dismissed records are not held."""

    @abstractmethod
    def dismissed_count(self, site_id: str, author: str | None = None) -> int:
        """How many records of the site a manager refused (不予确认), of ``author`` only if
        given: the 待确认归属 page of a pusher says they are not in its list (QA5 F6d)."""

    @abstractmethod
    def held_page(self, site_id: str, offset: int = 0, limit: int = 100, author: str | None = None) -> list[HeldRecord]:
        """One page of the site's held records (of ``author`` only, if given), the longest
        waiting first (``held_at``; then a push's records in the order they were captured,
        ``captured_at``, then by record id: QA5 F6c): the console's 待确认归属 page."""

    @abstractmethod
    def held_pushers(self, site_id: str) -> list[tuple[str, str, int]]:
        """``(author, device id, held records)`` of the site's held records, by author and
        device (the page's counts by pusher, issue 14 N3)."""

    @abstractmethod
    def dismiss_held(self, site_id: str, record_ids: Iterable[str], by: str, at: str, reason: str) -> list[str]:
        """*(in write of the site)* A manager refused these held records (不予确认, issue 14 N3):
        move each still held one to the dismissed records with ``by``, ``at`` (UTC ISO 8601)
        and ``reason``, and give the record a new change id (its tablets pull it again and read
        the refusal). The ids moved, sorted; records not held (released, dismissed already, not
        of the site) are left alone."""

    @abstractmethod
    def dismissed(self, site_id: str, record_ids: Iterable[str]) -> dict[str, DismissedRecord]:
        """``record id -> DismissedRecord`` of these ids that a manager refused."""

    @abstractmethod
    def dismissed_of_phones(self, site_id: str, phone_keys: Iterable[str]) -> list[DismissedRecord]:
        """Every dismissed record of the site naming one of ``phone_keys`` (any author)."""

    @abstractmethod
    def held_of_phones(self, site_id: str, phone_keys: Iterable[str]) -> list[HeldRecord]:
        """Every held record of the site naming one of ``phone_keys`` (any author), oldest first
        (not the dismissed ones: ``dismissed_of_phones``)."""

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
