"""Issue 13 / 14: a database upgraded from ``0025_phone_tag2`` with held and refused records
gets ``held_phone_tags`` by ``0026_held_phone_tags``: one untagged row per phone those records
name (no scrypt inside the migration), every record, held mark and refusal kept; the tagger's
pass then backfills both tags of each phone, spending no change id. Both backends.

The database: the store's schema at the head less 0026's table, stamped at 0025."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import text

from shared.phones import phone_tag, phone_tag2
from sync_server.services.tagging import tag_pending
from sync_server.storage import open_store
from sync_server.storage.base import HeldRecord
from sync_server.storage.migrations import current, head_revision, upgrade
from tests.storage.records import make_record, seed

PHONES = [f"+861390026{i:04d}" for i in range(3)]


def _as_0025_left_it(db_url: str) -> list[str]:
    store = open_store(db_url)
    try:
        seed(store)
        rows = [make_record(seq=i + 1, id=str(uuid.UUID(int=i + 1)), author="wang.li", phone_key=PHONES[i % 3])
                for i in range(4)]  # the first phone twice
        with store.write("s1"):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
            store.hold_records([HeldRecord("s1", r.id, "wang.li", r.phone_key, "2026-12-02T11:00:00.000Z") for r in rows])
            store.dismiss_held("s1", [rows[2].id], "zhao.min", "2026-12-02T11:05:00.000Z", "junk")  # the third phone
        with store.engine.begin() as conn:
            conn.execute(text("DROP TABLE held_phone_tags"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0025_phone_tag2'"))
        return [r.id for r in rows]
    finally:
        store.close()


def test_upgrade_0026_keeps_held_records_and_the_tagger_backfills_their_phones(db_url):
    ids = _as_0025_left_it(db_url)
    assert upgrade(db_url) == ["0026_held_phone_tags", "0027_deal_repeats", "0028_fork_tips", "0029_cancellation_repeats",
         "0030_complaint_step_order", "0031_correction_links", "0032_cancelled_units"] and current(db_url) == head_revision()
    store = open_store(db_url)
    try:
        assert store.held_count("s1") == 3 and store.dismissed_count("s1") == 1
        assert store.held_record_ids("s1", ids) == {ids[0], ids[1], ids[3]} and set(store.dismissed("s1", ids)) == {ids[2]}
        assert store.untagged_held_phones("s1", 10) == store.untagged_held_phones("s1", 10, "tag2") == PHONES
        assert store.phone_tags("s1", PHONES, "tag2", held=True) == dict.fromkeys(PHONES)
        head = store.head("s1")
        assert tag_pending(store) == 6  # both kinds of three phones, in the background pass
        assert store.head("s1") == head
        key = store.get_site("s1").replica_key
        assert store.phone_tags("s1", PHONES, "tag2", held=True) == {p: phone_tag2(key, p) for p in PHONES}
        assert store.phone_tags("s1", PHONES, "tag", held=True) == {p: phone_tag(key, p) for p in PHONES}
    finally:
        store.close()
