"""A tablet's coded withdrawal reason (``data.reason_code`` + ``data.reason_params``, issue 12
leftovers) on SQLite and PostgreSQL: the record passes the shared validation, is stored and read
back whole, and its rotation record leaves the board like any withdrawn one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.records import validate_record
from sync_server.services.rotation import day_boards
from tests.storage.records import make_record, seed
from tests.storage.test_rotation_boards import rotation

MONDAY = date(2026, 11, 16)
REASON = {"reason": "到访登记已更正为王丽接待", "reason_code": "reception_moved", "reason_params": {"rep": "wang.li"}}


def test_a_coded_withdrawal_is_valid_stored_whole_and_takes_the_reception_off_the_board(store, reporting):
    seed(store)
    moved = rotation(store, 1, "2026-11-16", "2026-11-16T09:00:00.000+08:00", "receive", "chen.jie", visit="new",
                     turn=1, reason="turn")
    rid = "00000000-0000-4000-9000-000000000002"
    wire = {"id": rid, "seq": 2, "type": "withdrawal", "captured_at": "2026-11-16T09:01:00.000+08:00",
            "clock": {"boot_id": "boot-1", "elapsed_ms": 60_000}, "rep": None, "supersedes": moved, "data": REASON}
    assert validate_record(wire, "CN", datetime(2026, 11, 16, 2, 0, tzinfo=UTC)) == []
    with store.write("s1"):
        store.insert_records([make_record(seq=2, id=rid, type="withdrawal", rep=None, phone_key="", name="",
                                          supersedes=moved, estimated_at=wire["captured_at"], wire=wire,
                                          change_id=store.next_change_id())])
    [stored] = store.records_by_ids("s1", [rid])
    assert stored.wire["data"] == REASON
    board = day_boards(reporting, store.get_site("s1"), store.list_users("s1"), MONDAY, MONDAY)[0][0]
    assert board.receptions == () and moved not in board.event_ids


def test_an_unknown_reason_code_or_param_is_refused_by_the_shared_validation():
    base = {"id": "00000000-0000-4000-9000-000000000003", "seq": 3, "type": "withdrawal",
            "captured_at": "2026-11-16T09:01:00.000+08:00", "clock": {"boot_id": "boot-1", "elapsed_ms": 60_000}, "rep": None,
            "supersedes": "00000000-0000-4000-8000-000000000001"}
    now = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
    bad_code = {**base, "data": {**REASON, "reason_code": "because"}}
    bad_param = {**base, "data": {**REASON, "reason_params": {"rep": "wang.li", "note": "x"}}}
    assert [(p.code, p.field) for p in validate_record(bad_code, "CN", now)] == [("invalid_value", "data.reason_code")]
    assert [(p.code, p.field) for p in validate_record(bad_param, "CN", now)] == [
        ("unknown_field", "data.reason_params.note")]
