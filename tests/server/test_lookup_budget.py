"""QA of issue 14, finding 2: the server's phone look-up was an oracle that skipped the slow tag.

As rep wang.li, 200 calls of ``GET /customers/lookup?phone=138XXXX8000`` took 8.7 ms each —
199 "not found", 1 naming the owner — with no throttle and no audit entry: every candidate of
a last-four group in ~1.3 h on one connection. Now reception and reps have 120 look-ups per
rolling hour (``services/lookup_budget.py``), counted across ``serve --workers N``; the 121st
is 429 ``lookup_budget`` with Retry-After and a message in zh and en, and the manager's audit
log shows who hit it, once per user per window. Managers are not limited. Both backends.
"""

from __future__ import annotations

import csv
import io

import pytest
import requests

from sync_server.services.lookup_budget import LOOKUP_BUDGET, LookupBudget
from sync_server.services.throttle import SharedSignInThrottle
from tests.console.conftest import requests_session
from tests.live_server import LiveServer
from tests.postgres_server import fresh_database
from tests.server.helpers import Tablet

AUDIT_LABEL = "电话查询次数超出上限，暂停查询"


def _candidate(i: int) -> str:
    """The QA script's enumeration: 138 XXXX 8000, the middle four digits in order."""
    return f"138{i:04d}8000"


def _lookup(base_url: str, token: str, phone: str, lang: str = "zh-CN", close: bool = False) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": lang}
    if close:  # a new connection each time, so any worker may answer
        headers["Connection"] = "close"
    return requests.get(f"{base_url}/api/v1/customers/lookup", params={"phone": phone}, headers=headers, timeout=30)


def _spend(base_url: str, token: str, n: int, close: bool = False) -> list[int]:
    return [_lookup(base_url, token, _candidate(i), close=close).status_code for i in range(n)]


def _assert_budget_refusal(answer: requests.Response) -> None:
    assert answer.status_code == 429, answer.text
    error = answer.json()["error"]
    assert error["code"] == "lookup_budget"
    assert 0 < int(answer.headers["Retry-After"]) <= 3601
    assert error["message"] == error["messages"]["zh"]
    assert "一小时内已查询 120 个电话号码" in error["message"] and "请经理代为查询" in error["message"]
    assert "，" in error["message"] and "," not in error["messages"]["zh"]  # full-width punctuation
    assert "ask your manager" in error["messages"]["en"]
    assert error["limit"] == LOOKUP_BUDGET and error["retry_after_s"] == int(answer.headers["Retry-After"])


@pytest.fixture(scope="module")
def world(live_server):
    desk = Tablet(live_server, "desk.li")
    desk.push(desk.record(rep="chen.jie", name="张伟", phone="138 0013 8000"))  # candidate 0013 is a hit
    return {"desk": desk, "wang": Tablet(live_server, "wang.li"), "manager": Tablet(live_server, "zhao.min")}


@pytest.mark.parametrize("user", ["wang", "desk"])
def test_a_reps_or_the_desks_121st_lookup_within_the_hour_is_429_lookup_budget_in_chinese(world, user):
    tablet = world[user]
    statuses = _spend(tablet.server.base_url, tablet.token, LOOKUP_BUDGET)
    assert statuses.count(200) == 1 and statuses.count(404) == LOOKUP_BUDGET - 1  # the QA's pattern, all answered
    for i in (LOOKUP_BUDGET, LOOKUP_BUDGET + 1):  # refused look-ups are not counted, and still refused
        _assert_budget_refusal(_lookup(tablet.server.base_url, tablet.token, _candidate(i)))
    english = _lookup(tablet.server.base_url, tablet.token, _candidate(0), lang="en")
    assert english.status_code == 429 and english.json()["error"]["message"].startswith("You have looked up 120")
    hit = _lookup(tablet.server.base_url, tablet.token, "138 0013 8000")  # even a known number waits
    assert hit.status_code == 429 and "chen.jie" not in hit.text


def test_a_manager_is_not_limited(world):
    manager = world["manager"]
    statuses = _spend(manager.server.base_url, manager.token, LOOKUP_BUDGET + 10)
    assert 429 not in statuses and statuses.count(200) == 1


def test_an_invalid_phone_is_422_and_not_counted(live_server):
    zhang = Tablet(live_server, "zhang.qiang")
    for _ in range(3):
        answer = _lookup(live_server.base_url, zhang.token, "12345")
        assert answer.status_code == 422 and answer.json()["error"]["code"] == "invalid_phone"
    assert 429 not in _spend(live_server.base_url, zhang.token, LOOKUP_BUDGET)
    assert _lookup(live_server.base_url, zhang.token, _candidate(999)).status_code == 429


def _audit_rows(server) -> list[list[str]]:
    answer = requests_session(server).get(server.base_url + "/console/audit/export", params={"format": "csv"},
                                          timeout=30)
    assert answer.status_code == 200
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_the_audit_log_shows_who_ran_out_once_per_user_per_window(world, live_server):
    for user in ("wang", "desk"):  # spent by the test above when it ran; then more refusals
        statuses = [_lookup(live_server.base_url, world[user].token, _candidate(i)).status_code
                    for i in range(LOOKUP_BUDGET + 3)]
        assert statuses[-3:] == [429] * 3
    rows = [row for row in _audit_rows(live_server) if AUDIT_LABEL in row]
    by_who = [row[1] for row in rows]
    for who in ("李静（desk.li）", "王丽（wang.li）"):
        assert by_who.count(who) == 1, rows  # once each, however many refusals
    assert "赵敏（zhao.min）" not in by_who
    assert all("60 分钟内已查询 120 个号码" in row[5] for row in rows)
    page = requests_session(live_server).get(live_server.base_url + "/console/audit", timeout=30)
    assert page.status_code == 200 and AUDIT_LABEL in page.text and "逐个试号码" in page.text


def test_two_budgets_sharing_the_file_count_together(tmp_path):
    """What two workers do (one file, two processes' objects): the count is one, and ages out."""
    now = [2_000_000.0]
    path = str(tmp_path / "phone-lookups.db")
    one, two = (LookupBudget(path, limit=4, window_s=3600, clock=lambda: now[0]) for _ in range(2))
    keys = ["lookup:wang.li"]
    for i in range(4):
        assert not (one if i % 2 else two)._looked.retry_after(keys)
        (one if i % 2 else two)._looked.failed(keys)
    assert one._looked.retry_after(keys) > 0 and two._looked.retry_after(keys) > 0
    assert two._looked.retry_after(["lookup:chen.jie"]) == 0
    # the sign-in throttle's file is another: its 10-minute sweep never drops look-ups
    sign_in = SharedSignInThrottle(str(tmp_path / "sign-in-failures.db"), clock=lambda: now[0])
    now[0] += 20 * 60
    sign_in.failed(sign_in.keys("zhao.min", None))
    assert one._looked.retry_after(keys) > 0
    now[0] += 40 * 60 + 1
    assert one._looked.retry_after(keys) == 0


@pytest.mark.postgres
def test_two_workers_share_the_count():
    with fresh_database("fieldsync_lookup_workers") as url, LiveServer(
            db_url=url, serve_args=["--workers", "2"],
            env={"FIELDSYNC_CONSOLE_SECRET": "workers-share-this-secret-0123"}) as live:
        wang = Tablet(live, "wang.li")
        statuses = _spend(live.base_url, wang.token, LOOKUP_BUDGET, close=True)
        assert set(statuses) == {404}, statuses
        _assert_budget_refusal(_lookup(live.base_url, wang.token, _candidate(LOOKUP_BUDGET), close=True))
        for i in range(4):  # whichever worker answers
            assert _lookup(live.base_url, wang.token, _candidate(i), close=True).status_code == 429
        rows = [row for row in _audit_rows(live) if AUDIT_LABEL in row]
        assert len(rows) == 1, rows
