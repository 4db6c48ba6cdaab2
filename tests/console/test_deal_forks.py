"""A deal corrected on two tablets (a forked chain) in the console, over HTTP as the tablets push
it: the funnel counts it once by the later correction (``sql/forks.py``), and the customer page
and the deals export list both corrections and say which one the funnel leaves out."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import requests
from openpyxl import load_workbook

from tests.console.conftest import requests_session
from tests.console.seed import Tablet, now_cst


def test_qa13_the_earlier_of_two_corrections_of_a_deal_is_listed_and_said_not_counted(server):
    first, second = Tablet(server, "wang.li", "王丽的平板"), Tablet(server, "wang.li", "王丽的备用平板")
    deal = first.record("deal", timedelta(hours=3), rep="wang.li", name="孙悦", phone="137 1234 5678",
                        data={"stage": "small_deposit", "unit": "6-0601", "amount": 20000})
    first.push([deal])
    # each tablet corrects the same 小定 without seeing the other's correction
    second.push([second.record("deal", timedelta(hours=2), rep="wang.li", name="孙悦", phone="137 1234 5678",
                               supersedes=deal["id"], data={"stage": "small_deposit", "unit": "6-0601",
                                                            "amount": 21000})])
    later = first.record("deal", timedelta(hours=1), rep="wang.li", name="孙悦", phone="137 1234 5678",
                         supersedes=deal["id"], data={"stage": "small_deposit", "unit": "6-0602", "amount": 22000})
    first.push([later])
    session = requests_session(server)
    today = now_cst().date().isoformat()
    since = (now_cst() - timedelta(days=1)).date().isoformat()  # the three records, whatever the hour
    found = requests.get(server.url("/customers/lookup"), params={"phone": "137 1234 5678"}, timeout=30,
                         headers={"Authorization": f"Bearer {first.token}"}).json()
    html = session.get(f"{server.base_url}/console/customers/{found['customer_id']}", timeout=30).text
    assert html.count("已由更晚的更正替代，不计入统计") == 1 and "重复登记" not in html
    export = session.get(server.base_url + "/console/exports/download", timeout=30, params={
        "kind": "deals", "format": "csv", "start": since, "end": today})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert sorted((r["房号"], r["计入统计"]) for r in rows if r["客户"] == "孙悦") == [
        ("6-0601", "否（已由更晚的更正替代）"), ("6-0602", "是")]
    captured_on = (now_cst() - timedelta(hours=3)).date().isoformat()  # the chain's day (R4)
    numbers = session.get(server.base_url + "/console/numbers/analysis", timeout=30,
                          params={"period": "week", "day": captured_on, "format": "xlsx"})
    assert numbers.status_code == 200
    sheet = load_workbook(io.BytesIO(numbers.content)).worksheets[0]
    headings = [c.value for c in sheet[1]]
    total = dict(zip(headings, [c.value for c in sheet[sheet.max_row]], strict=True))
    assert (total["小定"], total["小定金额"]) == (1, 22000)
    # the later correction withdrawn: the whole chain goes (as for ownership) — both rows say so
    first.push([first.record("withdrawal", timedelta(minutes=30), rep=None, name="孙悦", phone="137 1234 5678",
                             supersedes=later["id"], data={"reason": "登记错误"})])
    export = session.get(server.base_url + "/console/exports/download", timeout=30, params={
        "kind": "deals", "format": "csv", "start": since, "end": today})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert sorted((r["房号"], r["计入统计"]) for r in rows if r["客户"] == "孙悦") == [
        ("6-0601", "否（已撤回）"), ("6-0602", "否（已撤回）")]
    html = session.get(f"{server.base_url}/console/customers/{found['customer_id']}", timeout=30).text
    assert "已由更晚的更正替代" not in html


def test_qa13_the_confirm_page_marks_the_earlier_of_two_corrections_of_a_walkin(server):
    """Both corrections of a forked walk-in are listed for review; the earlier is marked: the
    numbers count the later (QA of the fork change: 共 5 条 beside 来访登记 3, nothing said why)."""
    desk, spare = Tablet(server, "desk.li", "前台平板"), Tablet(server, "desk.li", "前台备用平板")
    walkin = desk.record("walkin", timedelta(minutes=50), rep="wang.li", name="周琳", phone="137 5555 6666",
                         data={"source": "friend", "visit": "first", "party_size": 2})
    desk.push([walkin])
    spare.push([spare.record("walkin", timedelta(minutes=40), rep="wang.li", name="周琳", phone="137 5555 6666",
                             supersedes=walkin["id"], data={"source": "friend", "visit": "first", "party_size": 3})])
    desk.push([desk.record("walkin", timedelta(minutes=30), rep="wang.li", name="周琳", phone="137 5555 6666",
                           supersedes=walkin["id"], data={"source": "friend", "visit": "first", "party_size": 4})])
    day = (now_cst() - timedelta(minutes=50)).date().isoformat()
    html = requests_session(server).get(f"{server.base_url}/console/confirm", params={"day": day}, timeout=30).text
    assert html.count('data-testid="badge-outdated"') == 1 and "另有更晚的更正，不计入统计" in html
