"""Issue 14, "the whole replica years": a database upgraded from ``0024_records_by_user``, its
customers tagged with ``phone_tag`` (n = 2^11) only, gets ``customers.phone_tag2`` by
``0025_phone_tag2``, empty; the tagger's pass then backfills the ``keys=tag2`` tags (each with a
new change id: tablets pull them) and leaves every ``phone_tag`` as it was. Both backends.

The database: the store's schema at the head less 0025's column and index (and 0026's table), stamped at 0024.
Numbers are fixed (replayable)."""

from __future__ import annotations

from sqlalchemy import text

from shared.phones import phone_tag, phone_tag2
from sync_server.services.tagging import tag_pending
from sync_server.storage import open_store
from sync_server.storage.base import Site
from sync_server.storage.migrations import current, head_revision, upgrade

NUMBERS = [f"+861390025{i:04d}" for i in range(3)]


def _as_0024_left_it(db_url: str) -> None:
    store = open_store(db_url)
    try:
        store.add_site(Site("s1", "一号"))
        with store.write("s1"):
            store.ensure_customers("s1", {n: "" for n in NUMBERS})
        key = store.get_site("s1").replica_key
        store.set_phone_tags("s1", {c.id: (n, phone_tag(key, n)) for n, c in store.customers_by_keys("s1", NUMBERS).items()})
        with store.engine.begin() as conn:
            conn.execute(text("DROP TABLE held_phone_tags"))  # 0026's, after this one
            conn.execute(text("DROP INDEX customers_untagged2"))
            conn.execute(text("ALTER TABLE customers DROP COLUMN phone_tag2"))
            conn.execute(text("ALTER TABLE users DROP COLUMN tag2_since"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0024_records_by_user'"))
    finally:
        store.close()


def test_upgrade_0025_backfills_the_costlier_tag_and_keeps_the_first_releases(db_url):
    _as_0024_left_it(db_url)
    assert upgrade(db_url) == ["0025_phone_tag2", "0026_held_phone_tags", "0027_deal_repeats", "0028_fork_tips", "0029_cancellation_repeats",
         "0030_complaint_step_order", "0031_correction_links", "0032_cancelled_units"] and current(db_url) == head_revision()
    store = open_store(db_url)
    try:
        key = store.get_site("s1").replica_key
        before = store.customers_by_keys("s1", NUMBERS)
        assert all(c.phone_tag == phone_tag(key, n) and c.phone_tag2 is None for n, c in before.items())
        assert store.untagged_customers("s1", 10) == [] and len(store.untagged_customers("s1", 10, "tag2")) == 3
        head = store.head("s1")
        assert tag_pending(store) == 3  # only the tag2s: the tags were there
        after = store.customers_by_keys("s1", NUMBERS)
        assert {n: (c.phone_tag, c.phone_tag2) for n, c in after.items()} == {
            n: (phone_tag(key, n), phone_tag2(key, n)) for n in NUMBERS}
        assert sorted(c.change_id for c in after.values()) == list(range(head + 1, head + 4))
    finally:
        store.close()
