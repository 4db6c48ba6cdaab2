"""Console sessions (signed-in managers; never pulled by tablets) of ``SqlStore``."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from ..base import ConsoleSessionRow
from .engine import Transactions
from .tables import console_sessions

__all__ = ["Sessions"]

_COLUMNS = [console_sessions.c[n] for n in ("token_hash", "username", "started_at", "expires_at", "ended_at")]


class Sessions(Transactions):
    def add_console_session(self, row: ConsoleSessionRow) -> None:
        with self.write():
            self._exec(delete(console_sessions).where(console_sessions.c.expires_at < row.started_at))
            self._exec(console_sessions.insert().values(
                token_hash=row.token_hash, username=row.username, started_at=row.started_at,
                expires_at=row.expires_at, ended_at=row.ended_at))

    def console_session(self, token_hash: str) -> ConsoleSessionRow | None:
        rows = self._all(select(*_COLUMNS).where(console_sessions.c.token_hash == token_hash))
        return ConsoleSessionRow(*rows[0]) if rows else None

    def end_console_session(self, token_hash: str, at: str) -> None:
        with self.write():
            self._exec(update(console_sessions).where(console_sessions.c.token_hash == token_hash)
                       .values(ended_at=func.coalesce(console_sessions.c.ended_at, at)))

    def set_console_reveal(self, token_hash: str, value: str | None) -> None:
        with self.write():
            self._exec(update(console_sessions).where(console_sessions.c.token_hash == token_hash)
                       .values(reveal=value))

    def take_console_reveal(self, token_hash: str) -> str | None:
        with self.write():
            rows = self._all(select(console_sessions.c.reveal).where(console_sessions.c.token_hash == token_hash))
            if not rows or rows[0][0] is None:
                return None
            self._exec(update(console_sessions).where(console_sessions.c.token_hash == token_hash)
                       .values(reveal=None))
            return rows[0][0]
