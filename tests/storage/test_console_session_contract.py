"""Console sessions in the storage contract, on SQLite and on PostgreSQL (issue 9): a sign-in
is a row on the server, so sign-out ends it for every worker and every copy of the cookie;
an existing database gets the table from the named migration ``0006_console_sessions``."""

from __future__ import annotations

from sync_server.storage import open_store
from sync_server.storage.base import ConsoleSessionRow
from tests.storage import legacy


def _row(token: str = "a" * 64, started: str = "2026-11-30T01:00:00.000Z",
         expires: str = "2026-11-30T13:00:00.000Z") -> ConsoleSessionRow:
    return ConsoleSessionRow(token, "zhao.min", started, expires)


def test_a_session_is_read_back_and_ended_once(store):
    store.add_console_session(_row())
    assert store.console_session("a" * 64) == _row()
    assert store.console_session("b" * 64) is None
    store.end_console_session("a" * 64, "2026-11-30T02:00:00.000Z")
    store.end_console_session("a" * 64, "2026-11-30T03:00:00.000Z")  # the first end stands
    assert store.console_session("a" * 64).ended_at == "2026-11-30T02:00:00.000Z"


def test_another_process_sees_the_sign_out(open_db):
    first, second = open_db(), open_db()  # two server workers on one database
    first.add_console_session(_row())
    assert second.console_session("a" * 64).ended_at is None
    second.end_console_session("a" * 64, "2026-11-30T02:00:00.000Z")
    assert first.console_session("a" * 64).ended_at == "2026-11-30T02:00:00.000Z"


def test_expired_sessions_are_removed_when_a_new_one_starts(store):
    store.add_console_session(_row("a" * 64, expires="2026-11-30T13:00:00.000Z"))
    store.add_console_session(_row("b" * 64, started="2026-11-30T14:00:00.000Z",
                                   expires="2026-12-01T02:00:00.000Z"))
    assert store.console_session("a" * 64) is None
    assert store.console_session("b" * 64) is not None


def test_a_database_from_before_sessions_gets_the_table(db_url, legacy_url):
    """A database today's code left at 0005 (no sessions table) gets it on opening."""
    url = legacy_url()
    legacy.build(url, [n for n in legacy.NAMES if n != "0006_console_sessions"])
    store = open_store(url)
    try:
        store.add_console_session(_row())
        assert store.console_session("a" * 64) is not None
    finally:
        store.close()


def test_a_one_time_answer_is_taken_once_and_only_by_its_sign_in(open_db):
    """Issue 12 QA: a temporary password kept for one sign-in (``console_sessions.reveal``,
    migration ``0013_console_reveal``) is read and cleared at once, by any worker."""
    first, second = open_db(), open_db()
    first.add_console_session(_row("a" * 64))
    first.add_console_session(_row("b" * 64))
    first.set_console_reveal("a" * 64, '{"k":"reset"}')
    assert second.take_console_reveal("b" * 64) is None  # another sign-in's
    assert second.take_console_reveal("a" * 64) == '{"k":"reset"}'
    assert first.take_console_reveal("a" * 64) is None  # shown once
    first.set_console_reveal("unknown" * 8, "x")  # no such sign-in: nothing, no error
    assert first.take_console_reveal("unknown" * 8) is None
