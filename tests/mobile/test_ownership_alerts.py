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


def test_a_customer_the_desk_registered_twice_is_one_alert_naming_the_latest_registration(tmp_path):
    """Noticed in QA7: 张伟 registered in the morning and again in the afternoon (a return visit,
    both for 张强) and now 王丽's: the sync screen listed him twice. One line per customer, the
    latest registration's rep and time; another customer's alert stays beside it."""
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    morning = walkin(capture, rep="zhang.qiang")
    afternoon = walkin(capture, rep="chen.jie")
    other = walkin(capture, phone="139 0000 1111", name="李娜", rep="zhang.qiang")
    wires = [morning, afternoon, other]
    store.record_results([{"id": w["id"], "status": "accepted"} for w in wires], "now")
    hashes = {w["id"]: store.outbox_entry(w["id"]).phone_hash for w in wires}
    assert hashes[morning["id"]] == hashes[afternoon["id"]]
    store.apply_changes([_ownership(10, hashes[morning["id"]], "wang.li", "王丽", "protected"),
                         _ownership(11, hashes[other["id"]], "wang.li", "王丽", "disputed")], cursor="11")
    alerts = ownership_alerts(store)
    assert [(a.record_id, a.customer_name, a.rep_name, a.disputed) for a in alerts] == [
        (other["id"], "李娜", "张强", True), (afternoon["id"], "张伟", "chen.jie", False)]  # no name in this replica: the username
