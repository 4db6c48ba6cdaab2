"""Issue 14 follow-up: the console's 待确认归属 page lists the held records and releases them.

Before: a held follow-up, visit report, complaint or deal was released only if the manager
happened to confirm a walk-in or call of the same phone on 审核确认, or posted its id by hand;
the console listed no held record, so one could wait for ever. Now ``/console/held`` lists
each (type, capture time, pusher and device, customer and phone, how long it waited), the nav
carries a count, the numbers page says how many of its range are held, and a button releases
one record or every held record of its phone through the confirmation path. Both backends, a
real server.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from sync_server.services.record_budget import RECORD_BUDGET
from tests.console.conftest import csrf_of, requests_session
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet, two_organisations

P1, P1_KEY = "137 5555 0001", "+8613755550001"  # a new customer: six held records of every type of a rep
P2, P2_KEY = "137 5555 0002", "+8613755550002"  # wang's held walk-in, then zhang's later one (not held)
TYPES = ("walkin", "call", "follow_up", "visit_report", "complaint", "deal")


def _spend(tablet: Tablet) -> None:
    """The rep's day of unknown numbers (138 5xxx 8000): the budget is spent, nothing held yet."""
    records = [tablet.record("call", rep=None, name="某", phone=f"138{5000 + i:04d}8000") for i in range(RECORD_BUDGET)]
    for start in range(0, len(records), 100):
        assert not [r for r in tablet.push(*records[start:start + 100])["results"] if r.get("owner_withheld")]


def _rows(html: str) -> list[dict]:
    return [{"id": m.group(1), "phone": m.group(2), "type": m.group(3), "html": m.group(4)}
            for m in re.finditer(r'<tr data-testid="held-record" data-record="([^"]+)" data-phone="([^"]+)" '
                                 r'data-type="([^"]+)">(.*?)</tr>', html, re.S)]


def _owners(server) -> dict[str, str | None]:
    """Phone key -> owner, as the manager's tablet pulls the ownership index."""
    changes, _ = Tablet(server, "zhao.min", "manager-tablet").pull_all(keys="tag")
    owners: dict[str, str | None] = {}
    for change in changes:
        if change["kind"] == "ownership" and change["customer"].get("phone"):
            owners[change["customer"]["phone"]] = change["customer"]["owner"]
    return owners


@pytest.fixture(scope="module")
def held(live_server):
    """张强 registers P2 (captured 10 minutes ago): his customer. 王丽 spends her budget, then
    pushes six types for P1 and a walk-in for P2 captured 55 minutes ago (held): 张强 owns P2
    until the manager releases 王丽's, which was captured first."""
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    zhang = Tablet(live_server, "zhang.qiang", "张强的平板")
    [result] = zhang.push(zhang.record("walkin", ago=m(10), rep="zhang.qiang", name="周琳", phone=P2))["results"]
    assert result["status"] == "accepted" and "owner_withheld" not in result
    wang = Tablet(live_server, "wang.li", "王丽的平板")
    _spend(wang)
    records = [wang.record(t, ago=m(50 - i), rep="wang.li" if t in ("walkin", "deal") else None, name="孙悦", phone=P1)
               for i, t in enumerate(TYPES)]
    records.append(wang.record("walkin", ago=m(55), rep="wang.li", name="周琳", phone=P2))
    results = wang.push(*records)["results"]
    assert [r.get("owner_withheld") for r in results] == [True] * 7, results
    return {"records": records, "server": live_server}


def test_the_page_lists_every_held_record_as_the_manager_sees_it(held):
    server = held["server"]
    session = requests_session(server)
    page = session.get(server.base_url + "/console/held", timeout=30)
    assert page.status_code == 200
    rows = _rows(page.text)
    assert {r["id"] for r in rows} == {r["id"] for r in held["records"]}
    by_id = {r["id"]: r for r in rows}
    for record in held["records"]:
        row = by_id[record["id"]]
        assert row["type"] == record["type"]
        assert "王丽" in row["html"] and "王丽的平板" in row["html"]  # the pusher: name and device
        assert record["customer"]["name"] in row["html"] and record["customer"]["phone"] in row["html"]
    assert 'data-testid="held-badge"' in page.text and ">7</span>" in page.text
    assert "共 7 条待确认" in page.text
    assert _owners(server).get(P1_KEY) is None and _owners(server)[P2_KEY] == "zhang.qiang"


def test_a_page_past_the_last_shows_the_last_and_says_so(held):
    """QA of issue 14 (N8): ``?page=4`` of 3 showed page 3 silently."""
    server = held["server"]
    session = requests_session(server)
    page = session.get(server.base_url + "/console/held?page=4", timeout=30)
    assert page.status_code == 200 and "没有第 4 页" in page.text and "已显示最后一页" in page.text
    assert {r["id"] for r in _rows(page.text)} == {r["id"] for r in held["records"]}


def test_the_numbers_count_held_walkins_and_calls_and_say_how_many_are_held(held):
    server = held["server"]
    page = requests_session(server).get(server.base_url + "/console/numbers", timeout=30).text
    line = re.search(r'data-testid="held-in-range">(.*?)</p>', page, re.S)
    assert line and "本期间有 7 条记录（其中来访 2 条、来电 1 条）的归属待经理确认" in line.group(1), line
    assert 'href="/console/held"' in line.group(1)
    walkins = int(re.search(r'data-testid="total-walkins">(\d+)<', page).group(1))
    calls = int(re.search(r'data-testid="total-calls">(\d+)<', page).group(1))
    assert walkins == 3 and calls == RECORD_BUDGET + 1  # the held ones counted: 王丽's two and 张强's walk-in


def test_the_directors_comparison_shows_each_sites_held_records(held):
    server = held["server"]
    two_organisations(server, PASSWORD)
    page = requests_session(server, "dir.a").get(server.base_url + "/console/director/compare", timeout=30)
    assert page.status_code == 200
    row = re.search(r'<tr data-testid="compare-row" data-site="s1">(.*?)</tr>', page.text, re.S)
    assert row and '<td class="num" data-testid="held-count">7</td>' in row.group(1)
    assert "<th class=\"num\">待确认归属</th>" in page.text


def test_releasing_a_phone_and_one_record_decides_the_owner_by_capture_time(held):
    server = held["server"]
    session = requests_session(server)
    csrf = csrf_of(session.get(server.base_url + "/console/held", timeout=30).text)
    answer = session.post(server.base_url + "/console/held", data={"csrf_token": csrf, "phone": P1_KEY}, timeout=30)
    assert answer.status_code == 200 and "已确认 6 条，号码 +86 137 5555 0001 的归属已按录入时间计入。" in answer.text
    assert {r["id"] for r in _rows(answer.text)} == {held["records"][6]["id"]}
    assert _owners(server)[P1_KEY] == "wang.li"
    answer = session.post(server.base_url + "/console/held", timeout=30,
                          data={"csrf_token": csrf, "record_id": held["records"][6]["id"]})
    assert answer.status_code == 200 and "已确认 1 条" in answer.text and "没有待确认归属的记录。" in answer.text
    assert 'data-testid="held-badge"' not in answer.text
    assert _owners(server)[P2_KEY] == "wang.li"  # captured 55 minutes ago: before 张强's walk-in


def test_a_second_submit_says_who_released_them_and_when(held):
    server = held["server"]
    session = requests_session(server)
    csrf = csrf_of(session.get(server.base_url + "/console/held", timeout=30).text)
    for data in ({"phone": P1_KEY}, {"record_id": held["records"][2]["id"]}, {"record_id": held["records"][6]["id"]}):
        answer = session.post(server.base_url + "/console/held", data={"csrf_token": csrf, **data}, timeout=30)
        assert answer.status_code == 200, data
        assert re.search(r"这些记录已由 赵敏 于 \d{4}-\d\d-\d\d \d\d:\d\d 确认，归属已计入，无需再次确认。", answer.text), data


def test_bad_ids_and_phones_are_404_and_write_nothing(held):
    server = held["server"]
    session = requests_session(server)
    csrf = csrf_of(session.get(server.base_url + "/console/held", timeout=30).text)
    for data in ({"record_id": "00000000-0000-0000-0000-000000000000"}, {"phone": "+8613000000000"},
                 {"record_id": "<script>"}):
        answer = session.post(server.base_url + "/console/held", data={"csrf_token": csrf, **data}, timeout=30)
        assert answer.status_code == 404 and "找不到该记录" in answer.text, data
    answer = session.post(server.base_url + "/console/held", data={"csrf_token": csrf}, timeout=30)
    assert answer.status_code == 200 and "请选择要确认的记录。" in answer.text
    answer = session.get(server.base_url + "/console/held?page=abc", timeout=30)
    assert answer.status_code == 200 and "“abc”不是页码" in answer.text


def test_a_held_record_waits_when_another_reps_record_of_its_phone_arrives(held):
    """Found while building the page: 张强's later walk-in of a phone made the unit be decided
    again from every stored record of it, 王丽's held one included — she owned it with no
    manager's confirmation. Now a held record counts only once released."""
    server = held["server"]
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    wang, zhang = Tablet(server, "wang.li", "王丽的平板-2"), Tablet(server, "zhang.qiang", "张强的平板-2")
    mine = wang.record("walkin", ago=m(30), rep="wang.li", name="吴昊", phone="137 5555 0003")
    assert wang.push(mine)["results"][0].get("owner_withheld") is True
    zhang.push(zhang.record("walkin", ago=m(5), rep="zhang.qiang", name="吴昊", phone="137 5555 0003"))
    assert _owners(server)["+8613755550003"] == "zhang.qiang"  # 王丽's record waits for the manager
    session = requests_session(server)
    csrf = csrf_of(session.get(server.base_url + "/console/held", timeout=30).text)
    answer = session.post(server.base_url + "/console/held", data={"csrf_token": csrf, "record_id": mine["id"]},
                          timeout=30)
    assert "已确认 1 条" in answer.text
    assert _owners(server)["+8613755550003"] == "wang.li"  # released: captured first (R1)


def test_nothing_a_rep_entered_is_lost(held):
    changes, _ = Tablet(held["server"], "zhao.min", "manager-check").pull_all()
    pulled = {c["record"]["id"]: c["record"] for c in changes if c["kind"] == "record"}
    for record in held["records"]:
        assert pulled[record["id"]]["data"] == record["data"] and pulled[record["id"]]["type"] == record["type"]
        assert pulled[record["id"]]["customer"]["name"] == record["customer"]["name"]
        assert not pulled[record["id"]].get("owner_withheld")
