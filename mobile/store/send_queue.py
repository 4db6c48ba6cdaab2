"""The tablet's send queue (``LocalStore``'s part of the outbox that the sync reads and
writes): unsent records by author, the server's answers, records held after a server error,
records refused before sending, and the counts the sync screen shows. A mixin of
``LocalStore`` (its ``_rows``, ``_tx`` and ``get_meta``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

from .outbox_entry import OWNER_WITHHELD
from .replica import OWNER_DISMISSED

__all__ = ["SendQueue"]


class SendQueue:
    """Unsent records and their answers (mixed into ``LocalStore``)."""

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        raise NotImplementedError

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _scan(self, sql: str, params: Iterable = ()) -> Iterator[dict]:
        raise NotImplementedError

    def get_meta(self, key: str, default: Any = None) -> Any:
        raise NotImplementedError

    def pending_batch(self, limit: int = 500, author: str | None = None) -> list[dict]:
        """Unsent records in seq order: ``author``'s (QA of issue 14, H1: each goes with its
        author's credentials), or with no ``author`` the signed-in user's and those of no known
        author (captured before ``018_outbox_author``)."""
        rows = self._rows(f"select wire from outbox where state = 'pending' and {self._by_author(author)}"
                          " order by seq limit ?", (*self._author_args(author), limit))
        return [json.loads(r["wire"]) for r in rows]

    def _by_author(self, author: str | None) -> str:
        return "author = ?" if author else "(author is null or author = ?)"

    def _author_args(self, author: str | None) -> tuple[str]:
        return (author or (self.get_meta("user") or {}).get("username") or "",)

    def pending_run(self, limit: int, authors: set[str], me: str) -> tuple[str, list[dict]]:
        """The oldest unsent records (seq order) of the first author among ``authors`` — a
        record of no known author counts as ``me``'s — while the author stays the same: ``(author,
        wires)`` (QA of issue 14, HIGH-1: after 切换用户 a correction by the new user must follow
        the record it corrects, so records go in seq order whoever captured them, each run with
        its author's credentials). Records of other authors wait (their credentials are gone),
        and so does every record that supersedes or refers to (a deal's ``data.refers_to``) one
        that cannot go before it — held after a server error, of such an author, or itself
        waiting: the whole chain waits (QA fourth round: a withdrawal of a waiting correction
        went alone and was refused "原记录服务器不认识")."""
        blocked: set[str] = set()
        first: str | None = None
        run: list[dict] = []
        # read row by row and stop at the run's end: a tablet back after days offline holds
        # thousands of unsent records, and every request of the push reads this again
        for row in self._scan("select id, type, wire, author, state, supersedes from outbox"
                              " where state in ('pending', 'held') order by seq"):
            author = row["author"] or me
            wire = json.loads(row["wire"]) if row["type"] == "deal" or row["state"] == "pending" else {}
            refs = {row["supersedes"], (wire.get("data") or {}).get("refers_to")} - {None, ""}
            if row["state"] == "held" or author not in authors or refs & blocked:
                blocked.add(row["id"])
                continue
            if first is None:
                first = author
            if author != first or len(run) >= limit:
                break
            run.append(wire)
        return first or me, run

    def forget_credentials(self, usernames: set[str]) -> None:
        """Drop these users' kept credentials (``meta.kept_credentials``) in one transaction,
        keeping any another thread added meanwhile (a sign-in during a sync, QA of issue 14,
        HIGH-2: the sync wrote back its stale copy and dropped the login just kept)."""
        if not usernames:
            return
        with self._tx() as conn:
            row = conn.execute("select value from meta where key = 'kept_credentials'").fetchone()
            kept = json.loads(row[0]) if row else {}
            left = {u: c for u, c in (kept or {}).items() if u not in usernames}
            if left != kept:
                conn.execute("insert or replace into meta(key, value) values ('kept_credentials', ?)",
                             (json.dumps(left, ensure_ascii=False, separators=(",", ":")),))

    def has_unsent(self, username: str) -> bool:
        """Has ``username`` captured records here not sent yet (pending or held)? (Records of no
        known author, captured before ``018_outbox_author``, go as the signed-in user's.)"""
        return bool(self._rows("select 1 from outbox where state in ('pending', 'held') and author = ? limit 1",
                               (username,)))

    def unsent_authors(self) -> dict[str, int]:
        """``username -> unsent records`` (pending or held) captured by users other than the
        signed-in one (a shared tablet after 切换用户): each goes with its author's kept
        credentials (``kept_credentials``), or waits until the author signs in here again."""
        me = (self.get_meta("user") or {}).get("username") or ""
        rows = self._rows("select author, count(*) n from outbox where state in ('pending', 'held')"
                          " and author is not null and author != ? group by author", (me,))
        return {r["author"]: r["n"] for r in rows}

    def record_results(self, results: Iterable[Mapping[str, Any]], answered_at: str) -> None:
        """Store the server's answer for each pushed record (one transaction)."""
        with self._tx() as conn:
            for result in results:
                status = result.get("status")
                if status in ("accepted", "duplicate"):
                    # owner_withheld (issue 14): stored, its ownership waits for a manager (OWNER_WITHHELD);
                    # owner_dismissed (N3): a manager refused it, the reason kept — a retry's duplicate says so too
                    refusal = result.get(OWNER_DISMISSED)
                    mark, reason = ((OWNER_DISMISSED, str(refusal.get("reason") or "")) if isinstance(refusal, Mapping)
                                    else (OWNER_WITHHELD if result.get("owner_withheld") is True else None, None))
                    keep = " and coalesce(error_code, '') != 'owner_dismissed'" if status == "duplicate" and mark != OWNER_DISMISSED else ""
                    conn.execute("update outbox set state='accepted', error_code=?, error_message=?,"
                                 f" error_field=null, answered_at=? where id=?{keep}",
                                 (mark, reason, answered_at, result["id"]))
                elif status == "rejected":
                    error = result.get("error") or {}
                    conn.execute("update outbox set state='rejected', error_code=?, error_message=?, error_field=?,"
                                 " answered_at=? where id=?",
                                 (error.get("code"), error.get("message"), error.get("field"), answered_at,
                                  result["id"]))

    def held_records(self, limit: int = 200, author: str | None = None) -> list[dict]:
        """Records the server answered 5xx for even alone (``hold``), in seq order: retried
        one by one after the pending ones, so they never block them (issue 8). ``author`` as
        in ``pending_batch``."""
        rows = self._rows(f"select wire from outbox where state = 'held' and {self._by_author(author)}"
                          " order by seq limit ?", (*self._author_args(author), limit))
        return [json.loads(r["wire"]) for r in rows]

    def hold(self, record_id: str, code: str, message: str, field: str | None = None) -> None:
        """Keep a record the server failed on (5xx) aside with the server's words; still unsent."""
        with self._tx() as conn:
            conn.execute("update outbox set state='held', error_code=?, error_message=?, error_field=?"
                         " where id=? and state in ('pending', 'held')", (code, message, field, record_id))

    def refuse(self, record_id: str, code: str, message: str, field: str | None) -> None:
        """The server refused the request carrying only this record (4xx envelope error): the
        record is rejected like a per-record rejection, for a person to correct or withdraw."""
        with self._tx() as conn:
            conn.execute("update outbox set state='rejected', error_code=?, error_message=?, error_field=?"
                         " where id=? and state in ('pending', 'held')", (code, message, field, record_id))

    def counts(self) -> dict[str, int]:
        """How many own records wait to be sent (pending, and held after a server error), and how
        many are rejected without a correction yet."""
        row = self._rows("select sum(state in ('pending', 'held')) p, sum(state='rejected' and superseded_by is null) r,"
                         " count(*) n from outbox")[0]
        return {"pending": row["p"] or 0, "rejected": row["r"] or 0, "total": row["n"] or 0}
