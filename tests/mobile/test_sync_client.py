"""The sync client and worker against a real fieldsync-server process."""

from __future__ import annotations

import time

import pytest

from mobile.messages import sign_in_failure_text
from mobile.services import CustomerLookup, RecordCapture
from mobile.store import LocalStore
from mobile.sync import AuthRequired, SyncClient, SyncError, SyncWorker, backoff_delay
from tests.console.conftest import csrf_of, requests_session


def wait_for(predicate, timeout=30.0, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def walkin(capture, i=0, rep="wang.li", name="张伟"):
    return capture.capture("walkin", name=name, phone=f"1380013{8000 + i:04d}", rep=rep,
                           data={"visit": "first", "party_size": 1, "intent": "B"})


def test_registration_syncs_and_the_desk_then_sees_a_returning_customer_of_wang_li(tablet):
    store, client, _ = tablet
    walkin(RecordCapture(store))
    report = client.sync()
    assert (report.pushed, report.accepted, report.rejected) == (1, 1, 0)
    answer = CustomerLookup(store).check("+86 138-0013-8000")
    assert (answer.verdict, answer.owner_name, answer.provisional) == ("returning", "王丽", False)
    assert store.anchors(), "each push leaves a clock anchor"


def test_fifty_offline_registrations_sync_exactly_once_when_the_server_comes_back(tablet, server):
    store, client, transport = tablet
    server.terminate()
    capture = RecordCapture(store)
    saved = [walkin(capture, i, rep=("wang.li", "zhang.qiang", "chen.jie")[i % 3], name=f"客户{i}")["id"]
             for i in range(50)]
    worker = SyncWorker(client, store, interval_s=600, backoff_base=0.2, backoff_cap=0.5)
    worker.start()
    try:
        assert wait_for(lambda: worker.status.online is False and worker.status.pending == 50, 20)
        assert "cannot be reached" in worker.status.last_error
        server.start()  # nobody presses anything: the worker's /healthz probe notices
        assert wait_for(lambda: store.counts()["pending"] == 0 and worker.status.online, 30)
    finally:
        worker.stop()
    assert store.counts() == {"pending": 0, "rejected": 0, "total": 50}
    assert sorted(transport.pushed) == sorted(saved) and set(transport.pushed.values()) == {1}
    client.sync()  # pull everything once more: the server holds each registration once
    replica = [r["id"] for r in store.db["records"].rows]
    assert sorted(replica) == sorted(saved)


def test_rejected_record_stays_visible_with_the_servers_reason_until_corrected(tablet, server):
    store, client, _ = tablet
    server.cli("users", "deactivate", "chen.jie")  # the desk's replica still lists chen.jie
    capture = RecordCapture(store)
    wire = walkin(capture, rep="chen.jie")
    client.sync()
    entry = store.outbox_entry(wire["id"])
    # captured after the deactivation (issue 8 item 8: before it would be accepted)
    assert entry.state == "rejected" and entry.error_code == "rep_inactive" and "陈杰" in entry.error_message
    assert "chen.jie" not in entry.error_message  # a person reads it: the display name (issue 14 F7)
    client.sync()  # syncing again neither retries nor hides it
    assert store.outbox_entry(wire["id"]).needs_attention and store.counts()["rejected"] == 1
    fixed = capture.correct(wire["id"], rep="wang.li")
    client.sync()
    assert store.outbox_entry(fixed["id"]).state == "accepted"
    original = store.outbox_entry(wire["id"])
    assert original.state == "rejected" and original.superseded_by == fixed["id"]
    assert store.counts()["rejected"] == 0


def test_qa5_f4_a_walkin_for_a_rep_not_on_duty_yet_is_kept_with_his_name_and_first_day(tablet, server):
    """QA5 F4: an older desk (or one whose list was not refreshed) names 刘新, listed from five
    days ahead; the server refuses that walk-in alone and the tablet keeps it with the reason in
    its user's words: the rep by name and the day he starts."""
    from datetime import date, timedelta

    from mobile.messages import refusal_text

    store, client, _ = tablet
    day = (date.today() + timedelta(days=5)).isoformat()
    server.cli("users", "add", "--site", "s1", "--username", "liu.xin", "--password", "secret-pass-1",
               "--role", "rep", "--name", "刘新", "--listed-from", day)
    client.sync()  # the replica holds 刘新 (the desk's own list leaves him out until that day)
    capture = RecordCapture(store)
    early, fine = walkin(capture, 1, rep="liu.xin"), walkin(capture, 2, rep="chen.jie")
    report = client.sync()
    assert (report.accepted, report.rejected) == (1, 1)
    entry = store.outbox_entry(early["id"])
    assert entry.state == "rejected" and entry.error_code == "rep_not_started" and entry.needs_attention
    assert store.outbox_entry(fine["id"]).state == "accepted"
    error = {"code": entry.error_code, "message": entry.error_message, "field": entry.error_field}
    names = {"liu.xin": "刘新"}
    zh, en = (refusal_text(error, lang, entry.type, names, rep=entry.rep or "") for lang in ("zh", "en"))
    assert "刘新" in zh and day in zh and "尚未到岗" in zh and "liu.xin" not in zh
    assert "刘新" in en and day in en and "not on duty yet" in en


def test_withdrawing_a_rejected_record_keeps_both_on_the_tablet_and_sends_nothing(tablet, server):
    store, client, _ = tablet
    server.cli("users", "deactivate", "chen.jie")
    capture = RecordCapture(store)
    wire = walkin(capture, rep="chen.jie")
    client.sync()
    withdrawal = capture.withdraw(wire["id"], "registered by mistake")
    client.sync()
    assert store.outbox_entry(withdrawal["id"]).state == "local"  # the server never had the original
    original = store.outbox_entry(wire["id"])
    assert original.state == "rejected" and original.superseded_by == withdrawal["id"]
    assert store.counts() == {"pending": 0, "rejected": 0, "total": 2}


def test_a_walkin_the_manager_confirms_in_the_console_shows_as_confirmed_by_zhao_min_after_the_next_sync(
        tablet, server):
    store, client, _ = tablet
    capture = RecordCapture(store)
    confirmed, open_ = walkin(capture)["id"], walkin(capture, 1, name="李娜")["id"]
    client.sync()
    assert not store.outbox_entry(confirmed).confirmed

    session = requests_session(server)  # 赵敏 signs in to the console and confirms one of the two
    csrf = csrf_of(session.get(server.base_url + "/console/confirm", timeout=30).text)
    answer = session.post(server.base_url + "/console/confirm", timeout=30,
                          data={"csrf_token": csrf, "record_id": confirmed})
    assert answer.status_code == 200 and "已确认 1 条" in answer.text

    report = client.sync()
    assert report.pulled >= 1
    listed = {e.id: e for e in store.outbox(("pending", "rejected", "accepted"))}  # the sync screen's listing
    entry = listed[confirmed]
    assert entry.state == "accepted" and entry.confirmed
    assert (entry.confirmed_by, entry.confirmed_by_name) == ("zhao.min", "赵敏")
    assert entry.confirmed_at.endswith("Z") or entry.confirmed_at.endswith("+00:00")
    assert not listed[open_].confirmed

    store.set_meta(cursor="from-another-database")  # 410: the replica is rebuilt, the confirmation comes again
    _, resynced = client.pull()
    assert resynced and store.outbox_entry(confirmed).confirmed_by_name == "赵敏"
    assert not store.outbox_entry(open_).confirmed


def test_a_bad_token_asks_to_sign_in_again_and_is_not_retried(tablet):
    store, client, transport = tablet
    store.set_meta(token="not-a-token")
    walkin(RecordCapture(store))
    with pytest.raises(AuthRequired):
        client.sync()
    worker = SyncWorker(client, store, interval_s=600, backoff_base=0.05)
    before = len(transport.calls)
    worker.start()
    try:
        assert wait_for(lambda: worker.status.needs_sign_in, 10)
        time.sleep(0.5)
    finally:
        worker.stop()
    assert len(transport.calls) - before == 1, "a 401 is not retried blindly"
    assert store.counts()["pending"] == 1


def test_an_unservable_cursor_rebuilds_the_replica_and_keeps_unsent_records(tablet):
    store, client, _ = tablet
    store.set_meta(cursor="from-another-database")
    unsent = walkin(RecordCapture(store), rep="zhang.qiang")
    pulled, resynced = client.pull()
    assert resynced and pulled > 0
    assert store.site()["name"] == "星河湾销售中心" and len(store.users(role="rep")) == 3
    assert store.outbox_entry(unsent["id"]).state == "pending"


def test_enrolling_with_a_wrong_password_says_so_and_remembers_nothing(tmp_path, server):
    store = LocalStore(tmp_path / "x.db")
    with pytest.raises(AuthRequired):
        SyncClient(store).enroll(server.base_url, "desk.li", "wrong", "desk-x")
    assert store.get_meta("token") is None


def test_qa14_signing_in_to_a_wrong_server_path_says_the_address_is_wrong_in_both_languages(tmp_path, server):
    """QA of issue 14: ``http://127.0.0.1:PORT/nothere`` read "登录失败：服务器拒收（not_found），服务器说明：
    There is nothing at …". The tablet says what to type instead, in its own words."""
    store = LocalStore(tmp_path / "x.db")
    with pytest.raises(SyncError) as refused:
        SyncClient(store).enroll(server.base_url + "/nothere", "desk.li", "secret-pass-1", "desk-x")
    zh, en = sign_in_failure_text(refused.value, "zh"), sign_in_failure_text(refused.value, "en")
    assert zh.startswith("服务器地址不对：请只填写主机和端口，例如 http://") and "nothing" not in zh and "not_found" not in zh
    assert en.startswith("Wrong server address: enter only http://host:port")
    assert store.get_meta("token") is None


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    assert backoff_delay(0, rand=lambda: 1.0) == 1.0
    assert backoff_delay(3, rand=lambda: 1.0) == 8.0
    assert backoff_delay(20, cap=60, rand=lambda: 1.0) == 60
    assert backoff_delay(5, rand=lambda: 0.0) == 0.2
