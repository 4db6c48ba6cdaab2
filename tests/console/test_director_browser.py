"""R10 approval in a real Chromium (issue 12): a manager's decision against the rule waits for
the sales director (待审批), the director approves it (the owner changes) or returns it with a
reason the manager reads; a director of another organisation reaches none of it; a manager
cannot approve; every approval and return is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.console.conftest import csrf_of, requests_session, shot, sign_in, submit
from tests.console.seed import SeededDay, seed_day
from tests.live_server import PASSWORD, SITE_NAME
from tests.server.helpers import two_organisations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def day(server) -> SeededDay:
    two_organisations(server, PASSWORD, "南区案场")
    seeded = seed_day(server)
    # a second dispute for the return: 刘强 registered for 王丽 first, then for 张强
    seeded.desk.push([seeded.desk.record("walkin", timedelta(minutes=20), rep="wang.li", name="刘强",
                                         phone="139 5555 6666"),
                      seeded.desk.record("walkin", timedelta(minutes=19), rep="zhang.qiang", name="刘强",
                                         phone="139 5555 6666")])
    return seeded


def _propose(page, customer: str, reason: str) -> str:
    """The manager decides the dispute of ``customer`` for 张强 (against the rule); its URL."""
    page.goto("/console/disputes")
    submit(page, page.locator("tr", has_text=customer).get_by_test_id("open-dispute"))
    url = page.url
    assert page.get_by_test_id("conflict-owner").inner_text() == "王丽"
    page.check("#owner-zhang\\.qiang")
    page.fill("#reason", reason)
    page.get_by_test_id("decide").click()
    return url


def test_manager_proposes_director_approves_and_the_owner_changes(page, browser, server, day):
    sign_in(page)
    url = _propose(page, "张伟", "客户明确要求由张强继续接待")
    assert "已提交销售总监审批" in page.locator(".flash").inner_text()
    awaiting = page.get_by_test_id("approval-awaiting").inner_text()
    assert "赵敏" in awaiting and "张强" in awaiting and "客户明确要求由张强继续接待" in awaiting
    assert "王丽" in awaiting and page.get_by_test_id("decision-form").count() == 0
    assert page.get_by_test_id("conflict-owner").inner_text() == "王丽"  # the rule's owner stands
    shot(page, "director-01-awaiting")
    page.goto("/console/disputes")
    assert page.locator("tr", has_text="张伟").get_by_test_id("awaiting-badge").inner_text() == "待审批"

    context = browser.new_context(base_url=server.base_url, locale="zh-CN")
    director = context.new_page()
    sign_in(director, "dir.a")
    assert director.url.endswith("/console/director/approvals")
    proposal = director.get_by_test_id("proposal").filter(has_text="张伟")
    assert proposal.get_by_test_id("rule-owner").inner_text() == "王丽"
    assert proposal.get_by_test_id("proposed-owner").inner_text() == "张强"
    shot(director, "director-02-queue")
    proposal.get_by_test_id("approve").click()
    assert "已批准" in director.locator(".flash").inner_text()
    assert director.get_by_test_id("proposal").filter(has_text="张伟").count() == 0

    page.goto(url)
    decision = page.get_by_test_id("decision").inner_text()
    assert "赵敏" in decision and "客户明确要求由张强继续接待" in decision
    assert "钱总" in page.get_by_test_id("approval-approved").inner_text() or \
        "dir.a" in page.get_by_test_id("approval-approved").inner_text()
    page.get_by_test_id("customer-link").click()
    assert page.get_by_test_id("customer-owner").inner_text() == "张强"

    director.goto("/console/director/audit")
    assert "批准裁定" in director.get_by_test_id("audit").inner_text()
    director.goto("/console/director/compare")
    assert director.get_by_test_id("compare-row").count() == 1  # org-a has one site; org-b's is not shown
    shot(director, "director-03-compare")
    context.close()


def test_director_returns_with_a_reason_the_manager_reads(page, browser, server, day):
    sign_in(page)
    url = _propose(page, "刘强", "张强说客户先找的他")
    context = browser.new_context(base_url=server.base_url, locale="zh-CN")
    director = context.new_page()
    sign_in(director, "dir.a")
    proposal = director.get_by_test_id("proposal").filter(has_text="刘强")
    proposal.get_by_test_id("return").click()  # no reason: refused, in Chinese
    assert "请填写退回理由" in director.get_by_test_id("form-errors").inner_text()
    proposal = director.get_by_test_id("proposal").filter(has_text="刘强")
    proposal.get_by_test_id("return-reason-input").fill("请附上客户的书面说明再提交")
    proposal.get_by_test_id("return").click()
    assert "已退回" in director.locator(".flash").inner_text()
    director.goto("/console/director/audit")
    assert "退回裁定" in director.get_by_test_id("audit").inner_text()
    context.close()

    page.goto(url)
    assert page.get_by_test_id("return-reason").inner_text() == "请附上客户的书面说明再提交"
    assert page.get_by_test_id("decision-form").count() == 1  # open again for the manager
    assert page.get_by_test_id("conflict-owner").inner_text() == "王丽"
    shot(page, "director-04-returned")


def test_another_organisations_director_and_a_manager_cannot_approve(server, day):
    manager = requests_session(server)
    form = manager.get(server.base_url + "/console/disputes", timeout=30)
    url = server.base_url + "/console/disputes"
    conflict_id = next(part.split('"')[0] for part in form.text.split('/console/disputes/')[1:])
    html = manager.get(f"{url}/{conflict_id}", timeout=30).text
    manager.post(f"{url}/{conflict_id}/decision", timeout=30,
                 data={"csrf_token": csrf_of(html), "owner": "zhang.qiang", "split_preset": "none",
                       "reason": "客户要求"})
    mine = requests_session(server, "dir.a")
    queue = mine.get(server.base_url + "/console/director/approvals", timeout=30).text
    proposal = queue.split('data-proposal="')[1].split('"')[0]
    approve = f"{server.base_url}/console/director/approvals/s1/{proposal}/approve"

    other = requests_session(server, "dir.b")
    their_queue = other.get(server.base_url + "/console/director/approvals", timeout=30)
    assert their_queue.status_code == 200 and proposal not in their_queue.text
    refused = other.post(approve, data={"csrf_token": csrf_of(their_queue.text)}, timeout=30)
    assert refused.status_code == 404 and "您所辖案场没有这条待审批的裁定" in refused.text
    assert other.get(server.base_url + "/console/director/disputes", timeout=30).text.count("南区案场") >= 1
    compare = other.get(server.base_url + "/console/director/compare", timeout=30).text
    assert "南区案场" in compare and SITE_NAME not in compare
    assert SITE_NAME not in other.get(server.base_url + "/console/director/disputes", timeout=30).text

    refused = manager.post(approve, data={"csrf_token": csrf_of(html)}, timeout=30)
    assert refused.status_code == 403
    assert proposal in mine.get(server.base_url + "/console/director/approvals", timeout=30).text  # still waiting
    # a director on a manager's page is sent to their own
    assert mine.get(server.base_url + "/console/disputes", timeout=30).url.endswith("/console/director/approvals")
