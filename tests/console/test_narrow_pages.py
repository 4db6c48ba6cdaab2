"""Issue 9 case 14 beyond the confirm page (QA at 390 px): the disputes list, devices and
numbers pages widened the page (462, 725 and 474 px) and broke 王丽、张强, 李静（接待台） and
查看 one character a line. Every console table now scrolls inside its box; Chinese words break
only at 、 or （, never inside a word."""

from __future__ import annotations

import pytest

from tests.console.conftest import shot, sign_in

pytestmark = pytest.mark.browser

WORD_LINES = """() => [...document.querySelectorAll('main table td')].filter(td => !td.querySelector('button, form'))
  .map(td => {
    const words = td.innerText.split(/[、（）()\\s]+/).filter(w => w.length >= 2);
    const broken = words.filter(word => {
      const node = [...td.querySelectorAll('*'), td].flatMap(e => [...e.childNodes]).find(n => n.nodeType === 3 && n.data.includes(word));
      if (!node) return false;
      const r = document.createRange(), at = node.data.indexOf(word); r.setStart(node, at); r.setEnd(node, at + word.length);
      return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1;
    });
    return [td.innerText, broken];
  }).filter(([, broken]) => broken.length)"""


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_every_list_page_at_390_px_scrolls_its_tables_not_the_page_and_keeps_words_whole(browser, server, day, locale):
    context = browser.new_context(base_url=server.base_url, locale=locale, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page)
        page.goto("/console/disputes")
        dispute = page.get_by_test_id("open-dispute").first.get_attribute("href")
        for path in ("/console/disputes", "/console/devices", "/console/numbers", "/console/customers?q=1",
                     "/console/confirm", "/console/people", "/console/audit", dispute):
            page.goto(path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
            outside = page.evaluate("() => [...document.querySelectorAll('main table')]"
                                    ".filter(t => !t.closest('.table-scroll') && !t.classList.contains('ratings')).length")
            assert outside == 0, path
            assert page.evaluate(WORD_LINES) == [], path
        shot(page, f"narrow-dispute-{locale}")
    finally:
        context.close()


def test_the_customer_pages_show_the_whole_phone_grouped_as_the_confirm_page_does(page, server, day):
    """QA of case 14: the confirm page reads +86 136 2222 3333, the customer list and page read
    +8613622223333 (the stored key)."""
    sign_in(page)
    page.goto("/console/customers?q=刘洋")
    assert page.get_by_test_id("customers").get_by_test_id("phone").first.inner_text() == "+86 136 2222 3333"
    page.get_by_role("link", name="刘洋").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("customer-phone").inner_text() == "+86 136 2222 3333"


def test_the_dispute_list_and_page_show_the_manager_the_whole_phone(page, server, day):
    """QA of case 14: the confirm page shows the manager whole phones, the disputes list and the
    dispute page still masked them (+86 138****8000)."""
    import re

    sign_in(page)
    page.goto("/console/disputes")
    phones = page.get_by_test_id("disputes").get_by_test_id("phone").all_inner_texts()
    assert phones and all(re.fullmatch(r"\+86 1\d\d \d{4} \d{4}", p) for p in phones), phones
    page.get_by_test_id("open-dispute").first.click()
    page.wait_for_load_state()
    assert re.fullmatch(r"\+86 1\d\d \d{4} \d{4}", page.get_by_test_id("dispute-phone").inner_text())
