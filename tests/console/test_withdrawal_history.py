"""Issue 9 QA: a withdrawal that takes the owner's claim out changed the owner "from 王丽 to
张强" with no cause; the dispute's owner history now names the withdrawal, who and why."""

from __future__ import annotations

from tests.console.conftest import requests_session
from tests.console.seed import Tablet, within_today


def _ago(minutes: float):
    """``minutes`` before now, squeezed into today's site day just after midnight in Beijing."""
    return within_today(minutes, 45)


def test_an_owner_change_by_a_withdrawal_names_it_who_and_why(server):
    desk = Tablet(server, "desk.li", "前台平板-撤回")
    first = desk.record("walkin", _ago(30), rep="wang.li", name="钱七", phone="136 5555 0001")
    second = desk.record("walkin", _ago(29), rep="zhang.qiang", name="钱七", phone="136 5555 0001")
    desk.push([first, second])
    manager = requests_session(server)
    import re

    disputes = manager.get(server.base_url + "/console/disputes", timeout=30).text
    links = list(dict.fromkeys(re.findall(r'href="(/console/disputes/[^"?]+)"', disputes)))
    link = next(link for link in links if "钱七" in manager.get(server.base_url + link, timeout=30).text)
    desk.push([desk.record("withdrawal", _ago(5), rep=None, name="钱七", phone="136 5555 0001",
                           supersedes=first["id"], data={"reason": "重复登记"})])
    page = manager.get(server.base_url + link, timeout=30).text
    assert "李静 撤回了一条登记（理由：重复登记），归属由 王丽 变为 张强" in page


def test_the_registrations_export_says_what_a_correction_replaced_and_who_withdrew_what_and_why(server):
    """Issue 9 QA: the console showed a correction after confirmation and a withdrawal's who,
    when and why; the export a manager reconciles commissions from did not."""
    import csv
    import io
    import re

    from tests.console.conftest import csrf_of
    from tests.console.seed import now_cst

    desk = Tablet(server, "desk.li", "前台平板-导出")
    original = desk.record("walkin", _ago(40), rep="wang.li", name="黄先生", phone="136 5555 0002")
    dropped = desk.record("walkin", _ago(35), rep="chen.jie", name="路人甲", phone="136 5555 0003")
    desk.push([original, dropped])
    manager = requests_session(server)
    day = now_cst().date().isoformat()
    page = manager.get(server.base_url + f"/console/confirm?day={day}", timeout=30).text
    manager.post(server.base_url + "/console/confirm", timeout=30,
                 data={"csrf_token": csrf_of(page), "day": day, "record_id": original["id"]})
    fixed = desk.record("walkin", _ago(40), rep="zhang.qiang", name="黄先生", phone="136 5555 0002",
                        supersedes=original["id"])
    gone = desk.record("withdrawal", _ago(5), rep=None, name="路人甲", phone="136 5555 0003",
                       supersedes=dropped["id"], data={"reason": "客户只是问路"})
    desk.push([fixed, gone])
    raw = manager.get(server.base_url + "/console/exports/download", timeout=30,
                      params={"kind": "registrations", "format": "csv", "start": day, "end": day}).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    head = rows[0]
    by_id = {r[head.index("记录编号")]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    corrected = by_id[fixed["id"]]
    assert corrected["售楼员"] == "张强" and re.fullmatch(r"王丽 · 黄先生（赵敏 \S+ \S+）", corrected["更正前（首次确认）"])
    withdrawn = by_id[dropped["id"]]
    assert (withdrawn["已撤回"], withdrawn["撤回人"], withdrawn["撤回理由"]) == ("是", "李静", "客户只是问路")
    assert withdrawn["撤回时间"]


def test_qa14_the_owner_history_names_the_first_registration_not_a_later_visit_pushed_with_it(server):
    """QA (console sweep, 2026-12-03): a desk pushed 王丽's first registration of a customer and
    her return visit two days later in one push; the owner history read "王丽 于 <the return
    visit> 的登记同步，归 王丽" where the rules (and 首次登记 on the same page) count the first."""
    import re

    from shared.timeutil import format_time, parse_time

    desk = Tablet(server, "desk.li", "前台平板-归属史")
    first = desk.record("walkin", _ago(50), rep="wang.li", name="孙八", phone="136 5555 0004")
    again = desk.record("walkin", _ago(20), rep="wang.li", name="孙八", phone="136 5555 0004")
    desk.push([again, first])  # pushed in one batch, the later one first
    desk.push([desk.record("walkin", _ago(10), rep="zhang.qiang", name="孙八", phone="136 5555 0004")])
    manager = requests_session(server)
    disputes = manager.get(server.base_url + "/console/disputes", timeout=30).text
    links = list(dict.fromkeys(re.findall(r'href="(/console/disputes/[^"?]+)"', disputes)))
    page = next(text for text in (manager.get(server.base_url + link, timeout=30).text for link in links)
                if "孙八" in text)
    told = re.search(r"王丽 于 (\S+ \S+) 的登记同步，归 王丽", page)
    assert told is not None, page

    def local(wire):  # the page's minutes in the site's zone (UTC+8)
        return format_time(parse_time(wire["captured_at"])).replace("T", " ")[:16]

    assert told.group(1) == local(first) != local(again)
