"""Confirmations (审核确认, R4) in the storage contract, on SQLite and on PostgreSQL: appended
with change ids so tablets pull them, the first confirmation of a record standing, and pulled
under the same scope as the records they confirm."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from sync_server.storage import open_store
from sync_server.storage.base import ConfirmationRow, Device, Site
from tests.storage import legacy
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
    for site in ("s1", "s2"):
        with store.write(site):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows.values()
                                  if r.site_id == site])
    return rows


def test_confirmations_get_fresh_change_ids_and_the_first_one_stands(store, reporting, records):
    head = store.head("s1")
    first = _confirmation(records["desk_for_wang"].id, "2026-11-20T10:00:00.000Z")
    with store.write("s1"):
        stored = store.add_confirmations([first, _confirmation(records["desk_call"].id),
                                          _confirmation(records["desk_for_wang"].id)])  # twice in one batch
    assert [r.record_id for r in stored] == [records["desk_for_wang"].id, records["desk_call"].id]
    assert [r.change_id for r in stored] == [head + 1, head + 2] and store.head("s1") == head + 2
    assert stored[0] == replace(first, change_id=head + 1)
    with store.write("s1"):
        again = store.add_confirmations([_confirmation(records["desk_for_wang"].id, "2026-11-20T11:00:00.000Z"),
                                         _confirmation(records["wang_own"].id)])
    assert [r.record_id for r in again] == [records["wang_own"].id] and again[0].change_id == head + 3
    with store.write("s1"):
        assert store.add_confirmations([]) == []
    assert store.head("s1") == head + 3
    kept = reporting.confirmations("s1", [records["desk_for_wang"].id])[records["desk_for_wang"].id]
    assert (kept.id, kept.confirmed_at) == (first.id, first.confirmed_at)


def test_a_confirmation_in_a_write_that_fails_is_not_kept(store, reporting, records):
    head = store.head("s1")
    with pytest.raises(RuntimeError), store.write("s1"):
        store.add_confirmations([_confirmation(records["desk_call"].id)])
        raise RuntimeError("boom")
    assert store.head("s1") == head
    assert reporting.confirmations("s1", [records["desk_call"].id]) == {}
    assert store.confirmations_after("s1", 0, store.head("s1"), 10, record_scope=None) == []


def test_confirmations_are_pulled_by_whoever_may_see_the_record(store, records):
    head = store.head("s1")
    with store.write("s1"):
        stored = store.add_confirmations([_confirmation(records[k].id) for k in ("desk_for_wang", "desk_call",
                                                                                   "wang_own")])
    with store.write("s2"):
        store.add_confirmations([_confirmation(records["other_site"].id, site_id="s2")])
    by_record = {r.record_id: r for r in stored}

    def pulled(scope, after=head, limit=10, site="s1"):
        changes = store.confirmations_after(site, after, store.head(site), limit, record_scope=scope)
        assert all(c.kind == "confirmation" for c in changes)
        assert [c.change_id for c in changes] == sorted(c.change_id for c in changes)
        return [c.row.record_id for c in changes]

    all_three = [records[k].id for k in ("desk_for_wang", "desk_call", "wang_own")]
    assert pulled(None) == all_three  # a manager: everything of the site
    assert pulled(("user", "wang.li")) == [records["desk_for_wang"].id, records["wang_own"].id]  # rep or author
    assert pulled(("user", "chen.jie")) == []
    assert pulled(("device", "d1")) == [records["desk_for_wang"].id, records["desk_call"].id]  # the desk's device
    assert pulled(None, after=0, site="s2") == [records["other_site"].id]
    assert pulled(None, limit=2) == all_three[:2]
    assert pulled(None, after=by_record[all_three[0]].change_id) == all_three[1:]
    change = store.confirmations_after("s1", head, store.head("s1"), 1, record_scope=None)[0]
    assert change.row == by_record[all_three[0]] and change.change_id == change.row.change_id


def test_confirmations_made_before_the_migration_get_change_ids_above_the_old_head(db_url, legacy_url):
    """Upgrading: confirmations already in the ledger reach tablets that pulled everything before."""
    url = legacy_url()
    legacy.build(url, ["0001_initial", "0002_console_confirmations"])  # a database from before 0003
    legacy.seed_site(url)
    legacy.insert(url, "records", [legacy.record_row("r-1", 1, 4)])
    legacy.set_head(url, 4)
    legacy.insert(url, "confirmations", [{"id": "conf-old", "site_id": "s1", "record_id": "r-1",
                                          "author": "zhao.min", "confirmed_at": "2026-11-20T10:00:00.000Z"}])
    store = open_store(url)  # applies the missing legacy migrations, then Alembic's
    try:
        (change,) = store.confirmations_after("s1", 4, store.head("s1"), 10, record_scope=None)
        assert change.row.id == "conf-old" and change.change_id > 4 and store.head("s1") >= change.change_id
        with store.write("s1"):
            assert store.next_change_id() > change.change_id
    finally:
        store.close()
