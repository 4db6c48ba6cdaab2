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
        session.cookies.set("lang", lang)
        steps = _steps(session.get(f"{server.base_url}/console/customers/{customer_id}?lang={lang}", timeout=30).text)
        assert steps, steps
        for step in steps:
            times = re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?", step)
            assert len(times) == len(set(times)), (lang, step)  # no time told twice
        assert re.search(r"\d{2}:\d{2}", steps[0]), steps  # and still told
