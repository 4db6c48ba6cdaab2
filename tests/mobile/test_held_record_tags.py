"""Held records pulled by a manager's tablet (issue 13 / 14): a held record (the record budget,
``FIELDSYNC_RECORD_BUDGET``) has no customer row, so before ``0026_held_phone_tags`` the server
sent it with ``phone_tag: null`` for ever and every manager's tablet computed one scrypt per held
record at each first sync and resync (9,700 tag2s, minutes, for the desk of ``bench/mobile.py
--only frames``). Now the server's tagger tags the held phones too, and a manager's pull and
snapshot carry the tags: a fresh manager tablet computes none. Whoever else pulls a held record
still gets ``phone_tag: null`` (docs/privacy.md, "Phones the pusher cannot see").

Real server on both backends, real ``LocalStore``/``SyncClient``; ``phone_tag2.cache_info()``
counts the tablet's scrypts (as ``test_own_record_tags.py`` does)."""

from __future__ import annotations

import json

import pytest

from mobile.services import RecordCapture
from mobile.store import LocalStore
from mobile.sync import SyncClient
from shared.phones import normalise_phone, phone_tag2
from tests.live_server import PASSWORD, LiveServer
from tests.postgres_server import fresh_database
from tests.server.helpers import MANAGER, Tablet


@pytest.fixture(params=["sqlite", "postgresql"])
def budget_server(request):
    """A seeded server whose record budget is 2 new phones a user."""
    env = {"FIELDSYNC_RECORD_BUDGET": "2"}
    if request.param == "sqlite":
        with LiveServer(env=env) as server:
            yield server
        return
    with fresh_database("srv_held_record_tags") as url, LiveServer(db_url=url, env=env) as server:
        yield server


def _tablet(tmp_path, server, username: str, name: str) -> tuple[LocalStore, SyncClient]:
    store = LocalStore(tmp_path / name / "fieldsync.db")
    client = SyncClient(store)
    client.enroll(server.base_url, username, PASSWORD, name)
    return store, client


@pytest.mark.parametrize("first_sync", [True, False], ids=["snapshot", "pages"])
def test_issue13_a_managers_tablet_computes_no_tag_of_a_desks_held_records(tmp_path, budget_server, first_sync):
    """A desk pushes 5 new walk-ins (3 held) and the tagger settles; a manager tablet's first
    sync (the snapshot) or its next sync (pages) files every record under the server's tag and
    computes none (it computed 3 before)."""
    desk, desk_client = _tablet(tmp_path, budget_server, "desk.li", "desk-1")
    manager = _tablet(tmp_path, budget_server, MANAGER, "manager-1") if not first_sync else None
    if manager:
        manager[1].sync()  # the next sync pulls pages from this cursor
    capture = RecordCapture(desk)
    wires = [capture.capture("walkin", name=f"客户{i}", phone=f"1370003{i:04d}", rep="wang.li",
                             data={"visit": "first", "party_size": 1}) for i in range(5)]
    assert desk_client.sync().accepted == 5
    Tablet(budget_server, MANAGER, "tag watcher").settle_tags()
    store, client = manager or _tablet(tmp_path, budget_server, MANAGER, "manager-1")
    phone_tag2.cache_clear()
    client.sync()
    calls = phone_tag2.cache_info()
    held = {json.loads(w)["id"] for (w,) in store.db.conn.execute("select wire from records")
            if json.loads(w).get("owner_withheld")}
    assert len(held) == 3
    assert (calls.hits, calls.misses) == (0, 0), "the server sent every record's tag, held ones too"
    key = store.db.conn.execute("select replica_key from site").fetchone()[0]
    filed = dict(store.db.conn.execute("select id, phone_hash from records where type = 'walkin'").fetchall())
    assert filed == {w["id"]: phone_tag2(key, normalise_phone(w["customer"]["phone"])) for w in wires}
    store.close()
    desk.close()


def test_issue13_held_records_tags_go_to_managers_only(budget_server):
    """The held rule stands: the rep the walk-ins name and the desk that pushed them still get
    ``phone_tag: null`` for the held records (a tag would tell a known number from an unknown
    one); the manager gets every one."""
    desk = Tablet(budget_server, "desk.li", "desk-2")
    records = [desk.record("walkin", name=f"客户{i}", phone=f"1370004{i:04d}", rep="wang.li") for i in range(5)]
    assert [r["status"] for r in desk.push(*records)["results"]] == ["accepted"] * 5
    Tablet(budget_server, MANAGER, "tag watcher").settle_tags()
    for username, sees in (("wang.li", False), ("desk.li", False), (MANAGER, True)):
        pulled = desk if username == "desk.li" else Tablet(budget_server, username, f"{username}-2")
        changes, _ = pulled.pull_all(keys="tag2")
        held = [c["record"] for c in changes if c["kind"] == "record" and c["record"].get("owner_withheld")]
        assert len(held) == 3, username
        assert all(bool(r["phone_tag"]) is sees for r in held), username
