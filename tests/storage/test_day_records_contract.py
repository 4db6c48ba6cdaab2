"""Issue 9 items 4 and 5 on every backend: a correction keeps its registration on the
original's capture day (numbers, exports, confirm page), knows what it corrected and whether
that was confirmed; a withdrawal stays visible with who, when and why (R4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from sync_server.storage.base import ConfirmationRow
from tests.storage.records import make_record, seed

CST = timezone(timedelta(hours=8))
NOV30 = (datetime(2026, 11, 30, tzinfo=CST), datetime(2026, 12, 1, tzinfo=CST))
DEC01 = (datetime(2026, 12, 1, tzinfo=CST), datetime(2026, 12, 2, tzinfo=CST))


@pytest.fixture
def week(store):
    """黄丽's walk-in of 11-30 15:00, confirmed, corrected (rep) on 12-01 02:45; 李娜's call of
    11-30, confirmed, withdrawn on 12-01; another walk-in on 12-01."""
    seed(store)
    r = {"huang": make_record(seq=1, name="黄丽", phone_key="+8613900001111",
                              estimated_at="2026-11-30T15:00:00.000+08:00"),
         "call": make_record(seq=2, type="call", rep=None, name="李娜", phone_key="+8613912345678",
                             estimated_at="2026-11-30T16:00:00.000+08:00", data={"source": "online"}),
         "other": make_record(seq=3, name="刘洋", phone_key="+8613622223333",
                              estimated_at="2026-12-01T09:00:00.000+08:00")}
    r["fix"] = make_record(seq=4, rep="chen.jie", name="黄丽", phone_key="+8613900001111", supersedes=r["huang"].id,
                           estimated_at="2026-12-01T02:45:00.000+08:00")
    r["gone"] = make_record(seq=5, type="withdrawal", rep=None, name="李娜", phone_key="+8613912345678",
                            supersedes=r["call"].id, estimated_at="2026-12-01T08:00:00.000+08:00",
                            data={"reason": "客户要求删除"})
    with store.write("s1"):
        store.insert_records([replace(rec, change_id=store.next_change_id()) for rec in r.values()])
        store.add_confirmations([ConfirmationRow(f"conf-{key}", "s1", r[key].id, "zhao.min",
                                                 "2026-11-30T12:00:00.000Z") for key in ("huang", "call")])
    return r


def test_a_correction_stays_on_its_originals_day_and_asks_to_be_confirmed_again(reporting, week):
    views = reporting.day_records("s1", ["walkin", "call"], *NOV30)
    assert [v.record.id for v in views] == [week["huang"].id, week["fix"].id, week["call"].id]
    fixed = views[1]
    assert fixed.day_at == week["huang"].estimated_at and fixed.previous.record.id == week["huang"].id
    assert fixed.confirmation is None and fixed.previous.confirmation is not None  # the first confirmation stays
    assert fixed.corrected_after_confirmation and fixed.rep_name == "陈杰" and fixed.previous.rep_name == "王丽"
    assert [v.record.id for v in reporting.day_records("s1", ["walkin", "call"], *DEC01)] == [week["other"].id]


def test_a_withdrawal_stays_visible_with_who_when_why_and_asks_for_acknowledgement(reporting, week, store):
    call = next(v for v in reporting.day_records("s1", ["walkin", "call"], *NOV30) if v.record.id == week["call"].id)
    assert call.withdrawn and call.withdrawal.record.id == week["gone"].id
    assert call.withdrawal.data["reason"] == "客户要求删除" and call.withdrawal.author_name == "李静"
    assert call.needs_acknowledgement
    with store.write("s1"):
        store.add_confirmations([ConfirmationRow("ack", "s1", week["gone"].id, "zhao.min", "2026-12-01T01:00:00.000Z")])
    call = next(v for v in reporting.day_records("s1", ["call"], *NOV30) if v.record.id == week["call"].id)
    assert not call.needs_acknowledgement and call.withdrawal.confirmation.author == "zhao.min"


def test_counts_keep_a_corrected_visit_on_its_capture_day(reporting, week):
    counts = reporting.counts("s1", NOV30[0], DEC01[1], 480)
    assert [(c.day, c.type, c.rep, c.count) for c in counts] == [
        ("2026-11-30", "walkin", "chen.jie", 1), ("2026-12-01", "walkin", "wang.li", 1)]


def test_a_withdrawal_of_a_corrected_original_takes_the_whole_chain_out(reporting, week, store):
    late = make_record(seq=6, type="withdrawal", rep=None, name="黄丽", phone_key="+8613900001111",
                       supersedes=week["huang"].id, estimated_at="2026-12-01T10:00:00.000+08:00",
                       data={"reason": "登记错误"})
    with store.write("s1"):
        store.insert_records([replace(late, change_id=store.next_change_id())])
    views = {v.record.id: v for v in reporting.day_records("s1", ["walkin"], *NOV30)}
    assert views[week["huang"].id].corrected and views[week["fix"].id].withdrawn
    assert views[week["fix"].id].withdrawal.data["reason"] == "登记错误"
    assert [c for c in reporting.counts("s1", *NOV30, 480) if c.type == "walkin"] == []
