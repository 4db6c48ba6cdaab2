"""What 停用 and 重新启用 of a rep say, in a real Chromium (QA of issue 12 L5, M2): the confirm
dialog says the rep leaves today's rotation queue and, reactivated the same day, gets their place
back if no new customer was received meanwhile (else the back); after 停用 the page says their
customers stay theirs until handed over, with a link to 客户交接 for that rep; after 重新启用
it says the same of the queue."""

from __future__ import annotations

import pytest

from tests.console.conftest import shot, sign_in
from tests.live_server import PASSWORD

pytestmark = pytest.mark.browser


def test_deactivating_a_rep_says_what_becomes_of_their_customers_and_todays_queue(page, day):
    dialogs: list[str] = []

    def accept(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    sign_in(page)
    page.goto("/console/people")
    row = page.locator("[data-testid=person][data-username='chen.jie']")
    row.get_by_test_id("deactivate").click()
    page.wait_for_load_state()
    assert "离开今日的轮班队列" in dialogs[0] and "回到原位置" in dialogs[0] and "排在队列末尾" in dialogs[0]
    flash = page.locator(".flash").inner_text()
    assert "已停用 陈杰（chen.jie）" in flash and "其名下客户仍归其本人，直到您把客户交接给其他售楼员" in flash
    note = page.get_by_test_id("handover-note")
    assert "陈杰 名下现有" in note.inner_text()
    assert note.get_by_test_id("handover-link").get_attribute("href") == "/console/handover/rep/chen.jie"
    shot(page, "people-deactivated-rep")
    note.get_by_test_id("handover-link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/console/handover/rep/chen.jie")

    page.goto("/console/people")
    assert page.get_by_test_id("handover-note").count() == 0  # said once, after 停用
    page.locator("[data-testid=person][data-username='chen.jie']").get_by_test_id("activate").click()
    page.wait_for_load_state()
    flash = page.locator(".flash").inner_text()
    assert "已重新启用 陈杰（chen.jie）" in flash and "回到停用前在今日队列中的位置" in flash


def test_deactivating_a_rep_without_customers_says_there_is_nothing_to_hand_over(page, server, day):
    """QA of issue 12 (re-check, N2): "王丽 名下现有 0 位客户，仍归其本人，直到交接。 交接 王丽 的客户"."""
    server.cli("users", "add", "--site", "s1", "--username", "xu.lan", "--password", PASSWORD, "--role", "rep",
               "--name", "徐岚")
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page)
    page.goto("/console/people")
    page.locator("[data-testid=person][data-username='xu.lan']").get_by_test_id("deactivate").click()
    page.wait_for_load_state()
    note = page.get_by_test_id("handover-note")
    assert note.inner_text().strip() == "徐岚 名下没有客户，无需交接。"
    assert note.get_by_test_id("handover-link").count() == 0
