"""Issue 12 QA (F12.1): receptions the desk undid (撤销上一位接待) are listed on 排班, greyed, with
who undid them, when and why — a coded reason (``data.reason_code``) in the manager's language.
Real server (SQLite; PostgreSQL with ``FIELDSYNC_CONSOLE_DB=postgresql``), records over HTTP."""

from __future__ import annotations

import re

import pytest

from tests.console.conftest import csrf_of, requests_session
from tests.console.seed import within_today
from tests.server.helpers import Tablet


def _rotation(tablet: Tablet, event: str, rep: str | None, minutes_ago: float, **data) -> dict:
    record = tablet.record("rotation", rep=rep, ago=within_today(minutes_ago, 30))  # on today's board
    record["data"] = {"day": record["data"]["day"], "event": event, **data}
    return record


def _withdrawal(tablet: Tablet, record: dict, minutes_ago: float, **data) -> dict:
    withdrawal = tablet.record("withdrawal", ago=within_today(minutes_ago, 30), data=data)
    withdrawal.pop("customer", None)
    withdrawal["supersedes"] = record["id"]
    return withdrawal


@pytest.fixture(scope="module")
def undone(server):
    desk = Tablet(server, "desk.li", "前台一")
    typed = _rotation(desk, "receive", "chen.jie", 30, visit="new", turn=1, reason="turn")
    coded = _rotation(desk, "receive", "zhang.qiang", 20, visit="new", turn=1, reason="turn")
    kept = _rotation(desk, "receive", "wang.li", 10, visit="new", turn=1, reason="turn")
    desk.push(typed, coded, kept)
    assert desk.statuses(_withdrawal(desk, typed, 25, reason="点错了售楼员"),
                         _withdrawal(desk, coded, 15, reason="到访登记已更正为王丽接待", reason_code="reception_moved",
                                     reason_params={"rep": "wang.li"})) == ["accepted", "accepted"]
    return typed, coded, kept


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="undone-reception"[^>]*>(.*?)</tr>', html, re.S)


def test_f12_undone_receptions_are_listed_greyed_with_who_when_and_why(server, undone):
    html = requests_session(server).get(server.base_url + "/console/rotation", timeout=30).text
    rows = _rows(html)
    assert len(rows) == 2, html[:500]
    assert "陈杰" in rows[0] and "李静 于" in rows[0] and "理由：点错了售楼员" in rows[0] and "前台一" in rows[0]
    assert "张强" in rows[1] and "理由：到访登记已更正为王丽接待" in rows[1]
    assert 'class="muted"' in html.split('data-testid="undone-reception"')[1][:20]
    kept = re.search(r'<table data-testid="receptions">(.*?)</table>', html, re.S).group(1)
    assert "王丽" in kept and "陈杰" not in kept and "张强" not in kept  # undone ones stay off the board


def test_f12_a_coded_reason_reads_in_the_managers_language(server, undone):
    english = requests_session(server)
    csrf = csrf_of(english.get(server.base_url + "/console/rotation", timeout=30).text)
    english.post(server.base_url + "/console/lang", data={"csrf_token": csrf, "lang": "en"}, timeout=30)
    rows = _rows(english.get(server.base_url + "/console/rotation", timeout=30).text)
    assert "walk-in corrected: received by 王丽" in rows[1] and "到访登记" not in rows[1], rows[1]
    assert "undone by 李静 at" in rows[0] and ": 点错了售楼员" in rows[0]
