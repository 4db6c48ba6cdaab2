"""Storage backends behind one contract (``base.Store``); ``open_store`` picks one by URL,
``open_reporting`` gives the console's read interface over the same database."""

from __future__ import annotations

from .base import Store
from .reporting import ReportingStore

__all__ = ["Store", "ReportingStore", "open_store", "open_reporting"]


def open_store(url: str, pool_size: int | None = None) -> Store:
    """Open (and migrate) the store a URL names: ``sqlite:///relative.db``,
    ``sqlite:////absolute.db``, ``postgresql://user:pass@host:port/db`` (or ``postgres://``).
    ``pool_size``: connections in the PostgreSQL pool (None: 8); SQLite ignores it."""
    if url.startswith("sqlite:///"):
        from .sqlite import SQLiteStore

        return SQLiteStore(url[len("sqlite:///"):])
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url, pool_size=pool_size)
    raise ValueError(f"Unsupported database URL {url!r}; use sqlite:///path/to/fieldsync.db or "
                     "postgresql://user:password@host:5432/dbname.")


def open_reporting(store: Store) -> ReportingStore:
    """The console's ``ReportingStore`` over the database ``store`` uses."""
    from .sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        from .sqlite_reporting import SqliteReporting

        return SqliteReporting(store.path)
    from .postgres import PostgresStore  # only here: a SQLite-only install needs no psycopg_pool

    if isinstance(store, PostgresStore):
        from .postgres_reporting import PostgresReporting

        return PostgresReporting(store)
    raise TypeError(f"No reporting implementation for {type(store).__name__}")
