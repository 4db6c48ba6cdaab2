"""成交登记 on the tablet without a window (issue 11): the amount as a rep types it (full-width
digits from a Chinese keyboard, thousands separators, empty, negative → a message naming the
field in the user's language), and a customer's deals as the card and the form read them from
the tablet's own store (a real SQLite file)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mobile.i18n import tr
from mobile.messages import problem_text
from mobile.services import RecordCapture
from mobile.services.deals import customer_deals, customer_phone, format_amount, parse_amount
from mobile.services.search import CustomerSearch, customer_card
from shared.errors import Problem
from tests.mobile.test_store import make_store

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(("typed", "amount"), [
    ("1200000", 1_200_000), ("1,200,000", 1_200_000), ("１２０００００", 1_200_000), ("１，２００，０００", 1_200_000),
    (" 50000 ", 50_000), ("¥ 80,000元", 80_000), ("￥３０００", 3_000), ("0", 0), ("1200.50", 1200.5),
    ("１２００．５", 1200.5), ("1000000000000", 1_000_000_000_000),
])
def test_amounts_a_rep_types_are_read_as_yuan(typed, amount):
    assert parse_amount(typed) == amount
    assert type(parse_amount(typed)) is type(amount)


@pytest.mark.parametrize(("typed", "code"), [
    ("", "missing_field"), ("　", "missing_field"), ("-5", "amount_negative"), ("－５０００", "amount_negative"),
    ("1,20", "amount_format"), ("12,00,000", "amount_format"), ("一百万", "amount_format"), ("1.2.3", "amount_format"),
    ("12e5", "amount_format"), ("1.005", "amount_cents"), ("1000000000001", "amount_too_large"),
    ("9" * 40, "amount_too_large"),
])
def test_amounts_that_are_not_amounts_give_the_problem(typed, code):
    problem = parse_amount(typed)
    assert isinstance(problem, Problem) and (problem.code, problem.field) == (code, "data.amount")


def test_an_empty_amount_may_be_left_out_where_it_is_optional():
    assert parse_amount("", required=False) is None  # 退订: the amount given back is optional
    assert isinstance(parse_amount("-1", required=False), Problem)


def test_the_messages_name_the_field_and_say_what_to_do_in_both_languages():
    def said(typed: str, lang: str) -> str:
        return problem_text(parse_amount(typed), lang, "deal")

    assert said("", "zh") == "请填写金额（元）。"
    assert said("", "en") == "Fill in Amount (yuan)."
    assert said("-5", "zh") == "金额（元）：不能为负数，请填写 0 或以上的金额。"
    assert said("-5", "en") == "Amount (yuan): cannot be negative; enter 0 or more."
    assert said("1,20", "zh").startswith("金额（元）：请只填写数字，千位可用逗号分隔")
    assert problem_text(Problem("missing_field", "", "data.unit"), "zh", "deal") == "请填写房号。"
    assert problem_text(Problem("missing_field", "", "data.reason"), "zh", "deal") == "请填写退订原因。"
    assert problem_text(Problem("missing_field", "", "data.previous_unit"), "en", "deal") == "Fill in Previous unit."


def test_amounts_are_shown_with_thousands_separators():
    assert [format_amount(a) for a in (1_200_000, 1200.5, 0, None)] == ["1,200,000", "1,200.50", "0", ""]
    assert tr("deal.row.stage", "zh", stage="小定", unit="3-1201", amount=format_amount(50000)) == "小定　3-1201　50,000 元"


def test_the_customers_deals_are_read_from_the_tablet_latest_first(tmp_path):
    store = make_store(tmp_path)
    at = [datetime(2026, 11, 30, 10, 0, tzinfo=CST)]
    capture = RecordCapture(store, now=lambda: at[0])
    capture.capture("walkin", name="张伟", phone="138 0013 8000", rep="wang.li", data={"visit": "first"})
    first = capture.capture("deal", name="张伟", phone="138 0013 8000", rep="wang.li",
                            data={"stage": "small_deposit", "unit": "3-1201", "amount": 50000})
    at[0] += timedelta(hours=1)
    capture.capture("deal", name="张伟", phone="138 0013 8000", rep="wang.li",
                    data={"stage": "small_deposit", "unit": "5-0802", "amount": 50000, "event": "unit_change",
                          "previous_unit": "3-1201", "refers_to": first["id"]})
    phone_hash = capture.phone_hash_of("13800138000")
    deals = customer_deals(store, phone_hash)
    assert [(d.event, d.unit, d.previous_unit, d.amount, d.own, d.state) for d in deals] == [
        ("unit_change", "5-0802", "3-1201", 50000, True, "pending"), ("stage", "3-1201", "", 50000, True, "pending")]
    assert customer_phone(store, phone_hash) == "138 0013 8000"
    [found] = CustomerSearch(store).find("张伟")
    card = customer_card(store, found)
    assert [d.unit for d in card.deals] == ["5-0802", "3-1201"] and card.phone == "138 0013 8000"
    assert [e.type for e in card.entries] == ["walkin"]  # deals are listed on their own
    assert customer_deals(store, capture.phone_hash_of("139 0013 9000")) == []


def test_a_withdrawn_or_corrected_deal_leaves_the_card(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store, now=lambda: datetime(2026, 11, 30, 10, 0, tzinfo=CST))
    wrong = capture.capture("deal", name="李娜", phone="139 0013 9000", rep="wang.li",
                            data={"stage": "large_deposit", "unit": "8-0101", "amount": 100000})
    typo = capture.capture("deal", name="李娜", phone="139 0013 9000", rep="wang.li",
                           data={"stage": "small_deposit", "unit": "2-0303", "amount": 2000})
    capture.withdraw(wrong["id"], "登记错了客户")
    capture.correct(typo["id"], data={"amount": 20000})
    deals = customer_deals(store, capture.phone_hash_of("139 0013 9000"))
    assert [(d.unit, d.amount) for d in deals] == [("2-0303", 20000)]


def test_qa11_f5_the_form_says_a_units_stage_is_recorded_before_saving_it():
    from mobile.services.deals import DealEntry, stage_repeat

    deposit = DealEntry("d1", "stage", "small_deposit", "9-9", "", 20000, "", "2026-11-30T02:00:00.000+00:00",
                        "wang.li", True, "accepted")
    problem = stage_repeat([deposit], "small_deposit", "９－９", "wang.li")
    assert (problem.code, problem.field) == ("deal_stage_recorded", "data.stage")
    assert stage_repeat([deposit], "contract", "9-9", "wang.li") is None
    assert stage_repeat([], "small_deposit", "9-9", "wang.li") is None
    assert stage_repeat([deposit], "small_deposit", "9-9", "chen.jie") is None  # another rep's claim: the server's
    refund = DealEntry("d2", "cancellation", "small_deposit", "9-9", "", 20000, "资金未到位",
                       "2026-11-30T03:00:00.000+00:00", "wang.li", True, "pending")
    assert stage_repeat([refund, deposit], "small_deposit", "9-9", "wang.li") is None


def test_qa_the_forms_refusal_of_a_repeated_stage_asks_for_no_withdrawal():
    """The tablet refuses the repeat before saving (the server never sends ``deal_stage_recorded``):
    there is no record to withdraw, so its message must not ask for one ("这条记录请撤回")."""
    from mobile.services.deals import DealEntry, stage_repeat

    deposit = DealEntry("d1", "stage", "small_deposit", "9-9", "", 20000, "", "2026-11-30T02:00:00.000+00:00",
                        "wang.li", True, "accepted")
    problem = stage_repeat([deposit], "small_deposit", "９－９", "wang.li")
    assert problem_text(problem, "zh", "deal") == "成交阶段：这套房的这一阶段已为该客户登记过：请更正原记录，或先登记退订。"
    assert problem_text(problem, "en", "deal") == ("Stage: This unit's stage is already recorded for the customer: "
                                                   "correct that record, or record the cancellation first.")


def test_qa13_a_new_sale_after_a_refund_is_not_stopped_by_a_later_correction_of_the_refunded_deal(tmp_path):
    """小定 at 9:00, its 退订 at 10:00, the 9:00 小定 corrected at 11:00 (its amount): a new 小定 of the
    unit is a new sale — the server counts it (the correction keeps its original's 9:00 place,
    before the 退订, R4). The tablet ordered the correction by its own time and refused the sale."""
    from mobile.services.deals import stage_repeat

    store = make_store(tmp_path)
    clock = [datetime(2026, 11, 30, 9, 0, tzinfo=CST)]
    capture = RecordCapture(store, now=lambda: clock[0])
    first = capture.capture("deal", name="李娜", phone="139 0013 9000", rep="wang.li",
                            data={"stage": "small_deposit", "unit": "2-0303", "amount": 2000})
    clock[0] = datetime(2026, 11, 30, 10, 0, tzinfo=CST)
    capture.capture("deal", name="李娜", phone="139 0013 9000", rep="wang.li",
                    data={"stage": "small_deposit", "unit": "2-0303", "amount": 2000, "event": "cancellation",
                          "reason": "资金未到位", "refers_to": first["id"]})
    clock[0] = datetime(2026, 11, 30, 11, 0, tzinfo=CST)
    capture.correct(first["id"], data={"amount": 2500})
    deals = customer_deals(store, capture.phone_hash_of("139 0013 9000"))
    corrected = next(d for d in deals if d.event == "stage")
    assert (corrected.amount, corrected.original, corrected.original_at[:16]) == (2500, first["id"], "2026-11-30T09:00")
    assert stage_repeat(deals, "small_deposit", "2-0303", "wang.li") is None
    # without the 退订 the same correction still stops a repeat of its stage
    assert stage_repeat([d for d in deals if d.event == "stage"], "small_deposit", "2-0303", "wang.li") is not None


def test_qa15_a_the_form_refuses_a_refund_above_the_deal_before_saving():
    """QA15 A: a 退订 of a 20,000 元 小定 giving back more is refused on the form (the server refuses it
    too, ``refund_exceeds_deal``), naming the deal's amount in both languages; a 换房 without an
    amount keeps the deal's, one with an amount is compared by it; no amount known: not compared."""
    from mobile.services.deals import DealEntry, refund_excess

    deposit = DealEntry("d1", "stage", "small_deposit", "9-9", "", 20000, "", "2026-11-30T02:00:00.000+00:00",
                        "wang.li", True, "accepted", original="d1")
    problem = refund_excess([deposit], 20000.01)
    assert (problem.code, problem.field, dict(problem.params)) == ("refund_exceeds_deal", "data.amount",
                                                                  {"deal_amount": 20000.0})
    assert problem_text(problem, "zh", "deal") == (
        "退还金额超过所退成交的金额（该成交为 20,000 元）：请与客户核对退还金额，最多为成交金额。")
    assert problem_text(problem, "en", "deal").startswith(
        "The amount given back is more than the deal it cancels (the deal was 20,000 yuan)")
    assert refund_excess([deposit], 20000) is None and refund_excess([deposit], None) is None
    moved = DealEntry("d2", "unit_change", "small_deposit", "9-10", "9-9", None, "", "2026-11-30T03:00:00.000+00:00",
                      "wang.li", True, "accepted", original="d2", refers_to="d1")
    assert refund_excess([moved, deposit], 20000.5).params == {"deal_amount": 20000.0}
    repriced = DealEntry("d3", "unit_change", "small_deposit", "9-11", "9-10", 26000.5, "",
                         "2026-11-30T04:00:00.000+00:00", "wang.li", True, "accepted", original="d3", refers_to="d2")
    assert refund_excess([repriced, moved, deposit], 26000.5) is None
    assert refund_excess([repriced, moved, deposit], 26000.51) is not None
    unpriced = DealEntry("d4", "stage", "small_deposit", "9-9", "", None, "", "2026-11-30T02:00:00.000+00:00",
                         "wang.li", True, "accepted", original="d4")
    assert refund_excess([unpriced], 1e9) is None
    # the sync screen's refusal keeps no params: the amount is read from the server's message
    refused = {"code": "refund_exceeds_deal", "field": "data.amount",
               "message": "The amount given back (25,000 yuan) is more than the deal it cancels (20,000.50 yuan): "
                          "check the amount; a cancellation gives back at most the deal's amount."}
    assert "该成交为 20,000.50 元" in problem_text(refused, "zh", "deal")


def test_qa15_a_the_form_says_a_deals_cancellation_is_recorded_before_saving_another():
    """QA15 A: a deal's 退订 recorded twice counted twice. The tablet that holds the first (its own,
    or pulled) says so before saving a second naming the same deal (any version of its chain)."""
    from mobile.services.deals import DealEntry, cancellation_repeat

    deposit = DealEntry("d1-fix", "stage", "small_deposit", "9-9", "", 20000, "", "2026-11-30T02:00:00.000+00:00",
                        "wang.li", True, "accepted", original="d1")
    assert cancellation_repeat([deposit]) is None
    refund = DealEntry("r1", "cancellation", "small_deposit", "9-9", "", 20000, "资金未到位",
                       "2026-11-30T03:00:00.000+00:00", "wang.li", False, original="r1", refers_to="d1")
    problem = cancellation_repeat([refund, deposit])
    assert (problem.code, problem.field) == ("deal_cancellation_recorded", "data.event")
    assert problem_text(problem, "zh", "deal").endswith("这笔成交已登记过退订：无需再次登记；如退订有误，请更正原退订记录。")
    other = DealEntry("r2", "cancellation", "small_deposit", "9-9", "", 1, "x", "2026-11-30T03:00:00.000+00:00",
                      "wang.li", False, original="r2", refers_to="another-deal")
    assert cancellation_repeat([other, deposit]) is None
