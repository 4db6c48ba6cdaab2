"""The funnel 来访 → 小定 → 大定 → 签约 as SQL on every backend (issue 11): distinct visitors
beside registrations, party sizes summed once per customer and day, deal stages with their
amounts, 退订 and 换房, corrections and withdrawals as the numbers have always treated them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sync_server.storage.base import Device
from tests.storage.records import make_record, seed

ZHANG, LI, WANG = "+8613800138000", "+8613912345678", "+8613700001111"


def _walkin(seq, phone, at, *, rep="wang.li", visit="first", party=2, device="d1", **kw):
    return make_record(seq=seq, phone_key=phone, rep=rep, device_id=device, estimated_at=at,
                       data={"party_size": party, "source": "walk_in", "visit": visit}, **kw)


def _deal(seq, phone, at, stage, amount, *, rep="wang.li", event=None, **kw):
    data = {"stage": stage, "unit": "3-1201", "amount": amount, **({"event": event} if event else {})}
    return make_record(seq=seq, type="deal", phone_key=phone, rep=rep, estimated_at=at, data=data, **kw)


def _agrees_with_the_oracle_and_stays_marked(reporting, store) -> None:
    """Week 49's funnel by day, rep and total equals the plain oracle's, and marking the deal
    repeats afresh changes nothing (the push kept them)."""
    from sync_server.storage.sql.deal_repeats import mark_deal_repeats
    from sync_server.storage.sql.funnel_plain import PlainFunnel

    oracle = PlainFunnel(reporting)
    for by in ("day", "rep", "total"):
        assert reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), by) == oracle.funnel(
            "s1", date(2026, 11, 30), date(2026, 12, 6), by)
    with store.engine.begin() as conn:
        assert mark_deal_repeats(conn, "s1") == {}


@pytest.fixture
def week(store):
    """Week 49 (Mon 11-30 … Sun 12-06), site at UTC+8."""
    seed(store)
    with store.write("s1"):
        store.add_device(Device("d2", "s1", "desk.li", "desk 2", "2026-11-20T00:00:00.000Z"), "token-2")
    records = [
        # 张伟's family of 4 registered on three tablets on 11-30 (one by 陈杰): 3 registrations, 1 visitor
        _walkin(1, ZHANG, "2026-11-30T10:00:00.000+08:00", party=4),
        _walkin(2, ZHANG, "2026-11-30T10:05:00.000+08:00", party=3, device="d2"),
        _walkin(3, ZHANG, "2026-11-30T10:06:00.000+08:00", party=4, rep="chen.jie"),
        # 张伟 back on 12-02, alone, and his 小定 20,000 then 大定 100,000, 签约 1,500,000
        _walkin(4, ZHANG, "2026-12-02T11:00:00.000+08:00", visit="return", party=1),
        _deal(5, ZHANG, "2026-12-02T12:00:00.000+08:00", "small_deposit", 20000),
        _deal(6, ZHANG, "2026-12-04T12:00:00.000+08:00", "large_deposit", 100000),
        _deal(7, ZHANG, "2026-12-06T12:00:00.000+08:00", "contract", 1500000),
        # 李娜: first visit 12-01 (no party size: 1 person), 小定 10,000 on 12-01, cancelled (退订) 12-03
        make_record(seq=8, phone_key=LI, rep="chen.jie", estimated_at="2026-12-01T09:00:00.000+08:00",
                    data={"source": "friend", "visit": "first"}),
        _deal(9, LI, "2026-12-01T15:00:00.000+08:00", "small_deposit", 10000, rep="chen.jie"),
        _deal(10, LI, "2026-12-03T15:00:00.000+08:00", "small_deposit", 10000, rep="chen.jie", event="cancellation"),
        # 王芳: a walk-in withdrawn (not counted), and a call
        _walkin(11, WANG, "2026-12-01T16:00:00.000+08:00", party=5, id="wang-walkin"),
        make_record(seq=12, type="withdrawal", rep=None, phone_key=WANG, supersedes="wang-walkin",
                    estimated_at="2026-12-01T17:00:00.000+08:00", data={"reason": "登记错误"}),
        make_record(seq=13, type="call", rep=None, phone_key=WANG, estimated_at="2026-12-05T09:00:00.000+08:00",
                    data={"source": "online"}),
        # a 换房 on 张伟's contract, recorded by 陈杰 on 12-06
        _deal(14, ZHANG, "2026-12-06T16:00:00.000+08:00", "contract", 1600000, rep="chen.jie", event="unit_change"),
        # next week: not in the range
        _walkin(15, LI, "2026-12-07T09:00:00.000+08:00", visit="return"),
    ]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in records])
    return records


def test_the_weeks_total_counts_each_visitor_once_and_each_family_once_a_day(reporting, week):
    [total] = reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
    # registrations: 张伟 ×3 (11-30) + 张伟 (12-02) + 李娜 (12-01) = 5 (王芳's withdrawn)
    # first registrations: 张伟 ×3 + 李娜 = 4; visitors: 张伟, 李娜 = 2; first visitors: 2
    # people: 张伟 11-30 max(4,3,4)=4, 张伟 12-02 1, 李娜 12-01 1 (none given) = 6
    assert (total.registrations, total.first_registrations, total.visitors, total.first_visitors, total.people) == (
        5, 4, 2, 2, 6)
    # 小定: 张伟 20,000 + 李娜 10,000 (cancelled later, still reached) = 2, 30,000; 大定 1, 签约 1
    assert (total.small_deposits, total.small_deposit_amount, total.large_deposits, total.large_deposit_amount,
            total.contracts, total.contract_amount) == (2, 30000.0, 1, 100000.0, 1, 1500000.0)
    assert (total.cancellations, total.cancelled_amount, total.unit_changes, total.calls) == (1, 10000.0, 1, 1)
    assert reporting.funnel("s2", date(2026, 11, 30), date(2026, 12, 6), "total")[0].registrations == 0


def test_by_day_week_month_and_rep(reporting, week):
    days = {r.key: r for r in reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "day")}
    assert sorted(days) == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05",
                            "2026-12-06"]
    assert (days["2026-11-30"].registrations, days["2026-11-30"].visitors, days["2026-11-30"].people) == (3, 1, 4)
    assert (days["2026-12-01"].registrations, days["2026-12-01"].small_deposits) == (1, 1)
    [week49, week50] = reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 7), "week")
    assert (week49.key, week49.visitors, week50.key, week50.visitors) == ("2026-11-30", 2, "2026-12-07", 1)
    months = [(r.key, r.registrations) for r in reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 7), "month")]
    assert months == [("2026-11", 3), ("2026-12", 3)]
    reps = {r.key: r for r in reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "rep")}
    # 王丽: 张伟 ×2 on 11-30 + 12-02, deals 小定 大定 签约; 陈杰: 张伟 11-30, 李娜, 李娜's 小定, the 换房
    assert (reps["wang.li"].registrations, reps["wang.li"].visitors, reps["wang.li"].contracts) == (3, 1, 1)
    assert (reps["chen.jie"].registrations, reps["chen.jie"].visitors, reps["chen.jie"].small_deposits,
            reps["chen.jie"].cancellations, reps["chen.jie"].unit_changes) == (2, 2, 1, 1, 1)
    assert reps[""].calls == 1  # a call names no rep


def test_a_correction_counts_once_on_its_originals_day(reporting, week, store):
    fix = _walkin(16, LI, "2026-12-05T09:00:00.000+08:00", party=3, supersedes=week[7].id)
    with store.write("s1"):
        store.insert_records([replace(fix, change_id=store.next_change_id())])
    days = {r.key: r for r in reporting.funnel("s1", date(2026, 12, 1), date(2026, 12, 5), "day")}
    assert (days["2026-12-01"].registrations, days["2026-12-01"].people) == (1, 3)
    assert "2026-12-05" not in days or days["2026-12-05"].registrations == 0


def test_an_unknown_grouping_is_a_value_error(reporting, week):
    with pytest.raises(ValueError, match="by must be one of"):
        reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "year")


def test_a_correction_stored_after_its_chain_was_withdrawn_does_not_count(reporting, week, store):
    li_na = week[7]
    gone = make_record(seq=16, type="withdrawal", rep=None, phone_key=LI, supersedes=li_na.id,
                       estimated_at="2026-12-02T09:00:00.000+08:00", data={"reason": "登记错误"})
    fix = _walkin(17, LI, "2026-12-03T09:00:00.000+08:00", supersedes=li_na.id)
    for record in (gone, fix):  # two pushes: the correction finds the chain already withdrawn
        with store.write("s1"):
            store.insert_records([replace(record, change_id=store.next_change_id())])
    [total] = reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
    assert (total.registrations, total.visitors) == (4, 1)  # 张伟's four; 李娜's chain is out


def test_qa11_f5_a_units_stage_counts_once_however_many_tablets_record_it(reporting, week, store):
    """Five 小定 of one unit read 小定率 500 % (QA of issue 11, F5). The server keeps every deal
    (claims, protocol principle 5) but the funnel counts a unit's stage once: the first by
    capture time, its rep and amount; withdrawn, the next one counts; after a 退订 the unit's
    next 小定 is a new sale and counts again."""
    from sync_server.storage.reporting import DEAL_WITHDRAWN

    repeats = [  # 张伟's 小定 on 3-1201 (week[4], 王丽, 12-02 12:00, 20,000) recorded again on other tablets
        _deal(16, ZHANG, "2026-12-02T12:30:00.000+08:00", "small_deposit", 30000, rep="chen.jie", id="f5-chen"),
        _deal(17, ZHANG, "2026-12-03T09:00:00.000+08:00", "small_deposit", 20000, id="f5-again"),
        replace(_deal(18, ZHANG, "2026-12-02T11:59:00.000+08:00", "small_deposit", 5000, id="f5-other-unit"),
                wire={"id": "f5-other-unit", "type": "deal", "rep": "wang.li",
                      "data": {"stage": "small_deposit", "unit": "3-1202", "amount": 5000}}),
    ]
    full_width = _deal(19, ZHANG, "2026-12-04T09:00:00.000+08:00", "small_deposit", 20000, id="f5-full-width")
    full_width.wire["data"]["unit"] = " ３－１２０１ "
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in [*repeats, full_width]])

    def total():
        return reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")[0]

    def by_rep():
        return {r.key: r.small_deposits for r in reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "rep")}

    # 张伟 3-1201 once (王丽's 20,000), 张伟 3-1202 (5,000), 李娜 (10,000)
    assert (total().small_deposits, total().small_deposit_amount) == (3, 35000.0)
    assert by_rep() == {"": 0, "chen.jie": 1, "wang.li": 2}
    # 王丽's first 小定 withdrawn: 陈杰's, captured next, counts (30,000)
    gone = make_record(seq=20, type="withdrawal", rep=None, phone_key=ZHANG, supersedes=week[4].id, id="f5-gone",
                       estimated_at="2026-12-05T09:00:00.000+08:00", data={"reason": "重复登记"})
    # 李娜 cancelled her 小定 on 12-03; a new 小定 of the unit on 12-05 is a new sale
    again = _deal(21, LI, "2026-12-05T15:00:00.000+08:00", "small_deposit", 12000, rep="chen.jie", id="f5-li-again")
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in (gone, again)])
    assert (total().small_deposits, total().small_deposit_amount) == (4, 57000.0)
    assert by_rep() == {"": 0, "chen.jie": 3, "wang.li": 1}
    _agrees_with_the_oracle_and_stays_marked(reporting, store)
    # the deals export says which deal the funnel counts, and a withdrawn one is not (QA: it read 是)
    from datetime import datetime, timedelta, timezone

    from sync_server.console.export_sheets import build_sheet

    cst = timezone(timedelta(hours=8))
    sheet = build_sheet(reporting, "s1", "deals", datetime(2026, 11, 30, tzinfo=cst), datetime(2026, 12, 7, tzinfo=cst),
                        "zh", 480)
    counted = {row[-1]: row[sheet.headings.index("计入统计")] for row in sheet.rows}
    assert {rid: counted[rid] for rid in (week[4].id, "f5-chen", "f5-again", "f5-full-width", "f5-other-unit",
                                          "f5-li-again", week[8].id)} == {
        week[4].id: "否（已撤回）", "f5-chen": "是", "f5-again": "否（该房号此阶段已于2026-12-02计入）",
        "f5-full-width": "否（该房号此阶段已于2026-12-02计入）", "f5-other-unit": "是", "f5-li-again": "是", week[8].id: "是"}
    # a range holding the repeat alone names the day of the deal counted in its place (QA note); in English too
    sheet = build_sheet(reporting, "s1", "deals", datetime(2026, 12, 4, tzinfo=cst), datetime(2026, 12, 5, tzinfo=cst),
                        "en", 480)
    assert {row[-1]: row[sheet.headings.index("Counted in the funnel")] for row in sheet.rows}["f5-full-width"] == (
        "no (this unit's stage is counted on 2026-12-02)")
    assert reporting.repeated_deals("s1", ["f5-again", "f5-chen", week[4].id, "no-such-id"]) == {
        "f5-again": "2026-12-02", week[4].id: DEAL_WITHDRAWN}


def test_qa13_of_two_corrections_of_one_deal_the_later_counts(reporting, week, store):
    """张伟's 大定 (100,000) corrected on two tablets: 110,000 at 13:00, 120,000 at 14:00 (a forked
    chain). The later correction stands (docs/mobile.md): the funnel counts one 大定 of 120,000,
    whatever the ids' order (QA: the UUID order chose)."""
    big = week[5]
    fixes = [_deal(16, ZHANG, "2026-12-04T13:00:00.000+08:00", "large_deposit", 110000, id="aa-earlier",
                   supersedes=big.id),
             _deal(17, ZHANG, "2026-12-04T14:00:00.000+08:00", "large_deposit", 120000, id="zz-later",
                   supersedes=big.id)]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in fixes])
    [total] = reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
    assert (total.large_deposits, total.large_deposit_amount) == (1, 120000.0)
    # the deals export lists both corrections and says which one counts
    from datetime import datetime, timedelta, timezone

    from sync_server.console.export_sheets import build_sheet

    cst = timezone(timedelta(hours=8))
    for lang, column, replaced in (("zh", "计入统计", "否（已由更晚的更正替代）"),
                                   ("en", "Counted in the funnel", "no (a later correction counts instead)")):
        sheet = build_sheet(reporting, "s1", "deals", datetime(2026, 11, 30, tzinfo=cst),
                            datetime(2026, 12, 7, tzinfo=cst), lang, 480)
        counted = {row[-1]: row[sheet.headings.index(column)] for row in sheet.rows}
        assert (counted["aa-earlier"], counted["zz-later"]) == (replaced, "是" if lang == "zh" else "yes")


def test_qa13_a_forked_chain_counts_once_by_its_later_correction(reporting, week, store):
    """李娜's first visit (12-01, no party size) corrected on the desk (party 3, 12-01 18:00) and,
    not knowing it, by the manager (party 5, 12-02 09:00): a forked chain. One registration on
    12-01 (R4), the later correction's party; both corrections stay stored. Then a correction of
    the earlier branch, later than both, stands instead."""
    li_na = week[7]
    desk = _walkin(16, LI, "2026-12-01T18:00:00.000+08:00", party=3, rep="chen.jie", id="fork-desk",
                   supersedes=li_na.id)
    manager = _walkin(17, LI, "2026-12-02T09:00:00.000+08:00", party=5, rep="chen.jie", id="fork-manager",
                      supersedes=li_na.id)
    for record in (manager, desk):  # the later one first: arrival order does not matter
        with store.write("s1"):
            store.insert_records([replace(record, change_id=store.next_change_id())])
    days = {r.key: r for r in reporting.funnel("s1", date(2026, 12, 1), date(2026, 12, 2), "day")}
    assert (days["2026-12-01"].registrations, days["2026-12-01"].people) == (1, 5)
    from datetime import datetime, timedelta, timezone

    cst = timezone(timedelta(hours=8))
    day = (datetime(2026, 12, 1, tzinfo=cst), datetime(2026, 12, 2, tzinfo=cst))

    def outdated(views) -> dict[str, bool]:
        return {v.record.id: v.outdated for v in views if v.record.id.startswith("fork-")}

    # the lists show both and mark the one a later correction outdates (the confirm page's badge)
    assert outdated(reporting.day_records("s1", ["walkin"], *day)) == {"fork-desk": True, "fork-manager": False}
    assert outdated(reporting.range_chains("s1", ["walkin"], *day)) == {"fork-desk": True, "fork-manager": False}
    again = _walkin(18, LI, "2026-12-03T09:00:00.000+08:00", party=2, rep="chen.jie", id="fork-desk-again",
                    supersedes="fork-desk")
    with store.write("s1"):
        store.insert_records([replace(again, change_id=store.next_change_id())])
    days = {r.key: r for r in reporting.funnel("s1", date(2026, 12, 1), date(2026, 12, 2), "day")}
    assert (days["2026-12-01"].registrations, days["2026-12-01"].people) == (1, 2)
    assert outdated(reporting.range_chains("s1", ["walkin"], *day)) == {
        "fork-desk": False, "fork-manager": True, "fork-desk-again": False}
    [total] = reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
    assert total.registrations == 5  # as the week's hand count: 李娜's chain once


@pytest.mark.parametrize("arrival", ["captured_order", "reversed"])
def test_qa15_a_deal_cancelled_twice_counts_once(reporting, week, store, arrival):
    """QA15 A: one deal's 退订 recorded on two tablets (offline, or a rep and the manager) counted
    twice in 退订 and 退订金额. A deal's cancellation counts once — the earlier by capture time,
    whatever arrives first —, the other is kept and marked; withdrawn, the other counts. Through a
    换房 a 退订 cancels the deal the unit change moved; a 退订 naming no deal repeats one of the same
    unit and stage with no new sale between."""
    from datetime import datetime, timedelta, timezone

    from sync_server.console.export_sheets import build_sheet

    def cancel(seq, at, amount, refers_to, rid, rep="wang.li", phone=ZHANG):
        record = _deal(seq, phone, at, "small_deposit", amount, rep=rep, event="cancellation", id=rid)
        if refers_to:
            record.wire["data"]["refers_to"] = refers_to
        return record

    moved = _deal(16, ZHANG, "2026-12-06T17:00:00.000+08:00", "contract", None, event="unit_change", id="qa15-moved")
    moved.wire["data"].update(previous_unit="3-1201", unit="5-501", refers_to=week[6].id)
    del moved.wire["data"]["amount"]
    pushes = [  # 张伟's 小定 (week[4], 20,000) cancelled by 王丽 on 12-05 and by 陈杰, offline, on 12-04
        [cancel(17, "2026-12-05T09:00:00.000+08:00", 20000, week[4].id, "qa15-wang")],
        [cancel(18, "2026-12-04T10:00:00.000+08:00", 15000, week[4].id, "qa15-chen", rep="chen.jie")],
        # his 签约 moved to 5-501, then cancelled: once naming the 换房, once naming the 签约
        [moved, cancel(19, "2026-12-06T18:00:00.000+08:00", 100000, "qa15-moved", "qa15-via-move")],
        [cancel(20, "2026-12-06T19:00:00.000+08:00", 90000, week[6].id, "qa15-via-deal")],
        # 李娜's 小定 cancelled on 12-03 (week[9], no deal named) and again on 12-04, naming none
        [cancel(21, "2026-12-04T15:00:00.000+08:00", 10000, None, "qa15-li-again", rep="chen.jie", phone=LI)],
    ]
    for batch in (pushes if arrival == "captured_order" else pushes[::-1]):
        with store.write("s1"):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in batch])

    def cancellations():
        [total] = reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
        return total.cancellations, total.cancelled_amount

    # by hand: 李娜 10,000 (12-03, once); 张伟's 小定 by 陈杰's earlier 15,000; his 签约 by the 退订 via 换房, 100,000
    assert cancellations() == (3, 125000.0)
    days = {r.key: r.cancellations for r in reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "day")}
    assert {k: v for k, v in days.items() if v} == {"2026-12-03": 1, "2026-12-04": 1, "2026-12-06": 1}
    cst = timezone(timedelta(hours=8))
    sheet = build_sheet(reporting, "s1", "deals", datetime(2026, 11, 30, tzinfo=cst), datetime(2026, 12, 7, tzinfo=cst),
                        "zh", 480)
    counted = {row[-1]: row[sheet.headings.index("计入统计")] for row in sheet.rows}
    assert {rid: counted[rid] for rid in ("qa15-wang", "qa15-chen", "qa15-via-move", "qa15-via-deal",
                                          "qa15-li-again", week[9].id)} == {
        "qa15-wang": "否（此成交的退订已于2026-12-04计入）", "qa15-chen": "是", "qa15-via-move": "是",
        "qa15-via-deal": "否（此成交的退订已于2026-12-06计入）", "qa15-li-again": "否（此成交的退订已于2026-12-03计入）",
        week[9].id: "是"}
    # 陈杰's 退订 withdrawn: 王丽's counts, 20,000
    gone = make_record(seq=22, type="withdrawal", rep=None, phone_key=ZHANG, supersedes="qa15-chen", id="qa15-gone",
                       estimated_at="2026-12-06T20:00:00.000+08:00", data={"reason": "重复登记"})
    with store.write("s1"):
        store.insert_records([replace(gone, change_id=store.next_change_id())])
    assert cancellations() == (3, 130000.0)
    _agrees_with_the_oracle_and_stays_marked(reporting, store)


def test_qa15_a_cancellation_ends_the_stage_of_the_deal_it_names(reporting, week, store):
    """QA of issue 15, finding 6: a 退订 naming a 小定 but no unit, or a mistyped unit, ended
    nothing, and the unit's next 小定 (a new sale) was exported as "this unit's stage is counted"
    and left out of the funnel. The 退订 ends the stage of the deal it names."""

    def deal(seq, at, unit, amount, rid, **data):
        record = _deal(seq, WANG, at, "small_deposit", amount, id=rid)
        record.wire["data"].update(unit=unit, **data)
        if unit is None:
            del record.wire["data"]["unit"]
        return record

    records = [  # 王芳: 2-202 sold, cancelled naming it with no unit, sold again; 5-505 the same, 退订 typed 9-909
        deal(30, "2026-12-02T10:00:00.000+08:00", "2-202", 1000, "f6-first"),
        deal(31, "2026-12-03T10:00:00.000+08:00", None, 1000, "f6-cancel", event="cancellation", refers_to="f6-first"),
        deal(32, "2026-12-04T10:00:00.000+08:00", "2-202", 2000, "f6-again"),
        deal(33, "2026-12-02T11:00:00.000+08:00", "5-505", 3000, "f6-other"),
        deal(34, "2026-12-03T11:00:00.000+08:00", "9-909", 3000, "f6-typo", event="cancellation",
             refers_to="f6-other"),
        deal(35, "2026-12-05T11:00:00.000+08:00", "5-505", 4000, "f6-other-again"),
    ]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in records])
    [total] = reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
    # by hand: 张伟 20,000, 李娜 10,000, and 王芳's four 小定 (1,000 + 2,000 + 3,000 + 4,000)
    assert (total.small_deposits, total.small_deposit_amount) == (6, 40000.0)
    _agrees_with_the_oracle_and_stays_marked(reporting, store)
