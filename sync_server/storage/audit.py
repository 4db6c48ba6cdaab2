"""The audit log's rows (issue 12): who did what to people and tablets, when, from where.

Written by ``Store.add_audit`` in the transaction of the act it describes; read by
``ReportingStore.audit_entries``. Rows are never changed. Every row carries its ``site_id``
so a reader over several sites (a director, later) asks for several sites at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AuditRow", "AuditPage", "AUDIT_SOURCES"]

AUDIT_SOURCES = ("console", "cli", "api", "director_api")
"""Where an act came from: the manager console, the ``fieldsync-server`` command line, or the
tablet API (enrolment, a manager's ``DELETE /devices/{id}``)."""


@dataclass(frozen=True)
class AuditRow:
    """One act. ``at``: server time, ISO 8601 UTC text. ``actor``: the username who acted (None
    for the command line, or for a sign-in attempt naming no user). ``address``: the client's
    address (console, API) or ``"<OS user>@<host>"`` (command line). ``action``: a stable code
    (``user.added``, ``user.deactivated``, ``password.reset``, ``device.revoked``,
    ``sign_in.failed``, …; the console shows each in the reader's language). ``target``: the
    username or device id acted on. ``details``: JSON-able facts (role, device name, …)."""

    site_id: str
    id: str
    at: str
    actor: str | None
    source: str
    address: str
    action: str
    target: str = ""
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AuditPage:
    """A page of the log, newest first, and how many rows match the filter in all."""

    rows: list[AuditRow]
    total: int
