"""Ownership alerts on the tablet (issue 9, item 13), on a real SQLite store: after a pull, a
walk-in this tablet registered whose customer is now another rep's or disputed is an alert;
the tablet's own rep still owning it, a corrected or duty walk-in, or a lapsed customer is not."""

from __future__ import annotations

from mobile.services import RecordCapture
from mobile.services.ownership_alerts import ownership_alerts
from tests.mobile.test_store import make_store, walkin


def _ownership(change_id: int, phone_hash: str, owner: str, owner_name: str, status: str) -> dict:
    return {"change_id": change_id, "kind": "ownership", "customer": {
        "customer_id": f"c-{phone_hash[:8]}", "phone_tag": phone_hash, "phone_masked": "+86 *******8000",
        "phone": None, "name": None, "owner": owner, "owner_name": owner_name, "status": status,
        "protected_until": None, "first_registered_at": "2026-11-20T01:00:00.000Z", "split": None,
        "explanation": []}}


def test_a_registration_now_disputed_or_another_reps_is_an_alert(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    disputed = walkin(capture, rep="zhang.qiang")
    moved = walkin(capture, phone="139 0000 1111", name="李娜", rep="zhang.qiang")
    mine = walkin(capture, phone="137 0000 2222", name="王芳", rep="wang.li")
    duty = capture.capture("walkin", name="刘洋", phone="136 2222 3333", rep="zhang.qiang",
                           data={"visit": "return", "party_size": 1, "duty": True})
    lapsed = walkin(capture, phone="135 1111 2222", name="赵六", rep="zhang.qiang")
    wires = [disputed, moved, mine, duty, lapsed]
    store.record_results([{"id": w["id"], "status": "accepted"} for w in wires], "now")
    hashes = {w["id"]: store.outbox_entry(w["id"]).phone_hash for w in wires}
    assert ownership_alerts(store) == []  # nothing pulled yet: nothing contradicts the desk
    store.apply_changes([
        _ownership(10, hashes[disputed["id"]], "wang.li", "王丽", "disputed"),
        _ownership(11, hashes[moved["id"]], "wang.li", "王丽", "protected"),
        _ownership(12, hashes[mine["id"]], "wang.li", "王丽", "protected"),
        _ownership(13, hashes[duty["id"]], "wang.li", "王丽", "protected"),
        _ownership(14, hashes[lapsed["id"]], "wang.li", "王丽", "lapsed"),
    ], cursor="14")
    alerts = ownership_alerts(store)
    assert [(a.customer_name, a.rep_name, a.owner_name, a.disputed) for a in alerts] == [
        ("李娜", "张强", "王丽", False), ("张伟", "张强", "王丽", True)]  # newest first

    capture.correct(moved["id"], name="李娜", phone="139 0000 1111", rep="wang.li")  # the desk fixes it
    assert [a.customer_name for a in ownership_alerts(store)] == ["张伟"]
