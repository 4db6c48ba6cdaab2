"""Issue 11 in the manager console (real server, records pushed over HTTP, headless Chromium):
the complaint queue shows open complaints with their next deadline, due or overdue, their age
and handler, the working-day limit and an approved extension; overdue follow-ups by rep."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from shared.working_calendar import DEFAULT_CALENDAR
from tests.console.conftest import shot, sign_in
from tests.console.seed import Tablet
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
TODAY = datetime.now(timezone(timedelta(hours=8))).date()
CLOSED = DEFAULT_CALENDAR.next_working_day(TODAY)  # the site closes on its next working day


@pytest.fixture(scope="module")
def server():
    """The console's server, with the site's own closed day (``sites set --closed-days``)."""
    with LiveServer(env={"FIELDSYNC_CONSOLE_SECRET": "console-test-secret-0123456789"}) as live:
        live.cli("sites", "set", "--id", "s1", "--closed-days", CLOSED.isoformat())
        yield live


@pytest.fixture(scope="module")
def cases(server):
    desk = Tablet(server, "desk.li", "前台平板-投诉")
    desk.boot_started -= 60 * DAY

    def complaint(ago, name, phone, **data):
        return desk.record("complaint", ago, name=name, phone=phone, data=data)

    fresh = complaint(3 * HOUR, "李娜", "139 0013 9001", status="open", content="停车位不够", severity="general",
                      handler="王丽")
    ignored = complaint(2 * DAY, "张伟", "138 0013 8001", status="open", content="样板间漏水", severity="major",
                        handler="张强")
    extended = complaint(30 * HOUR, "王芳", "137 0013 7001", status="open", content="合同条款有误", severity="major",
                         handler="陈杰")
    done = complaint(5 * DAY, "刘洋", "136 0013 6001", status="open", content="噪音", severity="general")
    forgotten = complaint(20 * DAY, "赵强", "135 0013 5009", status="open", content="", severity="general")
    desk.push([fresh, ignored, extended, done, forgotten])
    desk.push([
        complaint(2 * HOUR, "李娜", "139 0013 9001", status="responded", refers_to=fresh["id"]),
        complaint(29 * HOUR, "王芳", "137 0013 7001", status="responded", refers_to=extended["id"]),
        complaint(27 * HOUR, "王芳", "137 0013 7001", status="solution_offered", refers_to=extended["id"]),
        complaint(4 * DAY, "刘洋", "136 0013 6001", status="resolved", refers_to=done["id"]),
        complaint(HOUR, "刘洋", "136 0013 6001", status="satisfaction_checked", refers_to=done["id"],
                  satisfaction="satisfied"),
        # follow-up cadence: 周杰 (A) 10 days ago for 王丽: 3 days overdue; 孙丽 (B) 14 days ago for 张强: due today
        desk.record("walkin", 10 * DAY, rep="wang.li", name="周杰", phone="135 0013 5001", data={"intent": "A"}),
        desk.record("walkin", 14 * DAY, rep="zhang.qiang", name="孙丽", phone="135 0013 5002", data={"intent": "B"}),
        # 吴昊 (A) 8 days ago for 陈杰: one day overdue (QA of issue 15: "1 days overdue")
        desk.record("walkin", 8 * DAY, rep="chen.jie", name="吴昊", phone="135 0013 5003", data={"intent": "A"}),
    ])
    manager = Tablet(server, "zhao.min", "经理平板-投诉")  # only a manager approves an extension (QA of issue 11, F3)
    manager.boot_started -= 60 * DAY
    manager.push([manager.record("complaint", 20 * HOUR, rep=None, name="王芳", phone="137 0013 7001",
                                 data={"status": "extension_approved", "refers_to": extended["id"], "limit_days": 7,
                                       "approved_by": "赵敏"})])
    return {"fresh": fresh["id"], "ignored": ignored["id"], "extended": extended["id"], "done": done["id"],
            "forgotten": forgotten["id"]}


def test_the_queue_lists_open_complaints_soonest_deadline_first_with_overdue_marked(page, server, cases):
    sign_in(page)
    page.goto("/console/care")
    rows = page.get_by_test_id("case")
    order = [rows.nth(i).get_attribute("data-case") for i in range(rows.count())]
    assert order == [cases["forgotten"], cases["ignored"], cases["extended"], cases["fresh"]]  # the finished one is gone
    assert [rows.nth(i).get_attribute("data-overdue") for i in range(4)] == ["yes", "yes", "yes", "no"]
    # QA of issue 11, F10/F14: a close-by limit long past says so; no content reads —
    forgotten = rows.nth(0)
    assert "已超期" in forgotten.get_by_test_id("close-by").inner_text() and "—" in forgotten.inner_text()
    assert rows.nth(3).get_by_test_id("close-overdue").count() == 0
    rows = page.locator("[data-testid=case]:not([data-case='" + cases["forgotten"] + "'])")
    ignored = rows.nth(0).inner_text()
    assert "样板间漏水" in ignored and "较大投诉" in ignored and "张强" in ignored and "已登记" in ignored
    assert "响应（1 小时）" in rows.nth(0).get_by_test_id("next").inner_text()
    assert "已逾期" in rows.nth(0).get_by_test_id("next").inner_text()
    assert "2 天" in rows.nth(0).get_by_test_id("age").inner_text()
    assert "3 个工作日" in rows.nth(0).get_by_test_id("close-by").inner_text()
    extended = rows.nth(1)
    assert "反馈结果（24 小时）" in extended.get_by_test_id("next").inner_text()
    assert "7 个工作日" in extended.get_by_test_id("close-by").inner_text()
    assert "赵敏 批准" in extended.get_by_test_id("close-by").inner_text()
    fresh = rows.nth(2)
    assert "初步方案（4 小时）" in fresh.get_by_test_id("next").inner_text()
    assert "未到期" in fresh.get_by_test_id("next").inner_text() and "王丽" in fresh.inner_text()
    # one working day, the site's closed day skipped
    opened = datetime.fromisoformat(fresh.get_by_test_id("opened").inner_text() + ":00").date()
    close_day = date.fromisoformat(fresh.get_by_test_id("close-by").inner_text()[:10])
    if opened == TODAY and DEFAULT_CALENDAR.is_working_day(TODAY):
        assert close_day == DEFAULT_CALENDAR.next_working_day(CLOSED)
    assert close_day != CLOSED
    shot(page, "30-care-queue")


def test_overdue_follow_ups_are_shown_by_rep_most_overdue_first(page, server, cases):
    sign_in(page)
    page.goto("/console/care")
    wang = page.locator("[data-testid=rep-due][data-rep='wang.li']")
    assert wang.get_by_test_id("overdue-count").inner_text() == "1"
    assert "周杰（逾期 3 天）" in wang.get_by_test_id("most-overdue").inner_text()
    zhang = page.locator("[data-testid=rep-due][data-rep='zhang.qiang']")
    assert (zhang.get_by_test_id("overdue-count").inner_text(), zhang.get_by_test_id("due-count").inner_text()) == (
        "0", "1")
    reps = page.get_by_test_id("rep-due")
    assert reps.first.get_attribute("data-rep") == "wang.li"


def test_a_reps_customers_show_last_contact_and_next_due(page, server, cases):
    sign_in(page)
    page.goto("/console/care")
    page.locator("[data-testid=rep-due][data-rep='wang.li']").get_by_test_id("rep-link").click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("rep-customer")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert len(texts) == 1 and "周杰" in texts[0] and "逾期 3 天" in texts[0] and "按等级（000 §五）" in texts[0]
    assert (TODAY - timedelta(days=3)).isoformat() in texts[0]
    assert rows.first.get_attribute("data-state") == "overdue"
    shot(page, "32-care-rep-customers")


def test_the_page_reads_in_english(page, server, cases):
    sign_in(page)
    page.goto("/console/care")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    text = page.content()
    assert "Complaint queue" in text and "respond (1 h)" in text and "approved by 赵敏" in text
    assert "周杰 (3 days overdue)" in text
    assert "吴昊 (1 day overdue)" in text and "1 days" not in text  # QA of issue 15
    shot(page, "31-care-queue-en")
    page.get_by_test_id("lang-switch").click()


def test_qa11_f6_the_complaints_and_follow_ups_exports_carry_what_the_care_page_reads(server, cases):
    """QA of issue 11, F6: each complaint record says which complaint it belongs to; the
    extension its limit and approver; the satisfaction check what the customer said; an opening
    without a severity reads 一般 as in the queue; a follow-up its next date, grade and tier."""
    import io

    from openpyxl import load_workbook

    from tests.console.conftest import requests_session

    rep = Tablet(server, "wang.li", "王丽的平板-跟进")
    rep.push([rep.record("follow_up", HOUR, rep="wang.li", name="周杰", phone="135 0013 5001",
                         data={"method": "phone", "content": "约看样板间", "grade": "A", "tier": "vip",
                               "next_action_on": (date.today() + timedelta(days=3)).isoformat()})])
    session = requests_session(server)
    span = {"start": (TODAY - timedelta(days=30)).isoformat(), "end": (TODAY + timedelta(days=1)).isoformat()}

    def sheet(kind: str):
        response = session.get(server.base_url + "/console/exports/download", timeout=30,
                               params={"kind": kind, "format": "xlsx", **span})
        assert response.status_code == 200, response.text[:300]
        rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    complaints = sheet("complaints")
    by_case = {}
    for row in complaints:
        by_case.setdefault(row["所属投诉（登记记录编号）"], []).append(row)
    extended = by_case[cases["extended"]]
    assert {r["状态"] for r in extended} >= {"已登记", "已响应", "已批准延期"}
    [approval] = [r for r in extended if r["状态"] == "已批准延期"]
    assert (approval["办结时限（工作日）"], approval["批准人"]) == (7, "赵敏")
    [checked] = [r for r in by_case[cases["done"]] if r["状态"] == "已回访"]
    assert checked["满意度"] == "满意"
    [forgotten] = by_case[cases["forgotten"]]
    assert forgotten["级别"] == "一般投诉"  # opened without content: the queue's severity
    [follow] = [r for r in sheet("follow_ups") if r["客户"] == "周杰"]
    assert (follow["等级"], follow["客户层级"]) == ("A", "VIP 客户")
    assert follow["下次联系日期"].date() == date.today() + timedelta(days=3)
    # the customer's page shows them on the follow-up too
    found = session.get(server.base_url + "/console/customers", params={"q": "周杰"}, timeout=30).text
    link = re.search(r'href="(/console/customers/[^"?]+)"', found).group(1)
    page = session.get(server.base_url + link, timeout=30).text
    assert f"下次联系 {(date.today() + timedelta(days=3)).isoformat()}" in page and "等级 A" in page


def test_qa11_f12_a_bad_address_is_said_not_ignored(server, cases):
    """QA of issue 11, F12: ?rep=nobody, ?rep=desk.li, ?cases=abc answered 200 and said nothing."""
    from tests.console.conftest import requests_session

    session = requests_session(server)

    def care(**params):
        response = session.get(server.base_url + "/console/care", params=params, timeout=30)
        return response.status_code, response.text

    status, html = care(rep="nobody")
    assert status == 422 and "“nobody”不是本案场的售楼员" in html
    status, html = care(rep="desk.li")
    assert status == 422 and "“李静”不是本案场的售楼员" in html
    status, html = care(cases="abc")
    assert status == 422 and "“abc”不是有效的页码" in html and 'data-testid="complaint-queue"' in html
    status, html = care(rep="wang.li", page="0")
    assert status == 422 and "“0”不是有效的页码" in html
    assert care(rep="wang.li")[0] == 200 and care()[0] == 200
