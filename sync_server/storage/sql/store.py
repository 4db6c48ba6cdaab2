"""``SqlStore``: the storage contract (``base.Store``) on SQLite or PostgreSQL through
SQLAlchemy Core. One implementation; the modules beside it hold one responsibility each
(``engine``: connections and transactions, ``directory``: sites/users/devices, ``records``,
``ownership``: customers/links/conflicts/decisions, ``care``: the care page's rows, ``handovers``, ``held``: records held for a manager (issue 14), ``changes``: pull and confirmations,
``sessions``: console sign-ins, ``audit``: the audit log, ``organisations``: organisations, directors and decisions awaiting approval) and ``dialects`` the few places the databases differ."""

from __future__ import annotations

from ..base import Store
from .audit import AuditWrites
from .care import Care
from .case_reads import CaseReads
from .changes import Changes
from .engine import make_engine
from .handovers import Handovers
from .held import Held
from .organisations import Organisations
from .sessions import Sessions

__all__ = ["SqlStore"]


class SqlStore(CaseReads, Care, Handovers, Held, Changes, Sessions, AuditWrites, Organisations, Store):
    """``url``: ``sqlite:///path`` or ``postgresql://user:pass@host:port/db``; ``pool_size``:
    connections per process (PostgreSQL; default 8). Opening migrates the database to the
    newest schema (``storage.migrations.upgrade``)."""

    def __init__(self, url: str, *, pool_size: int | None = None, migrate: bool = True):
        from ..migrations import upgrade

        if migrate:
            upgrade(url)
        self.url = url
        super().__init__(make_engine(url, pool_size=pool_size))
