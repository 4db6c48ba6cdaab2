"""Writing the audit log (issue 12): who did what to people and tablets, when, from where.

``log`` appends one ``AuditRow`` inside the caller's ``store.write(site_id)``, so the act and
its row commit together (or neither does). ``Origin`` says who acted and from where: a
console manager or a tablet caller with the client address (``client_address.py``), or the
command line with the OS user and host.
"""

from __future__ import annotations

import getpass
import secrets
import socket
import time
from dataclasses import dataclass

from shared.timeutil import format_time, utc_now

from ..storage.audit import AuditRow
from ..storage.base import Store

__all__ = ["Origin", "log", "log_org", "ACTIONS"]

ACTIONS = ("user.added", "user.deactivated", "user.reactivated", "password.reset", "password.set",
           "password.changed", "device.enrolled", "device.revoked", "sign_in.ok", "sign_in.failed",
           "sign_in.locked", "handover.previewed", "handover.recorded", "decision.submitted", "decision.approved", "decision.returned",
           "director.added", "customer.lookup_budget",
           "customer.record_budget", "held.dismissed", "care.rebuilt")
"""The action codes written; the console shows each as ``audit.action.<code>`` in zh/en."""


@dataclass(frozen=True)
class Origin:
    """Who acts (``actor``: a username, None for the command line) and from where."""

    actor: str | None
    source: str  # console | cli | api | director_api (storage.audit.AUDIT_SOURCES)
    address: str

    @classmethod
    def console(cls, actor: str | None, address: str | None) -> Origin:
        return cls(actor, "console", address or "")

    @classmethod
    def api(cls, actor: str | None, address: str | None) -> Origin:
        return cls(actor, "api", address or "")

    @classmethod
    def director_api(cls, actor: str | None, address: str | None) -> Origin:
        """A sales director's call of ``/api/v1/auth/director`` or ``/api/v1/director/…`` (a
        director has no tablet: QA of issue 12 N6)."""
        return cls(actor, "director_api", address or "")

    @classmethod
    def cli(cls, actor: str | None = None) -> Origin:
        """The command line: ``<OS user>@<host>`` (the user running ``fieldsync-server``);
        ``actor``: the manager a command acts for (``handover --by``; QA of issue 12 L3: the row
        named only 命令行), else None."""
        try:
            who = getpass.getuser()
        except (OSError, KeyError):  # no user name for this uid (a bare container)
            who = "?"
        return cls(actor, "cli", f"{who}@{socket.gethostname()}")


def new_row_id() -> str:
    """A new row's id: 32 hex characters, the first 16 the time in nanoseconds and the rest
    random, so ids sort in the order acts were logged. Rows of one millisecond (a fifth failed
    sign-in and the lock-out it causes) read newest first by ``at`` and then by id; a random
    uuid4 put them in either order."""
    return f"{time.time_ns():016x}{secrets.token_hex(8)}"


def log(store: Store, site_id: str, origin: Origin, action: str, target: str = "", *, row_id: str | None = None,
        **details: object) -> AuditRow:
    """*(in the act's write of ``site_id``, or its own)* Append one row, at server time (UTC);
    ``row_id``: the id of an act logged at several sites (``log_org``), else a new one."""
    row = AuditRow(site_id=site_id, id=row_id or new_row_id(), at=format_time(utc_now()), actor=origin.actor,
                   source=origin.source, address=origin.address, action=action, target=target,
                   details=dict(details))
    store.add_audit(row)
    return row


def log_org(store: Store, org_id: str | None, origin: Origin, action: str, target: str = "",
            **details: object) -> list[AuditRow]:
    """A director's act (sign-in, failure, lock-out, creation: issue 12 QA), which has no site:
    one row under **each site of the director's organisation** (each in its own write), so every
    manager and director who reads a site's log sees it. The rows share one id, so a reader of
    several sites (the director) sees the act once (``read_audit``). An organisation without
    sites keeps no row (there is no log to read it in)."""
    rows = []
    row_id = new_row_id()
    for site_id in store.sites_of_org(org_id) if org_id else []:
        with store.write(site_id):
            rows.append(log(store, site_id, origin, action, target, row_id=row_id, **details))
    return rows
