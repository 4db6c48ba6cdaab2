"""A streamed snapshot cut short (issue 13): the server streams the snapshot as it renders it,
with no length, so a status code cannot report an error after the first byte and a proxy or a
lost connection can end the answer cleanly anywhere. A real proxy (tests/mobile/fault_proxy.py)
cuts the real server's stream mid-line, at a line boundary and just before the end line: the
tablet takes none of it as a whole snapshot, keeps the replica and the outbox it had, and the
sync worker tries again by itself and loads it whole."""

from __future__ import annotations

import pytest
import requests

from mobile.services import RecordCapture
from mobile.store import LocalStore
from mobile.sync import NetworkError, SyncClient, SyncWorker
from tests.mobile.fault_proxy import FaultProxy
from tests.mobile.test_snapshot import REPLICA, busy_site, fresh, indexes, replica  # noqa: F401 - fixture
from tests.mobile.test_store import NAME_INDEX

from .test_sync_client import wait_for

SNAPSHOT = "/api/v1/sync/snapshot?steps=params&keys=tag2"  # what the tablet asks (017_tag2)


@pytest.fixture
def proxy(server):
    with FaultProxy(server.base_url) as running:
        yield running


def whole_snapshot(server, username: str) -> bytes:
    """The snapshot the tablet of ``username`` would get, read whole straight from the server."""
    store = LocalStore()
    client = SyncClient(store)
    client.enroll(server.base_url, username, "secret-pass-1", f"probe {username}")
    answer = requests.get(server.base_url + SNAPSHOT, timeout=60,
                          headers={"Authorization": f"Bearer {store.get_meta('token')}"})
    store.close()
    assert answer.status_code == 200 and "content-length" not in answer.headers
    assert answer.headers.get("transfer-encoding") == "chunked", "streamed as rendered"
    return answer.content


def cut_points(whole: bytes) -> dict[str, int]:
    lines = whole.split(b"\n")
    after_30 = len(b"\n".join(lines[:31])) + 1
    return {"mid-line": after_30 + 7, "at-a-line-boundary": after_30,
            "just-before-the-end-line": len(whole) - len(lines[-2]) - 1}


@pytest.mark.parametrize("cut", ["mid-line", "at-a-line-boundary", "just-before-the-end-line"])
@pytest.mark.usefixtures("busy_site")
def test_a_snapshot_cut_by_a_proxy_keeps_nothing_and_the_next_sync_loads_it_whole(tmp_path, server, proxy, cut):
    whole = whole_snapshot(server, "zhao.min")
    proxy.cut_snapshot_at = cut_points(whole)[cut]
    store = LocalStore(tmp_path / "cut" / "fieldsync.db")
    client = SyncClient(store)
    client.enroll(proxy.base_url, "zhao.min", "secret-pass-1", "cut")
    with pytest.raises(NetworkError) as failure:
        client.sync()
    assert failure.value.retryable
    assert proxy.snapshot_bytes == [proxy.cut_snapshot_at] and proxy.cut_snapshot_at < len(whole)
    conn = store.db.conn
    assert [conn.execute(f"select count(*) from {t}").fetchone()[0] for t in REPLICA] == [0] * len(REPLICA)  # noqa: S608
    assert store.get_meta("cursor") is None and len(indexes(store)) == len(indexes(LocalStore()))
    proxy.cut_snapshot_at = None
    assert client.sync().pulled > 45
    assert proxy.snapshot_bytes[-1] == len(whole)
    store.close()


@pytest.mark.usefixtures("busy_site")
def test_a_resync_cut_short_keeps_the_replica_and_the_outbox_and_the_worker_tries_again(tmp_path, server, proxy):
    store, client = fresh(tmp_path, proxy, "wang.li", "wang")
    client.sync()
    unsent = [RecordCapture(store).capture("walkin", name=f"新客{i}", phone=f"1360000{i:04d}", rep="wang.li",
                                           data={"visit": "first", "party_size": 1, "intent": "B"})["id"]
              for i in range(3)]
    outbox = store.db.conn.execute("select * from outbox order by seq").fetchall()
    own_names = store.db.conn.execute(NAME_INDEX + " where n.ref like 'o:%' order by n.ref, k.key").fetchall()
    before = replica(store)
    store.set_meta(cursor="from-another-database")  # 410 resync: the tablet asks for a snapshot
    proxy.cut_snapshot_at = cut_points(whole_snapshot(server, "wang.li"))["just-before-the-end-line"]
    with pytest.raises(NetworkError):
        client.pull()
    assert store.db.conn.execute("select * from outbox order by seq").fetchall() == outbox
    assert store.db.conn.execute(NAME_INDEX + " where n.ref like 'o:%' order by n.ref, k.key").fetchall() \
        == own_names
    assert {k: v for k, v in replica(store).items() if k != "cursor"} == \
        {k: v for k, v in before.items() if k != "cursor"}, "the replica it had, not a cut one"
    assert [store.outbox_entry(i).state for i in unsent] == ["pending"] * 3
    worker = SyncWorker(client, store, interval_s=600, backoff_base=0.2, backoff_cap=0.5)
    worker.start()
    try:
        assert wait_for(lambda: worker.status.last_error_code == "offline", 30), "the cut is a failed sync"
        proxy.cut_snapshot_at = None  # the network is whole again: nobody presses anything
        assert wait_for(lambda: worker.syncs_done >= 1, 60)
    finally:
        worker.stop()
    assert [store.outbox_entry(i).state for i in unsent] == ["accepted"] * 3
    assert len(proxy.snapshot_bytes) >= 3 and store.get_meta("cursor") != "from-another-database"
    store.close()
