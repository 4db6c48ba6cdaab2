"""Issue 14 N3 on the tablet: a record held by the record budget (归属待经理确认) that the
manager then refuses (不予确认) comes back in the next pull with the manager's reason; the
tablet keeps the record, accepted, and its sync screen's note says 经理不予确认 with the reason
instead of "waiting for the manager". The real LocalStore and SyncClient against a real
server; the manager refuses through the console."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mobile.i18n import tr
from mobile.services import RecordCapture
from mobile.store import LocalStore
from mobile.sync import SyncClient
from shared.timeutil import parse_time, utc_now
from sync_server.services.record_budget import RECORD_BUDGET
from tests.console.conftest import csrf_of, requests_session
from tests.server.helpers import Tablet

from .conftest import CountingTransport
from .test_sync_client import walkin

REASON = "疑似逐个试号码"


def test_a_refused_held_record_is_kept_with_the_managers_reason(tablet, server):
    store, client, _ = tablet
    other = Tablet(server, "desk.li", "desk-2")  # the budget is the user's, whichever tablet
    for start in range(0, RECORD_BUDGET, 100):
        other.push(*[other.record("call", rep=None, name="某", phone=f"1390000{start + i:04d}") for i in range(100)])
    record_id = walkin(RecordCapture(store), 7, name="周敏")["id"]
    client.sync()
    entry = store.outbox_entry(record_id)
    assert entry.owner_withheld and not entry.owner_dismissed
    session = requests_session(server)
    ask = session.get(server.base_url + "/console/held/dismiss", params={"record_id": record_id}, timeout=30)
    assert "将不予确认 1 条记录：来访登记，周敏" in ask.text
    done = session.post(server.base_url + "/console/held/dismiss", timeout=30, data={
        "csrf_token": csrf_of(ask.text), "record_id": record_id, "reason": REASON, "back": "/console/held"})
    assert "已不予确认 1 条" in done.text
    client.sync()
    entry = store.outbox_entry(record_id)
    assert entry.state == "accepted" and entry.owner_dismissed and not entry.owner_withheld
    assert entry.error_message == REASON and not entry.needs_attention
    assert entry.customer_name == "周敏"  # nothing the desk entered is lost
    note = tr("sync.owner_dismissed", "zh", reason=entry.error_message)
    assert note == "经理不予确认（原因：疑似逐个试号码）：记录已保存，但不计入归属，以后也不会计入。"
    assert tr("sync.owner_dismissed", "en", reason="x").startswith("Not accepted by the manager (reason: x)")
    # who refused and when, as the pulled record carries them (QA5: the tablet said the reason only)
    assert entry.dismissed_by_name == "赵敏" and abs(parse_time(entry.dismissed_at) - utc_now()) < timedelta(hours=1)
    told = tr("sync.owner_dismissed_by", "zh", by=entry.dismissed_by_name, time="12-01 18:05", reason=REASON)
    assert told.startswith("赵敏 于 12-01 18:05 不予确认（原因：疑似逐个试号码）")


class _LosesPushAnswers(CountingTransport):
    """The real transport; while ``lose`` is set, a push reaches the server and is stored, but
    its answer never comes back (the fault matrix's lost response)."""

    lose = False

    def request(self, method, url, **kwargs):
        answer = super().request(method, url, **kwargs)
        if self.lose and url.endswith("/sync/push"):
            raise ConnectionError("the answer was lost")
        return answer


def test_a_retry_after_a_lost_answer_keeps_the_managers_refusal(tmp_path, server):
    """QA of the held3 merge: the refusal was pulled while the record still waited for its
    push answer (nothing to mark: not yet accepted), then the retry's ``duplicate`` said only
    "accepted" and the tablet showed a normal record. The duplicate now says what the first
    answer would have: held, and refused with the manager's reason."""
    store = LocalStore(tmp_path / "desk" / "fieldsync.db")
    transport = _LosesPushAnswers()
    client = SyncClient(store, transport, batch_size=20)
    client.enroll(server.base_url, "desk.li", "secret-pass-1", "desk-lost")
    client.sync()
    other = Tablet(server, "desk.li", "desk-3")
    for start in range(0, RECORD_BUDGET, 100):
        other.push(*[other.record("call", rep=None, name="某", phone=f"1391000{start + i:04d}") for i in range(100)])
    record_id = walkin(RecordCapture(store), 8, name="吴敏")["id"]
    transport.lose = True
    with pytest.raises(ConnectionError):
        client.push()
    assert store.outbox_entry(record_id).state == "pending"  # stored on the server, unanswered here
    session = requests_session(server)
    ask = session.get(server.base_url + "/console/held/dismiss", params={"record_id": record_id}, timeout=30)
    done = session.post(server.base_url + "/console/held/dismiss", timeout=30, data={
        "csrf_token": csrf_of(ask.text), "record_id": record_id, "reason": REASON, "back": "/console/held"})
    assert "已不予确认 1 条" in done.text, done.text[-2000:]
    client.pull()  # the refusal arrives while the record waits for its answer
    transport.lose = False
    client.sync()  # the retry: duplicate
    entry = store.outbox_entry(record_id)
    assert entry.state == "accepted" and entry.owner_dismissed and entry.error_message == REASON, (
        entry.error_code, entry.error_message, transport.calls[-4:])
    store.close()


def test_qa5_f3_find_never_names_an_owner_for_a_held_or_refused_own_record(tablet, server):
    """QA5 F3: 查找客户 showed a refused walk-in as "归属：王丽（本机登记）" while the sync screen said
    the manager had not accepted it. Held: 待经理确认; refused: 经理不予确认; never the rep."""
    from mobile.services import CustomerSearch

    store, client, _ = tablet
    other = Tablet(server, "desk.li", "desk-4")
    for start in range(0, RECORD_BUDGET, 100):
        other.push(*[other.record("call", rep=None, name="某", phone=f"1392000{start + i:04d}") for i in range(100)])
    record_id = walkin(RecordCapture(store), 9, name="郑敏")["id"]
    client.sync()
    [found] = CustomerSearch(store).find("郑敏")
    assert (found.owner_name, found.ownership_note) == ("", "withheld")
    session = requests_session(server)
    ask = session.get(server.base_url + "/console/held/dismiss", params={"record_id": record_id}, timeout=30)
    session.post(server.base_url + "/console/held/dismiss", timeout=30, data={
        "csrf_token": csrf_of(ask.text), "record_id": record_id, "reason": REASON, "back": "/console/held"})
    client.sync()
    [found] = CustomerSearch(store).find("郑敏")
    assert (found.owner_name, found.ownership_note) == ("", "dismissed")
    assert tr("find.dismissed", "zh") == "经理不予确认" and tr("find.withheld", "en") == "awaiting the manager"


def test_qa5_f6a_find_shows_a_known_customer_once_with_this_tablets_held_record_on_it(tablet, server):
    """QA5 F6a: 查找客户 listed one customer twice, the replica's row (陈杰's customer) and this
    tablet's own walk-in of the same phone that the server holds for the manager. One row, by
    name and by last four alike: the server's owner, and the own record's held state on it."""
    from mobile.i18n import tr
    from mobile.services import CustomerSearch

    store, client, _ = tablet
    other = Tablet(server, "desk.li", "desk-5")
    for start in range(0, RECORD_BUDGET, 100):
        other.push(*[other.record("call", rep=None, name="某", phone=f"1393000{start + i:04d}") for i in range(100)])
    rep = Tablet(server, "chen.jie", "rep-f6a")
    assert rep.statuses(rep.record("walkin", rep="chen.jie", name="郑敏", phone="138 0013 8019")) == ["accepted"]
    rep.settle_tags()  # the customer's tag is computed (the tagger runs after the push)
    record_id = RecordCapture(store).capture("walkin", name="郑敏", phone="13800138019", rep="wang.li",
                                             data={"visit": "first", "party_size": 1, "intent": "B"})["id"]
    client.sync()
    assert store.outbox_entry(record_id).owner_withheld
    search = CustomerSearch(store)
    for query in ("郑敏", "zm", "8019", "13800138019"):
        [found] = [f for f in search.find(query) if f.phone_masked.endswith("8019")]
        assert (found.owner_name, found.ownership_note, found.own) == ("陈杰", "withheld", True), (query, found)
    assert tr("find.own_withheld", "zh") == "　（本机登记：归属待经理确认）"
