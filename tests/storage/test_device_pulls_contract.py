"""``Store.note_pull`` (issue 12 QA, item 设备/人员 从未同步): a tablet's last pull is kept beside
its push state on both backends, without a change id (a pull changes nothing a tablet pulls)."""

from __future__ import annotations

from sync_server.storage.base import Anchor
from tests.storage.records import seed


def test_a_tablet_that_only_pulls_has_its_last_pull_kept(open_db):
    store = open_db()
    seed(store)
    head = store.head("s1")
    assert store.get_device("d1").last_pull_at is None
    store.note_pull("s1", "d1", "2026-12-01T03:00:00.000+00:00")
    device = store.get_device("d1")
    assert device.last_pull_at == "2026-12-01T03:00:00.000+00:00"
    assert (device.last_offset_ms, device.contiguous_seq) == (None, 0)
    assert store.head("s1") == head  # no change id: tablets pull nothing new
    assert [d.last_pull_at for d in store.list_devices("s1")] == ["2026-12-01T03:00:00.000+00:00"]


def test_a_pull_and_a_push_keep_each_others_state(open_db):
    store = open_db()
    seed(store)
    with store.write("s1"):
        store.save_push_clock("s1", Anchor("d1", "boot-1", 1000, "2026-12-01T02:00:00.000+00:00"), 1500)
    store.note_pull("s1", "d1", "2026-12-01T03:00:00.000+00:00")
    with store.write("s1"):
        store.save_push_clock("s1", Anchor("d1", "boot-1", 2000, "2026-12-01T04:00:00.000+00:00"), -200)
    device = store.get_device("d1")
    assert (device.last_offset_ms, device.last_pull_at) == (-200, "2026-12-01T03:00:00.000+00:00")


def test_a_second_store_sees_the_pull_another_process_noted(open_db):
    first, second = open_db(), open_db()
    seed(first)
    second.note_pull("s1", "d1", "2026-12-01T03:00:00.000+00:00")
    assert first.get_device("d1").last_pull_at == "2026-12-01T03:00:00.000+00:00"
