"""A shared tablet after 切换用户 offers 更正 / 撤回 / 撤销 / 退订 / 换房 only of records the
signed-in user may change (``mobile.services.record_rights`` over ``shared.supersede_rights``,
the rule the server refuses ``not_own_record`` by), against a real server on both backends, the
real ``LocalStore`` file and ``SyncClient``.

Seen before: a rep signed in on the desk's tablet was offered 更正 of the desk's walk-in (today's
visitors, the sync screen's refused records); she did the work and the server refused it later.
The shared tablet is set up as in ``test_switch_user`` (its server fixture reused): one store, one
client, ``enroll`` again as another user."""

from __future__ import annotations

import sqlite3

import pytest

from mobile.messages import problem_text
from mobile.services import RecordCapture, RotationService, TodaysVisitors
from mobile.services.deals import change_refusal, current_deal, customer_deals
from mobile.services.record_rights import NotOwnRecord, RecordRights
from mobile.store import LocalStore
from mobile.sync import RequestsTransport, SyncClient
from tests.live_server import PASSWORD
from tests.mobile import test_switch_user as switch_user
from tests.server.helpers import Tablet

server = switch_user.server  # its live server fixture, both backends


def _shared_tablet(server, tmp_path, first: str, device: str) -> tuple[LocalStore, SyncClient]:
    store = LocalStore(tmp_path / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, first, PASSWORD, device)
    client.sync()
    return store, client


def test_a_rep_after_the_desk_is_not_offered_the_desks_walkin_and_the_desk_back_is(server, tmp_path):
    store, client = _shared_tablet(server, tmp_path, "desk.li", "前台共用一号")
    capture = RecordCapture(store)
    walkin = capture.capture("walkin", name="孙悦", phone="138 0013 8201", rep="chen.jie",
                             data={"visit": "first", "party_size": 1})
    assert client.sync().accepted == 1
    client.enroll(server.base_url, "wang.li", PASSWORD, "前台共用一号")  # 切换用户
    entry = store.outbox_entry(walkin["id"])
    assert entry.author == "desk.li"
    refusal = RecordRights.load(store).entry_refusal(entry, "correct")
    assert refusal is not None and refusal.code == "not_own_record" and refusal.params["author"] == "desk.li"
    assert problem_text(refusal, "zh") == "这条记录由李静录入，只有录入人、前台（前台的记录）或经理可以更正。"
    assert problem_text(refusal, "en") == ("李静 entered this record; only its author, the desk (for the desk's "
                                           "records) or a manager can correct it.")
    (visitor,) = TodaysVisitors(store).today().visitors  # 今日来访（本机）says who may, not her
    assert visitor.refusal is not None and visitor.refusal.params["action"] == "correct_or_withdraw"
    before = store._rows("select id, superseded_by from outbox order by seq")
    with pytest.raises(NotOwnRecord) as refused:
        capture.correct(walkin["id"], rep="wang.li")
    assert refused.value.message("zh") == "这条记录由李静录入，只有录入人、前台（前台的记录）或经理可以更正。"
    with pytest.raises(NotOwnRecord):
        capture.withdraw(walkin["id"], "客户走了")
    assert store._rows("select id, superseded_by from outbox order by seq") == before  # nothing saved
    # what the tablet no longer offers, the server refuses: her correction pushed by hand
    wang = Tablet(server, "wang.li", "共用平板对照")
    taken = wang.record(rep="wang.li", name="孙悦", phone="138 0013 8201", supersedes=walkin["id"])
    assert wang.statuses(taken) == ["not_own_record"]

    client.enroll(server.base_url, "desk.li", PASSWORD, "前台共用一号")  # the desk is back
    assert RecordRights.load(store).entry_refusal(store.outbox_entry(walkin["id"]), "correct") is None
    assert TodaysVisitors(store).today().visitors[0].refusal is None
    fixed = capture.correct(walkin["id"], rep="wang.li")
    assert client.sync().accepted == 1
    assert switch_user._records_by_id(server)[fixed["id"]]["supersedes"] == walkin["id"]
    store.close()


def test_an_authorless_record_from_before_018_is_the_signed_in_users(server, tmp_path):
    """``outbox.author`` null (captured before ``018_outbox_author``): the signed-in user's, as
    ``SendQueue.pending_run`` sends it — offered to her."""
    store, client = _shared_tablet(server, tmp_path, "desk.li", "前台共用二号")
    walkin = RecordCapture(store).capture("walkin", name="周全", phone="138 0013 8202", rep="chen.jie",
                                          data={"visit": "first", "party_size": 1})
    client.enroll(server.base_url, "wang.li", PASSWORD, "前台共用二号")
    with sqlite3.connect(tmp_path / "fieldsync.db") as db:
        db.execute("update outbox set author = null")
    assert RecordRights.load(store).entry_refusal(store.outbox_entry(walkin["id"]), "correct") is None
    store.close()


def test_the_desk_undoes_a_managers_reception_on_the_shared_tablet_and_a_rep_cannot(server, tmp_path):
    """QA re-check HIGH-C on the tablet: the manager covered the desk's board on its tablet; the
    desk, signed in again, 撤销 her reception; a rep signed in there is not offered it."""
    store, client = _shared_tablet(server, tmp_path, "zhao.min", "前台共用三号")
    rotation = RotationService(store, RecordCapture(store))
    turn = rotation.plan("designated", "zhang.qiang")
    reception = rotation.capture.save(rotation.reception("designated", turn, None)(
        "00000000-0000-4000-8000-000000008203"))
    assert client.sync().accepted == 1
    client.enroll(server.base_url, "wang.li", PASSWORD, "前台共用三号")
    (listed,) = rotation.desk_receptions()
    assert listed.id == reception["id"] and listed.refusal is not None
    assert problem_text(listed.refusal, "zh") == "这条记录由赵敏录入，只有录入人、前台（前台的记录）或经理可以撤销。"
    with pytest.raises(NotOwnRecord):
        rotation.withdraw_reception(reception["id"], "点错了")
    client.enroll(server.base_url, "desk.li", PASSWORD, "前台共用三号")
    (listed,) = rotation.desk_receptions()
    assert listed.refusal is None
    board = rotation.withdraw_reception(reception["id"], "点错了")
    assert reception["id"] not in {r.event_id for r in board.receptions}
    report = client.sync()
    assert (report.accepted, report.rejected) == (1, 0), report
    store.close()


def test_a_rep_after_another_rep_is_not_offered_her_deals_cancellation(server, tmp_path):
    """R9 on a shared tablet: 王丽's 小定 waits in the outbox; 陈杰 signed in may not 退订 or 换房
    it (the deal form disables both and says why); 王丽 back may."""
    store, client = _shared_tablet(server, tmp_path, "wang.li", "售楼处共用平板")
    capture = RecordCapture(store)
    deal = capture.capture("deal", name="钱多", phone="138 0013 8204", rep="wang.li",
                           data={"stage": "small_deposit", "unit": "3-0801", "amount": 50000})
    assert client.sync().accepted == 1
    client.enroll(server.base_url, "chen.jie", PASSWORD, "售楼处共用平板")
    phone_hash = capture.phone_hash_of("138 0013 8204")
    current = current_deal(customer_deals(store, phone_hash))
    assert current is not None and current.id == deal["id"]
    refusal = change_refusal(store, current)
    assert refusal is not None and refusal.field == "data.refers_to"
    assert problem_text(refusal, "zh") == "这笔成交属于王丽（由王丽录入），只有王丽本人、录入人或经理可以退订或换房。"
    cancel = {"stage": "small_deposit", "unit": "3-0801", "event": "cancellation", "reason": "客户放弃",
              "refers_to": deal["id"]}
    with pytest.raises(NotOwnRecord):
        capture.capture("deal", name="钱多", phone="138 0013 8204", rep="chen.jie", data=cancel)
    assert store.counts()["pending"] == 0
    client.enroll(server.base_url, "wang.li", PASSWORD, "售楼处共用平板")
    client.sync()  # her replica again: the deal pulled back
    assert change_refusal(store, current_deal(customer_deals(store, phone_hash))) is None
    capture.capture("deal", name="钱多", phone="138 0013 8204", rep="wang.li", data=cancel)
    report = client.sync()
    assert (report.accepted, report.rejected) == (1, 0), report
    store.close()


def test_qa_a_reps_own_deal_pulled_on_a_fresh_tablet_may_be_cancelled_there(server, tmp_path):
    """QA of the shared-tablet rights: 陈杰 recorded a 小定 naming 王丽 as its rep; on a fresh
    tablet of his the deal comes back pulled (no author on the wire) and its 退订 was refused
    "…只有王丽本人、录入人或经理可以…" although he is its 录入人 and the server takes it. A pulled
    record is now the server's to judge."""
    first, first_client = _shared_tablet(server, tmp_path / "first", "chen.jie", "陈杰的平板")
    deal = RecordCapture(first).capture("deal", name="钱多多", phone="138 0013 8205", rep="wang.li",
                                        data={"stage": "small_deposit", "unit": "5-0302", "amount": 30000})
    assert first_client.sync().accepted == 1
    first.close()
    store, client = _shared_tablet(server, tmp_path / "fresh", "chen.jie", "陈杰的新平板")
    client.sync()
    capture = RecordCapture(store)
    current = current_deal(customer_deals(store, capture.phone_hash_of("138 0013 8205")))
    assert current is not None and current.id == deal["id"]
    assert change_refusal(store, current) is None
    capture.capture("deal", name="钱多多", phone="138 0013 8205", rep="wang.li",
                    data={"stage": "small_deposit", "unit": "5-0302", "event": "cancellation", "reason": "客户放弃",
                          "refers_to": deal["id"]})
    report = client.sync()
    assert (report.accepted, report.rejected) == (1, 0), report
    store.close()
