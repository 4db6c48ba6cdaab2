"""A pull or snapshot during the tagger's backlog (issue 13 / 14), on SQLite and PostgreSQL: the
records of another device whose new customers are untagged come with the tag of the asked kind,
computed by the server, which stores it as the tagger would (a new change id a customer; the
other kind left to the tagger); the caller's own device's records are left out (its outbox
holds their tags)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from shared.phones import phone_tag2
from sync_server.services.auth import Caller
from sync_server.services.pull import pull
from sync_server.services.snapshot import render_blocks
from sync_server.storage.base import Device, HeldRecord
from tests.storage.records import make_record, seed

PHONES = [f"+86137777000{n}" for n in range(3)]


def _backlog(store, rep: str = "wang.li") -> None:
    """Three walk-ins of the desk (device d1, received by ``rep``) naming three new customers,
    none tagged yet."""
    seed(store)
    store.add_device(Device("d3", "s1", "zhao.min", "manager tablet", "2026-11-20T01:00:00.000Z"), "t-d3")
    rows = [make_record(seq=i + 1, phone_key=phone, rep=rep) for i, phone in enumerate(PHONES)]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
        store.ensure_customers("s1", {phone: "" for phone in PHONES})


def _records(store, token: str, way: str) -> list[dict]:
    device = store.device_by_token(token)
    caller = Caller(user=store.get_user(device.username), site=store.get_site("s1"), device=device)
    if way == "pull":
        changes = pull(store, caller, None, 500, keys="tag2")["changes"]
    else:
        changes = [json.loads(line) for line in b"".join(render_blocks(store, caller, keys="tag2")).splitlines()[1:-1]]
    return [c["record"] for c in changes if c["kind"] == "record"]


@pytest.mark.parametrize("way", ["pull", "snapshot"])
def test_issue13_a_pull_during_the_taggers_backlog_sends_and_stores_the_missing_tags(store, way):
    _backlog(store)
    head = store.head("s1")
    key = store.get_site("s1").replica_key
    records = _records(store, "t-d3", way)
    assert {r["phone_tag"] for r in records} == {phone_tag2(key, p) for p in PHONES}
    stored = store.customers_by_keys("s1", PHONES)
    assert {p: (c.phone_tag, c.phone_tag2) for p, c in stored.items()} == {p: (None, phone_tag2(key, p)) for p in PHONES}
    assert store.head("s1") == head + 3, "each customer tagged comes again with its tag (a new change id)"
    assert store.untagged_customers("s1", 10, "tag2") == [] and len(store.untagged_customers("s1", 10)) == 3


@pytest.mark.parametrize("way", ["pull", "snapshot"])
def test_issue13_the_pushing_devices_own_records_are_not_tagged_for_it(store, way):
    _backlog(store)
    head = store.head("s1")
    assert [r["phone_tag"] for r in _records(store, "token-1", way)] == [None] * 3
    assert store.head("s1") == head and len(store.untagged_customers("s1", 10, "tag2")) == 3


@pytest.mark.parametrize("way", ["pull", "snapshot"])
def test_issue13_a_reps_held_record_is_not_tagged_for_her_but_for_a_manager(store, way):
    """A desk's walk-in received by 王丽, of a number that is already another's customer (untagged
    yet), is held (the desk's budget): her pull neither sends nor computes its tag (the answer's
    time would tell a known number from a new one), so nothing is stored; the manager's pull
    computes and stores it. The desk's other records of the phones name 陈杰: not in her scope."""
    _backlog(store, rep="chen.jie")
    store.add_device(Device("d2", "s1", "wang.li", "rep tablet", "2026-11-20T01:00:00.000Z"), "t-d2")
    mine = make_record(seq=10, rep="wang.li", phone_key=PHONES[0])  # the desk's (d1), naming her
    with store.write("s1"):
        store.insert_records([replace(mine, change_id=store.next_change_id())])
        store.hold_records([HeldRecord("s1", mine.id, "desk.li", PHONES[0], "2026-11-20T02:06:00.000Z")])
    head = store.head("s1")
    assert [r["phone_tag"] for r in _records(store, "t-d2", way) if r["id"] == mine.id] == [None]
    assert store.head("s1") == head and len(store.untagged_customers("s1", 10, "tag2")) == 3
    key = store.get_site("s1").replica_key
    assert [r["phone_tag"] for r in _records(store, "t-d3", way) if r["id"] == mine.id] == [phone_tag2(key, PHONES[0])]
    assert store.untagged_customers("s1", 10, "tag2") == []
