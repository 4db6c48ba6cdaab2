"""The storage contract (``sync_server.storage.base.Store``), run against every backend.

Each test gets a new, migrated database of one backend (``conftest.db_url``: a SQLite file,
a PostgreSQL database); the same assertions must hold on both (Kinto's storage test model).
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from sync_server.storage.base import (
    Anchor,
    ConflictRow,
    CustomerRow,
    DecisionRow,
    Device,
    DuplicateKey,
    RefusedSeq,
    Site,
    StoredRecord,
    UnknownSite,
    User,
)
from tests.storage.records import make_record, seed

# -- lifecycle ------------------------------------------------------------------------


def test_a_new_database_answers_with_head_zero_and_an_epoch(store, open_db):
    assert store.ping() is True
    assert store.head("s1") == 0
    epoch = store.epoch()
    assert isinstance(epoch, str) and len(epoch) >= 16
    assert open_db().epoch() == epoch  # a second connection (another worker) sees the same database


def test_every_write_hands_out_larger_change_ids(store):
    ids = []
    for _ in range(3):
        with store.write("s1"):
            ids += [store.next_change_id(), store.next_change_id()]
    assert ids == sorted(ids) and len(set(ids)) == 6
    assert store.head("s1") == ids[-1]


def test_a_write_that_raises_rolls_everything_back(store):
    seed(store)
    head = store.head("s1")
    with pytest.raises(RuntimeError), store.write("s1"):
        store.insert_records([make_record(seq=1, change_id=store.next_change_id())])
        store.ensure_customers("s1", {"k1": "张伟"})
        store.add_links("s1", [("k1", None)])
        raise RuntimeError("boom")
    assert store.head("s1") == head
    assert store.ids_by_seq("s1", "d1", [1]) == {}
    assert store.customers_by_keys("s1", ["k1"]) == {}
    assert store.linked_component("s1", ["k1"]) == [("k1", None)]
    with store.write("s1"):  # the store is usable afterwards and ids still grow
        assert store.next_change_id() == head + 1


def test_a_database_error_inside_a_write_rolls_back_the_whole_transaction(store):
    seed(store)
    first = make_record(seq=1, change_id=0)
    with store.write("s1"):
        store.insert_records([replace(first, change_id=store.next_change_id())])
    head = store.head("s1")
    with pytest.raises(Exception), store.write("s1"):  # noqa: B017 - each driver raises its own IntegrityError
        store.insert_records([make_record(seq=2, change_id=store.next_change_id())])
        store.insert_records([replace(first, change_id=store.next_change_id())])  # same id again
    assert store.head("s1") == head
    assert store.ids_by_seq("s1", "d1", [1, 2]) == {1: first.id}


def test_a_failed_savepoint_undoes_its_block_alone_and_the_write_commits(store):
    """Issue 8: a push stores each record in its own savepoint when one cannot be stored."""
    seed(store)
    first = make_record(seq=1)
    with store.write("s1"):
        with store.savepoint():
            store.insert_records([replace(first, change_id=store.next_change_id())])
        with pytest.raises(Exception), store.savepoint():  # noqa: B017 - each driver raises its own error
            store.insert_records([make_record(seq=2, change_id=store.next_change_id())])
            store.insert_records([replace(first, change_id=store.next_change_id())])  # same id again
        third = make_record(seq=3, change_id=store.next_change_id())
        store.insert_records([third])
    assert store.ids_by_seq("s1", "d1", [1, 2, 3]) == {1: first.id, 3: third.id}
    assert store.head("s1") >= third.change_id
    with store.write("s1"):  # ids never go back after a rolled-back savepoint
        assert store.next_change_id() > third.change_id


# -- sites and users ------------------------------------------------------------------


def test_sites_are_created_once_and_listed_by_id(store):
    store.add_site(Site("s2", "二号", validity_days=15, household="first", region="HK", utc_offset_minutes=480,
                        close_call_ms=5_000))
    store.add_site(Site("s1", "星河湾"))
    assert store.get_site("s2") == Site("s2", "二号", 15, "first", "HK", 480, 5_000)
    assert store.get_site("nope") is None
    assert [s.id for s in store.list_sites()] == ["s1", "s2"]
    with pytest.raises(DuplicateKey):
        store.add_site(Site("s1", "again"))
    assert (store.head("s1"), store.head("s2")) == (1, 1)  # per site; the refused duplicate took no change id


def test_a_sites_settings_change_with_a_new_change_id_and_an_unknown_site_is_refused(store):
    seed(store)
    before = store.head("s1")
    store.update_site("s1", walkin_landlines=True)
    store.update_site("s1", closed_days=["2026-10-09", "2026-10-08", "2026-10-09"])
    site = store.get_site("s1")
    assert (site.walkin_landlines, site.closed_days) == (True, ("2026-10-08", "2026-10-09"))
    assert store.head("s1") == before + 2  # each change is pulled by the site's tablets
    store.update_site("s1", walkin_landlines=False)
    assert store.get_site("s1").closed_days == ("2026-10-08", "2026-10-09")  # what is not given stays
    with pytest.raises(UnknownSite):
        store.update_site("nowhere", walkin_landlines=True)


def test_users_belong_to_an_existing_site_and_are_unique_server_wide(store):
    store.add_site(Site("s1", "一号"))
    store.add_site(Site("s2", "二号"))
    store.add_user(User("wang.li", "s1", "王丽", "rep", "h1"))
    store.add_user(User("desk.li", "s1", "李静", "reception", "h2"))
    store.add_user(User("zhao.min", "s2", "赵敏", "manager", "h3"))
    with pytest.raises(UnknownSite):
        store.add_user(User("x", "s9", "X", "rep", "h"))
    with pytest.raises(DuplicateKey):
        store.add_user(User("wang.li", "s2", "王丽", "rep", "h"))
    assert store.get_user("wang.li") == User("wang.li", "s1", "王丽", "rep", "h1", True, duty_periods=((None, None),))
    assert store.get_user("nobody") is None
    assert [u.username for u in store.list_users("s1")] == ["desk.li", "wang.li"]
    assert [u.username for u in store.list_users()] == ["desk.li", "wang.li", "zhao.min"]


def test_updating_a_user_bumps_its_change_id(store):
    seed(store)
    head = store.head("s1")
    store.update_user("wang.li", active=False)
    assert store.get_user("wang.li").active is False
    store.update_user("wang.li", password_hash="new-hash")
    user = store.get_user("wang.li")
    assert (user.active, user.password_hash) == (False, "new-hash")
    store.update_user("wang.li", active=True)
    assert store.get_user("wang.li").active is True
    assert store.head("s1") == head + 3
    changes = store.changes_after("s1", head, store.head("s1"), 10, record_scope=None, conflicts=False)
    assert [(c.kind, c.row.username, c.change_id) for c in changes] == [("user", "wang.li", head + 3)]


# -- devices, tokens, clocks ----------------------------------------------------------


def test_devices_are_found_by_token_and_revoked_once(store):
    seed(store)
    store.add_device(Device("d2", "s1", "wang.li", "rep tablet", "2026-11-20T01:00:00.000Z"), "token-2")
    assert store.device_by_token("token-2").id == "d2"
    assert store.device_by_token("token-x") is None
    assert store.get_device("d2") == Device("d2", "s1", "wang.li", "rep tablet", "2026-11-20T01:00:00.000Z")
    assert store.get_device("zz") is None
    assert [d.id for d in store.list_devices("s1")] == ["d1", "d2"]  # enrolment order
    assert [d.id for d in store.list_devices("s2")] == []
    store.revoke_device("d2", "2026-11-21T00:00:00.000Z")
    store.revoke_device("d2", "2026-11-22T00:00:00.000Z")
    assert store.get_device("d2").revoked_at == "2026-11-21T00:00:00.000Z"  # the first revocation stands
    assert store.device_by_token("token-2").revoked_at is not None


def test_one_anchor_per_boot_keeps_the_latest_push_and_the_offset(store):
    seed(store)
    with store.write("s1"):
        store.save_push_clock("s1", Anchor("d1", "boot-a", 1_000, "2026-11-20T02:00:00.000Z"), 1500)
        store.save_push_clock("s1", Anchor("d1", "boot-a", 5_000, "2026-11-20T02:00:04.000Z"), -20)
        store.save_push_clock("s1", Anchor("d1", "boot-b", 10, "2026-11-20T03:00:00.000Z"), 0)
    assert sorted(store.anchors("s1", "d1"), key=lambda a: a.boot_id) == [
        Anchor("d1", "boot-a", 5_000, "2026-11-20T02:00:04.000Z"),
        Anchor("d1", "boot-b", 10, "2026-11-20T03:00:00.000Z")]
    assert store.anchors("s1", "d9") == []
    assert store.get_device("d1").last_offset_ms == 0


def test_contiguous_seq_stops_at_the_first_gap_and_moves_when_it_fills(store):
    seed(store)

    def push(*seqs: int) -> int:
        with store.write("s1"):
            store.insert_records([make_record(seq=s, change_id=store.next_change_id()) for s in seqs])
            return store.advance_contiguous_seq("s1", "d1")

    assert push(1, 2, 4) == 2
    assert push(6) == 2
    assert push(3) == 4
    assert push(5) == 6
    assert store.get_device("d1").contiguous_seq == 6
    with store.write("s1"):
        assert store.advance_contiguous_seq("s1", "d1") == 6  # nothing new: unchanged


def test_refused_seqs_arrived_so_they_are_no_gap(store):
    # A rejected record waits on the tablet with its reason and comes back under a new seq:
    # its own seq must not hold the device's contiguous seq back for ever.
    seed(store)
    with store.write("s1"):
        store.insert_records([make_record(seq=1, change_id=store.next_change_id())])
        store.add_refused_seqs("s1", [RefusedSeq("d1", 2, "r-2", "unknown_rep", "pick a rep", "2026-11-20T02:00:00.000Z"),
                                RefusedSeq("d1", 4, "r-4", "invalid_phone", "check it", "2026-11-20T02:00:00.000Z")])
        assert store.advance_contiguous_seq("s1", "d1") == 2  # seq 3 never arrived: that is the gap
        store.add_refused_seqs("s1", [RefusedSeq("d1", 2, "r-2", "unknown_rep", "again", "2026-11-20T02:01:00.000Z")])
        store.insert_records([make_record(seq=3, change_id=store.next_change_id())])
        assert store.advance_contiguous_seq("s1", "d1") == 4


# -- records --------------------------------------------------------------------------


def test_records_round_trip_with_their_wire_object_unchanged(store):
    seed(store)
    wire = {"id": "x", "customer": {"name": "张伟", "phone": "138 0013 8000"}, "data": {"party_size": 2, "notes": "",
            "nested": {"list": [1, 2.5, None, True], "emoji": "🏠"}}, "zeta": 1, "alpha": 2}
    record = make_record(seq=7, wire=wire, rep=None, household_key="k9", supersedes=None, name="张伟")
    with store.write("s1"):
        store.insert_records([replace(record, change_id=store.next_change_id())])
    (stored,) = store.records_by_ids("s1", [record.id])
    assert stored == replace(record, change_id=stored.change_id)
    assert list(stored.wire) == list(wire)  # key order kept
    assert store.digests_by_id("s1", [record.id, "missing"]) == {record.id: record.digest}
    assert store.digests_by_id("s1", []) == {}
    assert store.ids_by_seq("s1", "d1", [7, 8]) == {7: record.id}
    assert store.ids_by_seq("s1", "d2", [7]) == {}
    assert store.records_by_ids("s1", []) == []


def test_records_for_keys_are_the_sites_records_about_those_phones(store):
    seed(store)
    store.add_site(Site("s2", "二号"))
    store.add_device(Device("d9", "s2", "zhao.min", "other", "2026-11-20T00:00:00.000Z"), "t9")
    rows = [make_record(seq=1, phone_key="k1"), make_record(seq=2, phone_key="k2"),
            make_record(seq=3, phone_key="k3"), make_record(seq=1, phone_key="k1", site_id="s2", device_id="d9")]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
    found = store.records_for_keys("s1", ["k1", "k2", "k1"])
    assert sorted(r.id for r in found) == sorted([rows[0].id, rows[1].id])
    assert store.records_for_keys("s1", []) == []
    many = [f"k{i}" for i in range(1200)]  # more keys than one IN list may hold
    assert len(store.records_for_keys("s1", many)) == 3


# -- customers, links -----------------------------------------------------------------


def test_linked_component_follows_links_transitively_and_per_site(store):
    seed(store)
    with store.write("s1"):
        store.add_links("s1", [("a", None), ("a", "b"), ("b", "c"), ("d", None), ("a", "b")])
        store.add_links("s2", [("c", "x")])
    assert store.linked_component("s1", ["c"]) == [("a", None), ("a", "b"), ("b", "c"), ("c", None)]
    assert store.linked_component("s1", ["d"]) == [("d", None)]
    assert store.linked_component("s1", ["new"]) == [("new", None)]
    assert store.linked_component("s1", []) == []


def test_customers_are_created_once_per_phone_key_and_keep_a_given_name(store):
    seed(store)
    with store.write("s1"):
        first = store.ensure_customers("s1", {"k1": "张伟", "k2": ""})
    assert set(first) == {"k1", "k2"} and first["k1"].name == "张伟" and first["k2"].name == ""
    assert first["k1"].change_id == 0 and first["k1"].owner is None and first["k1"].explanation == []
    with store.write("s1"):
        again = store.ensure_customers("s1", {"k1": "", "k2": "李娜", "k3": "王芳"})
    assert again["k1"].id == first["k1"].id and again["k1"].name == "张伟"  # an empty name changes nothing
    assert again["k2"].id == first["k2"].id and again["k2"].name == "李娜"
    assert store.customers_by_keys("s1", ["k1", "zz"]) == {"k1": again["k1"]}
    assert store.customers_by_keys("s2", ["k1"]) == {}
    assert store.get_customer("s1", first["k1"].id) == again["k1"]
    assert store.get_customer("s2", first["k1"].id) is None


def test_saved_ownership_reads_back_with_its_change_id(store):
    seed(store)
    with store.write("s1"):
        customer = store.ensure_customers("s1", {"k1": "张伟"})["k1"]
        owned = replace(customer, owner="wang.li", status="protected", protected_until="2026-12-20T10:00:00.000+08:00",
                        first_registered_at="2026-11-20T10:00:00.000+08:00", split={"wang.li": 50, "chen.jie": 50},
                        explanation=[{"step": 1, "text": "最早登记"}], change_id=store.next_change_id())
        store.save_customers([owned])
    assert store.get_customer("s1", customer.id) == owned
    with store.write("s1"):
        cleared = replace(owned, split=None, owner=None, status="lapsed", change_id=store.next_change_id())
        store.save_customers([cleared])
    assert store.customers_by_keys("s1", ["k1"])["k1"] == cleared


# -- conflicts and decisions ----------------------------------------------------------


def _conflict(cid: str, *, status: str = "open", opened: str = "2026-11-20T02:00:00.000Z", key: str = "k1",
              change_id: int = 0) -> ConflictRow:
    return ConflictRow(id=cid, site_id="s1", customer_id="c1", phone_key=key, status=status, owner="wang.li",
                       flags=["close_call"], claims=[{"record_id": "r1", "rep": "wang.li"}, {"record_id": "r2"}],
                       explanation=[{"text": "早"}], opened_at=opened, decision_id=None, change_id=change_id)


def test_conflicts_are_inserted_replaced_and_listed_oldest_first(store):
    seed(store)
    with store.write("s1"):
        store.save_conflict(_conflict("c-b", opened="2026-11-20T03:00:00.000Z", change_id=store.next_change_id()))
        store.save_conflict(_conflict("c-a", change_id=store.next_change_id()))
        store.save_conflict(_conflict("c-z", key="k2", status="decided", change_id=store.next_change_id()))
    decided = replace(_conflict("c-a"), status="decided", decision_id="dec-1", owner="chen.jie", flags=[],
                      change_id=0)
    with store.write("s1"):
        decided = replace(decided, change_id=store.next_change_id())
        store.save_conflict(decided)
    assert store.get_conflict("s1", "c-a") == decided
    assert store.get_conflict("s2", "c-a") is None
    assert store.get_conflict("s1", "c-a").claim_ids == frozenset({"r1", "r2"})
    assert [c.id for c in store.list_conflicts("s1", None)] == ["c-a", "c-z", "c-b"]
    assert [c.id for c in store.list_conflicts("s1", "open")] == ["c-b"]
    assert sorted(c.id for c in store.conflicts_for_keys("s1", ["k1"])) == ["c-a", "c-b"]
    assert store.conflicts_for_keys("s1", []) == []


def test_decisions_are_kept_as_written(store):
    seed(store)
    row = DecisionRow(id="dec-1", site_id="s1", conflict_id="c-a", phone_key="k1", owner="wang.li",
                      split={"wang.li": 60, "chen.jie": 40}, reason="先到先得", decided_at="2026-11-21T02:00:00.000Z",
                      author="zhao.min", covers=["r1", "r2"])
    with store.write("s1"):
        store.add_decision(row)
        store.add_decision(replace(row, id="dec-2", split=None, phone_key="k2"))
    assert store.decisions_for_keys("s1", ["k1"]) == [row]
    assert [d.split for d in store.decisions_for_keys("s1", ["k2"])] == [None]
    assert store.decisions_for_keys("s2", ["k1"]) == []


# -- pull: changes_after --------------------------------------------------------------


def _fill(store) -> dict[str, int]:
    """A site with records from two devices/authors, a customer and a conflict."""
    seed(store)
    store.add_device(Device("d2", "s1", "wang.li", "rep tablet", "2026-11-20T01:00:00.000Z"), "t2")
    ids: dict[str, int] = {}
    with store.write("s1"):
        for name, kwargs in {"desk1": {"seq": 1, "rep": None}, "desk2": {"seq": 2, "rep": "chen.jie"},
                             "rep1": {"seq": 1, "device_id": "d2", "author": "wang.li", "rep": "wang.li"}}.items():
            record = make_record(**kwargs, change_id=store.next_change_id())
            store.insert_records([record])
            ids[name] = record.change_id
        customer = store.ensure_customers("s1", {"k1": "张伟"})["k1"]
        ids["customer"] = store.next_change_id()
        store.save_customers([replace(customer, owner="wang.li", status="protected", change_id=ids["customer"])])
        ids["conflict"] = store.next_change_id()
        store.save_conflict(_conflict("c1", change_id=ids["conflict"]))
    return ids


def test_changes_after_is_every_visible_change_in_change_id_order(store):
    ids = _fill(store)
    head = store.head("s1")
    changes = store.changes_after("s1", 0, head, 100, record_scope=None, conflicts=True)
    assert [c.change_id for c in changes] == sorted(c.change_id for c in changes)
    assert [c.kind for c in changes] == ["site", "user", "user", "user", "user", "record", "record", "record",
                                         "ownership", "conflict"]
    assert changes[-1].change_id == head == ids["conflict"]
    assert isinstance(changes[0].row, Site) and isinstance(changes[1].row, User)
    assert isinstance(changes[5].row, StoredRecord) and isinstance(changes[8].row, CustomerRow)
    assert changes[9].row == _conflict("c1", change_id=ids["conflict"])
    assert store.changes_after("s2", 0, head, 100, record_scope=None, conflicts=True) == []


def test_changes_after_pages_by_limit_and_window(store):
    _fill(store)
    head = store.head("s1")
    everything = store.changes_after("s1", 0, head, 100, record_scope=None, conflicts=True)
    paged, after = [], 0
    while True:
        page = store.changes_after("s1", after, head, 3, record_scope=None, conflicts=True)
        assert len(page) <= 3
        if not page:
            break
        paged += page
        after = page[-1].change_id
    assert [c.change_id for c in paged] == [c.change_id for c in everything]
    middle = store.changes_after("s1", everything[2].change_id, everything[6].change_id, 100, record_scope=None,
                                 conflicts=True)
    assert [c.change_id for c in middle] == [c.change_id for c in everything[3:7]]


def test_changes_after_scopes_records_and_conflicts(store):
    ids = _fill(store)
    head = store.head("s1")

    def records(scope, conflicts=False):
        changes = store.changes_after("s1", 0, head, 100, record_scope=scope, conflicts=conflicts)
        return {c.change_id for c in changes if c.kind == "record"}, {c.kind for c in changes}

    assert records(("device", "d1"))[0] == {ids["desk1"], ids["desk2"]}
    assert records(("user", "wang.li"))[0] == {ids["rep1"]}
    assert records(("user", "chen.jie"))[0] == {ids["desk2"]}  # named as rep
    assert records(None)[0] == {ids["desk1"], ids["desk2"], ids["rep1"]}
    assert "conflict" not in records(None)[1] and "ownership" in records(None)[1]
    assert "conflict" in records(None, conflicts=True)[1]


def test_every_scope_pulls_the_sites_rotation_records(store):
    # issue 12: one rotation board on every tablet of the site (desks and reps alike)
    ids = _fill(store)
    with store.write("s1"):
        other = make_record(seq=3, device_id="d2", author="wang.li", rep="chen.jie", type="rotation", phone_key="",
                            name="", change_id=store.next_change_id(),
                            wire={"id": "r-3", "type": "rotation", "data": {"day": "2026-11-20", "event": "absent"}})
        store.insert_records([other])
    head = store.head("s1")
    for scope in (("device", "d1"), ("user", "zhao.min"), ("user", "wang.li"), None):
        changes = store.changes_after("s1", 0, head, 100, record_scope=scope, conflicts=False)
        assert other.change_id in {c.change_id for c in changes if c.kind == "record"}, scope
    device = store.changes_after("s1", 0, head, 100, record_scope=("device", "d1"), conflicts=False)
    assert ids["rep1"] not in {c.change_id for c in device}  # other records stay scoped


def test_an_updated_row_moves_to_its_new_change_id(store):
    ids = _fill(store)
    customer = store.customers_by_keys("s1", ["k1"])["k1"]
    with store.write("s1"):
        store.save_customers([replace(customer, owner="chen.jie", change_id=store.next_change_id())])
    head = store.head("s1")
    old_window = store.changes_after("s1", 0, ids["conflict"], 100, record_scope=None, conflicts=True)
    assert "ownership" not in {c.kind for c in old_window}
    (latest,) = store.changes_after("s1", ids["conflict"], head, 100, record_scope=None, conflicts=True)
    assert (latest.kind, latest.change_id, latest.row.owner) == ("ownership", head, "chen.jie")


# -- consistency under concurrency ----------------------------------------------------


def test_a_read_snapshot_does_not_see_a_write_committed_during_it(store, open_db):
    seed(store)
    other = open_db()
    with store.read():
        head = store.head("s1")
        before = store.changes_after("s1", 0, 10**9, 1000, record_scope=None, conflicts=True)
        worker = threading.Thread(target=lambda: other.add_user(User("late", "s1", "迟", "rep", "h")))
        worker.start()
        worker.join()
        assert store.head("s1") == head
        assert store.changes_after("s1", 0, 10**9, 1000, record_scope=None, conflicts=True) == before
    assert store.head("s1") == head + 1


def test_concurrent_writers_on_two_connections_never_let_a_pull_skip_a_change(store, open_db):
    """Two stores stand for two server processes; a third polls like a tablet pulling with its
    cursor. Every change id committed must reach the poller: none skipped, none twice."""
    seed(store)
    writers = [open_db(), open_db()]
    poller = open_db()
    per_writer = 40
    stop = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def write(w: int) -> None:
        try:
            for i in range(per_writer):
                with writers[w].write("s1"):
                    record = make_record(seq=1 + w * per_writer + i, change_id=writers[w].next_change_id())
                    writers[w].insert_records([record])
                    if i % 3 == 0:
                        writers[w].next_change_id()  # an id nobody uses: gaps are allowed
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    start = store.head("s1")  # taken before any thread runs: the poller must start from here

    def poll() -> None:
        cursor = start
        try:
            while True:
                finished = stop.is_set()
                with poller.read():
                    head = poller.head("s1")
                    changes = poller.changes_after("s1", cursor, head, 7, record_scope=None, conflicts=True)
                seen.extend(c.change_id for c in changes)
                cursor = changes[-1].change_id if len(changes) == 7 else head
                if finished and len(changes) < 7:
                    return
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(2)]
    reader = threading.Thread(target=poll)
    reader.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    reader.join()
    assert not errors, errors
    committed = [c.change_id for c in store.changes_after("s1", start, store.head("s1"), 10_000, record_scope=None,
                                                          conflicts=True)]
    assert len(committed) == 2 * per_writer
    assert seen == committed
