"""Issue 14 N3 on the tablet: a record held by the record budget (归属待经理确认) that the
manager then refuses (不予确认) comes back in the next pull with the manager's reason; the
tablet keeps the record, accepted, and its sync screen's note says 经理不予确认 with the reason
instead of "waiting for the manager". The real LocalStore and SyncClient against a real
server; the manager refuses through the console."""

from __future__ import annotations

from mobile.i18n import tr
from mobile.services import RecordCapture
from sync_server.services.record_budget import RECORD_BUDGET
from tests.console.conftest import csrf_of, requests_session
from tests.server.helpers import Tablet

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
