"""QA5 F6, the console's small findings (SQLite; ``FIELDSYNC_CONSOLE_DB=postgresql`` for the
other backend): the customer page's explanation steps tell each time once."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from tests.console.conftest import requests_session
from tests.server.helpers import Tablet


def _steps(page: str) -> list[str]:
    history = page.split('data-testid="history"', 1)[1].split("</ol>", 1)[0]
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", li))).strip()
            for li in re.findall(r'<li data-testid="step">(.*?)</li>', history, re.S)]


def _language(server, session, lang: str) -> None:
    """The console's language switch, as the header's button posts it."""
    from tests.console.conftest import csrf_of

    csrf = csrf_of(session.get(server.base_url + "/console/disputes", timeout=30).text)
    session.post(server.base_url + "/console/lang", data={"csrf_token": csrf, "lang": lang}, timeout=30)


def test_qa5_f6e_the_customer_pages_first_step_shows_its_time_once(server):
    desk = Tablet(server, "desk.li", "desk-f6e")
    phone = "138 0066 0001"
    first = desk.record(rep="wang.li", phone=phone, name="邓超", ago=timedelta(minutes=30))
    again = desk.record("follow_up", rep="wang.li", phone=phone, name="邓超", ago=timedelta(minutes=5))
    manager = Tablet(server, "zhao.min", "manager-f6e")
    assert desk.statuses(first) == ["accepted"] and manager.statuses(again) == ["accepted"]
    customer_id = manager.get("/customers/lookup", phone=phone).json()["customer_id"]
    session = requests_session(server)
    for lang in ("zh", "en"):
        _language(server, session, lang)
        steps = _steps(session.get(f"{server.base_url}/console/customers/{customer_id}", timeout=30).text)
        assert steps, steps
        for step in steps:
            times = re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?", step)
            assert len(times) == len(set(times)), (lang, step)  # no time told twice
        assert re.search(r"\d{2}:\d{2}", steps[0]), steps  # and still told
        assert ("首次登记" if lang == "zh" else "first registration") in steps[0], steps


def test_qa5_f6d_the_audit_links_pusher_page_says_their_refused_records_are_not_listed(server):
    """QA5 F6d: the audit row of a pusher's spent record budget links to their 待确认归属 page,
    which was a bare empty list once the manager had refused all of them."""
    from sync_server.services.record_budget import RECORD_BUDGET
    from tests.console.conftest import csrf_of

    desk = Tablet(server, "desk.li", "desk-f6d")
    for start in range(0, RECORD_BUDGET, 100):
        desk.push(*[desk.record("call", rep=None, name="某", phone=f"1396600{start + i:04d}") for i in range(100)])
    held = [desk.record(rep="wang.li", phone=f"138 0066 1{i:03d}", name=f"试号{i}") for i in range(2)]
    assert desk.statuses(*held) == ["accepted", "accepted"]
    session = requests_session(server)
    audit = session.get(server.base_url + "/console/audit", timeout=30).text
    link = html.unescape(re.search(r'<a href="([^"]+)" data-testid="audit-held-link"', audit).group(1))
    assert link == "/console/held?pusher=desk.li"
    before = session.get(server.base_url + link, timeout=30).text
    assert 'data-testid="held-refused"' not in before
    waiting = before.count('data-testid="held-record"')
    assert waiting >= 2, waiting  # the two walk-ins (and what crossed the budget)
    ask = session.get(server.base_url + "/console/held/dismiss", params={"pusher": "desk.li"}, timeout=30)
    done = session.post(server.base_url + "/console/held/dismiss", timeout=30, data={
        "csrf_token": csrf_of(ask.text), "pusher": "desk.li", "reason": "疑似逐个试号码", "back": "/console/held"})
    assert done.status_code == 200
    after = session.get(server.base_url + link, timeout=30).text
    assert 'data-testid="held-record"' not in after
    refused = re.search(r'data-testid="held-refused">([^<]+)<', after).group(1)
    assert f"{waiting} 条记录已被经理不予确认" in refused and "不在此列表" in refused, refused
    _language(server, session, "en")
    english = session.get(server.base_url + link, timeout=30).text
    assert re.search(rf'data-testid="held-refused">{waiting} more records pushed by [^<]+ were refused', english)


def test_qa5_f6c_one_pushs_held_records_are_listed_in_capture_order(server):
    """QA5 F6c: held records of one push (the same second) were listed by phone number; now in
    the order they were captured."""
    from sync_server.services.record_budget import RECORD_BUDGET

    rep = Tablet(server, "chen.jie", "rep-f6c")
    for start in range(0, RECORD_BUDGET, 100):
        rep.push(*[rep.record("call", rep="chen.jie", name="某", phone=f"1396700{start + i:04d}") for i in range(100)])
    # captured 3, 2 and 1 minutes ago, their numbers in the opposite order
    walkins = [rep.record(rep="chen.jie", phone=f"138 0067 {9 - n}000", name=f"顺序{n}", ago=timedelta(minutes=3 - n))
               for n in range(3)]
    assert rep.statuses(*reversed(walkins)) == ["accepted"] * 3  # pushed in any order
    page = requests_session(server).get(server.base_url + "/console/held?pusher=chen.jie", timeout=30).text
    listed = [r for r in re.findall(r'data-testid="held-record" data-record="([^"]+)"', page)
              if r in {w["id"] for w in walkins}]
    assert listed == [w["id"] for w in walkins], listed
