"""One own record as the sync screen shows it (``OutboxEntry``), and the marks an accepted
record's ``error_code`` carries: its ownership held by the server (``OWNER_WITHHELD``, issue 14)
or refused by a manager (``OWNER_DISMISSED``, issue 14 N3)."""

from __future__ import annotations

from dataclasses import dataclass

from .replica import OWNER_DISMISSED

__all__ = ["OutboxEntry", "OWNER_WITHHELD", "OWNER_DISMISSED"]


OWNER_WITHHELD = "owner_withheld"
"""The outbox's ``error_code`` of an accepted record whose ownership the server holds (issue 14)."""


@dataclass(frozen=True)
class OutboxEntry:
    """One own record as the sync screen shows it."""

    id: str
    seq: int
    type: str
    wire: dict
    state: str  # pending | held (server error, retried alone) | accepted | rejected | local (never pushed)
    customer_name: str
    rep: str | None
    captured_at: str
    error_code: str | None
    error_message: str | None
    error_field: str | None
    superseded_by: str | None
    supersedes: str | None
    phone_hash: str | None = None
    confirmed_by: str | None = None  # the manager's username (审核确认, from a pulled confirmation)
    confirmed_by_name: str | None = None  # their display name when the replica knows the user
    confirmed_at: str | None = None  # UTC ISO 8601
    dismissed_by_name: str | None = None  # who refused its ownership (不予确认, N3), from the pulled record
    dismissed_at: str | None = None  # when (ISO 8601); both None until the refused record was pulled
    # who captured it (the signed-in username then, ``018_outbox_author``); None: captured before
    # 018 — the signed-in user's, as ``SendQueue.pending_run`` sends it
    author: str | None = None

    @property
    def owner_withheld(self) -> bool:
        """Accepted, but the server holds its ownership until a manager confirms it (issue 14:
        the user named more numbers they cannot see than the day's budget); confirmed: released."""
        return self.state == "accepted" and self.error_code == OWNER_WITHHELD and not self.confirmed

    @property
    def owner_dismissed(self) -> bool:
        """Accepted and stored, but a manager refused its ownership (经理不予确认, issue 14 N3):
        it never counts for an owner; ``error_message`` holds the manager's reason."""
        return self.state == "accepted" and self.error_code == OWNER_DISMISSED

    @property
    def needs_attention(self) -> bool:
        """Rejected and not yet corrected or withdrawn: a person must act on it."""
        return self.state == "rejected" and not self.superseded_by

    @property
    def confirmed(self) -> bool:
        """A manager confirmed this registration (R4: it is valid from then on)."""
        return self.confirmed_at is not None
