"""Issue 9 QA: a day in an address or a form that is not a calendar date from 2000 to 2099 is
said to be one — never a 500 (year 0001 and 9999 overflowed), never silently another day, and a
"confirm all" with such a day confirms nothing (it had confirmed every registration of today)."""

from __future__ import annotations

import pytest

from tests.console.conftest import csrf_of, requests_session
from tests.console.seed import within_today
from tests.server.helpers import Tablet, now_cst

BAD_DAYS = ["0001-01-01", "9999-12-31", "not-a-day", "2026-12-99", "2026-02-30", "1999-12-31"]


@pytest.fixture(scope="module")
def manager(server):
    desk = Tablet(server, "desk.li", "前台平板-日期")
    desk.push(desk.record("walkin", ago=within_today(20, 20), rep="wang.li", name="欧阳娜娜", phone="138 0013 8001"))
    return requests_session(server)


@pytest.mark.parametrize("bad", [*BAD_DAYS, "", "   "])
def test_a_confirm_all_with_a_day_that_is_not_one_confirms_nothing_and_says_so(server, manager, bad):
    page = manager.get(server.base_url + "/console/confirm", timeout=30).text
    answer = manager.post(server.base_url + "/console/confirm", timeout=30, allow_redirects=False,
                          data={"csrf_token": csrf_of(page), "day": bad, "all": "1"})
    assert answer.status_code == 303
    shown = manager.get(server.base_url + answer.headers["location"], timeout=30).text
    assert "未确认任何登记" in shown and "已确认" not in shown.split("flash", 1)[-1][:200]
    today = manager.get(server.base_url + f"/console/confirm?day={now_cst().date().isoformat()}", timeout=30).text
    assert 'data-testid="confirm-one"' in today  # the day's registration still waits for its confirmation


@pytest.mark.parametrize("bad", BAD_DAYS)
@pytest.mark.parametrize("path", ["/console/confirm?day={bad}", "/console/numbers?period=day&start={bad}",
                                  "/console/numbers?period=month&start=2026-01-01&end={bad}",
                                  "/console/exports/download?kind=registrations&format=csv&start={bad}&end=2026-12-01",
                                  "/console/exports/download?kind=all&format=xlsx&start=2026-11-01&end={bad}"])
def test_a_day_that_is_not_one_is_said_in_chinese_never_a_500(server, manager, path, bad):
    answer = manager.get(server.base_url + path.format(bad=bad), timeout=30)
    assert answer.status_code in (200, 422), answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert "无法识别" in answer.text and "2000 至 2099" in answer.text


def test_an_export_names_its_real_problem(server, manager):
    base = server.base_url + "/console/exports/download?start=2026-11-30&end=2026-12-01"
    assert "没有这种导出内容" in manager.get(base + "&kind=bogus&format=csv", timeout=30).text
    assert "只能导出为 XLSX" in manager.get(base + "&kind=all&format=csv", timeout=30).text
    assert "没有这种文件格式" in manager.get(base + "&kind=registrations&format=pdf", timeout=30).text


def test_confirming_what_another_manager_just_confirmed_says_who_and_when(server, manager):
    """Issue 9 QA: the second manager read "已确认 0 条登记。"; now who confirmed it and when."""
    desk = Tablet(server, "desk.li", "前台平板-两位经理")
    record = desk.record("walkin", ago=within_today(5, 20), rep="wang.li", name="司马光", phone="138 0013 8002")
    desk.push(record)
    day = now_cst().date().isoformat()
    other = requests_session(server)
    for session in (other, manager):
        page = session.get(server.base_url + f"/console/confirm?day={day}", timeout=30).text
        answer = session.post(server.base_url + "/console/confirm", timeout=30, allow_redirects=True,
                              data={"csrf_token": csrf_of(page), "day": day, "record_id": record["id"]})
    assert "这条登记已由 赵敏 于" in answer.text and "已确认 0 条" not in answer.text


@pytest.mark.parametrize("path", ["/console/confirm?day=%00", "/console/numbers?start=%00",
                                  "/console/customers?q=%00", "/console/disputes/%00"])
def test_a_control_character_in_a_console_address_is_the_consoles_page_not_json(server, manager, path):
    answer = manager.get(server.base_url + path, timeout=30)
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert "看不见的控制字符" in answer.text
