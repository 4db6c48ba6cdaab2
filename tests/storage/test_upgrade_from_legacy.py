"""Issue 10: a database made by the pre-Alembic code (8463b12), on either backend, upgrades in
place when the new store opens it: the old bookkeeping (``_migrations``) is recognised, the
database is stamped at the baseline and upgraded; the data reads back, pushes go on, and a
tablet's cursor from before (epoch + change id) still pulls exactly what it had not seen."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sync_server.services.pull import decode_cursor, encode_cursor
from sync_server.storage import open_reporting, open_store
from sync_server.storage.migrations import BASELINE, current, head_revision, upgrade
from tests.storage import legacy
from tests.storage.records import make_record


def _old_database(url: str) -> str:
    """Today's schema with two sites' data, the global head at 9; returns the epoch."""
    legacy.build(url)
    legacy.seed_site(url, "s1", change_id=1)  # site 1, users 2-3
    legacy.seed_site(url, "s2", change_id=4)
    legacy.insert(url, "records", [legacy.record_row("r-5", 1, 5), legacy.record_row("r-6", 2, 6),
                                   legacy.record_row("r-8", 3, 8, phone_key="k2")])
    legacy.insert(url, "customers", [{"id": "c-1", "site_id": "s1", "phone_key": "k1", "name": "张伟",
                                      "owner": "wang.li", "status": "protected", "split": None,
                                      "explanation": [{"text": "最早登记"}], "change_id": 7}])
    legacy.insert(url, "confirmations", [{"id": "conf-1", "site_id": "s1", "record_id": "r-5", "author": "zhao.min",
                                          "confirmed_at": "2026-11-20T10:00:00.000Z", "change_id": 9}])
    legacy.query(url, "UPDATE devices SET contiguous_seq = 3, last_offset_ms = -1500 WHERE id = 'd1'")
    legacy.insert(url, "anchors", [{"device_id": d, "boot_id": "boot-1", "elapsed_ms": 5000,
                                    "server_time": "2026-11-20T02:05:00.000Z"} for d in ("d1", "gone")])
    legacy.insert(url, "refused_seqs", [{"device_id": "d1", "seq": 4, "record_id": None, "code": "unknown_rep",
                                         "message": "choose a rep", "received_at": "2026-11-20T02:06:00.000Z"}])
    legacy.set_head(url, 9)
    return legacy.query(url, "SELECT value FROM meta WHERE key = 'epoch'")[0][0]


def test_an_old_database_upgrades_in_place_and_old_cursors_still_pull(db_url, legacy_url):
    url = legacy_url()
    epoch = _old_database(url)
    assert current(url) is None  # not under Alembic yet
    store = open_store(url)
    try:
        assert current(url) == head_revision() and upgrade(url) == []
        assert store.epoch() == epoch
        # every site starts at the old global head (no cursor a tablet holds is beyond it), plus
        # the change of its new replica key (0012, issue 14): one per site, each its own key
        assert (store.head("s1"), store.head("s2")) == (10, 10)
        s1, s2 = store.get_site("s1"), store.get_site("s2")
        assert s1.replica_keys == s2.replica_keys == "private"
        assert len(s1.replica_key) >= 43 and s1.replica_key != s2.replica_key
        assert [r.id for r in store.records_for_keys("s1", ["k1", "k2"])] == ["r-5", "r-6", "r-8"]
        (record,) = store.records_by_ids("s1", ["r-8"])
        assert record.wire["customer"]["name"] == "张伟" and record.phone_key == "k2"
        customer = store.customers_by_keys("s1", ["k1"])["k1"]
        assert (customer.owner, customer.split, customer.explanation) == ("wang.li", None, [{"text": "最早登记"}])
        assert store.get_user("wang.li").deactivated_at is None and store.get_device("d1").name == "front desk"
        # 0003: a device's sync state, anchors and refused seqs keep their values under site-first keys;
        # an anchor of a device that no longer exists is dropped
        d1 = store.get_device("d1")
        assert (d1.contiguous_seq, d1.last_offset_ms) == (3, -1500)
        assert [(a.device_id, a.elapsed_ms) for a in store.anchors("s1", "d1")] == [("d1", 5000)]
        assert legacy.query(url, "SELECT site_id, device_id FROM anchors") == [("s1", "d1")]
        with store.write("s1"):
            assert store.advance_contiguous_seq("s1", "d1") == 4  # the refused seq 4 still counts as arrived

        # a tablet that had pulled up to change 6 before the upgrade
        cursor = encode_cursor(epoch, 6)
        with store.write("s1"):
            new = make_record(seq=4, id="r-new", phone_key="k3")
            store.insert_records([replace(new, change_id=store.next_change_id())])
        assert store.head("s1") == 11
        with store.read():
            after = decode_cursor(cursor, store.epoch(), store.head("s1"))
            changes = store.changes_after("s1", after, store.head("s1"), 100, record_scope=None, conflicts=True)
            changes += store.confirmations_after("s1", after, store.head("s1"), 100, record_scope=None)
        assert sorted((c.change_id, c.kind) for c in changes) == [
            (7, "ownership"), (8, "record"), (9, "confirmation"), (10, "site"), (11, "record")]
        assert store.changes_after("s2", 0, store.head("s2"), 100, record_scope=None, conflicts=True)[0].kind == "site"
        # 0006: the stored records got their facts (issue 11): the numbers count them
        [total] = open_reporting(store).funnel("s1", date(2026, 11, 20), date(2026, 11, 20), "total")
        # r-5, r-6, r-8 (phones k1, k2) on 11-20, 2 people each; r-new too (its estimate is that day)
        assert (total.registrations, total.visitors, total.people) == (4, 3, 6)
    finally:
        store.close()


def test_a_partly_migrated_old_database_gets_the_missing_old_steps_first(db_url, legacy_url):
    """An old server stopped before its last migrations: they are applied, then the stamp."""
    url = legacy_url()
    legacy.build(url, legacy.NAMES[:3])
    legacy.seed_site(url)
    steps = upgrade(url)  # the old steps first, then every revision to the head
    assert steps[:3] == [BASELINE, "0002_site_heads", "0003_site_keys"] and steps[-1] == head_revision()
    assert current(url) == head_revision()
    store = open_store(url)
    try:
        assert store.get_user("wang.li").deactivated_at is None  # 0005's column exists
        assert store.console_session("x" * 64) is None  # 0006's table exists
    finally:
        store.close()


def test_upgrading_twice_changes_nothing(db_url, legacy_url):
    url = legacy_url()
    _old_database(url)
    assert upgrade(url) != []
    assert upgrade(url) == []
    assert current(url) == head_revision()
