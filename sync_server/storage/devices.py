"""The devices part of the storage contract (``Store``): enrolment and tokens, revocation, the
clock anchors a push keeps (capture-time estimation, R7), the pull and ``tag2`` notes, and the
per-device ``seq`` bookkeeping (protocol principle 6: a record that never arrived shows as a gap).
Implemented with the rest of ``Store`` in ``storage/sql``; checked by the contract suite.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from .rows import Anchor, Device, RefusedSeq

__all__ = ["DeviceStore"]


class DeviceStore(ABC):
    """Devices and their sync state (mixed into ``storage.base.Store``)."""

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
    def note_tag2(self, site_id: str, username: str, at: str) -> None:
        """Remember that a tablet of ``username`` pulled ``keys=tag2`` at ``at`` (UTC ISO 8601)
        in ``users.tag2_since``, unless an earlier pull was remembered (issue 14: that user's
        ``keys=tag`` pulls carry no tags from then on, ``services.views.serves_tag``). Its own
        small write, no site lock, no new change id (tablets are not told)."""

    @abstractmethod
    def add_refused_seqs(self, site_id: str, refused: Sequence[RefusedSeq]) -> None:
        """*(in write of ``site_id``)* Remember seqs of the site's devices whose records were
        rejected; the first refusal of a seq stands."""

    @abstractmethod
    def advance_contiguous_seq(self, site_id: str, device_id: str) -> int:
        """*(in write of ``site_id``)* Move the device's contiguous seq past every seq that arrived, stored or
        refused; return it."""
