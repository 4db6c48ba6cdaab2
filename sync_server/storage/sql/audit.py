"""The audit log (issue 12) of ``SqlStore`` (``add_audit``) and its reading for the console.

``at`` is always written as UTC (``+00:00``, milliseconds), so text order is time order on
both databases and a range is a text comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, func, select

from shared.timeutil import format_time

from ..audit import AuditPage, AuditRow
from .engine import Transactions
from .tables import audit_log

__all__ = ["AuditWrites", "read_audit", "last_sign_ins"]

_COLUMNS = [audit_log.c[n] for n in ("site_id", "id", "at", "actor", "source", "address", "action", "target",
                                     "details")]


def _utc(value: datetime) -> str:
    return format_time(value.astimezone(UTC))


class AuditWrites(Transactions):
    def add_audit(self, row: AuditRow) -> None:
        with self.write(row.site_id):
            self._exec(audit_log.insert().values(
                site_id=row.site_id, id=row.id, at=row.at, actor=row.actor, source=row.source,
                address=row.address, action=row.action, target=row.target, details=dict(row.details)))


def read_audit(store: Transactions, site_ids: Sequence[str], start: datetime | None, end: datetime | None,
               actor: str | None, offset: int, limit: int, action: str | None = None) -> AuditPage:
    """Rows of ``site_ids`` with ``start <= at < end`` (either open when None) and, with
    ``actor``, acts by or on that username; newest first, ``limit`` from ``offset``. An act
    logged at several of ``site_ids`` under one id (``services.audit.log_org``: a director's
    sign-in) is one row, at the first of those sites."""
    conditions: list[ColumnElement[bool]] = [audit_log.c.site_id.in_(list(site_ids))]
    if len(set(site_ids)) > 1:
        twin = audit_log.alias("twin")
        conditions.append(audit_log.c.site_id == select(func.min(twin.c.site_id)).where(
            twin.c.id == audit_log.c.id, twin.c.site_id.in_(list(site_ids))).scalar_subquery())
    if start is not None:
        conditions.append(audit_log.c.at >= _utc(start))
    if end is not None:
        conditions.append(audit_log.c.at < _utc(end))
    if actor:
        conditions.append((audit_log.c.actor == actor) | (audit_log.c.target == actor))
    if action:
        conditions.append(audit_log.c.action == action)
    where = and_(*conditions)
    with store.read():
        total = store._all(select(func.count()).select_from(audit_log).where(where))[0][0]
        rows = store._all(select(*_COLUMNS).where(where)
                          .order_by(audit_log.c.at.desc(), audit_log.c.site_id, audit_log.c.id.desc())
                          .offset(max(0, offset)).limit(max(0, limit)))
    return AuditPage([_row(r) for r in rows], int(total))


def _row(r) -> AuditRow:
    return AuditRow(site_id=r[0], id=r[1], at=r[2], actor=r[3], source=r[4], address=r[5], action=r[6],
                    target=r[7], details=dict(r[8] or {}))


def last_sign_ins(store: Transactions, site_id: str) -> dict[str, str]:
    """``username -> at`` of each user's latest successful sign-in (console or tablet) logged."""
    query = (select(audit_log.c.actor, func.max(audit_log.c.at))
             .where(audit_log.c.site_id == site_id, audit_log.c.action.in_(("sign_in.ok", "device.enrolled")),
                    audit_log.c.actor.is_not(None))
             .group_by(audit_log.c.actor))
    return {actor: at for actor, at in store._all(query)}
