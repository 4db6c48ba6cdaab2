"""The day confirmation pages its rows (issue 11): a promotion day with hundreds of
registrations shows 100 a page, by desk then time, with a pager; the summary and "confirm all"
still cover the whole day. Over HTTP on a real server (the rows are pushed as tablets push)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from tests.console.conftest import csrf_of, requests_session
from tests.console.seed import CST, Tablet, now_cst

DESK_A, DESK_B = 150, 80  # 230 registrations: pages of 100, 100 and 30


def _noon_yesterday() -> datetime:
    day = (now_cst() - timedelta(days=1)).date()
    return datetime(day.year, day.month, day.day, 12, tzinfo=CST)


@pytest.fixture(scope="module")
def busy_day(server) -> tuple[str, list[str]]:
    """Yesterday: desk A registers 150 walk-ins from 12:00, desk B 80 from 13:00 (one a
    second); the ids in the order the page lists them (desk A first: it registered first)."""
    noon = _noon_yesterday()
    ids: list[str] = []
    for name, count, start in (("前台平板-甲", DESK_A, noon), ("前台平板-乙", DESK_B, noon + timedelta(hours=1))):
        desk = Tablet(server, "desk.li", name, boot_started=noon - timedelta(hours=1))
        records = [desk.record("walkin", now_cst() - (start + timedelta(seconds=n)), rep="wang.li",
                               name=f"客户{len(ids) + n}", phone=f"139{len(ids) + n:08d}") for n in range(count)]
        desk.push(records)
        ids += [r["id"] for r in records]
    return noon.date().isoformat(), ids


@pytest.fixture(scope="module")
def manager(server):
    return requests_session(server)


def _rows(html: str) -> list[str]:
    return re.findall(r'data-testid="registration" data-record="([^"]+)"', html)


def _page(server, manager, day: str, page: int | str | None = None) -> str:
    suffix = f"&page={page}" if page is not None else ""
    answer = manager.get(f"{server.base_url}/console/confirm?day={day}{suffix}", timeout=30)
    assert answer.status_code == 200
    return answer.text


def test_each_page_shows_its_hundred_rows_by_desk_then_time(server, manager, busy_day):
    day, ids = busy_day
    first, second, third = (_page(server, manager, day, n) for n in (1, 2, 3))
    assert _rows(first) == ids[:100]
    assert _rows(second) == ids[100:200]  # desk A's last 50, then desk B's first 50
    assert _rows(third) == ids[200:]
    assert _rows(_page(server, manager, day)) == ids[:100]  # no page named: the first
    assert _rows(_page(server, manager, day, 99)) == ids[200:]  # past the end: the last
    assert "第 101–200 条，共 230 条（第 2 / 3 页）" in second
    assert 'data-testid="prev-page"' in second and 'data-testid="next-page"' in second
    assert 'data-testid="next-page"' not in third
    for html in (first, second, third):  # the summary and the desk totals are the whole day's
        assert "共 230 条，未确认 230 条" in html
        assert "（150 条）" in html or "（80 条）" in html


def test_a_page_that_is_not_a_number_is_said_to_be_one(server, manager, busy_day):
    day, ids = busy_day
    answer = manager.get(f"{server.base_url}/console/confirm?day={day}&page=二", timeout=30, allow_redirects=False)
    assert answer.status_code == 303
    shown = manager.get(server.base_url + answer.headers["location"], timeout=30).text
    assert "“二”不是页码" in shown and _rows(shown) == ids[:100]


def test_confirming_one_row_returns_to_its_page_and_confirm_all_takes_every_page(server, manager, busy_day):
    day, ids = busy_day
    third = _page(server, manager, day, 3)
    answer = manager.post(server.base_url + "/console/confirm", timeout=30, allow_redirects=False,
                          data={"csrf_token": csrf_of(third), "day": day, "page": "3", "record_id": ids[-1]})
    assert answer.headers["location"] == f"/console/confirm?day={day}&page=3"
    second = _page(server, manager, day, 2)
    answer = manager.post(server.base_url + "/console/confirm", timeout=30, allow_redirects=False,
                          data={"csrf_token": csrf_of(second), "day": day, "page": "2", "all": "1"})
    assert answer.headers["location"] == f"/console/confirm?day={day}&page=2"
    assert "已确认 229 条登记。" in manager.get(server.base_url + answer.headers["location"], timeout=30).text
    for n in (1, 2, 3):
        html = _page(server, manager, day, n)
        assert "共 230 条，未确认 0 条" in html and 'data-testid="confirm-one"' not in html
