"""Issue 10: the drifts found between the two hand-written backends, each pinned by a test
that runs on SQLite and PostgreSQL alike (the one ``SqlStore`` must behave the same on both)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sync_server.storage.base import Anchor, ConflictRow, DecisionRow, DuplicateKey, Site, User
from sync_server.storage.sql.engine import make_admin_engine
from sync_server.storage.sql.tables import SITE_TABLES, metadata
from tests.storage.records import make_record, seed

# -- a nested write() is a savepoint on both --------------------------------------------


def test_a_nested_write_is_a_savepoint_and_commits_with_the_outer_one(store):
    seed(store)
    with store.write("s1"):
        store.add_user(User("new.rep", "s1", "新", "rep", "h"))  # add_user opens its own write()
        with pytest.raises(DuplicateKey), store.write("s1"):
            store.add_user(User("wang.li", "s1", "王丽", "rep", "h"))
        store.update_user("new.rep", password_hash="h2")
    assert store.get_user("new.rep").password_hash == "h2"


def test_a_nested_write_rolls_back_with_the_outer_one(store):
    seed(store)
    head = store.head("s1")
    with pytest.raises(RuntimeError, match="boom"), store.write("s1"):
        store.add_user(User("new.rep", "s1", "新", "rep", "h"))
        raise RuntimeError("boom")
    assert store.get_user("new.rep") is None and store.head("s1") == head


def test_a_failed_nested_write_undoes_only_its_block(store):
    seed(store)
    with store.write("s1"):
        first = make_record(seq=1, change_id=store.next_change_id())
        store.insert_records([first])
        with pytest.raises(sa.exc.IntegrityError), store.write("s1"):
            store.insert_records([make_record(seq=2, change_id=store.next_change_id())])
            store.insert_records([replace(first, change_id=store.next_change_id())])
    assert store.ids_by_seq("s1", "d1", [1, 2]) == {1: first.id}


def test_a_write_of_another_site_inside_a_write_is_refused(store):
    seed(store)
    store.add_site(Site("s2", "二号"))
    with pytest.raises(RuntimeError, match="one site per transaction"), store.write("s1"):
        store.add_user(User("x", "s2", "X", "rep", "h"))
    assert store.get_user("x") is None


# -- next_change_id() outside write() raises the same on both ---------------------------


def test_next_change_id_outside_a_write_raises_and_moves_nothing(store):
    seed(store)
    head = store.head("s1")
    with pytest.raises(RuntimeError, match="inside store.write"):
        store.next_change_id()
    with pytest.raises(RuntimeError, match="inside store.write"):
        store.next_change_ids(3)
    with store.read(), pytest.raises(RuntimeError, match="inside store.write"):
        store.next_change_id()
    with store.write(), pytest.raises(RuntimeError, match="inside store.write"):  # a write without a site
        store.next_change_id()
    assert store.head("s1") == head


# -- the same order on both --------------------------------------------------------------


def test_records_for_keys_and_by_ids_come_in_change_id_order(store):
    seed(store)
    rows = [make_record(seq=s, phone_key=f"k{s % 3}", id=f"{9 - s:02d}-id") for s in range(1, 9)]
    with store.write("s1"):
        for row in rows:  # ids descend while change ids ascend: an unordered read shows it
            store.insert_records([replace(row, change_id=store.next_change_id())])
    found = store.records_for_keys("s1", ["k0", "k1", "k2"])
    assert [r.seq for r in found] == list(range(1, 9))
    assert [r.seq for r in store.records_by_ids("s1", [r.id for r in rows])] == list(range(1, 9))
    many = [f"k{i}" for i in range(1200)]  # several IN chunks merge in the same order
    assert [r.seq for r in store.records_for_keys("s1", many)] == list(range(1, 9))


def _conflict(cid: str, opened: str) -> ConflictRow:
    return ConflictRow(id=cid, site_id="s1", customer_id="c1", phone_key="k1", status="open", owner="wang.li",
                       flags=[], claims=[], explanation=[], opened_at=opened)


def test_conflicts_and_decisions_for_keys_come_oldest_first(store):
    seed(store)
    with store.write("s1"):
        for cid, opened in (("c-3", "2026-11-20T03:00:00.000Z"), ("c-1", "2026-11-20T01:00:00.000Z"),
                            ("c-2b", "2026-11-20T02:00:00.000Z"), ("c-2a", "2026-11-20T02:00:00.000Z")):
            store.save_conflict(replace(_conflict(cid, opened), change_id=store.next_change_id()))
        for did, at in (("d-3", "2026-11-21T03:00:00.000Z"), ("d-1", "2026-11-21T01:00:00.000Z"),
                        ("d-2", "2026-11-21T02:00:00.000Z")):
            store.add_decision(DecisionRow(id=did, site_id="s1", conflict_id="c-1", phone_key="k1", owner="wang.li",
                                           split=None, reason="r", decided_at=at, author="zhao.min", covers=[]))
    assert [c.id for c in store.conflicts_for_keys("s1", ["k1"])] == ["c-1", "c-2a", "c-2b", "c-3"]
    assert [d.id for d in store.decisions_for_keys("s1", ["k1"])] == ["d-1", "d-2", "d-3"]


def test_anchors_come_by_boot(store):
    seed(store)
    with store.write("s1"):
        for boot in ("boot-c", "boot-a", "boot-b"):
            store.save_push_clock("s1", Anchor("d1", boot, 10, "2026-11-20T02:00:00.000Z"), 0)
    assert [a.boot_id for a in store.anchors("s1", "d1")] == ["boot-a", "boot-b", "boot-c"]


# -- the same schema on both ---------------------------------------------------------------

EXPECTED_INDEXES = {
    "users": {"users_site_change"},
    "devices": {"devices_site"},
    "device_sync": set(),
    "anchors": set(),
    "refused_seqs": set(),
    "records": {"records_device_seq", "records_site_phone", "records_site_household", "records_site_change",
                "records_supersedes", "records_site_type_time", "records_site_device_received",
                "records_site_author_phone", "records_site_rep_phone"},
    "record_facts": {"record_facts_day", "record_facts_week", "record_facts_root", "record_facts_phone"},
    "fact_days": set(),
    "customer_days": {"customer_days_day"},
    "visitor_days": {"visitor_days_day"},
    "funnel_days": set(),
    "customer_links": {"customer_links_linked"},
    "customers": {"customers_site_change", "customers_site_name", "customers_untagged", "customers_untagged2"},
    "conflicts": {"conflicts_site_phone", "conflicts_site_change", "conflicts_site_status"},
    "decisions": {"decisions_site_phone"},
    "confirmations": {"confirmations_site_record", "confirmations_site_change"},
    "console_sessions": {"console_sessions_expires"},
}


def _indexes(url: str) -> dict[str, set[str]]:
    engine = make_admin_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            # PostgreSQL lists a UNIQUE constraint's own index too: the constraint is the same on both
            return {table: {i["name"] for i in inspector.get_indexes(table) if not i.get("duplicates_constraint")}
                    for table in EXPECTED_INDEXES}
    finally:
        engine.dispose()


def test_a_new_database_has_the_same_indexes_on_both(store, db_url):
    assert _indexes(db_url) == EXPECTED_INDEXES


def test_an_upgraded_database_has_the_same_indexes_as_a_new_one(db_url, legacy_url):
    from sync_server.storage import open_store
    from tests.storage import legacy

    url = legacy_url()
    legacy.build(url)
    open_store(url).close()
    assert _indexes(url) == EXPECTED_INDEXES


def _primary_keys(url: str) -> dict[str, list[str]]:
    engine = make_admin_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            return {table: inspector.get_pk_constraint(table)["constrained_columns"] for table in metadata.tables}
    finally:
        engine.dispose()


def test_every_per_site_table_is_keyed_by_site_first_new_or_upgraded(db_url, legacy_url):
    """Shardable by site (issue 10): each table distributed by site has a primary key that
    starts with ``site_id`` (Citus needs the distribution column in every unique key), on a
    new database and on one built by the pre-Alembic code and upgraded (Alembic's
    autogenerate does not compare primary keys, so this does)."""
    from sync_server.storage import open_store
    from tests.storage import legacy

    expected = {name: [c.name for c in table.primary_key.columns] for name, table in metadata.tables.items()}
    assert {t.name for t in SITE_TABLES} <= set(expected)
    assert all(expected[t.name][0] == "site_id" for t in SITE_TABLES)
    open_store(db_url).close()
    assert _primary_keys(db_url) == expected
    url = legacy_url()
    legacy.build(url)
    open_store(url).close()
    assert _primary_keys(url) == expected


def test_the_migrations_build_exactly_the_tables_module(store, db_url):
    """``sql/tables.py`` (what the code queries) and the Alembic head (what the database is)
    agree: Alembic's autogenerate finds no table, column, index or constraint to add or drop,
    and on PostgreSQL no type or nullability to change. (SQLite keeps the pre-Alembic
    declarations: INTEGER/TEXT affinities for BIGINT/JSON, and TEXT primary keys it lets be
    NULL, which it never stores.)"""
    lenient = {"modify_type", "modify_nullable"} if db_url.startswith("sqlite") else set()
    engine = make_admin_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = [d[0] if isinstance(d, list) else d
                    for d in compare_metadata(MigrationContext.configure(conn), metadata)]
    finally:
        engine.dispose()
    assert [d for d in diff if d[0] not in lenient] == []
