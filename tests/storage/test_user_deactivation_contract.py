"""Issue 8, item 8, in the storage contract (SQLite and PostgreSQL): the time a user is
deactivated is kept, survives a second deactivation, reaches pull, and clears on reactivation;
the named migration gives users already inactive a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.timeutil import parse_time
from sync_server.storage import open_store
from sync_server.storage.base import User
from tests.storage import legacy
from tests.storage.records import seed


def test_deactivating_a_user_records_the_time_and_reactivating_clears_it(store):
    seed(store)
    assert store.get_user("wang.li").deactivated_at is None
    before = datetime.now(UTC)
    store.update_user("wang.li", active=False)
    first = store.get_user("wang.li").deactivated_at
    assert first is not None and before - timedelta(seconds=1) <= parse_time(first) <= datetime.now(UTC)
    store.update_user("wang.li", active=False)  # deactivated again: the first time stands
    store.update_user("wang.li", password_hash="new-hash")
    assert store.get_user("wang.li").deactivated_at == first
    assert [u.deactivated_at for u in store.list_users("s1") if u.username == "wang.li"] == [first]
    users = [c.row for c in store.changes_after("s1", 0, store.head("s1"), 100, record_scope=None, conflicts=False)
             if c.kind == "user"]
    assert any(u.username == "wang.li" and u.deactivated_at == first for u in users)
    store.update_user("wang.li", active=True)
    back = store.get_user("wang.li")
    assert back == User("wang.li", "s1", "王丽", "rep", "new-hash", True, None, duty_periods=back.duty_periods)
    # his periods on the rotation duty list: until the first deactivation, then from the
    # reactivation on (issue 12 QA: reactivating must not rewrite the days before)
    (since, until), (again, still) = back.duty_periods
    assert since is None and until == first and still is None
    assert again is not None and parse_time(again) >= parse_time(first)


def test_the_migration_gives_users_already_inactive_a_deactivation_time(db_url, legacy_url):
    url = legacy_url()
    legacy.build(url, [n for n in legacy.NAMES if n != "0005_user_deactivated_at"])  # no time column yet
    legacy.seed_site(url)
    legacy.query(url, "UPDATE users SET active = ? WHERE username = 'wang.li'", (False,))
    store = open_store(url)
    try:
        assert parse_time(store.get_user("wang.li").deactivated_at) <= datetime.now(UTC)
        assert store.get_user("desk.li").deactivated_at is None
    finally:
        store.close()
