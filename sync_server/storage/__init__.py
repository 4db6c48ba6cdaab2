"""Storage behind one contract (``base.Store``), implemented once over SQLAlchemy Core for
SQLite and PostgreSQL (``sql/``); Alembic owns the schema (``migrations/``).
``open_store`` opens (and migrates) a database by URL; ``open_reporting`` gives the console's
read interface over the same database."""

from __future__ import annotations

from .base import Store
from .reporting import ReportingStore

__all__ = ["Store", "ReportingStore", "open_store", "open_reporting"]


def open_store(url: str, *, pool_size: int | None = None) -> Store:
    """Open the store a URL names, upgrading its schema to the newest revision first:
    ``sqlite:///relative.db``, ``sqlite:////absolute.db``, ``postgresql://user:pass@host:port/db``
    (or ``postgres://``; driven by psycopg 3). ``pool_size``: pooled connections of this
    process (default 8). ValueError for another scheme."""
    from .sql.store import SqlStore

    return SqlStore(url, pool_size=pool_size)


def open_reporting(store: Store) -> ReportingStore:
    """The console's ``ReportingStore`` over the database ``store`` uses."""
    from .sql.reporting import SqlReporting
    from .sql.store import SqlStore

    if not isinstance(store, SqlStore):
        raise TypeError(f"No reporting implementation for {type(store).__name__}")
    return SqlReporting(store)
