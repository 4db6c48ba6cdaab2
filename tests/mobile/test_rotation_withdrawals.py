"""Undoing on the rotation board (排班, issue 12 follow-ups): a reception tapped by mistake is
withdrawn and leaves the board; a walk-in corrected to another rep or withdrawn takes its
reception along in the same transaction; a rotation record the server refused is voided (作废)
and kept on the tablet; a turn owed for the manager's errand carries over to the next day."""

from __future__ import annotations

import pytest

from mobile.screens.sync import SyncScreen
from mobile.services import RecordCapture, RotationService
from mobile.store import LocalStore
from mobile.store.refusals import RecordRefused
from mobile.store.rotation_queries import reception_of
from mobile.sync import RequestsTransport, SyncClient
from shared.errors import RecordInvalid
from tests.mobile.offline_desk import MONDAY_10, TUESDAY_10, offline_desk


@pytest.fixture
def desk(tmp_path):
    store, rotation, clock = offline_desk(tmp_path / "desk.db", TUESDAY_10)
    yield store, rotation, clock
    store.close()


def receive_walkin(rotation: RotationService, name: str = "张伟", phone: str = "138 0013 8000") -> dict:
    turn = rotation.plan("new")
    return rotation.capture.capture("walkin", name=name, phone=phone, rep=turn.rep,
                                    data={"visit": "first", "party_size": 1},
                                    rotation_event=rotation.reception("new", turn, None))


def test_a_walkin_corrected_to_another_rep_moves_its_reception_in_the_same_transaction(desk):
    store, rotation, _ = desk
    walkin = receive_walkin(rotation)
    assert walkin["rep"] == "chen.jie"
    old_reception = reception_of(store, walkin["id"])
    corrected = rotation.capture.correct(walkin["id"], rep="wang.li")
    moved = reception_of(store, corrected["id"])
    assert moved is not None and moved.rep == "wang.li"
    assert moved.wire["data"]["turn"] == old_reception.wire["data"]["turn"] == 1
    withdrawal = store.outbox_entry(store.outbox_entry(old_reception.id).superseded_by)
    assert withdrawal.type == "withdrawal" and "customer" not in withdrawal.wire
    assert withdrawal.wire["supersedes"] == old_reception.id and "wang.li" in withdrawal.wire["data"]["reason"]
    board = rotation.board()
    assert [(r.rep, r.reason) for r in board.receptions] == [("wang.li", "turn")]
    assert board.clashes != ()  # 陈杰 was next: taking it from him is out of order, the manager sees it
    assert [w["type"] for w in store.pending_batch()] == ["walkin", "rotation", "walkin", "withdrawal", "rotation"]


def test_a_correction_that_is_refused_saves_no_reception_either(desk):
    store, rotation, _ = desk
    walkin = receive_walkin(rotation)
    before = store.pending_batch()
    with pytest.raises(RecordInvalid):
        rotation.capture.correct(walkin["id"], rep="wang.li", phone="12")
    assert store.pending_batch() == before and reception_of(store, walkin["id"]) is not None


def test_a_withdrawn_walkin_takes_its_reception_off_the_board(desk):
    store, rotation, _ = desk
    walkin = receive_walkin(rotation)
    rotation.capture.withdraw(walkin["id"], "客户登记重复")
    assert reception_of(store, walkin["id"]) is None
    board = rotation.board()
    assert board.receptions == () and board.next_up.rep == "chen.jie"


def test_a_reception_tapped_by_mistake_is_withdrawn_and_cannot_be_corrected(desk):
    store, rotation, _ = desk
    turn = rotation.plan("new")
    reception = rotation.capture.save(rotation.reception("new", turn, None)("00000000-0000-4000-8000-000000000001"))
    assert rotation.board().next_up.rep == "wang.li"
    with pytest.raises(ValueError):
        rotation.capture.correct(reception["id"], rep="wang.li")
    with pytest.raises(RecordInvalid):
        rotation.capture.withdraw(reception["id"], "  ")
    withdrawal = rotation.capture.withdraw(reception["id"], "点错了售楼员")
    assert "customer" not in withdrawal and store.outbox_entry(withdrawal["id"]).state == "pending"
    assert rotation.board().receptions == () and rotation.board().next_up.rep == "chen.jie"


def test_a_refused_rotation_record_is_voided_kept_on_the_tablet_and_offered_no_correction(desk):
    store, rotation, _ = desk
    board = rotation.set_status("zhang.qiang", "absent")
    record = store.pending_batch()[-1]
    store.record_results([{"id": record["id"], "status": "rejected",
                           "error": {"code": "unknown_rep", "message": "'zhang.qiang' is not a rep", "field": "rep"}}],
                         "2026-12-01T02:01:00.000Z")
    entry = store.outbox_entry(record["id"])
    assert entry.needs_attention and [mode for _, mode in SyncScreen.actions(entry)] == ["void"]
    assert rotation.board().out() == {} != board.out()  # the server will never fold it
    voided = rotation.capture.withdraw(record["id"], "人员名单不对，重新登记")
    assert store.outbox_entry(voided["id"]).state == "local" and "customer" not in voided
    entry = store.outbox_entry(record["id"])
    assert entry.superseded_by == voided["id"] and not entry.needs_attention
    assert voided["id"] not in {w["id"] for w in store.pending_batch()}  # never pushed


def test_a_second_withdraw_of_the_same_record_is_refused_and_saves_nothing(desk):
    """CI of 2026-12-01: a second tap on 撤回 arrived after the first withdrawal was saved and
    the popup had closed; it withdrew the refused record again (two withdrawals of one record).
    The store refuses to replace a record twice, whatever the screen lets through."""
    store, rotation, _ = desk
    walkin = receive_walkin(rotation)
    first = rotation.capture.withdraw(walkin["id"], "客户登记重复")
    before = len(store.own_records_of_types(("withdrawal",)))
    for again in (lambda: rotation.capture.withdraw(walkin["id"], "客户登记重复"),
                  lambda: rotation.capture.correct(walkin["id"], name="张伟伟")):
        with pytest.raises(RecordRefused) as refused:
            again()
        assert [p.code for p in refused.value.problems] == ["already_superseded"]
        assert "已被更正或撤回" in refused.value.message("zh") and "（" not in refused.value.message("zh")
        assert "already corrected or withdrawn" in refused.value.message("en")
    assert len(store.own_records_of_types(("withdrawal",))) == before
    assert len(store.own_records_of_types(("walkin",))) == 1
    assert store.outbox_entry(walkin["id"]).superseded_by == first["id"]


def test_a_turn_owed_for_the_managers_errand_is_still_owed_the_next_morning(desk):
    store, rotation, clock = desk
    clock.at = MONDAY_10
    rotation.set_status("chen.jie", "assigned")
    receive_walkin(rotation)  # 王丽 takes 陈杰's turn: one owed to him
    assert rotation.board().rotation.owed == {"chen.jie": 1}
    clock.at = TUESDAY_10
    tuesday = rotation.board()
    assert tuesday.day == "2026-12-01" and tuesday.rotation.status["chen.jie"] == "present"
    assert tuesday.next_up.rep == "chen.jie" and tuesday.next_up.reason == "makeup"


def test_a_withdrawal_made_on_one_desk_takes_the_reception_off_every_tablets_board(tmp_path, server):
    tablets = []
    for device, user in (("desk-1", "desk.li"), ("rep-wang", "wang.li")):
        store = LocalStore(tmp_path / device / "fieldsync.db")
        client = SyncClient(store, RequestsTransport(), batch_size=20)
        client.enroll(server.base_url, user, "secret-pass-1", device)
        client.sync()
        tablets.append((store, client, RotationService(store, RecordCapture(store))))
    (desk_store, desk_client, desk), (rep_store, rep_client, rep) = tablets
    turn = desk.plan("new")
    reception = desk.capture.save(desk.reception("new", turn, None)("00000000-0000-4000-8000-000000000002"))
    desk_client.sync()
    rep_client.sync()
    assert [r.rep for r in rep.board().receptions] == [turn.rep]
    desk.capture.withdraw(reception["id"], "点错了售楼员")
    desk_client.sync()
    rep_client.sync()
    assert rep.board().receptions == () and rep.board() == desk.board()
    for store in (desk_store, rep_store):
        store.close()


def test_a_designated_reception_of_a_rep_marked_absent_is_allowed_and_the_desk_is_told(desk):
    """QA of issue 12 L4: 指定接待 to a rep marked 缺席 was accepted without a word. It stays
    allowed (a customer may insist); the walk-in screen's receiver line says the rep is marked
    out and to make sure they are here (``RotationService.marked_out``, ``turn.designated_out.*``)."""
    from mobile.i18n import tr

    store, rotation, _ = desk
    rotation.set_status("wang.li", "absent")
    turn = rotation.plan("designated", "wang.li")
    assert turn.rep == "wang.li" and turn.reason == "designated"
    assert rotation.marked_out("wang.li") == "absent"
    assert "王丽 今天在排班中标为缺席" in tr("turn.designated_out.absent", "zh", rep="王丽")
    rotation.set_status("zhang.qiang", "assigned")
    assert rotation.marked_out("zhang.qiang") == "assigned" and "经理派出" in tr("turn.designated_out.assigned", "zh",
                                                                                rep="张强")
    saved = rotation.capture.capture("walkin", name="周杰", phone="138 0013 8111", rep=turn.rep,
                                     data={"visit": "first", "party_size": 1, "designated": True},
                                     rotation_event=rotation.reception("designated", turn, None))
    assert saved["rep"] == "wang.li"  # allowed
    rotation.set_status("wang.li", "present")
    assert rotation.marked_out("wang.li") is None and rotation.marked_out("chen.jie") is None
