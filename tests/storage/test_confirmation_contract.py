"""Confirmations (审核确认, R4) in the storage contract, on SQLite and on PostgreSQL: appended
with change ids so tablets pull them, the first confirmation of a record standing, and pulled
under the same scope as the records they confirm."""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import replace

import psycopg
import pytest

from sync_server.storage import open_store
from sync_server.storage.base import ConfirmationRow, Device, Site
from tests.storage.records import make_record, seed

_ids = itertools.count(1)


def _confirmation(record_id: str, at: str = "2026-11-20T10:00:00.000Z", site_id: str = "s1") -> ConfirmationRow:
    return ConfirmationRow(f"conf-{next(_ids)}", site_id, record_id, "zhao.min", at)


@pytest.fixture
def records(store) -> dict:
    """The desk's walk-in for 王丽 and its call without a rep (device d1, author desk.li), 王丽's
    own walk-in on her tablet (d2), and a record of another site."""
    seed(store)
    store.add_device(Device("d2", "s1", "wang.li", "rep tablet", "2026-11-20T01:00:00.000Z"), "t2")
    store.add_site(Site("s2", "二号"))
    store.add_device(Device("d9", "s2", "zhao.min", "other desk", "2026-11-20T00:00:00.000Z"), "t9")
    rows = {"desk_for_wang": make_record(seq=1, rep="wang.li"),
            "desk_call": make_record(seq=2, type="call", rep=None),
            "wang_own": make_record(seq=1, device_id="d2", author="wang.li", rep="wang.li"),
            "other_site": make_record(seq=1, site_id="s2", device_id="d9", author="zhao.min")}
    with store.write():
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows.values()])
    return rows


def test_confirmations_get_fresh_change_ids_and_the_first_one_stands(store, reporting, records):
    head = store.head()
    first = _confirmation(records["desk_for_wang"].id, "2026-11-20T10:00:00.000Z")
    with store.write():
        stored = store.add_confirmations([first, _confirmation(records["desk_call"].id),
                                          _confirmation(records["desk_for_wang"].id)])  # twice in one batch
    assert [r.record_id for r in stored] == [records["desk_for_wang"].id, records["desk_call"].id]
    assert [r.change_id for r in stored] == [head + 1, head + 2] and store.head() == head + 2
    assert stored[0] == replace(first, change_id=head + 1)
    with store.write():
        again = store.add_confirmations([_confirmation(records["desk_for_wang"].id, "2026-11-20T11:00:00.000Z"),
                                         _confirmation(records["wang_own"].id)])
    assert [r.record_id for r in again] == [records["wang_own"].id] and again[0].change_id == head + 3
    with store.write():
        assert store.add_confirmations([]) == []
    assert store.head() == head + 3
    kept = reporting.confirmations("s1", [records["desk_for_wang"].id])[records["desk_for_wang"].id]
    assert (kept.id, kept.confirmed_at) == (first.id, first.confirmed_at)


def test_a_confirmation_in_a_write_that_fails_is_not_kept(store, reporting, records):
    head = store.head()
    with pytest.raises(RuntimeError), store.write():
        store.add_confirmations([_confirmation(records["desk_call"].id)])
        raise RuntimeError("boom")
    assert store.head() == head
    assert reporting.confirmations("s1", [records["desk_call"].id]) == {}
    assert store.confirmations_after("s1", 0, store.head(), 10, record_scope=None) == []


def test_confirmations_are_pulled_by_whoever_may_see_the_record(store, records):
    head = store.head()
    with store.write():
        stored = store.add_confirmations([_confirmation(records[k].id) for k in ("desk_for_wang", "desk_call",
                                                                                   "wang_own")])
        store.add_confirmations([_confirmation(records["other_site"].id, site_id="s2")])
    by_record = {r.record_id: r for r in stored}

    def pulled(scope, after=head, limit=10, site="s1"):
        changes = store.confirmations_after(site, after, store.head(), limit, record_scope=scope)
        assert all(c.kind == "confirmation" for c in changes)
        assert [c.change_id for c in changes] == sorted(c.change_id for c in changes)
        return [c.row.record_id for c in changes]

    all_three = [records[k].id for k in ("desk_for_wang", "desk_call", "wang_own")]
    assert pulled(None) == all_three  # a manager: everything of the site
    assert pulled(("user", "wang.li")) == [records["desk_for_wang"].id, records["wang_own"].id]  # rep or author
    assert pulled(("user", "chen.jie")) == []
    assert pulled(("device", "d1")) == [records["desk_for_wang"].id, records["desk_call"].id]  # the desk's device
    assert pulled(None, site="s2") == [records["other_site"].id]
    assert pulled(None, limit=2) == all_three[:2]
    assert pulled(None, after=by_record[all_three[0]].change_id) == all_three[1:]
    change = store.confirmations_after("s1", head, store.head(), 1, record_scope=None)[0]
    assert change.row == by_record[all_three[0]] and change.change_id == change.row.change_id


def test_confirmations_made_before_the_migration_get_change_ids_above_the_old_head(db_url, request, monkeypatch):
    """Upgrading: confirmations already in the ledger reach tablets that pulled everything before."""
    if db_url.startswith("sqlite"):
        from sync_server.storage import sqlite_schema as schema
    else:
        from sync_server.storage import postgres_schema as schema
        server = request.getfixturevalue("postgres_server")
        db_url = server.create_database(f"confirm_upgrade_{next(_ids)}")
        request.addfinalizer(lambda: server.drop_database(db_url.rsplit("/", 1)[1]))
    # before 0003, plus the users column today's code needs to seed users (0005 touches only users)
    old = [m for m in schema.MIGRATIONS if m[0] < "0003" or m[0] == "0005_user_deactivated_at"]
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", old)
        store = open_store(db_url)
        seed(store)
        record = make_record(seq=1)
        with store.write():
            store.insert_records([replace(record, change_id=store.next_change_id())])
        store.close()
    sql = ("INSERT INTO confirmations (id, site_id, record_id, author, confirmed_at) VALUES ({0},{0},{0},{0},{0})")
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url[len("sqlite:///"):]) as conn:
            conn.execute(sql.format("?"), ("conf-old", "s1", record.id, "zhao.min", "2026-11-20T10:00:00.000Z"))
            head = int(conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0])
    else:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute(sql.format("%s"), ("conf-old", "s1", record.id, "zhao.min", "2026-11-20T10:00:00.000Z"))
            head = int(conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0])
    store = open_store(db_url)  # applies the new migrations
    try:
        (change,) = store.confirmations_after("s1", head, store.head(), 10, record_scope=None)
        assert change.row.id == "conf-old" and change.change_id > head and store.head() >= change.change_id
        with store.write():
            assert store.next_change_id() > change.change_id
    finally:
        store.close()


def test_the_postgres_migration_takes_the_writers_lock():
    from sync_server.storage.postgres import WRITE_LOCK
    from sync_server.storage.postgres_schema import MIGRATIONS

    assert f"pg_advisory_xact_lock({WRITE_LOCK})" in dict(MIGRATIONS)["0003_confirmation_change_ids"]
