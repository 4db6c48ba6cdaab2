"""Issue 14 N3 in a real Chromium: the QA's example. A rep names 300 unknown numbers (her
day's budget) and then 208 junk calls more: all held, the badge says 208. The manager reads
the page's counts by pusher, refuses all of the rep's held records in one action after a
confirmation page with a reason, and the badge goes away; no customer or tag came of any of
them (the rep's pull and the manager's ownership index), the records are still stored and the
registrations export marks the refused walk-ins. Then the page in English."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from sync_server.services.record_budget import RECORD_BUDGET
from tests.console.conftest import requests_session, shot, sign_in
from tests.console.seed import Tablet, now_cst
from tests.server.helpers import Tablet as SyncTablet

JUNK = 208  # the QA's count: held calls of one rep
REASON = "一小时内上传两百多个陌生号码，疑似试号码"


@pytest.fixture(scope="module")
def junk(server) -> list[dict]:
    """王丽 spends her budget (300 calls of unknown numbers), then 206 calls and two walk-ins
    more, each a new number: 208 held."""
    wang = Tablet(server, "wang.li", "王丽的平板")
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    spent = [wang.record("call", m(120), rep=None, name="某", phone=f"138{7000 + i:04d}8000") for i in range(RECORD_BUDGET)]
    for start in range(0, len(spent), 100):
        wang.push(spent[start:start + 100])
    held = [wang.record("walkin" if i < 2 else "call", m(90 - i // 4), rep="wang.li" if i < 2 else None,
                        name=f"试{i}", phone=f"139 {i:04d} 7000") for i in range(JUNK)]
    results = []
    for start in range(0, len(held), 100):
        results += wang.push(held[start:start + 100])["results"]
    assert all(r.get("owner_withheld") for r in results), results[:2]
    return held


def test_the_manager_dismisses_all_of_a_reps_held_records_in_one_action(page, server, junk):
    sign_in(page)
    page.goto("/console/held")
    assert page.get_by_test_id("held-badge").inner_text() == str(JUNK)
    assert "确认＝回答上传人的查询" in page.get_by_test_id("held-release-means").inner_text()
    pusher = page.locator("tr[data-testid='held-pusher'][data-pusher='wang.li']")
    assert pusher.get_by_test_id("pusher-name").inner_text() == "王丽"
    assert pusher.get_by_test_id("pusher-devices").inner_text() == "王丽的平板"
    assert pusher.get_by_test_id("pusher-count").inner_text() == str(JUNK)
    shot(page, "held-by-pusher")
    pusher.get_by_test_id("pusher-dismiss").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("held-confirm-what").inner_text() == \
        f"将不予确认 王丽 上传的全部 {JUNK} 条待确认记录（{JUNK} 个号码）。"
    assert "记录仍然保存" in page.get_by_test_id("held-confirm-effect").inner_text()
    assert page.get_by_test_id("held-badge").inner_text() == str(JUNK)  # nothing done by looking
    page.get_by_test_id("held-reason").fill(REASON)
    shot(page, "held-dismiss-confirm")
    page.get_by_test_id("held-dismiss-submit").click()
    page.wait_for_load_state()
    assert f"已不予确认 {JUNK} 条（王丽）" in page.locator("p.flash").inner_text()
    assert page.get_by_test_id("held-badge").count() == 0  # the badge is gone: 0 held
    assert page.get_by_test_id("held-none").is_visible()
    assert page.url.endswith("/console/held")
    shot(page, "held-dismissed")
    page.reload()  # POST-redirect-GET: a reload posts nothing again
    assert page.locator("p.flash").count() == 0 and page.get_by_test_id("held-none").is_visible()

    # no customer or tag came of any of them
    phones = {"+86" + r["customer"]["phone"].replace(" ", "") for r in junk}
    manager_changes, _ = SyncTablet(server, "zhao.min", "manager-check").pull_all(keys="tag")
    assert not phones & {c["customer"].get("phone") for c in manager_changes if c["kind"] == "ownership"}
    rep_changes, _ = SyncTablet(server, "wang.li", "王丽的平板-2").pull_all(keys="tag")
    mine = {c["record"]["id"]: c["record"] for c in rep_changes if c["kind"] == "record"}
    for record in junk:
        assert mine[record["id"]]["phone_tag"] is None and mine[record["id"]]["owner_dismissed"]["reason"] == REASON
    assert not [c for c in rep_changes if c["kind"] == "ownership" and c["customer"].get("owner") == "wang.li"]
    # still stored, and the export says they were refused
    stored = {c["record"]["id"] for c in manager_changes if c["kind"] == "record"}
    assert {r["id"] for r in junk} <= stored
    day = now_cst().date()
    raw = requests_session(server).get(server.base_url + "/console/exports/download", timeout=30, params={
        "kind": "registrations", "format": "csv", "start": (day - timedelta(days=1)).isoformat(),
        "end": day.isoformat()}).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    by_id = {r[rows[0].index("记录编号")]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    for record in junk[:2]:
        assert re.fullmatch(r"是（赵敏 \S+ \S+）", by_id[record["id"]]["经理不予确认"])
        assert by_id[record["id"]]["不予确认原因"] == REASON


def test_the_audit_row_links_to_the_pushers_held_records_in_english_too(page, server, junk):
    sign_in(page)
    page.goto("/console/audit?person=wang.li")
    link = page.get_by_test_id("audit-held-link").first
    assert link.inner_text() == "查看此人待确认的记录"
    link.click()
    page.wait_for_load_state()
    assert "/console/held?pusher=wang.li" in page.url
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert "Confirming answers the pusher's look-up" in page.get_by_test_id("held-release-means").inner_text()
    assert page.get_by_test_id("held-count").inner_text() == "0 held"
    page.get_by_test_id("lang-switch").click()
