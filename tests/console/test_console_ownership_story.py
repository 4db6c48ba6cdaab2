"""Issue 9 items 2, 6 and 10 in the manager console (headless Chromium, live server): the
dispute opened by a late earlier claim tells one story ending at the owner, badges the claim
the rule counted first, shows each claim's arrival and how the owner changed; a lapsed
customer's 首次登记 is the first ever and the new claim is named as one."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from tests.console.conftest import shot, sign_in
from tests.server.helpers import Tablet, now_cst

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tablets(server):
    return {user: Tablet(server, user) for user in ("desk.li", "zhao.min")}


def _register(tablets, rep: str, phone: str, minutes_ago: float, name: str = "黄丽") -> dict:
    record = tablets["desk.li"].record(rep=rep, name=name, phone=phone, ago=timedelta(minutes=minutes_ago))
    assert tablets["desk.li"].statuses(record) == ["accepted"]
    return record


def _open_conflict(tablets, phone: str) -> dict:
    manager = tablets["zhao.min"]
    customer_id = manager.get("/customers/lookup", phone=phone).json()["customer_id"]
    return next(c for c in manager.get("/conflicts", status="open").json() if c["customer_id"] == customer_id)


def test_a_late_earlier_claim_after_a_decision_reads_as_one_story_in_the_dispute(page, server, tablets):
    phone = "13900009001"
    wang = _register(tablets, "wang.li", phone, 48)  # 王丽 first, as far as anyone knew
    _register(tablets, "zhang.qiang", phone, 45)
    first = _open_conflict(tablets, phone)
    decided = tablets["zhao.min"].post(f"/conflicts/{first['id']}/decision", {
        "owner": "wang.li", "split": {"wang.li": 70, "zhang.qiang": 30}, "reason": "客户坚持由王丽接待"})
    assert decided.status_code == 200, decided.text
    _register(tablets, "chen.jie", phone, 60)  # captured earlier, synced after the decision
    second = _open_conflict(tablets, phone)

    sign_in(page)
    page.goto(f"/console/disputes/{second['id']}")
    claims = page.get_by_test_id("claim")
    badged = [claims.nth(i).get_attribute("data-rep") for i in range(claims.count())
              if claims.nth(i).get_by_test_id("registered-first").count()]
    # issue 9 case 2: the card of who really registered first (陈杰, arriving late), with the
    # green border; 王丽's card is marked as the owner
    assert badged == ["chen.jie"]
    assert page.locator("section.claim.first").get_attribute("data-rep") == "chen.jie"
    assert page.locator("section.claim[data-rep='wang.li']").get_by_test_id("claim-owner").count() == 1
    assert claims.nth(0).get_by_test_id("arrived").count() == 1  # captured, estimated and arrived
    explanation = page.get_by_test_id("explanation").inner_text()
    assert explanation.count("裁定后才同步") == 1 and explanation.count("裁定：归") == 1
    assert "陈杰 先登记" not in explanation
    history = page.get_by_test_id("owner-history").inner_text()
    assert "归 王丽" in history and "赵敏 裁定，仍归 王丽" in history
    shot(page, "issue9-dispute-late-claim")

    page.get_by_test_id("customer-link").click()
    first_registered = page.get_by_test_id("first-registered").inner_text()
    steps = page.get_by_test_id("history").inner_text()
    assert steps.count("首次登记") == 1 and first_registered in steps  # the header's time is the history's
    assert wang["estimated_at" if "estimated_at" in wang else "captured_at"][:10] == first_registered[:10]


def test_a_lapsed_customer_keeps_the_first_ever_registration_and_names_the_new_claim(page, server, tablets):
    phone = "13900009002"
    desk = Tablet(server, "desk.li", "desk-up-for-weeks")
    desk.reboot("boot-weeks", at=now_cst() - timedelta(days=60))
    old = desk.record(rep="wang.li", name="郑浩", phone=phone, ago=timedelta(days=40))
    assert desk.statuses(old) == ["accepted"]
    _register(tablets, "zhang.qiang", phone, 10, name="郑浩")
    customer_id = tablets["zhao.min"].get("/customers/lookup", phone=phone).json()["customer_id"]

    sign_in(page)
    page.goto(f"/console/customers/{customer_id}")
    first, since = page.get_by_test_id("first-registered").inner_text(), page.get_by_test_id("claim-since").inner_text()
    assert first < since and first[:10] == (now_cst() - timedelta(days=40)).strftime("%Y-%m-%d")
    steps = page.get_by_test_id("history").inner_text()
    assert steps.count("首次登记") == 1 and "开始新的归属" in steps
    shot(page, "issue9-customer-after-lapse")


def test_a_late_earlier_claim_before_any_decision_shows_the_owner_change_in_the_dispute(page, server, tablets):
    phone = "13900009003"
    _register(tablets, "zhang.qiang", phone, 30, name="吴敏")
    _register(tablets, "wang.li", phone, 20, name="吴敏")
    _register(tablets, "chen.jie", phone, 40, name="吴敏")  # the earliest, synced last: it takes the customer
    conflict = _open_conflict(tablets, phone)
    sign_in(page)
    page.goto(f"/console/disputes/{conflict['id']}")
    history = page.get_by_test_id("owner-history").inner_text()
    assert "归 张强" in history and "归属由 张强 变为 陈杰" in history
    claims = page.get_by_test_id("claim")
    assert [claims.nth(i).get_by_test_id("arrived").count() for i in range(claims.count())] == [1, 1, 1]
    assert page.get_by_test_id("conflict-owner").inner_text() == "陈杰"
    shot(page, "issue9-dispute-owner-changed")


def _confirm_row(page, day: str, record_id: str):
    page.goto(f"/console/confirm?day={day}")
    return page.locator(f"[data-testid=registration][data-record='{record_id}']")


def test_a_correction_after_confirmation_stays_on_its_day_and_asks_to_be_confirmed_again(page, server, tablets):
    desk = Tablet(server, "desk.li", "desk-corrections")
    desk.reboot("boot-days", at=now_cst() - timedelta(days=3))
    yesterday = (now_cst() - timedelta(days=1)).strftime("%Y-%m-%d")
    today = now_cst().strftime("%Y-%m-%d")
    visit = desk.record(rep="wang.li", name="黄丽", phone="13900009004", ago=timedelta(days=1))
    call = desk.record("call", rep=None, name="李娜", phone="13900009005", ago=timedelta(days=1, minutes=-5))
    assert desk.statuses(visit, call) == ["accepted", "accepted"]
    sign_in(page)
    for record in (visit, call):
        _confirm_row(page, yesterday, record["id"]).get_by_test_id("confirm-one").click()
        assert "已确认" in _confirm_row(page, yesterday, record["id"]).get_by_test_id("confirm-state").inner_text()

    fix = desk.record(rep="chen.jie", name="黄丽", phone="13900009004", ago=timedelta(minutes=2),
                      supersedes=visit["id"])
    gone = desk.record("withdrawal", rep=None, name="李娜", phone="13900009005", ago=timedelta(minutes=1),
                       supersedes=call["id"], data={"reason": "客户要求删除来电记录"})
    assert desk.statuses(fix, gone) == ["accepted", "accepted"]

    row = _confirm_row(page, yesterday, fix["id"])  # still on its capture day, in its corrected version
    state = row.get_by_test_id("confirm-state").inner_text()
    assert "确认后更正" in state and "王丽 · 黄丽 → 陈杰 · 黄丽" in state and "请重新确认" in state
    assert row.locator("input[type=checkbox]").count() == 1
    page.goto(f"/console/confirm?day={today}")
    assert page.locator(f"[data-record='{fix['id']}']").count() == 0  # not moved to the day it was corrected
    withdrawn = _confirm_row(page, yesterday, call["id"])
    text = withdrawn.get_by_test_id("confirm-state").inner_text()
    assert "撤回" in text and "李静" in text and "客户要求删除来电记录" in text and "请确认知悉" in text
    shot(page, "issue9-confirm-corrected-and-withdrawn")

    withdrawn.get_by_test_id("confirm-one").click()  # the manager acknowledges the withdrawal
    assert "已知悉" in _confirm_row(page, yesterday, call["id"]).get_by_test_id("confirm-state").inner_text()
    _confirm_row(page, yesterday, fix["id"]).get_by_test_id("confirm-one").click()  # and confirms the correction
    assert "已确认" in _confirm_row(page, yesterday, fix["id"]).get_by_test_id("confirm-state").inner_text()
    customer = tablets["zhao.min"].get("/customers/lookup", phone="13900009004").json()["customer_id"]
    page.goto(f"/console/customers/{customer}")
    assert page.get_by_test_id("timeline").get_by_text("已确认").count() == 2  # the first confirmation stays


def test_a_dispute_whose_protection_lapsed_undecided_reads_lapsed_not_resolved(page, server, tablets):
    """QA8 findings 6 and 7: 王丽 and 张强 disputed 冯刚 40 days ago and nobody decided; the 30-day
    window lapsed and 陈杰 registered him now. The old dispute's page and the customer page said
    已裁定 / Resolved, and the conflicts export 待裁定: it reads 未裁定，保护期已过 everywhere."""
    phone = "13900009011"
    desk = Tablet(server, "desk.li", "desk-up-for-weeks-2")
    desk.reboot("boot-weeks-2", at=now_cst() - timedelta(days=60))
    for rep, days in (("wang.li", 40), ("zhang.qiang", 39.9)):
        assert desk.statuses(desk.record(rep=rep, name="冯刚", phone=phone, ago=timedelta(days=days))) == ["accepted"]
    _register(tablets, "chen.jie", phone, 5, name="冯刚")
    manager = tablets["zhao.min"]
    customer_id = manager.get("/customers/lookup", phone=phone).json()["customer_id"]
    conflicts = [c for c in manager.get("/conflicts", status="all").json()
                 if c["customer_id"] == customer_id and c["status"] == "lapsed"]
    assert len(conflicts) == 1, manager.get("/conflicts", status="all").json()
    sign_in(page)
    page.goto(f"/console/disputes/{conflicts[0]['id']}")
    assert page.get_by_test_id("conflict-status").inner_text() == "未裁定，保护期已过"
    page.goto(f"/console/customers/{customer_id}")
    assert page.get_by_test_id("conflict-status").first.inner_text() == "未裁定，保护期已过"
    page.goto("/console/disputes?status=lapsed")  # QA9: it was in neither tab of the queue
    assert page.get_by_test_id("tab-lapsed").get_attribute("class") == "active"
    assert page.locator(f"a[href='/console/disputes/{conflicts[0]['id']}']").count() == 1
    page.goto("/console/disputes?status=open")
    assert page.locator(f"a[href='/console/disputes/{conflicts[0]['id']}']").count() == 0
    day = (now_cst() - timedelta(days=40)).strftime("%Y-%m-%d")
    response = page.request.get(f"/console/exports/download?kind=conflicts&format=csv&start={day}"
                                f"&end={now_cst():%Y-%m-%d}")
    assert response.status == 200, response.text()
    head, *rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    row = next(dict(zip(head, r, strict=True)) for r in rows if conflicts[0]["id"] in r)
    assert row["状态"] == "未裁定，保护期已过" and row["争议编号"] == conflicts[0]["id"], row  # not 记录编号
    # the claims in Chinese punctuation: 王丽 2026-…，同次开机（可靠）；张强 …
    assert "；" in row["各方登记"] and "(" not in row["各方登记"] and row["各方登记"].startswith("王丽 "), row
