"""Console sessions (``Store.add_console_session`` and friends) on SQLite: one small table,
``console_sessions``, added by migration ``0006_console_sessions``."""

from __future__ import annotations

from .base import ConsoleSessionRow

__all__ = ["SQLiteConsoleSessions"]

_COLUMNS = "token_hash, username, started_at, expires_at, ended_at"


class SQLiteConsoleSessions:
    """Mixed into ``SQLiteStore`` (uses its ``write()``, ``_q`` and ``_conn``)."""

    def add_console_session(self, row: ConsoleSessionRow) -> None:
        with self.write():  # type: ignore[attr-defined]
            conn = self._conn()  # type: ignore[attr-defined]
            conn.execute("DELETE FROM console_sessions WHERE expires_at < ?", (row.started_at,))
            conn.execute(f"INSERT INTO console_sessions ({_COLUMNS}) VALUES (?,?,?,?,?)",
                         (row.token_hash, row.username, row.started_at, row.expires_at, row.ended_at))

    def console_session(self, token_hash: str) -> ConsoleSessionRow | None:
        rows = self._q(f"SELECT {_COLUMNS} FROM console_sessions WHERE token_hash = ?",  # type: ignore[attr-defined]
                       (token_hash,))
        return ConsoleSessionRow(*rows[0]) if rows else None

    def end_console_session(self, token_hash: str, at: str) -> None:
        with self.write():  # type: ignore[attr-defined]
            self._conn().execute("UPDATE console_sessions SET ended_at = coalesce(ended_at, ?) "  # type: ignore[attr-defined]
                                 "WHERE token_hash = ?", (at, token_hash))
