"""Issue 11, 成交登记 on the rep's tablet (real Kivy window under Xvfb, real server, marker
``ui``): offline, the rep records a 小定 with 房号 and 金额 (full-width digits) for a customer
from 我的客户, then a 换房 with the old unit prefilled; bad input is said in words naming the
field; after the network returns the tablet syncs, its card lists both deals, and the
server's customer page (the manager's console) shows both with their amounts. Another rep
signed in on her tablet (切换用户) is not offered 退订/换房 of her deal and is told why."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.console.conftest import requests_session
from tests.console.seed import Tablet
from tests.live_server import LiveServer
from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def result(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    with LiveServer() as server:
        desk = Tablet(server, "desk.li", "前台平板")
        desk.push([desk.record("walkin", timedelta(hours=3), rep="wang.li", name="张伟", phone="138 0013 8000",
                               data={"intent": "A"})])
        found = run_driver("ui_deal_driver.py", display, tmp_path_factory.mktemp("deal"), server_url=server.base_url,
                           shots=True, timeout=180)  # shots: tests/artifacts/mobile/deal_*.png
        wang = Tablet(server, "wang.li", "王丽的第二台平板")
        session = requests_session(server)
        customer = session.get(server.url("/customers/lookup"), params={"phone": "138 0013 8000"},
                               headers={"Authorization": f"Bearer {wang.token}"}, timeout=30).json()
        found["console"] = session.get(f"{server.base_url}/console/customers/{customer['customer_id']}",
                                       timeout=30).text
        return found


def test_the_rep_reaches_the_form_from_home_and_from_my_customers_with_the_customer_filled_in(result):
    assert "成交登记" in result["home_tiles"]
    assert result["prefill"] == ["张伟", "+86 138 0013 8000"]
    assert result["last_before"] == "本机尚无该客户的成交记录"
    assert result["rep_line"] == "经办售楼员：王丽"


def test_what_is_missing_or_wrong_is_said_naming_the_field(result):
    assert result["empty_refused"] == "未能保存：请选择成交阶段；请填写房号；请填写金额（元）。"
    assert result["empty_marked"] == ["amount", "unit"]
    assert result["negative_refused"] == "未能保存：金额（元）：不能为负数，请填写 0 或以上的金额。"
    # in the form's order (房号 above 退订原因), QA of issue 14 F9
    assert result["cancel_refused_en"] == "Not saved: Fill in Unit; Fill in Reason for cancelling."


def test_full_width_digits_are_read_and_shown_with_thousands_separators(result):
    assert result["amount_shown"] == "50,000"
    assert result["stage_chosen"] == ["small_deposit"]


def test_issue14_f6_no_deal_stage_is_preselected_and_none_chosen_is_refused_by_its_label(result):
    """A rep who does not choose must not silently record 小定 (before: 小定 was preselected)."""
    assert result["stage_preselected"] == []
    assert "请选择成交阶段" in result["empty_refused"]


def test_each_save_confirms_what_was_saved_and_when(result):
    assert result["saved_small"].startswith("已保存成交登记：张伟，小定　3-1201　50,000 元（本次第 1 条，")
    assert result["saved_change"].startswith("已保存换房：张伟，换房（小定）　由 3-1201 换至 5-0802　52,000 元（本次第 2 条，")
    assert result["last_after_small"] == "上次成交：小定　3-1201　50,000 元"


def test_qa_a_deals_confirmation_is_told_again_whole_in_the_language_switched_to(result):
    """QA: saved in one language, the confirmation kept the deal's line (stage, unit, amount) in
    it after a switch — "已保存成交登记：周杰伦，Small deposit  7-0101  20,000 yuan（本次第 1 条…". The
    unit is the customer's, shown as typed; every word is the current language's."""
    assert result["saved_small_en"].startswith(
        "Saved the deal: 张伟, Small deposit  3-1201  50,000 yuan (no. 1 this session, ")
    assert result["saved_change_en"].startswith(
        "Saved the unit change: 张伟, unit change (Small deposit)  from 3-1201 to 5-0802  52,000 yuan "
        "(no. 2 this session, ")
    assert result["saved_change"].startswith(
        "已保存换房：张伟，换房（小定）　由 3-1201 换至 5-0802　52,000 元（本次第 2 条，")
    assert result["saved_change"].endswith("），等待同步。")
    assert re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", result["saved_small_en"]) == ["张伟"]
    assert re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", result["saved_change_en"]) == ["张伟"]
    assert not re.search(r"[A-Za-z]", result["saved_change"])


def test_qa_the_rep_repeating_her_stage_of_a_unit_is_refused_before_saving_with_nothing_to_withdraw(result):
    """QA: the form's own refusal said "这条记录请撤回" (withdraw this record) though nothing was saved."""
    assert result["repeat_refused"] == "未能保存：成交阶段：这套房的这一阶段已为该客户登记过：请更正原记录，或先登记退订。"
    assert result["repeat_refused_en"] == ("Not saved: Stage: This unit's stage is already recorded for the customer: "
                                           "correct that record, or record the cancellation first.")
    assert result["repeat_pending"] == 1  # the 小定 alone: nothing saved


def test_a_unit_change_prefills_the_old_unit_from_the_last_deal(result):
    assert result["previous_prefilled"] == "3-1201"
    assert result["last_en"] == "Last deal: unit change (Small deposit)  from 3-1201 to 5-0802  52,000 yuan"


def test_both_deals_wait_offline_in_the_outbox_and_are_pushed_when_the_network_returns(result):
    assert result["waiting_offline"]["pending"] == 2
    assert "离线" in result["status_offline"] and "待同步 2 条" in result["status_offline"]
    assert sum(n for _path, status, n in result["pushed"] if status == 200) == 2


def test_the_card_lists_the_deals_latest_first_and_not_among_the_visits(result):
    first, second = result["card_deals"]
    assert "换房（小定）　由 3-1201 换至 5-0802　52,000 元　王丽" in first
    assert "小定　3-1201　50,000 元　王丽" in second
    assert not any("成交" in row for row in result["card_history"])
    assert result["from_card"] == ["张伟", "+86 138 0013 8000", "上次成交：换房（小定）　由 3-1201 换至 5-0802　52,000 元"]


def test_the_servers_customer_page_shows_both_deals_with_their_amounts(result):
    html = result["console"]
    assert html.count('data-testid="deal"') == 2
    assert '<td class="num" data-testid="deal-amount">50,000</td>' in html
    assert '<td class="num" data-testid="deal-amount">52,000</td>' in html
    assert "3-1201 → 5-0802" in html


def test_another_rep_signed_in_on_her_tablet_is_not_offered_cancelling_or_changing_her_deal(result):
    assert result["wang_refused"] == ["", False]  # hers: offered
    text, cancellation, unit_change, stage = result["chen_refused"]
    assert text == "这笔成交属于王丽（由王丽录入），只有王丽本人、录入人或经理可以退订或换房。"
    assert cancellation and unit_change and not stage  # a new deal of his own stays possible
