"""Console sessions (``Store.add_console_session`` and friends) on PostgreSQL: one small
table, ``console_sessions``, added by migration ``0006_console_sessions``. Every worker
process reads the same rows, so a sign-out on one worker ends the session on all."""

from __future__ import annotations

from .base import ConsoleSessionRow

__all__ = ["PostgresConsoleSessions"]

_COLUMNS = "token_hash, username, started_at, expires_at, ended_at"


class PostgresConsoleSessions:
    """Mixed into ``PostgresStore`` (uses its ``write()`` and ``_q``)."""

    def add_console_session(self, row: ConsoleSessionRow) -> None:
        with self.write():  # type: ignore[attr-defined]
            self._q("DELETE FROM console_sessions WHERE expires_at < %s", (row.started_at,))  # type: ignore[attr-defined]
            self._q(f"INSERT INTO console_sessions ({_COLUMNS}) VALUES (%s,%s,%s,%s,%s)",  # type: ignore[attr-defined]
                    (row.token_hash, row.username, row.started_at, row.expires_at, row.ended_at))

    def console_session(self, token_hash: str) -> ConsoleSessionRow | None:
        rows = self._q(f"SELECT {_COLUMNS} FROM console_sessions WHERE token_hash = %s",  # type: ignore[attr-defined]
                       (token_hash,))
        return ConsoleSessionRow(*rows[0]) if rows else None

    def end_console_session(self, token_hash: str, at: str) -> None:
        with self.write():  # type: ignore[attr-defined]
            self._q("UPDATE console_sessions SET ended_at = coalesce(ended_at, %s) "  # type: ignore[attr-defined]
                    "WHERE token_hash = %s", (at, token_hash))
