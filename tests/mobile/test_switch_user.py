"""A shared tablet switched to another user (切换用户) with records still unsent (QA of issue
14, H1/H2/M1), against a real server on both backends, the real ``LocalStore`` and
``SyncClient``: each record goes with its author's credentials, and the new user's replica is
the new user's.

Seen before: a rep's offline follow-up and 小定 refused as "此角色不能提交该类记录" once the desk
signed in (the server never got the deal); the desk's offline walk-in filed as the rep's
("在 王丽借用前台平板 首次登记") and its 排班 turn refused ``rotation_desk_only``; the rep signed in
on the desk's tablet found every customer's phone tag in the file.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from mobile.services import RecordCapture
from mobile.store import LocalStore
from mobile.sync import RequestsTransport, SyncClient
from tests.live_server import PASSWORD, LiveServer
from tests.postgres_server import fresh_database
from tests.server.helpers import Tablet


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request):
    if request.param == "sqlite":
        with LiveServer() as live:
            yield live
        return
    with fresh_database("tab_switch_user") as url, LiveServer(db_url=url) as live:
        yield live


def _records_by_id(server) -> dict[str, dict]:
    manager = Tablet(server, "zhao.min", "switch check")
    changes, _ = manager.pull_all(keys="tag2")
    return {c["record"]["id"]: c["record"] for c in changes if c["kind"] == "record"}


def test_qa14_h1_a_reps_unsent_records_go_as_hers_after_the_desk_signs_in(server, tmp_path):
    store = LocalStore(tmp_path / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, "wang.li", PASSWORD, "王丽借用的平板")
    client.sync()
    wang_device = store.get_meta("device_id")
    capture = RecordCapture(store)  # offline: captured, not sent
    follow = capture.capture("follow_up", name="张伟", phone="138 0013 8101", rep="wang.li",
                             data={"method": "phone", "content": "约看样板间"})
    deal = capture.capture("deal", name="张伟", phone="138 0013 8101", rep="wang.li",
                           data={"stage": "small_deposit", "unit": "3-1201", "amount": 50000})
    client.enroll(server.base_url, "desk.li", PASSWORD, "王丽借用的平板")  # 切换用户
    report = client.sync()
    assert (report.accepted, report.rejected) == (2, 0), report
    assert store.counts()["pending"] == 0 and store.unsent_authors() == {}
    assert store.get_meta("kept_credentials") == {}  # all of hers sent: her token is forgotten
    stored = _records_by_id(server)
    assert {stored[r["id"]]["device_id"] for r in (follow, deal)} == {wang_device}
    assert stored[deal["id"]]["type"] == "deal"
    store.close()


def test_qa14_h2_the_desks_walkin_and_its_turn_go_as_the_desks_after_a_rep_signs_in(server, tmp_path):
    store = LocalStore(tmp_path / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, "desk.li", PASSWORD, "前台五号")
    client.sync()
    desk_device = store.get_meta("device_id")
    walkin = RecordCapture(store).capture("walkin", name="李雷", phone="138 0013 8102", rep="chen.jie",
                                          data={"visit": "first", "party_size": 1},
                                          rotation_event={"visit": "new", "rep": "chen.jie"})
    pending = store.pending_batch(10)
    assert {r["type"] for r in pending} == {"walkin", "rotation"}
    client.enroll(server.base_url, "wang.li", PASSWORD, "前台五号")  # 切换用户 before the sync
    assert store.unsent_authors() == {"desk.li": 2}
    report = client.sync()
    assert (report.accepted, report.rejected) == (2, 0), report
    stored = _records_by_id(server)
    assert {stored[r["id"]]["device_id"] for r in pending} == {desk_device}
    assert stored[walkin["id"]]["rep"] == "chen.jie"
    store.close()


def test_qa14_m1_a_rep_signed_in_on_the_desks_tablet_holds_the_reps_replica_only(server, tmp_path):
    """The desk's replica (every customer's tag, docs/privacy.md) goes when another user signs
    in; the rep's sync loads hers: no tag of another rep's customer in the file."""
    desk = LocalStore(tmp_path / "fieldsync.db")
    client = SyncClient(desk, RequestsTransport())
    client.enroll(server.base_url, "desk.li", PASSWORD, "前台六号")
    capture = RecordCapture(desk)
    capture.capture("walkin", name="韩梅", phone="138 0013 8103", rep="zhang.qiang", data={"visit": "first", "party_size": 1})
    capture.capture("walkin", name="王芳", phone="138 0013 8104", rep="wang.li", data={"visit": "first", "party_size": 1})
    client.sync()
    Tablet(server, "zhao.min", "switch tags").settle_tags()
    client.sync()
    assert len(desk._rows("select phone_hash from customers where phone_hash is not null")) >= 2
    client.enroll(server.base_url, "wang.li", PASSWORD, "前台六号")
    assert desk._rows("select count(*) n from customers")[0]["n"] == 0  # forgotten at once
    client.sync()
    tagged = {r["phone_masked"][-4:] for r in desk._rows("select phone_masked from customers where phone_hash is not null")}
    assert "8104" in tagged and "8103" not in tagged, tagged
    desk.close()


def test_qa14_h1_a_kept_credential_the_server_refuses_leaves_the_records_waiting(server, tmp_path):
    """The manager revoked 王丽's enrolment on a tablet the desk now uses while her record waits
    there: it is not sent as the desk's; it stays, listed under her name, her credentials
    dropped, until she signs in on this tablet again — then it goes as hers."""
    store = LocalStore(tmp_path / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, "wang.li", PASSWORD, "借用平板")
    wang_device = store.get_meta("device_id")
    follow = RecordCapture(store).capture("follow_up", name="张伟", phone="138 0013 8105", rep="wang.li",
                                          data={"method": "phone", "content": "回访"})
    client.enroll(server.base_url, "desk.li", PASSWORD, "借用平板")
    server.cli("devices", "revoke", wang_device)
    report = client.sync()
    assert (report.pushed, report.rejected) == (0, 0), report
    assert store.unsent_authors() == {"wang.li": 1} and store.get_meta("kept_credentials") == {}
    assert sqlite3.connect(tmp_path / "fieldsync.db").execute(
        "select state from outbox where author = 'wang.li'").fetchall() == [("pending",)]
    client.enroll(server.base_url, "wang.li", PASSWORD, "借用平板")  # she signs in here again
    again = store.get_meta("device_id")
    assert client.sync().accepted == 1 and store.unsent_authors() == {}
    assert _records_by_id(server)[follow["id"]]["device_id"] == again
    store.close()


def test_qa14_h1_upgrading_names_the_signed_in_user_the_author_of_every_own_record(tmp_path):
    """``018_outbox_author``: records captured before it are the signed-in user's, as they were
    pushed until now; a tablet with nobody signed in leaves them authorless (sent as whoever
    signs in, as before)."""
    from sqlite_utils import Database

    from mobile.store import MIGRATIONS

    for user, expected in (({"username": "desk.li", "role": "reception", "site_id": "s1"}, "desk.li"), (None, None)):
        path = tmp_path / f"old-{expected}.db"
        db = Database(path)
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
        before = [name for name, _ in MIGRATIONS].index("018_outbox_author")
        for name, step in MIGRATIONS[:before]:
            with db.conn:
                step(db)
                db["_migrations"].insert({"name": name, "applied_at": "2026-12-01"})
        db.conn.close()
        old = sqlite3.connect(path)  # a tablet at 017
        if user:
            old.execute("insert into meta(key, value) values ('user', ?)", (json.dumps(user),))
        old.execute("insert into outbox(id, seq, type, wire, phone_hash, customer_name, rep, captured_at, state,"
                    " created_at) values ('r1', 1, 'walkin', '{}', null, '张伟', 'wang.li', '2026-12-01T10:00:00Z',"
                    " 'pending', datetime('now'))")
        old.commit()
        old.close()
        upgraded = LocalStore(path)
        assert upgraded._rows("select author from outbox") == [{"author": expected}]
        upgraded.close()


class SwitchingTransport(RequestsTransport):
    """The real transport; when the second pull page has come back (the desk's, in flight at
    the switch), another user signs in on the tablet before the page is applied."""

    def __init__(self) -> None:
        super().__init__()
        self.pages, self.switch = 0, None

    def request(self, method, url, **kwargs):
        answer = super().request(method, url, **kwargs)
        if url.endswith("/sync/pull"):
            self.pages += 1
            if self.pages == 2 and self.switch is not None:
                self.switch()
        return answer


def test_qa14_m1_a_switch_while_the_replica_loads_keeps_none_of_the_user_befores(server, tmp_path):
    """切换用户 while a sync pulls the desk's replica page by page: the desk's page in flight at
    the switch is not applied (the token it came for is no longer the tablet's), the replica
    emptied at the switch stays empty, and the next sync loads the rep's — no tag of another
    rep's customer."""
    desk = Tablet(server, "desk.li", "switch seed")
    records = [desk.record(rep=rep, name=f"客户{i}", phone=f"138 0013 83{i:02d}")
               for i, rep in enumerate(["zhang.qiang", "chen.jie", "wang.li"] * 4)]
    assert {r["status"] for r in desk.push(*records)["results"]} == {"accepted"}
    Tablet(server, "zhao.min", "switch seed tags").settle_tags()
    store = LocalStore(tmp_path / "fieldsync.db")
    transport = SwitchingTransport()
    client = SyncClient(store, transport, page_size=3, snapshots=False)
    client.enroll(server.base_url, "desk.li", PASSWORD, "前台七号")
    transport.switch = lambda: SyncClient(store, RequestsTransport()).enroll(server.base_url, "wang.li", PASSWORD, "前台七号")
    client.pull()
    assert transport.pages == 2 and store._rows("select count(*) n from customers")[0]["n"] == 0
    client.sync()
    tagged = {r["phone_masked"][-4:]: r["owner"] for r in
              store._rows("select phone_masked, owner from customers where phone_hash is not null")}
    seeded = {f"83{i:02d}": rep for i, rep in enumerate(["zhang.qiang", "chen.jie", "wang.li"] * 4)}
    assert {k for k in tagged if k in seeded} == {k for k, rep in seeded.items() if rep == "wang.li"}, tagged
    assert set(tagged.values()) <= {"wang.li", None}, tagged  # None: a phone her own records named
    store.close()


def test_qa14_high1_a_correction_by_the_next_user_follows_the_record_it_corrects(server, tmp_path):
    """QA of issue 14, HIGH-1: the desk registered a walk-in offline and handed the tablet to the
    manager, who corrected it (another rep); the tablet pushed her correction first, the server
    refused it ("the record corrected is unknown") and the desk's wrong original stood. Records
    now go in seq order whoever captured them, each with its author's credentials."""
    store = LocalStore(tmp_path / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, "desk.li", PASSWORD, "前台八号")
    walkin = RecordCapture(store).capture("walkin", name="刘洋", phone="138 0013 8401", rep="zhang.qiang",
                                          data={"visit": "first", "party_size": 1})
    client.enroll(server.base_url, "zhao.min", PASSWORD, "前台八号")  # the manager takes the tablet
    corrected = RecordCapture(store).correct(walkin["id"], rep="chen.jie")
    report = client.sync()
    assert report.rejected == 0, store._rows("select id, state, error_code, author from outbox")
    stored = _records_by_id(server)
    assert stored[corrected["id"]]["supersedes"] == walkin["id"] and stored[corrected["id"]]["rep"] == "chen.jie"
    store.close()


class SigningInTransport(RequestsTransport):
    """The real transport; while the first push is on the wire, another user signs in on the
    tablet (切换用户 during a sync, QA of issue 14, HIGH-2)."""

    def __init__(self) -> None:
        super().__init__()
        self.sign_in = None

    def request(self, method, url, **kwargs):
        if url.endswith("/sync/push") and self.sign_in is not None:
            sign_in, self.sign_in = self.sign_in, None
            sign_in()
        return super().request(method, url, **kwargs)


def test_qa14_high2_a_sign_in_during_a_sync_keeps_the_login_it_kept(server, tmp_path):
    """The desk's walk-in waits (her login kept) when 王丽 takes the tablet; while a sync pushes
    the desk's walk-in, 王丽 saves a follow-up and hands the tablet to 陈杰. Her login, kept by
    that sign-in, must survive the sync's end (it wrote back its stale copy of the kept logins
    and dropped hers: her follow-up waited for good); her record goes as hers, the desk's as
    the desk's."""
    store = LocalStore(tmp_path / "fieldsync.db")
    transport = SigningInTransport()
    client = SyncClient(store, transport)
    client.enroll(server.base_url, "desk.li", PASSWORD, "借用平板二")
    desk_device = store.get_meta("device_id")
    walkin = RecordCapture(store).capture("walkin", name="周敏", phone="138 0013 8402", rep="wang.li",
                                          data={"visit": "first", "party_size": 1})
    client.enroll(server.base_url, "wang.li", PASSWORD, "借用平板二")
    wang_device = store.get_meta("device_id")
    saved = []

    def hand_over() -> None:  # on the wire: the desk's walk-in, pushed with the desk's kept login
        saved.append(RecordCapture(store).capture("follow_up", name="周敏", phone="138 0013 8402", rep="wang.li",
                                                  data={"method": "phone", "content": "回访"}))
        SyncClient(store, RequestsTransport()).enroll(server.base_url, "chen.jie", PASSWORD, "借用平板二")

    transport.sign_in = hand_over
    client.sync()
    assert store.get_meta("user")["username"] == "chen.jie" and "wang.li" in store.get_meta("kept_credentials")
    client.sync()
    assert store.unsent_authors() == {} and store.get_meta("kept_credentials") == {}
    stored = _records_by_id(server)
    assert stored[walkin["id"]]["device_id"] == desk_device and stored[saved[0]["id"]]["device_id"] == wang_device
    store.close()


def test_qa14_medium_the_board_keeps_its_people_and_turns_across_a_switch(server, tmp_path):
    """QA of issue 14 (re-check): emptying the replica at 切换用户 emptied the 排班 board until the
    first sync — 无人在岗, login names, a false "未按顺序". The site, its users and the rotation
    records (no customer) stay; customers and their records go."""
    store = LocalStore(tmp_path / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, "desk.li", PASSWORD, "前台九号")
    RecordCapture(store).capture("walkin", name="冯琳", phone="138 0013 8601", rep="chen.jie",
                                 data={"visit": "first", "party_size": 1}, rotation_event={"visit": "new", "rep": "chen.jie"})
    client.sync()
    client.sync()
    kinds = {r["type"] for r in store._rows("select type from records")}
    assert "rotation" in kinds and "walkin" in kinds
    client.enroll(server.base_url, "zhao.min", PASSWORD, "前台九号")  # the manager takes the desk
    assert {r["type"] for r in store._rows("select type from records")} == {"rotation"}
    assert store._rows("select count(*) n from customers")[0]["n"] == 0
    assert {u["username"] for u in store.users(active_only=False)} >= {"chen.jie", "wang.li", "desk.li"}
    assert store.site() is not None
    store.close()


def _desk_walkin_corrected_by_manager(server, tmp_path, device: str, name: str, phone: str):
    """A shared tablet: the desk's offline walk-in, corrected (rep 陈杰) by the manager signed in
    after her (切换用户). Returns ``(store, client, desk device id, walk-in, correction)``."""
    store = LocalStore(tmp_path / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, "desk.li", PASSWORD, device)
    desk_device = store.get_meta("device_id")
    walkin = RecordCapture(store).capture("walkin", name=name, phone=phone, rep="zhang.qiang",
                                          data={"visit": "first", "party_size": 1})
    client.enroll(server.base_url, "zhao.min", PASSWORD, device)
    corrected = RecordCapture(store).correct(walkin["id"], rep="chen.jie")
    return store, client, desk_device, walkin, corrected


def test_qa14_recheck_a_correction_waits_with_the_record_it_corrects(server, tmp_path):
    """QA re-check (HIGH-B): the desk's offline walk-in, corrected by the manager after 切换用户;
    the desk's enrolment then revoked. Her walk-in waits (its login refused) — and the
    manager's correction must wait with it, not go alone and be refused "原记录服务器不认识"
    (the wrong original then stood once the desk signed in again)."""
    store, client, desk_device, walkin, corrected = _desk_walkin_corrected_by_manager(
        server, tmp_path, "前台十号", "孔丽", "138 0013 8701")
    server.cli("devices", "revoke", desk_device)
    report = client.sync()
    assert report.rejected == 0, store._rows("select id, state, error_code, author from outbox")
    states = {r["id"]: r["state"] for r in store._rows("select id, state from outbox")}
    assert states[walkin["id"]] == "pending" and states[corrected["id"]] == "pending"
    client.enroll(server.base_url, "desk.li", PASSWORD, "前台十号")  # the desk back: both go, in order
    assert client.sync().rejected == 0
    stored = _records_by_id(server)
    assert stored[corrected["id"]]["supersedes"] == walkin["id"] and stored[corrected["id"]]["rep"] == "chen.jie"
    store.close()


def test_qa14_fourth_round_the_whole_chain_waits_with_its_first_record(server, tmp_path):
    """QA fourth round: the wait looked one step back only. The desk's walk-in (its login then
    revoked), the manager's correction of it, and her withdrawal of that correction: all three
    wait, then go in order once the desk signs in again."""
    store, client, desk_device, walkin, corrected = _desk_walkin_corrected_by_manager(
        server, tmp_path, "前台十一号", "梁静", "138 0013 8702")
    withdrawn = RecordCapture(store).withdraw(corrected["id"], "登记错了")
    server.cli("devices", "revoke", desk_device)
    assert client.sync().rejected == 0
    states = {r["id"]: r["state"] for r in store._rows("select id, state from outbox")}
    assert [states[r["id"]] for r in (walkin, corrected, withdrawn)] == ["pending"] * 3
    client.enroll(server.base_url, "desk.li", PASSWORD, "前台十一号")
    assert client.sync().rejected == 0
    assert {r["id"] for r in (walkin, corrected, withdrawn)} <= set(_records_by_id(server))
    store.close()


def test_qa14_fourth_round_a_split_batch_keeps_a_correction_with_its_held_record():
    """QA fourth round: a push answered 500 because of a walk-in; split to find it, the walk-in
    was held and its correction (and a 退订 referring to a held deal) pushed alone and refused.
    What depends on a held record — directly or through another left out — stays unsent."""
    from mobile.sync.client import SyncReport, _not_depending

    batch = [{"id": "c1", "supersedes": "w1"}, {"id": "c2", "supersedes": "c1"}, {"id": "x", "data": {}},
             {"id": "d2", "data": {"refers_to": "d1"}}, {"id": "y", "supersedes": "other"}]
    report = SyncReport(held_ids=["w1", "d1"])
    assert [w["id"] for w in _not_depending(batch, report)] == ["x", "y"]
    # QA fifth round: a record depending on one kept back at a deeper level of the split
    assert report.kept_back == ["c1", "c2", "d2"]
    assert _not_depending([{"id": "z", "supersedes": "c2"}, {"id": "q"}], report) == [{"id": "q"}]
