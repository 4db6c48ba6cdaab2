"""The tablet's rotation board (排班, issue 12): the old tablet-only log becomes records, the
board folds pulled and own records, and tablets of one site converge after sync."""

from __future__ import annotations

import json

from mobile.services import RecordCapture, RotationService
from mobile.store import MIGRATIONS, LocalStore
from mobile.sync import RequestsTransport, SyncClient
from shared.rotation import Turn, replay


def _old_store(path):
    """A store of the release before issue 12, with a day of tablet-only rotation events."""
    from sqlite_utils import Database

    db = Database(path)
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, step in MIGRATIONS[:8]:
        with db.conn:
            step(db)
            db["_migrations"].insert({"name": name, "applied_at": "2026-11-01"})
    events = [{"kind": "status", "rep": "zhang.qiang", "status": "assigned"},
              {"kind": "receive", "visit": "new", "rep": "wang.li", "owner": None, "reason": "turn"},
              {"kind": "receive", "visit": "returning", "rep": "wang.li", "owner": "wang.li", "reason": "returning"},
              {"kind": "status", "rep": "zhang.qiang", "status": "present"},
              {"kind": "receive", "visit": "new", "rep": "zhang.qiang", "owner": None, "reason": "makeup"}]
    with db.conn:
        db["site"].insert({"id": "s1", "name": "星河湾", "validity_days": 30, "household": "split", "region": "CN",
                           "utc_offset_minutes": 480})
        for rep in ("wang.li", "zhang.qiang"):
            db["users"].insert({"username": rep, "name": rep, "role": "rep", "active": 1})
        for i, event in enumerate(events):
            at = f"2026-11-20T10:0{i}:00.000000+08:00"
            db.execute("insert into rotation_events(day, at, event) values (?,?,?)",
                       ("2026-11-20", at, json.dumps(event)))
    db.conn.close()
    return events


def test_upgrading_turns_the_tablet_only_rotation_log_into_pending_records_with_the_same_board(tmp_path):
    events = _old_store(tmp_path / "old.db")
    store = LocalStore(tmp_path / "old.db")
    pending = [w for w in store.pending_batch() if w["type"] == "rotation"]
    assert [w["data"]["event"] for w in pending] == ["assigned", "receive", "receive", "present", "receive"]
    assert [w["data"].get("turn") for w in pending] == [None, 1, None, None, 2]
    assert all("customer" not in w and w["captured_at"].endswith("+08:00") for w in pending)
    board = RotationService(store, RecordCapture(store)).board("2026-11-20")
    old = replay(["wang.li", "zhang.qiang"], events)
    assert (board.rotation.queue, board.rotation.counted, board.rotation.uncounted) == \
        (old.queue, old.counted, old.uncounted)
    assert board.clashes == ()


def _desk(tmp_path, server, username: str, device: str) -> tuple[LocalStore, SyncClient, RotationService]:
    store = LocalStore(tmp_path / device / "fieldsync.db")
    client = SyncClient(store, RequestsTransport(), batch_size=20)
    client.enroll(server.base_url, username, "secret-pass-1", device)
    client.sync()
    return store, client, RotationService(store, RecordCapture(store))


def test_two_desks_offline_give_the_same_turn_and_after_sync_all_tablets_show_one_board_and_the_clash(
        tmp_path, server):
    tablets = {name: _desk(tmp_path, server, user, name)
               for name, user in (("desk-1", "desk.li"), ("desk-2", "desk.li"), ("rep-wang", "wang.li"))}
    (_, _, desk1), (_, _, desk2), (_, _, rep) = (tablets[n] for n in ("desk-1", "desk-2", "rep-wang"))
    # offline: each desk gives the next turn on the board it has
    first = desk1.plan("new")
    assert desk2.plan("new") == first == Turn("chen.jie", "turn", True)
    for desk in (desk1, desk2):
        desk.capture.capture("walkin", name="张伟", phone="138 0013 8000", rep=first.rep,
                             data={"visit": "first", "party_size": 1}, rotation_event=desk.reception("new", first, None))
    desk1.set_status("zhang.qiang", "assigned")
    assert desk1.board().rotation.counted == {first.rep: 1}  # provisional: its own events only
    for _, client, _ in tablets.values():
        client.sync()
    for _, client, _ in tablets.values():  # a second round brings what others pushed after one's pull
        client.sync()
    boards = [service.board() for _, _, service in tablets.values()]
    assert boards[0] == boards[1] == boards[2]
    assert [(c.kind, c.turn, c.reps) for c in boards[0].clashes] == [("same_turn", 1, (first.rep, first.rep))]
    assert boards[0].rotation.status["zhang.qiang"] == "assigned"
    assert rep.board().plan("new") == Turn("wang.li", "turn", True)  # the rep's tablet shows the same board
    # QA6 H2: but a walk-in the rep registers on her own tablet is hers, whoever is next at the desk
    assert rep.plan("new") == Turn("wang.li", "own", False)
    assert desk1.plan("new") == Turn("wang.li", "turn", True)
    for store, _, _ in tablets.values():
        store.close()


def test_lunch_and_status_changes_are_pending_records_and_fold_into_todays_board(tmp_path):
    store = LocalStore(tmp_path / "desk.db")
    store.apply_changes([
        {"change_id": 1, "kind": "site", "site": {"id": "s1", "name": "星河湾", "utc_offset_minutes": 480}},
        *({"change_id": i + 2, "kind": "user", "user": {"username": rep, "name": rep, "role": "rep", "active": True}}
          for i, rep in enumerate(("chen.jie", "wang.li", "zhang.qiang")))], cursor="4")
    rotation = RotationService(store, RecordCapture(store))
    rotation.set_status("chen.jie", "absent")
    board = rotation.lunch(True)
    assert board.rotation.lunch == ("wang.li", "zhang.qiang") and board.next_up.rep == "wang.li"
    assert [w["data"]["event"] for w in store.pending_batch()] == ["absent", "lunch_start"]
    assert all(w["data"]["day"] == rotation.today() and "customer" not in w for w in store.pending_batch())
    assert rotation.lunch(False).rotation.lunch == ()
    store.close()


def test_a_returning_customer_of_a_rep_who_left_goes_by_the_rotation_not_to_the_departed_owner():
    """QA of issue 14 (N7): the desk gave a returning customer to their owner, deactivated since;
    the server refused the walk-in (rep_inactive) but kept its reception. The owner must be an
    active rep; otherwise the rotation gives the customer (until a manager hands them over)."""
    from mobile.services.rotation_board import visit_of

    active = {"chen.jie", "wang.li"}
    assert visit_of("returning", "wang.li", active, None) == ("returning", "wang.li")
    assert visit_of("returning", "zhang.qiang", active, None) == ("new", None)
    assert visit_of("deal", "zhang.qiang", active, "chen.jie") == ("designated", "chen.jie")
    assert visit_of("returning", "zhang.qiang", set(), None) == ("returning", "zhang.qiang")  # reps not read yet
    assert visit_of("new", None, active, None) == ("new", None)


def test_qa5_f4_a_rep_listed_from_a_later_day_is_not_offered_as_receiver_before_then(tmp_path):
    """QA5 F4: 指定接待 offered 刘新, listed from five days ahead, and the desk registered a walk-in
    for him; the hand-over already refused him. The desk's receivers are the reps on duty now."""
    from datetime import UTC, datetime, timedelta

    store = LocalStore(tmp_path / "desk.db")
    soon = (datetime.now(UTC) + timedelta(days=5)).isoformat(timespec="milliseconds")
    store.apply_changes([
        {"change_id": 1, "kind": "site", "site": {"id": "s1", "name": "星河湾", "utc_offset_minutes": 480}},
        {"change_id": 2, "kind": "user", "user": {"username": "chen.jie", "name": "陈杰", "role": "rep", "active": True}},
        {"change_id": 3, "kind": "user", "user": {"username": "liu.xin", "name": "刘新", "role": "rep", "active": True,
                                                  "duty_periods": [[soon, None]]}}], cursor="3")
    rotation = RotationService(store, RecordCapture(store))
    assert [u["username"] for u in rotation.reps()] == ["chen.jie"]
    later = RotationService(store, RecordCapture(store), now=lambda: datetime.now(UTC) + timedelta(days=6))
    assert [u["username"] for u in later.reps()] == ["chen.jie", "liu.xin"]
    store.close()


def test_yesterdays_receptions_a_desk_pushes_next_morning_do_not_blame_todays_turns(tmp_path, server):
    """QA of issue 12 M1 on the tablet: desk 1 gives today's turns in the order it shows; a desk
    offline overnight pushes yesterday 18:00/18:05 receptions; after sync desk 1's board shows no
    turn out of order, the same queue, and says which late records did not reorder it."""
    from datetime import datetime, time, timedelta

    import pytest

    from tests.server.helpers import CST, Tablet, now_cst

    today = now_cst().date()
    if today.weekday() == 0:
        pytest.skip("a week starts afresh on Monday: nothing of Sunday carries into it")
    store, client, desk1 = _desk(tmp_path, server, "desk.li", "desk-1")
    for n in range(3):
        turn = desk1.plan("new")
        desk1.capture.capture("walkin", name=f"客户{n}", phone=f"138 0013 80{n:02d}", rep=turn.rep,
                              data={"visit": "first", "party_size": 1}, rotation_event=desk1.reception("new", turn, None))
    client.sync()
    before = desk1.board()
    assert before.clashes == () and before.late == ()

    offline = Tablet(server, "desk.li", "前台离线过夜")
    offline.boot_started = now_cst() - timedelta(days=3)
    yesterday = today - timedelta(days=1)
    first_two = list(desk1.board(yesterday.isoformat()).rotation.queue)[:2]
    late = []
    for i, rep in enumerate(first_two):
        record = offline.record("rotation", rep=rep, ago=now_cst() - datetime.combine(yesterday, time(18, 5 * i), tzinfo=CST))
        record["data"] = {"day": yesterday.isoformat(), "event": "receive", "visit": "new", "turn": i + 1,
                          "reason": "turn"}
        late.append(record)
    assert offline.statuses(*late) == ["accepted", "accepted"]
    client.sync()
    after = desk1.board()
    assert after.clashes == () and after.rotation == before.rotation
    assert sorted(e.id for e in after.late) == sorted(r["id"].lower() for r in late)
    assert [r.rep for r in desk1.board(yesterday.isoformat()).receptions] == first_two
    store.close()
