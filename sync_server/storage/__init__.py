"""Storage backends behind one contract (``base.Store``); ``open_store`` picks one by URL."""

from __future__ import annotations

from .base import Store

__all__ = ["Store", "open_store"]


def open_store(url: str) -> Store:
    """Open (and migrate) the store a URL names: ``sqlite:///relative.db``,
    ``sqlite:////absolute.db``. PostgreSQL is the next backend; until then its URL is refused."""
    if url.startswith("sqlite:///"):
        from .sqlite import SQLiteStore

        return SQLiteStore(url[len("sqlite:///"):])
    if url.startswith(("postgresql://", "postgres://")):
        raise ValueError("The PostgreSQL backend is not built yet; use a sqlite:///path URL.")
    raise ValueError(f"Unsupported database URL {url!r}; use sqlite:///path/to/fieldsync.db.")
