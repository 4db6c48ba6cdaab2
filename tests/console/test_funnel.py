"""Issue 11 end to end: a week at the sales office pushed over HTTP from three tablets, and the
funnel 来访 → 小定 → 大定 → 签约, the weekly 来人来电统计成交状况分析表 and the exports read back
against figures counted by hand (in Chromium, zh and en, and as XLSX through openpyxl)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook

from sync_server.console.i18n import text
from tests.console.conftest import requests_session, shot, sign_in
from tests.console.seed import CST, Tablet, now_cst

pytestmark = pytest.mark.browser


@dataclass
class SeededWeek:
    monday: date
    zhang_wei: str  # customer id of 张伟
    withdrawn: str  # 王芳's withdrawn walk-in


def _last_monday() -> date:
    today = now_cst().date()
    return today - timedelta(days=today.weekday() + 7)  # the Monday of last week: every day is past


@pytest.fixture(scope="module")
def week(server) -> SeededWeek:
    monday = _last_monday()
    boot = now_cst() - timedelta(days=20)  # the tablets have been up since before the week
    desk, wang, zhang = (Tablet(server, user, name, boot_started=boot) for user, name in
                         (("desk.li", "前台平板"), ("wang.li", "王丽的平板"), ("zhang.qiang", "张强的平板")))

    def at(day: int, hour: int, minute: int = 0) -> timedelta:
        return now_cst() - datetime.combine(monday + timedelta(days=day), time(hour, minute), tzinfo=CST)

    def walkin(tablet, ago, rep, name, visit, party, phone=None, notes=""):
        return tablet.record("walkin", ago, rep=rep, name=name, phone=phone,
                             data={"visit": visit, "party_size": party, "source": "friend", "notes": notes})

    def deal(ago, rep, name, stage, amount, **extra):
        return wang.record("deal", ago, rep=rep, name=name, data={"stage": stage, "unit": "3-1201",
                                                                     "amount": amount, **extra})

    # 张伟's family registered on three tablets on Monday (parties 4, 3, 4)
    desk.push([walkin(desk, at(0, 10), "wang.li", "张伟", "first", 4),
               walkin(desk, at(0, 11), "chen.jie", "李娜", "first", 2, notes="=HYPERLINK(\"http://x\")"),
               walkin(desk, at(1, 9), "zhang.qiang", "刘洋", "first", 1),
               desk.record("call", at(1, 14), rep=None, name="王芳", data={"source": "online", "topic": "价格"}),
               walkin(desk, at(2, 10), "wang.li", "张伟", "return", 2),
               desk.record("call", at(3, 16), rep=None, name="赵六", phone="135 1111 2222",
                           data={"source": "online"}),
               walkin(desk, at(4, 10), "chen.jie", "李娜", "return", 3)])
    wang.push([walkin(wang, at(0, 10, 5), "wang.li", "张伟", "first", 3),
               deal(at(2, 11), "wang.li", "张伟", "small_deposit", 20000),
               # the same 小定 recorded again (a second tablet of hers; full-width unit): counted once (F5)
               deal(at(2, 12), "wang.li", "张伟", "small_deposit", 20000, unit="３－１２０１"),
               deal(at(3, 15), "wang.li", "张伟", "large_deposit", 100000),
               deal(at(4, 11), "chen.jie", "李娜", "small_deposit", 10000),
               deal(at(5, 10), "chen.jie", "李娜", "small_deposit", 10000, event="cancellation", reason="资金不足"),
               deal(at(6, 15), "wang.li", "张伟", "contract", 1500000)])
    zhang.push([walkin(zhang, at(0, 10, 10), "zhang.qiang", "张伟", "first", 4)])
    gone = walkin(desk, at(6, 16), "wang.li", "王芳", "first", 2)
    desk.push([gone, desk.record("withdrawal", at(6, 16, 30), rep=None, name="王芳", supersedes=gone["id"],
                                 data={"reason": "登记错误"})])
    session = requests_session(server)
    found = session.get(server.url("/customers/lookup"), params={"phone": "138 0013 8000"},
                        headers={"Authorization": f"Bearer {wang.token}"}, timeout=30).json()
    return SeededWeek(monday=monday, zhang_wei=found["customer_id"], withdrawn=gone["id"])


# Counted by hand from the pushes above (王芳's walk-in is withdrawn: never counted):
# registrations 张伟×3 (Mon) + 李娜 (Mon) + 刘洋 (Tue) + 张伟 (Wed) + 李娜 (Fri) = 7
# visitors (distinct customers) 张伟, 李娜, 刘洋 = 3; first-time visitors the same 3
# people: 张伟 Mon max(4, 3, 4) = 4, 李娜 Mon 2, 刘洋 Tue 1, 张伟 Wed 2, 李娜 Fri 3 = 12
# calls 2; 小定 张伟 20,000 (recorded twice: the unit's 小定 counts once) + 李娜 10,000 = 2 / 30,000; 大定 1 / 100,000; 签约 1 / 1,500,000
# 退订 1 / 10,000; rates 小定率 2/3 = 66.7%, 大定率 1/2 = 50.0%, 签约率 1/1 = 100.0%, 成交率 1/3 = 33.3%
TOTAL = {"calls": "2", "registrations": "7", "visitors": "3", "first_visitors": "3", "people": "12",
         "small_deposits": "2", "small_deposit_amount": "30,000", "large_deposits": "1",
         "large_deposit_amount": "100,000", "contracts": "1", "contract_amount": "1,500,000", "cancellations": "1",
         "cancelled_amount": "10,000", "unit_changes": "0", "rate-small": "66.7%", "rate-large": "50.0%",
         "rate-contract": "100.0%", "rate-overall": "33.3%"}


def _row(locator) -> dict[str, str]:
    cells = locator.locator("[data-col]")
    return {cells.nth(i).get_attribute("data-col"): cells.nth(i).inner_text() for i in range(cells.count())}


def test_the_weekly_table_shows_the_hand_counted_week_in_chinese_and_english(page, server, week):
    sign_in(page)
    page.goto(f"/console/numbers/analysis?period=week&day={week.monday + timedelta(days=3)}")
    iso_week = week.monday.isocalendar()[1]
    span = f"{week.monday:%m-%d}–{week.monday + timedelta(days=6):%m-%d}"
    assert page.locator("h1").inner_text() == f"周来人来电统计成交状况分析表（第{iso_week}周 {span}）"
    assert _row(page.get_by_test_id("analysis").get_by_test_id("total")) == TOTAL
    monday = _row(page.get_by_test_id("analysis").locator("tbody tr").first)
    # Monday: 张伟×3 + 李娜 = 4 registrations, 2 visitors, 4 + 2 = 6 people
    assert (monday["registrations"], monday["visitors"], monday["people"]) == ("4", "2", "6")
    reps = page.get_by_test_id("analysis-reps")
    assert reps.locator("tbody tr").first.locator("td").first.inner_text() == "王丽"  # the contract first
    assert page.get_by_test_id("by-rep-help").inner_text() == text("funnel.by_rep_help", "zh")  # QA sweep
    shot(page, "funnel-week-zh")
    page.get_by_test_id("lang-switch").click()
    assert page.locator("h1").inner_text() == f"Weekly visitors, calls and deals (Week {iso_week}, {span})"
    assert _row(page.get_by_test_id("analysis").get_by_test_id("total")) == TOTAL
    assert "Visitor to contract" in page.get_by_test_id("analysis").locator("thead").inner_text()
    shot(page, "funnel-week-en")


def test_the_numbers_page_shows_the_funnel_by_week_with_week_labels(page, server, week):
    sign_in(page)
    sunday = week.monday + timedelta(days=6)
    page.goto(f"/console/numbers?period=week&start={week.monday}&end={sunday}")
    funnel = page.get_by_test_id("funnel")
    label = f"第{week.monday.isocalendar()[1]}周 {week.monday:%m-%d}–{sunday:%m-%d}"
    assert funnel.locator("tbody tr").first.locator("td").first.inner_text() == label
    assert _row(funnel.get_by_test_id("total")) == TOTAL
    assert page.get_by_test_id("by-period").locator("tbody tr").first.locator("td").first.inner_text() == label
    shot(page, "funnel-numbers-zh")


def test_the_customer_page_lists_the_deals_with_stage_unit_amount_and_rep(page, server, week):
    sign_in(page)
    page.goto(f"/console/customers/{week.zhang_wei}")
    deals = page.get_by_test_id("deal")
    assert [deals.nth(i).get_by_test_id("deal-stage").inner_text() for i in range(deals.count())] == [
        "小定", "小定", "大定", "签约"]
    assert deals.nth(3).get_by_test_id("deal-amount").inner_text() == "1,500,000"
    # the 小定 recorded again is marked: the funnel counts it once
    assert [deals.nth(i).get_by_test_id("deal-repeat").count() for i in range(4)] == [0, 1, 0, 0]
    assert deals.nth(1).get_by_test_id("deal-repeat").inner_text() == "重复登记，统计计一次"
    assert "王丽" in deals.nth(3).inner_text() and "3-1201" in deals.nth(3).inner_text()


def test_the_weekly_xlsx_has_numbers_percentages_and_the_hand_counted_total(server, week):
    session = requests_session(server)
    response = session.get(server.base_url + "/console/numbers/analysis", timeout=30,
                           params={"period": "week", "day": week.monday.isoformat(), "format": "xlsx"})
    assert response.status_code == 200, response.text[:300]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    total = {h: c for h, c in zip(headings, sheet[sheet.max_row], strict=True)}
    assert total["来访登记"].value == 7 and total["来访客户"].value == 3 and total["来访人数"].value == 12
    assert total["签约金额"].value == 1500000 and total["签约金额"].data_type == "n"
    assert total["签约金额"].number_format == "#,##0.00"
    assert total["成交率"].value == pytest.approx(1 / 3) and total["成交率"].number_format == "0.0%"
    assert total[headings[0]].value == "合计" and sheet.max_row == 9  # headings, 7 days, total
    assert book.worksheets[1].title == "按售楼员"
    # a customer registered for two reps counts under each: the sheet says so under the total (QA sweep)
    reps = book.worksheets[1]
    assert reps.cell(reps.max_row, 1).value == text("funnel.by_rep_help", "zh")
    assert reps.cell(reps.max_row - 2, 1).value == "合计"
    # the period whole in the sheet's name (QA of issue 11, F13: the page's title lost its "）" at 31 characters)
    iso = week.monday.isocalendar()[1]
    span = f"{week.monday:%m-%d}–{week.monday + timedelta(days=6):%m-%d}"
    assert sheet.title == f"周报表 第{iso}周 {span}"


def test_the_deals_and_registrations_exports_are_typed_and_speak_chinese(server, week):
    session = requests_session(server)
    sunday = week.monday + timedelta(days=6)
    response = session.get(server.base_url + "/console/exports/download", timeout=30, params={
        "kind": "all", "format": "xlsx", "start": week.monday.isoformat(), "end": sunday.isoformat()})
    assert response.status_code == 200, response.text[:300]
    book = load_workbook(io.BytesIO(response.content))
    deals = book["成交记录"]
    head = [c.value for c in deals[1]]
    rows = [dict(zip(head, r, strict=True)) for r in deals.iter_rows(min_row=2)]
    assert [r["阶段"].value for r in rows] == ["小定", "小定", "大定", "小定", "小定", "签约"]
    assert [r["事项"].value for r in rows] == ["成交", "成交", "成交", "成交", "退订", "成交"]
    counted_on = (week.monday + timedelta(days=2)).isoformat()  # the first 小定's day names the counted one
    assert [r["计入统计"].value for r in rows] == ["是", f"否（该房号此阶段已于{counted_on}计入）", "是", "是", "是", "是"]
    contract = rows[-1]
    assert contract["金额（元）"].value == 1500000 and contract["金额（元）"].data_type == "n"
    assert contract["登记时间"].is_date and contract["登记时间"].number_format == "yyyy-mm-dd hh:mm"
    assert contract["电话"].value == "138 0013 8000" and contract["电话"].data_type == "s"
    registrations = book["来访登记"]
    head = [c.value for c in registrations[1]]
    li_na = next(dict(zip(head, r, strict=True)) for r in registrations.iter_rows(min_row=2)
                 if r[1].value == "李娜")
    notes = li_na["备注"]  # formula text stays text, shown as typed: no apostrophe
    assert notes.value == "=HYPERLINK(\"http://x\")" and notes.data_type == "s" and notes.quotePrefix
    every = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    for code in ("same_boot", "anchor", "general", "small_deposit", "walk_in", "friend", "first"):
        assert code not in every, code


def test_the_monthly_table_has_a_row_per_week_clipped_to_the_month_and_bad_input_is_explained(server, week):
    session = requests_session(server)
    first = week.monday.replace(day=1)
    html = session.get(server.base_url + "/console/numbers/analysis", timeout=30,
                       params={"period": "month", "day": week.monday.isoformat()}).text
    assert f"月来人来电统计成交状况分析表（{first.year}年{first.month}月）" in html
    opening = f"第{first.isocalendar()[1]}周 {first:%m-%d}–"  # the month's first week starts on the 1st
    assert opening in html
    bad = session.get(server.base_url + "/console/numbers/analysis", timeout=30, params={"period": "year"})
    assert bad.status_code == 422 and "请选择周报表或月报表" in bad.text
    bad = session.get(server.base_url + "/console/numbers/analysis", timeout=30, params={"day": "2026-02-30"})
    assert bad.status_code == 422 and "2026-02-30" in bad.text
