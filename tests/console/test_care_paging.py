"""The care page at a million records (issue 11): the complaint queue shows 100 cases a page
with the counts over all of them (the bench's site has ~20,000 open cases: the whole queue
was an 11 MB page). Real server, records pushed over HTTP, headless Chromium."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.console.conftest import sign_in
from tests.console.seed import Tablet
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
def server():
    with LiveServer(env={"FIELDSYNC_CONSOLE_SECRET": "console-test-secret-0123456789"}) as live:
        desk = Tablet(live, "desk.li", "前台平板-投诉")
        desk.boot_started -= timedelta(days=10)
        opened = [desk.record("complaint", (103 - i) * HOUR - HOUR / 2, name=f"客户{i:03d}", phone=f"139 0013 {9000 + i}",
                              data={"status": "open", "content": f"投诉{i:03d}", "severity": "general"})
                  for i in range(103)]
        desk.push(opened)
        yield live


def test_the_complaint_queue_shows_100_cases_a_page_and_counts_them_all(page, server):
    sign_in(page)
    page.goto("/console/care")
    assert page.get_by_test_id("queue-counts").inner_text() == "未结投诉 103 件，其中已逾期 102 件。"
    rows = page.get_by_test_id("case")
    assert rows.count() == 100
    assert "投诉000" in rows.first.inner_text()  # the oldest: its 1-hour response is the soonest deadline
    page.get_by_test_id("next-cases").first.click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("case")
    assert [rows.nth(i).inner_text().split("\t")[1] for i in range(rows.count())] == ["投诉100", "投诉101", "投诉102"]
    assert "第 2 / 2 页" in page.get_by_test_id("case-page-info").first.inner_text()
    page.goto("/console/care?cases=abc")  # not a page number: the first page
    assert page.get_by_test_id("case").count() == 100
