"""The 人员 (People) page in real Chromium, in Chinese and in English: a manager adds a person
(a one-time password shown once), deactivates and reactivates them, resets the password; the
person then must choose their own at sign-in; the audit log shows each act."""

from __future__ import annotations

import pytest

from tests.console.conftest import shot, sign_in

pytestmark = pytest.mark.browser

WORDS = {  # what the manager reads, per language
    "zh-CN": {"added": "已新增", "inactive": "已停用", "reset": "已重置", "must": "下次登录须改密码",
              "acts": ["重置密码", "重新启用人员", "停用人员", "新增人员"], "choose": "设置新密码", "saved": "新密码已保存"},
    "en-US": {"added": "added", "inactive": "Deactivated", "reset": "was reset", "must": "Must choose a new password",
              "acts": ["reset a password", "reactivated a person", "deactivated a person", "added a person"],
              "choose": "Choose a new password", "saved": "Your new password is saved"},
}


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_a_manager_adds_deactivates_and_resets_a_person(browser, server, locale):
    words, username = WORDS[locale], f"he.ping.{locale[:2]}"
    context = browser.new_context(base_url=server.base_url, locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before deactivating or resetting
    try:
        sign_in(page)
        page.goto("/console/people")
        page.fill("#name", "何平")
        page.fill("#username", username)
        page.select_option("#role", "rep")
        page.get_by_test_id("add-submit").click()
        page.wait_for_load_state()
        assert words["added"] in page.get_by_test_id("issued").inner_text()
        temporary = page.get_by_test_id("temporary-password").inner_text()
        row = page.locator(f"[data-testid=person][data-username='{username}']")
        assert words["must"] in row.inner_text()
        shot(page, f"people-added-{locale}")

        row.get_by_test_id("deactivate").click()
        page.wait_for_load_state()
        row = page.locator(f"[data-testid=person][data-username='{username}']")
        assert words["inactive"] in row.get_by_test_id("inactive").inner_text()
        row.get_by_test_id("activate").click()
        page.wait_for_load_state()
        row = page.locator(f"[data-testid=person][data-username='{username}']")
        assert row.get_by_test_id("deactivate").is_visible()
        row.get_by_test_id("reset").click()
        page.wait_for_load_state()
        assert words["reset"] in page.get_by_test_id("issued").inner_text()
        second = page.get_by_test_id("temporary-password").inner_text()
        assert second != temporary and len(second) == 10
        shot(page, f"people-reset-{locale}")

        page.goto(f"/console/audit?person={username}")
        acts = [page.get_by_test_id("audit-row").nth(i).locator("td").nth(2).inner_text() for i in range(4)]
        assert acts == words["acts"]
        shot(page, f"audit-{locale}")
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_a_manager_given_a_temporary_password_chooses_their_own_first(browser, server, locale):
    words, username = WORDS[locale], f"gao.yan.{locale[:2]}"
    context = browser.new_context(base_url=server.base_url, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page)
        page.goto("/console/people")
        page.fill("#name", "高燕")
        page.fill("#username", username)
        page.select_option("#role", "manager")
        page.get_by_test_id("add-submit").click()
        page.wait_for_load_state()
        temporary = page.get_by_test_id("temporary-password").inner_text()
        page.get_by_test_id("sign-out").click()
        page.wait_for_load_state()
        sign_in(page, username, temporary)
        assert "/console/password" in page.url and words["choose"] in page.locator("h1").inner_text()
        shot(page, f"password-choose-{locale}")
        page.fill("#new_password", "gao-yan-own-1")
        page.fill("#repeat", "gao-yan-own-1")
        page.locator("form[action='/console/password'] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/console/disputes") and words["saved"] in page.locator(".flash").inner_text()
    finally:
        context.close()
