"""The bootstrap snapshot on the tablet (issue 13), against a real server process: a fresh or
resyncing tablet loads the server's snapshot in one transaction and pulls on from its cursor,
ending with the replica a paged pull gives; unsent records stay; a cut stream keeps nothing."""

from __future__ import annotations

import pytest

from mobile.services import RecordCapture
from mobile.store import LocalStore
from mobile.sync import NetworkError, RequestsTransport, SyncClient
from mobile.sync.transport import Response, Transport
from tests.mobile.test_store import NAME_INDEX

REPLICA = ("site", "users", "customers", "records", "confirmations", "name_keys", "names")


class PagesOnly:
    """A transport without ``stream_lines`` (as before issue 13): the client pulls page by page."""

    def __init__(self) -> None:
        self.inner = RequestsTransport()

    def request(self, method, url, **kwargs) -> Response:
        return self.inner.request(method, url, **kwargs)


class CutAfter(RequestsTransport):
    """The real transport, whose snapshot stream stops after ``lines`` lines (a lost connection)."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines

    def stream_lines(self, url, **kwargs):
        real = super().stream_lines(url, **kwargs)
        lines = self.lines

        class Cut:
            def __enter__(self):
                answer = real.__enter__()
                body = answer.body
                return Response(answer.status, (line for i, line in enumerate(body) if i < lines))

            def __exit__(self, *exc):
                return real.__exit__(*exc)

        return Cut()


class OldServer(RequestsTransport):
    """The real transport, asking a path the server does not have for the snapshot: what a
    server from before issue 13 answers (404 ``not_found``)."""

    def stream_lines(self, url, **kwargs):
        return super().stream_lines(url.replace("/sync/snapshot", "/sync/snapshot-unknown"), **kwargs)


def replica(store: LocalStore) -> dict[str, list[tuple]]:
    """Every replica table's rows, sorted (the names of own records are the outbox's, not compared)."""
    conn = store.db.conn
    out = {t: sorted(conn.execute(f"select * from {t}").fetchall(), key=repr) for t in REPLICA}  # noqa: S608
    out["name_keys"] = sorted(conn.execute(NAME_INDEX + " where n.ref like 'c:%'").fetchall(), key=repr)
    out["names"] = sorted((r[1:] for r in out["names"] if r[1].startswith("c:")), key=repr)  # ids aside
    out["cursor"] = [(store.get_meta("cursor"),)]
    return out


def indexes(store: LocalStore) -> list[tuple]:
    return sorted(store.db.conn.execute("select name, tbl_name, sql from sqlite_master where type = 'index'").fetchall(),
                  key=repr)


def fresh(tmp_path, server, username: str, name: str, transport: Transport | None = None,
          **options) -> tuple[LocalStore, SyncClient]:
    store = LocalStore(tmp_path / name / "fieldsync.db")
    client = SyncClient(store, transport, **options)
    client.enroll(server.base_url, username, "secret-pass-1", name)
    return store, client


@pytest.fixture
def busy_site(tablet):
    """The desk registers 45 customers for three reps (every fifth phone twice: conflicts), each
    with its reception on the shared rotation board (rotation records have no customer: the
    snapshot carries them as a paged pull does), after the reps came on duty."""
    store, client, _ = tablet
    capture = RecordCapture(store)
    reps = ("wang.li", "zhang.qiang", "chen.jie")
    for rep in reps:
        capture.save(capture.build_rotation(rep, {"day": capture.now().date().isoformat(), "event": "present"}))
    for i in range(45):
        phone = f"1370000{(i - i % 5 if i % 5 == 4 else i):04d}"
        capture.capture("walkin", name=f"客户{i % 7}号", phone=phone, rep=reps[i % 3],
                        data={"visit": "first", "party_size": 1, "intent": "B"},
                        rotation_event={"visit": "new", "reason": "turn"})
    client.sync()
    return store


@pytest.mark.parametrize("username", ["wang.li", "zhao.min"])
def test_a_snapshot_leaves_the_replica_a_paged_pull_leaves(tmp_path, server, busy_site, username):
    paged, paged_client = fresh(tmp_path, server, username, "paged", PagesOnly(), page_size=7)
    paged_client.sync()
    snap, snap_client = fresh(tmp_path, server, username, "snap")
    seen: list[tuple[int, int]] = []
    report = snap_client.sync(on_progress=lambda done, about: seen.append((done, about)))
    assert report.pulled > 45 and not report.resynced
    assert replica(snap) == replica(paged)
    rotation = snap.db.conn.execute("select count(*) from records where type = 'rotation'").fetchone()[0]
    assert rotation == 48, "every tablet of the site holds the rotation records, after a snapshot too"
    assert indexes(snap) == indexes(paged), "the indexes dropped for the load are all back"
    assert seen and seen[-1] == (report.pulled, report.pulled)  # N of about M, ending M of M
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    snap.close()
    paged.close()


def test_a_tablet_told_to_resync_keeps_every_unsent_record_untouched(tmp_path, server, busy_site):
    store, client = fresh(tmp_path, server, "wang.li", "wang")
    client.sync()
    capture = RecordCapture(store)
    unsent = [capture.capture("walkin", name=f"新客{i}", phone=f"1360000{i:04d}", rep="wang.li",
                              data={"visit": "first", "party_size": 1, "intent": "B"})["id"] for i in range(3)]
    outbox = store.db.conn.execute("select * from outbox order by seq").fetchall()
    own_names = store.db.conn.execute(NAME_INDEX + " where n.ref like 'o:%' order by n.ref, k.key").fetchall()
    before = replica(store)
    store.set_meta(cursor="from-another-database")  # the server cannot serve it: 410 resync
    pulled, resynced = client.pull()
    assert resynced and pulled > 0
    assert store.db.conn.execute("select * from outbox order by seq").fetchall() == outbox
    assert store.db.conn.execute(NAME_INDEX + " where n.ref like 'o:%' order by n.ref, k.key").fetchall() \
        == own_names
    assert replica(store) == before  # the same server data again, by the snapshot
    assert [store.outbox_entry(i).state for i in unsent] == ["pending"] * 3
    report = client.sync()  # and they still go out
    assert report.accepted == 3
    store.close()


def test_a_snapshot_cut_short_keeps_nothing_of_it_and_the_next_sync_loads_it_whole(tmp_path, server, busy_site):
    store, client = fresh(tmp_path, server, "zhao.min", "cut", CutAfter(30))
    with pytest.raises(NetworkError):
        client.sync()
    conn = store.db.conn
    assert [conn.execute(f"select count(*) from {t}").fetchone()[0] for t in REPLICA] == [0] * len(REPLICA)  # noqa: S608
    assert store.get_meta("cursor") is None and len(indexes(store)) == len(indexes(LocalStore()))
    client.transport = RequestsTransport()
    assert client.sync().pulled > 45
    assert conn.execute("select count(*) from customers").fetchone()[0] > 30
    store.close()


def test_an_old_server_without_snapshots_is_pulled_page_by_page(tmp_path, server, busy_site):
    store, client = fresh(tmp_path, server, "wang.li", "old", OldServer())
    report = client.sync()
    assert report.pulled > 45 and store.get_meta("cursor")
    assert client.snapshots is False, "a 404 for the snapshot: the client stops asking this server"
    store.close()


def test_a_snapshot_line_that_is_not_utf8_is_a_damaged_snapshot_and_keeps_nothing(tmp_path):
    from mobile.store.snapshot import SnapshotBroken

    store = LocalStore(tmp_path / "t.db")
    lines = [b'{"kind":"snapshot","cursor":"c","count":1}',
             b'{"change_id":1,"kind":"user","user":{"username":"wang.li","name":"\xe7\x8e\x8b\xff"}}',
             b'{"kind":"end","count":1}']
    with pytest.raises(SnapshotBroken, match="damaged"):
        store.load_snapshot(iter(lines))
    assert store.users(active_only=False) == [] and store.get_meta("cursor") is None
    store.close()


def test_a_snapshot_carrying_a_customer_twice_loads_and_keeps_one_name_of_it(tmp_path):
    """The server sends each customer once; should one come twice (two chunks apart), the load
    must not fail on the unique index of ``names.ref`` rebuilt after it: its last name stays."""
    import json

    from mobile.services import CustomerSearch
    from mobile.store.snapshot import CHUNK
    from tests.mobile.test_store import ownership

    filler = [ownership(100 + i, f"f{i}", None, f"1370000{i:04d}") for i in range(CHUNK)]
    changes = [ownership(10, "c1", "张伟", "13900001000"), *filler, ownership(99999, "c1", "陈强", "13900001000")]
    lines = [json.dumps({"kind": "snapshot", "cursor": "c", "count": len(changes)}).encode(),
             *(json.dumps(c, ensure_ascii=False).encode() for c in changes),
             json.dumps({"kind": "end", "count": len(changes)}).encode()]
    store = LocalStore(tmp_path / "t.db")
    store.set_meta(user={"username": "desk.li", "role": "reception", "site_id": "s1"})
    assert store.load_snapshot(iter(lines)) == len(changes)
    assert store.db.conn.execute("select name from names where ref = 'c:c1'").fetchall() == [("陈强",)]
    assert [f.name for f in CustomerSearch(store).find("cq")] == ["陈强"] and CustomerSearch(store).find("zw") == []
    store.close()
