"""Issue 10: concurrency by site. A write locks its own site only (PostgreSQL: the site's
counter row), change ids and heads are per site, and a pull of a site never skips a change
of that site under concurrent writers (``test_store_contract`` races two writers of one
site against a polling puller on both backends)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from sync_server.storage.base import Device, Site
from tests.storage.records import make_record, seed


def _two_sites(store) -> None:
    seed(store)
    store.add_site(Site("s2", "二号"))
    store.add_device(Device("d9", "s2", "zhao.min", "s2 desk", "2026-11-20T00:00:00.000Z"), "t9")


def test_change_ids_and_heads_are_per_site(store):
    _two_sites(store)
    before = (store.head("s1"), store.head("s2"))
    with store.write("s2"):
        ids = store.next_change_ids(3)
    assert ids == [before[1] + 1, before[1] + 2, before[1] + 3]
    assert (store.head("s1"), store.head("s2")) == (before[0], before[1] + 3)
    assert store.head("nowhere") == 0


@pytest.mark.postgres
def test_a_write_of_site_b_completes_while_a_write_of_site_a_is_held_open(store, open_db, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer per database file by design")
    _two_sites(store)
    other = open_db()  # another server process
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_site_a() -> None:
        try:
            with store.write("s1"):
                store.insert_records([make_record(seq=1, change_id=store.next_change_id())])
                holding.set()
                release.wait(30)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    holder = threading.Thread(target=hold_site_a)
    holder.start()
    try:
        assert holding.wait(30)
        began = time.monotonic()
        with other.write("s2"):  # would wait for the holder if writes were serialised database-wide
            record = make_record(seq=1, site_id="s2", device_id="d9", author="zhao.min")
            other.insert_records([replace(record, change_id=other.next_change_id())])
        assert time.monotonic() - began < 5
        assert other.ids_by_seq("s2", "d9", [1]) == {1: record.id}
        assert other.ids_by_seq("s1", "d1", [1]) == {}  # site A's write is still open, uncommitted

        blocked = threading.Event()

        def write_site_a() -> None:  # a second writer of site A does wait for the first
            with other.write("s1"):
                blocked.set()

        waiter = threading.Thread(target=write_site_a)
        waiter.start()
        assert not blocked.wait(1)
    finally:
        release.set()
        holder.join()
    waiter.join(30)
    assert blocked.is_set() and not errors
