"""待确认归属 in a real Chromium (issue 14 follow-up): a rep over the record budget pushes
records of several types; the navigation's badge counts them, the page lists them 100 a page
(the longest waiting first), and its buttons release one record or a phone's records through
the confirmation path, the badge going down; in zh and en."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync_server.services.record_budget import RECORD_BUDGET
from tests.console.conftest import shot, sign_in
from tests.console.seed import Tablet

TYPES = ("walkin", "call", "follow_up", "visit_report", "complaint", "deal")
HELD = 130  # over one page of 100


@pytest.fixture(scope="module")
def held(server) -> list[dict]:
    """王丽 names 300 unknown numbers (her day's budget), then 130 records more in two pushes:
    128 phones, then a follow-up and a complaint naming one more phone (held last: page 2)."""
    wang = Tablet(server, "wang.li", "王丽的平板")
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    spent = [wang.record("call", m(200), rep=None, name="某", phone=f"138{5000 + i:04d}8000") for i in range(RECORD_BUDGET)]
    for start in range(0, len(spent), 100):
        wang.push(spent[start:start + 100])
    records = [wang.record(TYPES[i % 6], m(150 - i), rep="wang.li" if TYPES[i % 6] in ("walkin", "deal") else None,
                           name=f"客户{i}", phone=f"137 {i:04d} 6000") for i in range(HELD - 2)]
    last = [wang.record("follow_up", m(6), rep=None, name="客户128", phone="137 0128 6000"),
            wang.record("complaint", m(5), rep=None, name="客户128", phone="137 0128 6000")]
    results = wang.push(records)["results"] + wang.push(last)["results"]
    assert all(r.get("owner_withheld") for r in results), results[:2]
    records += last
    return records


def test_the_badge_and_the_pages_list_the_held_records(page, held):
    sign_in(page)
    page.goto("/console/disputes")
    assert page.get_by_test_id("held-badge").inner_text() == str(HELD)
    page.get_by_role("link", name="待确认归属").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("held-count").inner_text() == f"共 {HELD} 条待确认"
    rows = page.get_by_test_id("held-record")
    assert rows.count() == 100
    assert "第 1–100 条，共 130 条（第 1 / 2 页）" in page.get_by_test_id("page-info").first.inner_text()
    first = rows.first
    assert first.get_by_test_id("pusher").inner_text() == "王丽"
    assert first.get_by_test_id("device").inner_text() == "王丽的平板"
    assert page.get_by_test_id("confirm-phone").count() == 0  # one record a phone: 确认此条 alone
    types = {rows.nth(i).get_attribute("data-type") for i in range(100)}
    shot(page, "held-page-1")
    page.get_by_test_id("next-page").first.click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("held-record")
    assert rows.count() == 30
    types |= {rows.nth(i).get_attribute("data-type") for i in range(30)}
    assert types == set(TYPES)
    # held last, listed last (the two of one push: by id)
    assert {rows.nth(i).get_attribute("data-record") for i in (28, 29)} == {r["id"] for r in held[-2:]}


def test_confirming_a_phone_releases_its_records_and_the_badge_goes_down(page, held):
    sign_in(page)
    page.goto("/console/held?page=2")
    phone = "+86 " + held[-1]["customer"]["phone"]  # as managers read it, whole
    row = page.locator(f"tr[data-record='{held[-1]['id']}']")
    assert row.get_by_test_id("phone").inner_text() == phone and row.get_by_test_id("customer").inner_text() == "客户128"
    assert row.get_by_test_id("confirm-phone").inner_text() == "确认该号码全部 2 条"
    row.get_by_test_id("confirm-phone").click()
    page.wait_for_load_state()
    assert f"已确认 2 条，号码 {phone} 的归属已按录入时间计入。" in page.locator("p.flash").inner_text()
    assert page.get_by_test_id("held-badge").inner_text() == str(HELD - 2)
    assert page.locator(f"tr[data-record='{held[-2]['id']}']").count() == 0
    one = page.get_by_test_id("held-record").first
    one.get_by_test_id("confirm-one").click()
    page.wait_for_load_state()
    assert "已确认 1 条" in page.locator("p.flash").inner_text()
    assert page.get_by_test_id("held-badge").inner_text() == str(HELD - 3)
    shot(page, "held-released")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Records waiting for you to confirm their owner"
    assert page.get_by_test_id("held-count").inner_text() == f"{HELD - 3} held"
    page.get_by_test_id("lang-switch").click()
