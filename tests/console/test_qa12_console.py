"""Issue 12 QA, a fresh pass (console side), each finding a named regression on a real server
(SQLite; PostgreSQL with ``FIELDSYNC_CONSOLE_DB=postgresql``) over HTTP:

- F10: 各案场争议 says which customer (name, masked number) and links a dispute waiting for the
  director to its place in the approval queue;
- F12.5: a bad ``page_no`` on 审计日志 and ``status=bogus`` on 各案场争议 are said beside the
  field (422), never silently replaced."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import count

import pytest
import requests

from tests.console.conftest import requests_session
from tests.console.seed import SeededDay, seed_day, within_today
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet

_phones = count(1)


@pytest.fixture(scope="module")
def day(server) -> SeededDay:
    server.cli("orgs", "add", "--id", "org-a", "--name", "华东区域")
    server.cli("sites", "set", "--id", "s1", "--org", "org-a", "--approval", "against_rule")
    server.cli("users", "add", "--role", "director", "--org", "org-a", "--username", "dir.a",
               "--password", PASSWORD, "--name", "钱总")
    return seed_day(server)


@pytest.fixture(scope="module")
def manager_api(server, day) -> Tablet:
    return Tablet(server, "zhao.min", "赵敏的平板")


def _get(session: requests.Session, server, path: str, **params) -> requests.Response:
    return session.get(server.base_url + path, params=params, timeout=30)


def _awaiting(day: SeededDay, manager_api: Tablet, name: str) -> tuple[str, dict]:
    """A dispute of ``name`` (王丽 first, 张强 after) decided for 张强 against the rule: it waits
    for the director. Its phone and the conflict as the API lists it."""
    phone = f"139 6{next(_phones):03d} 5678"
    day.desk.push([day.desk.record("walkin", timedelta(minutes=12), rep="wang.li", name=name, phone=phone),
                   day.desk.record("walkin", timedelta(minutes=11), rep="zhang.qiang", name=name, phone=phone)])
    customer = manager_api.get("/customers/lookup", phone=phone).json()["customer_id"]
    conflict = next(c for c in manager_api.get("/conflicts", status="open").json() if c["customer_id"] == customer)
    made = manager_api.post(f"/conflicts/{conflict['id']}/decision", {"owner": "zhang.qiang", "reason": "客户指定"})
    assert made.json()["approval"]["status"] == "awaiting", made.text
    return phone, conflict


def test_f10_director_disputes_name_the_customer_and_link_the_waiting_one(server, day, manager_api):
    phone, conflict = _awaiting(day, manager_api, "郑重")
    director = requests_session(server, "dir.a")
    page = _get(director, server, "/console/director/disputes")
    assert page.status_code == 200
    row = re.search(rf'<tr data-testid="director-dispute" data-conflict="{conflict["id"]}">(.*?)</tr>', page.text, re.S)
    assert row, page.text[:600]
    digits = phone.replace(" ", "")
    assert "郑重" in row.group(1) and f"+86 *******{digits[-4:]}" in row.group(1), row.group(1)  # last four (14)
    assert digits not in row.group(1)  # masked, as for anyone who is not the site's manager
    link = re.search(r'<a href="([^"]+)" data-testid="open-dispute">', row.group(1))
    assert link and link.group(1).startswith("/console/director/approvals#proposal-")
    queue = _get(director, server, "/console/director/approvals").text
    assert f'id="{link.group(1).split("#")[1]}"' in queue


@pytest.mark.parametrize("status", ["bogus", "closed"])
def test_f12_an_unknown_dispute_status_is_said_beside_the_tabs(server, day, status):
    answer = _get(requests_session(server, "dir.a"), server, "/console/director/disputes", status=status)
    assert answer.status_code == 422
    beside = re.search(r'data-testid="error-status"[^>]*>([^<]*)<', answer.text)
    assert beside and f"“{status}”不是可选的值" in beside.group(1)


@pytest.mark.parametrize(("page_no", "words"), [("-1", "“-1”"), ("abc", "“abc”"), ("99999", "“99999”"),
                                                ("0", "“0”")])
def test_f12_a_bad_audit_page_number_is_said_beside_the_pager(server, day, page_no, words):
    answer = _get(requests_session(server), server, "/console/audit", page_no=page_no)
    assert answer.status_code == 422
    beside = re.search(r'data-testid="error-page_no"[^>]*>([^<]*)<', answer.text)
    assert beside and words in beside.group(1) and "页码" in beside.group(1), answer.text[:400]
    assert 'data-testid="audit-error"' in answer.text


def test_f12_a_good_audit_page_number_is_no_error(server, day):
    for page_no in ("", "1"):
        answer = _get(requests_session(server), server, "/console/audit", page_no=page_no)
        assert answer.status_code == 200 and 'data-testid="error-page_no"' not in answer.text


def _leaving(server, username: str, customers: int) -> str:
    server.cli("users", "add", "--site", "s1", "--username", username, "--password", PASSWORD, "--role", "rep",
               "--name", "孙预")
    desk = Tablet(server, "desk.li", f"desk {username}")
    desk.push(*[desk.record(rep=username, phone=f"137 8{next(_phones):03d} {i:04d}", name=f"预览{i}",
                            ago=within_today(60, 60)) for i in range(customers)])
    server.cli("users", "deactivate", username)
    return username


def test_f11_every_preview_of_a_draw_is_logged_and_counted_on_the_record(server, day):
    rep = _leaving(server, "qa12.preview", 3)
    manager = requests_session(server)
    form = f"/console/handover/rep/{rep}"
    for excluded in ([], ["chen.jie"], ["chen.jie", "zhang.qiang"]):  # steering by who sits out
        shown = manager.get(server.base_url + form, params={"preview": "1", "method": "draw", "exclude": excluded},
                            timeout=30)
        assert shown.status_code == 200 and 'data-testid="plan-seed"' in shown.text
    assert manager.get(server.base_url + form, timeout=30).status_code == 200  # the form alone is no preview
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', shown.text).group(1)
    made = manager.post(server.base_url + form, timeout=30, data={
        "csrf_token": csrf, "method": "draw", "reason": "调离", "exclude": ["chen.jie", "zhang.qiang"]})
    assert made.status_code == 200 and "/console/handover/" in made.url
    previews = re.search(r'data-testid="handover-previews">([^<]*)<', made.text).group(1)
    assert previews.strip() == "预览 3 次", previews
    audit = manager.get(server.base_url + "/console/audit", params={"person": rep}, timeout=30).text
    rows = re.findall(r'<tr data-testid="audit-row">(.*?)</tr>', audit, re.S)
    logged = [r for r in rows if "预览交接结果" in r]
    assert len(logged) == 3 and any("不参加：陈杰（chen.jie）、张强（zhang.qiang）；结果：王丽（wang.li） 3" in r for r in logged), logged
    assert any("不参加：—" in r for r in logged)


def test_f11_a_handover_without_a_preview_says_none(server, day):
    rep = _leaving(server, "qa12.nopreview", 1)
    manager = requests_session(server)
    form = f"/console/handover/rep/{rep}"
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', manager.get(server.base_url + form, timeout=30).text).group(1)
    made = manager.post(server.base_url + form, timeout=30, data={"csrf_token": csrf, "method": "draw", "reason": "长假"})
    assert re.search(r'data-testid="handover-previews">([^<]*)<', made.text).group(1).strip() == "预览 0 次"
