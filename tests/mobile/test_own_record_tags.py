"""A pulled record the server sent without ``phone_tag`` (issue 13's QA: its tagger's backlog
after a desk's big push, or a held record): an own record is filed under the tag its outbox
row already holds, computing no scrypt; another device's is still tagged on the tablet.

``shared.phones.phone_tag2`` (the tablet's tag since ``017_tag2``) is an ``lru_cache``: its
``cache_info()`` counts every call (a miss is one scrypt), so the tests read how many tags the load computed, without a stand-in.
The 10,000-record sync of ``bench/mobile.py --only frames`` took ~100 s because the desk's
tablet recomputed a scrypt for each of its own walk-ins pulled back untagged (py-spy: 86% of
the tablet's samples in ``phone_tag`` under ``_record_row``)."""

from __future__ import annotations

import json

import pytest

from mobile.services import RecordCapture
from mobile.store import LocalStore
from mobile.sync import SyncClient
from shared.phones import normalise_phone, phone_tag2
from tests.live_server import PASSWORD, LiveServer
from tests.mobile.test_store import SITE_KEY, make_store

OWN = 40  # more than the lru cache could be asked to remember for a test, fewer than a bench


def _pulled(change_id: int, wire: dict, tag: str | None) -> dict:
    """A record change as the server's pull gives it (``keys=tag``): the wire with the server's
    members appended, ``phone_tag`` None while the customer is untagged."""
    record = {**wire, "device_id": "d-desk", "estimated_at": wire["captured_at"], "clock_method": "anchored",
              "received_at": wire["captured_at"], "phone_tag": tag}
    return {"change_id": change_id, "kind": "record", "record": record}


SITE = {"change_id": 1, "kind": "site", "site": {"id": "s1", "name": "星河湾销售中心", "region": "CN",
                                                 "utc_offset_minutes": 480, "replica_keys": "private",
                                                 "replica_key": SITE_KEY}}


def _load(store, changes: list[dict], way: str) -> None:
    """``changes`` as one pull page, or as a bootstrap snapshot (the site's change first, as the
    server's starts)."""
    cursor = str(changes[-1]["change_id"])
    if way == "page":
        store.apply_changes(changes, cursor=cursor)
        return
    body = [SITE, *changes]
    lines = [{"kind": "snapshot", "cursor": cursor, "count": len(body)}, *body, {"kind": "end", "count": len(body)}]
    store.load_snapshot([json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() for line in lines])


@pytest.mark.parametrize("way", ["page", "snapshot"])
def test_qa13_a_desks_own_records_pulled_back_untagged_cost_no_scrypt(tmp_path, way):
    """The desk captured its walk-ins offline (each tagged once, at capture), pushed them in one
    go, and pulls them back before the server's tagger reached them: the records are filed
    under the outbox's tags, and no tag is computed again."""
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    wires = [capture.capture("walkin", name=f"客户{i}", phone=f"1370001{i:04d}", rep="wang.li",
                             data={"visit": "first", "party_size": 1}) for i in range(OWN)]
    phone_tag2.cache_clear()
    _load(store, [_pulled(100 + i, wire, None) for i, wire in enumerate(wires)], way)
    calls = phone_tag2.cache_info()
    assert (calls.hits, calls.misses) == (0, 0), "no tag of an own record is computed again"
    filed = dict(store.db.conn.execute("select id, phone_hash from records").fetchall())
    assert filed == {w["id"]: phone_tag2(SITE_KEY, normalise_phone(w["customer"]["phone"])) for w in wires}
    assert filed == {e.id: e.phone_hash for e in store.outbox(("pending", "accepted"), limit=OWN)}
    store.close()


@pytest.mark.parametrize("way", ["page", "snapshot"])
def test_qa13_another_devices_untagged_record_is_still_tagged_on_the_tablet(tmp_path, way):
    """What the tablet does not hold in its outbox it still tags itself (issue 14), and a tag
    the server sent wins over the outbox's."""
    store = make_store(tmp_path)
    mine = RecordCapture(store).capture("walkin", name="张伟", phone="137 0001 0000", rep="wang.li",
                                        data={"visit": "first", "party_size": 1})
    theirs = {**mine, "id": "other-device-record", "customer": {"name": "李娜", "phone": "13700019999"}}
    sent = phone_tag2(SITE_KEY, "+8613700010000")
    _load(store, [_pulled(100, theirs, None), _pulled(101, mine, sent)], way)
    filed = dict(store.db.conn.execute("select id, phone_hash from records").fetchall())
    assert filed == {"other-device-record": phone_tag2(SITE_KEY, "+8613700019999"), mine["id"]: sent}
    store.close()


@pytest.mark.parametrize("first_sync", [True, False], ids=["snapshot", "pages"])
def test_qa13_a_desks_held_records_pulled_back_from_a_real_server_cost_no_scrypt(tmp_path, first_sync):
    """Against a real server whose record budget is 2 (``FIELDSYNC_RECORD_BUDGET``): the desk's
    third to fifth new phones are held, so they come back with ``phone_tag: null`` (issue 14)
    for ever — the first sync's snapshot or a later sync's pages file all five under the
    outbox's tags and compute none."""
    with LiveServer(env={"FIELDSYNC_RECORD_BUDGET": "2"}) as server:
        store = LocalStore(tmp_path / "desk" / "fieldsync.db")
        client = SyncClient(store)
        client.enroll(server.base_url, "desk.li", PASSWORD, "desk-1")
        if not first_sync:
            client.sync()  # the next sync pulls pages from this cursor
        capture = RecordCapture(store)
        wires = [capture.capture("walkin", name=f"客户{i}", phone=f"1370002{i:04d}", rep="wang.li",
                                 data={"visit": "first", "party_size": 1}) for i in range(5)]
        phone_tag2.cache_clear()
        report = client.sync()
        calls = phone_tag2.cache_info()
        held = [r for (r,) in store.db.conn.execute("select wire from records") if json.loads(r).get("owner_withheld")]
        assert report.accepted == 5 and len(held) == 3
        assert (calls.hits, calls.misses) == (0, 0), "no tag of an own record is computed again"
        filed = dict(store.db.conn.execute("select id, phone_hash from records where type = 'walkin'").fetchall())
        assert filed == {w["id"]: store.outbox_entry(w["id"]).phone_hash for w in wires}
        assert None not in filed.values()
        store.close()
