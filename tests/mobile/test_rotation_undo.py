"""Undoing a reception from the 排班 screen (issue 12 leftovers), as the services do it: any of
today's receptions by this desk is withdrawn with a reason, offline, as a record pushed like the
others; a moved reception's withdrawal reason is a code rendered in the reader's language."""

from __future__ import annotations

import json

import pytest

from mobile.messages import withdrawal_reason_text
from mobile.services import RecordCapture, RotationService
from mobile.store import LocalStore
from mobile.store.rotation_queries import reception_of
from mobile.sync import RequestsTransport, SyncClient
from shared.errors import RecordInvalid
from shared.records import validate_record
from tests.mobile.offline_desk import MONDAY_10, NAMES, TUESDAY_10, offline_desk


@pytest.fixture
def desk(tmp_path):
    """A desk tablet that has never reached a server (offline all along)."""
    store, rotation, clock = offline_desk(tmp_path / "desk.db", TUESDAY_10, NAMES)
    yield store, rotation, clock
    store.close()


def receive(rotation: RotationService, n: int) -> dict:
    turn = rotation.plan("new")
    return rotation.capture.save(rotation.reception("new", turn, None)(f"00000000-0000-4000-8000-{n:012d}"))


def receive_walkin(rotation: RotationService) -> dict:
    turn = rotation.plan("new")
    return rotation.capture.capture("walkin", name="张伟", phone="138 0013 8000", rep=turn.rep,
                                    data={"visit": "first", "party_size": 1},
                                    rotation_event=rotation.reception("new", turn, None))


def test_the_desk_lists_todays_receptions_newest_first_and_undoes_the_last_offline(desk):
    store, rotation, _ = desk
    first, second = receive(rotation, 1), receive(rotation, 2)
    listed = rotation.desk_receptions()
    assert [(r.id, r.rep, r.turn, r.withdrawn) for r in listed] == [
        (second["id"], "wang.li", 2, False), (first["id"], "chen.jie", 1, False)]
    board = rotation.withdraw_reception(second["id"], "点错了售楼员")
    assert [r.rep for r in board.receptions] == ["chen.jie"] and board.next_up.rep == "wang.li"
    undone = rotation.desk_receptions()[0]
    assert undone.withdrawn and undone.withdrawal == {"reason": "点错了售楼员"}
    withdrawal = store.pending_batch()[-1]  # waits to be pushed like any other record
    assert withdrawal["type"] == "withdrawal" and withdrawal["supersedes"] == second["id"]
    assert validate_record(withdrawal, "CN", TUESDAY_10) == []


def test_any_of_todays_receptions_can_be_undone_not_twice_nor_one_of_another_day(desk):
    store, rotation, clock = desk
    clock.at = MONDAY_10
    monday = receive(rotation, 3)
    clock.at = TUESDAY_10
    first, second = receive(rotation, 4), receive(rotation, 5)
    assert monday["id"] not in {r.id for r in rotation.desk_receptions()}
    with pytest.raises(ValueError):
        rotation.withdraw_reception(monday["id"], "昨天的")
    with pytest.raises(RecordInvalid):
        rotation.withdraw_reception(first["id"], "   ")  # a reason is required
    board = rotation.withdraw_reception(first["id"], "客户走了")
    assert [r.event_id for r in board.receptions] == [second["id"]]  # the other stands
    with pytest.raises(ValueError):
        rotation.withdraw_reception(first["id"], "再撤一次")


def test_a_moved_receptions_withdrawal_reason_is_a_code_rendered_in_the_readers_language(desk):
    store, rotation, _ = desk
    walkin = receive_walkin(rotation)
    old = reception_of(store, walkin["id"])
    rotation.capture.correct(walkin["id"], rep="wang.li")
    data = store.outbox_entry(store.outbox_entry(old.id).superseded_by).wire["data"]
    assert data["reason_code"] == "reception_moved" and data["reason_params"] == {"rep": "wang.li"}
    assert withdrawal_reason_text(data, "zh", NAMES) == "到访登记已更正为王丽接待"
    assert withdrawal_reason_text(data, "en", NAMES) == "walk-in corrected: received by 王丽"
    listed = {r.id: r for r in rotation.desk_receptions()}
    assert listed[old.id].withdrawal == data


def test_an_old_stored_chinese_reason_and_a_typed_reason_still_show_as_stored():
    old = {"reason": "到访登记已更正为wang.li接待"}  # what tablets stored before the code
    assert withdrawal_reason_text(old, "en", NAMES) == old["reason"]
    assert withdrawal_reason_text({"reason": "点错了", "reason_code": "not_known_yet", "reason_params": {}},
                                  "en") == "点错了"


def test_the_server_accepts_the_coded_withdrawal_and_another_tablet_reads_it_in_english(tmp_path, server):
    tablets = []
    for device, user in (("desk-1", "desk.li"), ("rep-wang", "wang.li")):
        store = LocalStore(tmp_path / device / "fieldsync.db")
        client = SyncClient(store, RequestsTransport(), batch_size=20)
        client.enroll(server.base_url, user, "secret-pass-1", device)
        client.sync()
        tablets.append((store, client, RotationService(store, RecordCapture(store))))
    (desk_store, desk_client, desk), (rep_store, rep_client, rep) = tablets
    walkin = receive_walkin(desk)
    desk_client.sync()
    moved_to = next(u for u in desk.reps() if u["username"] != walkin["rep"])
    desk.capture.correct(walkin["id"], rep=moved_to["username"])
    last = receive(desk, 6)
    desk.withdraw_reception(last["id"], "点错了售楼员")
    desk_client.sync()
    assert desk_store.counts()["rejected"] == 0
    rep_client.sync()
    withdrawals = rep_store._rows("select wire from records where type = 'withdrawal'")  # noqa: SLF001

    datas = [json.loads(w["wire"])["data"] for w in withdrawals]
    coded = next(d for d in datas if d.get("reason_code"))
    names = {u["username"]: u["name"] for u in rep.reps()}
    assert withdrawal_reason_text(coded, "en", names) == f"walk-in corrected: received by {moved_to['name']}"
    assert {d["reason"] for d in datas if not d.get("reason_code")} == {"点错了售楼员"}
    assert rep.board() == desk.board() and [r.rep for r in rep.board().receptions] == [moved_to["username"]]
    for store in (desk_store, rep_store):
        store.close()
