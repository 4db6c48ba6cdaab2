"""The QA pass of issue 9, in headless Chromium on a real server: withdrawn registrations shown
but not counted; the devices page's two seq figures agree and say what they count; the
customer page lists each correction (before → after, who, when); an impossible clock's time is
told as unknown and raises no close call; Chinese pages use full-width punctuation; the
confirm page at 390 px keeps 来源 whole and scrolls its tables, never the page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import requests

from tests.builders import wire
from tests.console.conftest import csrf_of, requests_session, shot, sign_in
from tests.console.seed import Tablet, now_cst, within_today
from tests.test_chinese_punctuation import ascii_punctuation_next_to_chinese

pytestmark = pytest.mark.browser



def _ago(minutes: float):
    """``minutes`` before now, squeezed into today's site day just after midnight in Beijing."""
    return within_today(minutes, 45)
CST = now_cst().tzinfo


@pytest.fixture(scope="module")
def data(server) -> dict:
    desk = Tablet(server, "desk.li", "前台平板")
    kept = desk.record("walkin", _ago(40), rep="wang.li", name="欧阳娜娜", phone="138 0013 8000",
                       data={"source": "newspaper", "visit": "first"})
    gone = desk.record("walkin", _ago(35), rep="wang.li", name="司马相如", phone="139 1234 5678",
                       data={"source": "tv_radio", "visit": "first"})
    wrong = desk.record("walkin", _ago(30), rep="wang.li", name="黄丽", phone="137 0000 1111",
                        data={"source": "friend", "visit": "first"})
    desk.push([kept, gone, wrong])
    withdrawal = desk.record("withdrawal", _ago(20), rep=None, name="司马相如", phone="139 1234 5678",
                             supersedes=gone["id"], data={"reason": "重复登记"})
    fixed = desk.record("walkin", _ago(30), rep="chen.jie", name="黄丽", phone="137 0000 1111",
                        supersedes=wrong["id"], data={"source": "online", "visit": "first"})
    desk.push([withdrawal, fixed])
    # the highest seq of this tablet is refused (no such rep): it still counts as received
    refused = desk.record("walkin", _ago(10), rep="nobody.here", name="王五", phone="136 5555 6666")
    body = {"device_id": desk.device_id, "sent_at": now_cst().isoformat(timespec="milliseconds"),
            "clock": {"boot_id": desk.boot, "elapsed_ms": int((now_cst() - desk.boot_started) / timedelta(milliseconds=1))},
            "records": [refused]}
    answer = requests.post(server.url("/sync/push"), json=body, headers={"Authorization": f"Bearer {desk.token}"},
                           timeout=30).json()
    assert answer["results"][0]["status"] == "rejected" and answer["contiguous_seq"] == refused["seq"]
    # a tablet whose clock was reset to 1970 registers 周敏; another desk registers her minutes later
    reset = Tablet(server, "desk.li", "时钟被重置的平板")
    reset.boot = "boot-1970"
    walkin_1970 = wire(rep="wang.li", phone="135 1970 0101", name="周敏", seq=next(reset.seq), boot="boot-1970",
                       elapsed_ms=300_000, at=datetime(1970, 1, 1, 8, 5, tzinfo=CST))
    reset.boot = "boot-after"
    reset.push([walkin_1970])
    other = Tablet(server, "zhang.qiang", "张强的平板")
    other.push([other.record("walkin", _ago(0), rep="zhang.qiang", name="周敏", phone="135 1970 0101")])
    return {"kept": kept["id"], "gone": gone["id"], "fixed": fixed["id"], "desk": desk.device_id,
            "refused_seq": refused["seq"], "stored_highest": fixed["seq"], "impossible": walkin_1970["id"]}


def _customer_link(page, name: str) -> None:
    page.goto("/console/customers?q=" + name)
    page.get_by_role("link", name=name).first.click()
    page.wait_for_load_state()


def test_a_withdrawn_registration_is_shown_but_not_counted(page, data):
    sign_in(page)
    page.goto("/console/confirm")
    rows = page.get_by_test_id("registration")
    shown = rows.count()
    assert page.locator(f"tr[data-record='{data['gone']}']").get_by_test_id("withdrawn-by").count() == 1  # still shown
    assert page.get_by_test_id("withdrawn-by").count() == 1
    summary = page.get_by_test_id("confirm-summary").inner_text()
    assert summary.startswith(f"共 {shown - 1} 条") and "另有 1 条已撤回，不计入" in summary, summary
    desk_count = page.get_by_test_id("desk-count").first.inner_text()
    assert "1 条已撤回" in desk_count, desk_count
    per_rep: dict[str, int] = {}
    for row in rows.all():
        rep = row.locator("td.name").nth(1).inner_text()
        per_rep[rep] = per_rep.get(rep, 0) + 1
    totals = {row.locator("td.name").inner_text(): (int(row.get_by_test_id("rep-total").inner_text()),
                                                      int(row.get_by_test_id("rep-withdrawn").inner_text()))
              for row in page.get_by_test_id("rep-row").all()}
    assert totals["王丽"][1] == 1 and totals["陈杰"] == (1, 0), totals
    assert {rep: total + gone for rep, (total, gone) in totals.items()} == per_rep
    page.goto("/console/numbers")
    assert page.get_by_test_id("total-walkins").inner_text() == str(shown - 1)


def test_the_devices_page_counts_a_refused_highest_seq_as_received(page, data):
    sign_in(page)
    page.goto("/console/devices")
    row = page.locator(f"tr[data-device='{data['desk']}']")
    contiguous, highest = int(row.get_by_test_id("contiguous").inner_text()), int(row.get_by_test_id("highest").inner_text())
    assert contiguous == highest == data["refused_seq"] > data["stored_highest"]
    assert "含被拒" in page.locator("thead").inner_text() and "被拒" in page.get_by_test_id("seq-help").inner_text()


def test_the_customer_page_lists_each_correction_before_and_after_who_and_when(page, data):
    sign_in(page)
    _customer_link(page, "黄丽")
    [item] = page.get_by_test_id("correction").all()
    text = item.inner_text()
    assert "李静 更正了来访登记" in text, text
    assert "售楼员 王丽 → 陈杰" in text and "来源 朋友介绍 → 网络" in text, text
    assert "source" not in text and "friend" not in text  # no wire keys or codes on a Chinese page (QA of issue 11)
    assert text.split(" ")[0].count("-") == 2  # starts with when
    shot(page, "issue9-qa-customer-corrections")


def test_an_impossible_clock_is_told_as_unknown_and_raises_no_close_call(page, data):
    sign_in(page)
    _customer_link(page, "周敏")
    history = page.get_by_test_id("history").inner_text()
    assert "时间无法确定（平板时钟异常）" in history and "相差" not in history, history
    assert page.get_by_test_id("timeline").get_by_test_id("time-unknown").count() == 1
    assert page.get_by_test_id("first-registered").inner_text() == "时间无法确定（平板时钟异常）"
    page.locator("a[href^='/console/disputes/']").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-flag=impossible_clock]").count() >= 1
    assert page.locator("[data-flag=close_call]").count() == 0
    assert "时间无法确定（平板时钟异常）" in page.get_by_test_id("time-unknown").first.inner_text()
    assert "相差" not in page.locator("main").inner_text()
    shot(page, "issue9-qa-impossible-clock-dispute")


def test_chinese_pages_use_full_width_punctuation(page, data):
    sign_in(page)
    bad = {}
    for path in ("/console/confirm", "/console/disputes", "/console/devices", "/console/numbers",
                 "/console/exports", "/console/customers", "/console/people", "/console/audit"):
        page.goto(path)
        found = ascii_punctuation_next_to_chinese(page.locator("main").inner_text(), placeholders_are_chinese=False)
        if found:
            bad[path] = found
    for name in ("黄丽", "周敏"):
        _customer_link(page, name)
        found = ascii_punctuation_next_to_chinese(page.locator("main").inner_text(), placeholders_are_chinese=False)
        if found:
            bad[name] = found
        page.locator("a[href^='/console/disputes/']").first.click() if name == "周敏" else None
        if name == "周敏":
            page.wait_for_load_state()
            found = ascii_punctuation_next_to_chinese(page.locator("main").inner_text(), placeholders_are_chinese=False)
            if found:
                bad["dispute 周敏"] = found
    assert bad == {}, "\n".join(f"{k}: {v}" for k, v in bad.items())


def test_the_confirm_page_at_390_px_keeps_the_source_whole_and_scrolls_tables_not_the_page(page, data):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page)
    page.goto("/console/confirm")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    lines = page.evaluate("""() => [...document.querySelectorAll('table.confirm-table tbody tr')].map(tr => {
        const td = tr.querySelector('td.source'), r = document.createRange(); r.selectNodeContents(td);
        return [td.innerText, new Set([...r.getClientRects()].map(x => Math.round(x.top))).size];
    })""")
    assert lines and all(n <= 1 for _, n in lines), lines  # 来源 never one character a line
    scrolls = page.evaluate("""() => [...document.querySelectorAll('.table-scroll')].map(d =>
        [getComputedStyle(d).overflowX, d.scrollWidth > d.clientWidth])""")
    assert all(overflow in ("auto", "scroll") for overflow, _ in scrolls), scrolls
    print(shot(page, "issue9-qa-confirm-390"))


def test_a_confirmed_registration_withdrawn_is_to_acknowledge_not_unconfirmed(page, server, data):
    """Issue 9 QA: "共 1 条，未确认 2 条" counted a withdrawal awaiting acknowledgement as an
    unconfirmed registration. (Last in the module: it confirms the whole day.)"""
    import re

    desk = Tablet(server, "desk.li", "前台平板二")
    registration = desk.record("walkin", _ago(5), rep="chen.jie", name="诸葛亮", phone="136 0000 2222",
                               data={"source": "friend", "visit": "first"})
    desk.push([registration])
    session = requests_session(server)
    html = session.get(server.base_url + "/console/confirm", timeout=30).text
    done = session.post(server.base_url + "/console/confirm", allow_redirects=False, timeout=30,
                        data={"csrf_token": csrf_of(html), "all": "1", "day": now_cst().date().isoformat()})
    assert done.status_code == 303, done.text
    desk.push([desk.record("withdrawal", _ago(2), rep=None, name="诸葛亮", phone="136 0000 2222",
                           supersedes=registration["id"], data={"reason": "客户要求删除"})])
    sign_in(page)
    page.goto("/console/confirm")
    summary = page.get_by_test_id("confirm-summary").inner_text()
    total, unconfirmed = map(int, re.match(r"共 (\d+) 条，未确认 (\d+) 条", summary).groups())
    assert unconfirmed == 0 and total >= 1, summary
    assert "1 条撤回待您知悉" in summary, summary


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_impossible_clock_has_one_wording_everywhere_without_nested_brackets(server, data, lang):
    """Issue 9 leftover: "（时间无法确定（平板时钟异常））" nested brackets, and the conflict said
    "按最早可能时间 … 计" while the customer page said the time is unknown. Now the time is unknown
    everywhere, in both languages; no page names the placeholder time."""
    import re

    from shared.explain import UNKNOWN_TIME, UNKNOWN_TIME_SHORT

    session = requests_session(server, lang=lang)
    found = session.get(server.base_url + "/console/customers", params={"q": "周敏"}, timeout=30).text
    customer = session.get(server.base_url + re.search(r'href="(/console/customers/[^"?]+)"', found).group(1), timeout=30).text
    dispute = session.get(server.base_url + re.search(r'href="(/console/disputes/[^"?]+)"', customer).group(1), timeout=30).text
    label, short = UNKNOWN_TIME[lang], UNKNOWN_TIME_SHORT[lang]

    def main(html: str) -> str:
        inner = re.sub(r"</?bdi>", "", html.split("<main", 1)[1].split("</main>", 1)[0])  # inline isolation (QA14 M6)
        return re.sub(r"<[^>]+>", " ", inner).replace("&#39;", "'")

    for text in (main(customer), main(dispute)):
        assert label in text
        assert "（（" not in text and "））" not in text and "((" not in text and "))" not in text, text
        assert "（" + label not in text and "(" + label not in text, "the label is never put in brackets"
        assert "最早可能时间" not in text and "earliest possible time" not in text
    assert ("（" + short + "）" if lang == "zh" else "(" + short + ")") in main(dispute)
    ordered = "暂按其可能的最早时间排序" if lang == "zh" else "ordered for now by the earliest it could have been"
    assert main(dispute).count(ordered) == 2  # the claim card and the impossible_clock step say the same


def test_the_kind_at_390_px_breaks_between_its_words_never_a_dot_alone(page, data):
    """Issue 9 leftover: at 390 px 来访登记 · 首次来访 wrapped as 来访登记 / · / 首次来访 on the
    confirm page. Each word stays whole and the dot stays with the first."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page)
    page.goto("/console/confirm")
    cells = page.evaluate("""() => [...document.querySelectorAll('table.confirm-table td.kind')].map(td => {
        const parts = [...td.querySelectorAll('.kind-part')].map(p => {
            const r = document.createRange(); r.selectNodeContents(p);
            return [p.innerText, new Set([...r.getClientRects()].map(x => Math.round(x.top))).size];
        });
        const lines = td.innerText.split('\\n').map(l => l.trim());
        return [td.innerText, parts, lines];
    })""")
    two_words = [cell for cell in cells if len(cell[1]) == 2]
    assert two_words, cells
    for text, parts, lines in cells:
        assert all(n == 1 for _, n in parts), (text, parts)  # each word on one line
        assert "·" not in lines and "" not in lines[:2], (text, lines)  # no dot alone on a line
    assert two_words[0][1][0][0].endswith("·")  # the dot ends the first word's line
    shot(page, "issue9-qa-confirm-kind-390")
