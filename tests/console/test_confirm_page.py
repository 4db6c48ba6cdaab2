"""The day-confirmation page for a manager (issue 9, items 12 and 14), in headless Chromium on
a real server: whole phone numbers, badges for disputed, duty (义务接待) and corrected rows, no
button or name broken one character a line, no table wider than a 390 px phone; confirming
and revoking redirect (the address keeps ``?day``; reloading posts nothing)."""

from __future__ import annotations

import pytest

from tests.console.conftest import shot, sign_in, submit
from tests.console.seed import Tablet, now_cst, within_today

pytestmark = pytest.mark.browser



def _ago(minutes: float):
    """``minutes`` before now, squeezed into today's site day just after midnight in Beijing."""
    return within_today(minutes, 45)


@pytest.fixture(scope="module")
def rows(server) -> dict[str, str]:
    desk, zhang = Tablet(server, "desk.li", "前台平板"), Tablet(server, "zhang.qiang", "张强的平板")
    plain = desk.record("walkin", _ago(40), rep="wang.li", name="欧阳娜娜", phone="138 0013 8000")
    duty = desk.record("walkin", _ago(35), rep="chen.jie", name="司马相如", phone="139 1234 5678",
                       data={"duty": True, "visit": "return"})
    wrong = desk.record("walkin", _ago(30), rep="wang.li", name="李娜", phone="137 0000 1111")
    desk.push([plain, duty, wrong])
    fixed = desk.record("walkin", _ago(30), rep="zhang.qiang", name="李娜", phone="137 0000 1111")
    fixed["supersedes"] = wrong["id"]
    desk.push([fixed])
    zhang.push([zhang.record("walkin", _ago(10), rep="zhang.qiang", name="欧阳娜娜", phone="138 0013 8000")])
    return {"plain": plain["id"], "duty": duty["id"], "corrected": fixed["id"], "zhang": zhang.device_id}


def _row(page, record_id: str):
    return page.locator(f"tr[data-record='{record_id}']")


def test_the_manager_sees_whole_phones_and_badges(page, rows):
    sign_in(page)
    page.goto("/console/confirm")
    plain = _row(page, rows["plain"])
    assert plain.get_by_test_id("phone").inner_text() == "+86 138 0013 8000"
    assert "*" not in page.get_by_test_id("desk-table").first.inner_text()
    assert plain.get_by_test_id("badge-disputed").inner_text() == "有争议"
    assert _row(page, rows["duty"]).get_by_test_id("badge-duty").inner_text() == "义务接待"
    assert _row(page, rows["corrected"]).get_by_test_id("badge-corrected").inner_text() == "已更正"
    assert _row(page, rows["duty"]).get_by_test_id("badge-disputed").count() == 0
    shot(page, "30-confirm-badges")


@pytest.mark.parametrize("width", [1280, 390])
def test_nothing_wraps_one_character_a_line_and_nothing_overflows(page, rows, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page)
    page.goto("/console/confirm")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the page itself never scrolls sideways
    for button in page.get_by_test_id("confirm-one").all():
        box = button.bounding_box()
        assert box["width"] > box["height"], box  # "确认" on one line
    single_line = page.evaluate("""() => [...document.querySelectorAll('td.name, td.phone')].map(td => {
        const r = document.createRange(); r.selectNodeContents(td);
        return [td.innerText, r.getClientRects().length === 0 ? 1 :
                new Set([...r.getClientRects()].map(x => Math.round(x.top))).size];
    })""")
    assert single_line and all(lines == 1 for _, lines in single_line), single_line
    shot(page, f"31-confirm-{width}")


def test_confirming_redirects_back_to_the_same_day_and_reloading_posts_nothing(page, rows):
    sign_in(page)
    day = now_cst().date().isoformat()
    page.goto(f"/console/confirm?day={day}")
    submit(page, _row(page, rows["plain"]).get_by_test_id("confirm-one"))
    assert page.url.endswith(f"/console/confirm?day={day}")
    assert "已确认 1 条" in page.locator(".flash").inner_text()
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.reload()
    assert posts == [] and page.locator(".flash").count() == 0
    assert "赵敏" in _row(page, rows["plain"]).get_by_test_id("confirm-state").inner_text()


def test_revoking_redirects_to_the_device_list(page, rows):
    sign_in(page)
    page.goto("/console/devices")
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, page.locator(f"tr[data-device='{rows['zhang']}']").get_by_test_id("revoke"))
    assert page.url.endswith("/console/devices")
    assert "已停用" in page.locator(".flash").inner_text()
    page.reload()
    assert page.locator(".flash").count() == 0


def test_signing_out_redirects_and_back_shows_no_customer(page, rows):
    sign_in(page)
    page.goto("/console/confirm")
    submit(page, page.get_by_test_id("sign-out"))
    assert page.url.endswith("/console/login") and "您已退出登录" in page.locator(".flash").inner_text()
    page.go_back()
    assert "/console/login" in page.url and "138 0013 8000" not in page.content()
