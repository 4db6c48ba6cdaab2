"""The streamed snapshot's storage side (issue 13), on SQLite and on PostgreSQL: the header's
count is counted in the database and equals what the paged reads give for every scope, and the
read snapshot is held for the whole stream — a push committed while a tablet is still reading
the stream is not in it (the tablet pulls it from the snapshot's cursor)."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import pytest

from sync_server.services.auth import Caller
from sync_server.services.snapshot import render_blocks
from sync_server.storage.base import ConfirmationRow, Device, Site
from tests.storage.records import make_record, seed

SCOPES = [None, ("user", "wang.li"), ("user", "chen.jie"), ("user", "zhao.min"), ("device", "d1"), ("device", "d2")]


def _site(store) -> dict[str, str]:
    """Site s1: the desk's records for two reps and one without, a rep's own record, a manager's
    withdrawal of that one (names no rep), a rotation record, a customer, a conflict, two
    confirmations; site s2 with a record of its own."""
    seed(store)
    store.add_device(Device("d2", "s1", "wang.li", "rep tablet", "2026-11-20T01:00:00.000Z"), "t2")
    store.add_device(Device("d3", "s1", "zhao.min", "manager tablet", "2026-11-20T01:00:00.000Z"), "t3")
    store.add_site(Site("s2", "二号"))
    store.add_device(Device("d9", "s2", "zhao.min", "other desk", "2026-11-20T00:00:00.000Z"), "t9")
    rows = [make_record(seq=1, rep="wang.li", id="rec-desk-wang"),
            make_record(seq=2, rep="chen.jie", id="rec-desk-chen", phone_key="k2"),
            make_record(seq=3, type="call", rep=None, id="rec-desk-call"),
            make_record(seq=1, device_id="d2", author="wang.li", rep="wang.li", id="rec-wang-own"),
            make_record(seq=1, device_id="d3", author="zhao.min", rep=None, type="withdrawal",
                        supersedes="rec-wang-own", id="rec-withdrawal"),
            make_record(seq=4, type="rotation", rep="chen.jie", phone_key="", name="", id="rec-rotation",
                        wire={"id": "rec-rotation", "type": "rotation", "data": {"day": "2026-11-20",
                                                                               "event": "present"}})]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
        customer = store.ensure_customers("s1", {"k1": "张伟"})["k1"]
        store.save_customers([replace(customer, owner="wang.li", status="protected", change_id=store.next_change_id())])
        store.add_confirmations([ConfirmationRow("conf-1", "s1", "rec-desk-wang", "zhao.min", "2026-11-20T10:00:00.000Z"),
                                 ConfirmationRow("conf-2", "s1", "rec-desk-chen", "zhao.min", "2026-11-20T10:00:00.000Z")])
    with store.write("s2"):
        store.insert_records([make_record(seq=1, site_id="s2", device_id="d9", author="zhao.min", id="rec-s2",
                                          change_id=store.next_change_id())])
    return {r.id: r.rep or "" for r in rows}


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: "all" if s is None else f"{s[0]}-{s[1]}")
@pytest.mark.parametrize("conflicts", [False, True], ids=["no-conflicts", "conflicts"])
def test_count_changes_is_the_number_of_changes_the_reads_give(store, scope, conflicts):
    _site(store)
    head = store.head("s1")
    with store.read():
        read = (store.changes_after("s1", 0, head, 1000, record_scope=scope, conflicts=conflicts)
                + store.confirmations_after("s1", 0, head, 1000, record_scope=scope))
        assert store.count_changes("s1", 0, head, record_scope=scope, conflicts=conflicts) == len(read)
        middle = [c for c in read if 3 < c.change_id <= head - 2]
        assert store.count_changes("s1", 3, head - 2, record_scope=scope, conflicts=conflicts) == len(middle)
    assert store.count_changes("s1", head, head, record_scope=scope, conflicts=conflicts) == 0


EXPECTED_RECORDS = {  # scope -> the records of s1 it reads (rotation records: everyone's board)
    None: {"rec-desk-wang", "rec-desk-chen", "rec-desk-call", "rec-wang-own", "rec-withdrawal", "rec-rotation"},
    ("user", "wang.li"): {"rec-desk-wang", "rec-wang-own", "rec-withdrawal", "rec-rotation"},
    ("user", "chen.jie"): {"rec-desk-chen", "rec-rotation"},
    ("user", "zhao.min"): {"rec-withdrawal", "rec-rotation"},
    ("device", "d1"): {"rec-desk-wang", "rec-desk-chen", "rec-desk-call", "rec-rotation"},
    ("device", "d2"): {"rec-wang-own", "rec-withdrawal", "rec-rotation"},
}


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: "all" if s is None else f"{s[0]}-{s[1]}")
def test_issue13_a_scope_reads_its_own_records_and_another_users_withdrawal_of_one(store, scope):
    """The manager's withdrawal of the rep's own record reaches the rep (and the rep's device)
    although it names no rep, and no one else's scope — read by a key look-up of the record it
    supersedes (issue 13: the uncorrelated ``IN`` read every record of the site per window)."""
    _site(store)
    head = store.head("s1")
    read = {c.row.id for c in store.changes_after("s1", 0, head, 1000, record_scope=scope, conflicts=False)
            if c.kind == "record"}
    assert read == EXPECTED_RECORDS[scope]


def test_a_push_committed_while_the_stream_is_read_is_not_in_it(store, open_db):
    """The snapshot renders two changes a chunk; between the header and the rest another store
    (another server process) commits a record: the stream keeps its header's count and head."""
    _site(store)
    caller = Caller(user=store.get_user("wang.li"), site=store.get_site("s1"),
                    device=store.device_by_token("t2"))
    blocks = render_blocks(store, caller, chunk=2, rendered=False, keys="tag")
    header = json.loads(next(blocks))
    writer = open_db()

    def push_one() -> None:
        with writer.write("s1"):
            writer.insert_records([make_record(seq=9, rep="wang.li", id="rec-late", change_id=writer.next_change_id())])

    thread = threading.Thread(target=push_one)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "a write waits for no snapshot reader (WAL; MVCC)"
    lines = [json.loads(line) for block in blocks for line in block.splitlines()]
    changes, end = lines[:-1], lines[-1]
    assert end == {"kind": "end", "count": header["count"]} and len(changes) == header["count"]
    assert "rec-late" not in {c["record"]["id"] for c in changes if c["kind"] == "record"}
    assert max(c["change_id"] for c in changes) < writer.head("s1")
    assert {c["record"]["id"] for c in changes if c["kind"] == "record"} == {
        "rec-desk-wang", "rec-wang-own", "rec-withdrawal", "rec-rotation"}


def test_phone_tags_are_the_customers_tags_of_the_site_by_phone_key(store):
    _site(store)
    with store.write("s2"):
        store.ensure_customers("s2", {"k1": "别的"})
    customer = store.customers_by_keys("s1", ["k1"])["k1"]
    assert store.phone_tags("s1", ["k1", "k2", "unknown"]) == {"k1": None}  # not tagged yet
    store.set_phone_tags("s1", {customer.id: ("k1", "tag-of-k1")})
    assert store.phone_tags("s1", ["k1", "unknown"]) == {"k1": "tag-of-k1"}
    assert store.phone_tags("s2", ["k1"]) == {"k1": None} and store.phone_tags("s1", []) == {}
