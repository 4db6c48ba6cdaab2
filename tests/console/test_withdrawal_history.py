"""Issue 9 QA: a withdrawal that takes the owner's claim out changed the owner "from 王丽 to
张强" with no cause; the dispute's owner history now names the withdrawal, who and why."""

from __future__ import annotations

from datetime import timedelta

from tests.console.conftest import requests_session
from tests.console.seed import Tablet

MIN = timedelta(minutes=1)


def test_an_owner_change_by_a_withdrawal_names_it_who_and_why(server):
    desk = Tablet(server, "desk.li", "前台平板-撤回")
    first = desk.record("walkin", 30 * MIN, rep="wang.li", name="钱七", phone="136 5555 0001")
    second = desk.record("walkin", 29 * MIN, rep="zhang.qiang", name="钱七", phone="136 5555 0001")
    desk.push([first, second])
    manager = requests_session(server)
    import re

    disputes = manager.get(server.base_url + "/console/disputes", timeout=30).text
    links = list(dict.fromkeys(re.findall(r'href="(/console/disputes/[^"?]+)"', disputes)))
    link = next(link for link in links if "钱七" in manager.get(server.base_url + link, timeout=30).text)
    desk.push([desk.record("withdrawal", 5 * MIN, rep=None, name="钱七", phone="136 5555 0001",
                           supersedes=first["id"], data={"reason": "重复登记"})])
    page = manager.get(server.base_url + link, timeout=30).text
    assert "李静 撤回了一条登记（理由：重复登记），归属由 王丽 变为 张强" in page
