"""QA of issue 15: ``/console/confirm?day=bad`` answered 303 to today's page, which dropped the
error (then 200). Every console page and export that reads a day, a range, a week or a month from
its address answers a value that is not one — ``bad``, and the ISO 8601 forms that are not the
wire's ``YYYY-MM-DD`` (``20261202``, ``2026-W49-3``, full-width digits) — with 422 and the page,
the problem in the reader's language beside its field (``DayFields``): never a redirect, never a
500, never silently another day. Over HTTP, in Chinese and in English, a manager's pages and a
sales director's."""

from __future__ import annotations

import html
import re

import pytest

from tests.console.conftest import requests_session
from tests.live_server import PASSWORD
from tests.server.helpers import two_organisations

BAD_DAYS = {"bad": "bad", "basic_format": "20261202", "week_date": "2026-W49-3", "full_width": "２０２６-12-02"}
MANAGER_PAGES = {  # route: (address with {bad}, the field it is said beside)
    "confirm": ("/console/confirm?day={bad}", "day"),
    "confirm_page_2": ("/console/confirm?day={bad}&page=2", "day"),
    "numbers_start": ("/console/numbers?period=week&start={bad}", "start"),
    "numbers_end": ("/console/numbers?period=month&end={bad}", "end"),
    "analysis_week": ("/console/numbers/analysis?period=week&day={bad}", "day"),
    "analysis_month_xlsx": ("/console/numbers/analysis?period=month&day={bad}&format=xlsx", "day"),
    "rotation_day": ("/console/rotation?day={bad}", "day"),
    "rotation_start": ("/console/rotation?start={bad}", "start"),
    "rotation_export": ("/console/rotation/export?format=csv&end={bad}", "end"),
    "audit": ("/console/audit?start={bad}", "start"),
    "audit_export": ("/console/audit/export?format=xlsx&end={bad}", "end"),
    "exports_start": ("/console/exports/download?kind=registrations&format=csv&start={bad}&end=2026-12-01", "start"),
    "exports_end": ("/console/exports/download?kind=all&format=xlsx&start=2026-11-01&end={bad}", "end"),
}
DIRECTOR_PAGES = {
    "director_compare": ("/console/director/compare?start={bad}", "start"),
    "director_audit": ("/console/director/audit?end={bad}", "end"),
    "director_audit_export": ("/console/director/audit/export?format=csv&start={bad}", "start"),
}
SAID = {"zh": "无法识别", "en": "was not understood"}


@pytest.fixture(scope="module")
def sessions(server):
    """A manager's and a sales director's console, in Chinese and in English."""
    two_organisations(server, PASSWORD, "南区案场")
    return {(who, lang): requests_session(server, username, lang=lang)
            for who, username in (("manager", "zhao.min"), ("director", "dir.a")) for lang in ("zh", "en")}


def _beside(page: str, field: str) -> str:
    found = re.search(rf'data-testid="error-{field}"[^>]*>([^<]*)<', page)
    assert found, f"no error beside {field}"
    return html.unescape(found.group(1))


def _routes():
    for who, pages in (("manager", MANAGER_PAGES), ("director", DIRECTOR_PAGES)):
        for route, (path, field) in pages.items():
            yield pytest.param(who, path, field, id=route)


@pytest.mark.parametrize("bad", BAD_DAYS.values(), ids=BAD_DAYS.keys())
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("who,path,field", list(_routes()))
def test_qa15_a_day_in_the_address_that_is_not_one_is_a_422_said_beside_its_field(server, sessions, who, path,
                                                                                   field, lang, bad):
    answer = sessions[who, lang].get(server.base_url + path.format(bad=bad), timeout=60, allow_redirects=False)
    assert answer.status_code == 422, (answer.status_code, answer.headers.get("location"), answer.text[:300])
    assert answer.headers["content-type"].startswith("text/html")
    said = _beside(answer.text, field)
    assert SAID[lang] in said and bad in said, said
    assert ("2026-12-01" in said) and ("年-月-日" in said if lang == "zh" else "year-month-day" in said), said


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("who,path,field", list(_routes()))
def test_qa15_the_same_addresses_with_a_day_are_answered(server, sessions, who, path, field, lang):
    answer = sessions[who, lang].get(server.base_url + path.format(bad="2026-12-01"), timeout=60,
                                     allow_redirects=False)
    assert answer.status_code == 200, (answer.status_code, answer.text[:300])
    assert 'data-testid="error-' not in answer.text


@pytest.mark.parametrize("lang,said", [("zh", "没有这种报表"), ("en", "No such table")])
@pytest.mark.parametrize("period", ["day", "fortnight", "2026-W49"])
def test_qa15_an_analysis_period_that_is_not_a_week_or_a_month_is_a_422_beside_it(server, sessions, lang, said, period):
    answer = sessions["manager", lang].get(server.base_url + f"/console/numbers/analysis?period={period}",
                                           timeout=60, allow_redirects=False)
    assert answer.status_code == 422 and said in _beside(answer.text, "period")


@pytest.mark.parametrize("lang,said", [("zh", "不是可选的值"), ("en", "is not one of the choices")])
@pytest.mark.parametrize("period", ["fortnight", "2026-W49", "2026-12"])
def test_qa15_a_numbers_period_that_is_not_a_day_week_or_month_is_a_422_beside_it(server, sessions, lang, said,
                                                                                  period):
    answer = sessions["manager", lang].get(server.base_url + f"/console/numbers?period={period}", timeout=60,
                                           allow_redirects=False)
    assert answer.status_code == 422 and said in _beside(answer.text, "period")
