"""Issue 12's leftovers from a fresh QA pass (a manager and a director against a real server),
each a named regression: one-time answers survive no reload (redirect-after-post), second
submits say what already happened, refusals name the page's role, bad dates are said beside
their field, the audit log names directors and records their sign-ins, the hand-over method is
readable, unknown ids are 404, and the director's JSON API follows the console's rules.

Over HTTP with ``requests`` on a real server (the module's, SQLite; PostgreSQL with
``FIELDSYNC_CONSOLE_DB=postgresql``), one case in a real Chromium."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import count

import pytest
import requests

from sync_server.storage import open_reporting, open_store
from tests.console.conftest import csrf_of, requests_session, shot, sign_in
from tests.console.seed import SeededDay, seed_day, within_today
from tests.live_server import PASSWORD, enroll
from tests.server.helpers import Tablet, two_organisations

_phones = count(1)


@pytest.fixture(scope="module")
def day(server) -> SeededDay:
    two_organisations(server, PASSWORD, "南区案场")
    return seed_day(server)


@pytest.fixture(scope="module")
def manager_api(server, day) -> Tablet:
    return Tablet(server, "zhao.min", "赵敏的平板")


def _get(session: requests.Session, server, path: str, **params) -> requests.Response:
    return session.get(server.base_url + path, params=params, timeout=30)


def _post(session: requests.Session, server, path: str, follow: bool = True, **data: str) -> requests.Response:
    csrf = csrf_of(_get(session, server, "/console/login").text)
    return session.post(server.base_url + path, data={"csrf_token": csrf, **data}, timeout=30,
                        allow_redirects=follow)


def _audit(server, action: str, target: str | None = None) -> list:
    store = open_store(server.db_url)
    try:
        rows = open_reporting(store).audit_entries(["s1", "s2"], limit=2000).rows
    finally:
        store.close()
    return [r for r in rows if r.action == action and (target is None or r.target == target)]


def _dispute(day: SeededDay, manager_api: Tablet) -> dict:
    """A fresh dispute at s1: 王丽 registered first (the rule's owner), 张强 after."""
    phone = f"139 7{next(_phones):03d} 0000"
    day.desk.push([day.desk.record("walkin", timedelta(minutes=12), rep="wang.li", name="周明", phone=phone),
                   day.desk.record("walkin", timedelta(minutes=11), rep="zhang.qiang", name="周明", phone=phone)])
    customer = manager_api.get("/customers/lookup", phone=phone).json()["customer_id"]
    return next(c for c in manager_api.get("/conflicts", status="open").json() if c["customer_id"] == customer)


def _temporary(html: str) -> str | None:
    found = re.search(r'data-testid="temporary-password">([a-z2-9]{10})<', html)
    return found.group(1) if found else None


# -- 1. one-time answers: redirect-after-post ------------------------------------------------

def test_reloading_the_reset_answer_resets_nothing_and_shows_the_password_once(server, day):
    manager, other_tab = requests_session(server), requests_session(server)
    before = len(_audit(server, "password.reset", "chen.jie"))
    answer = _post(manager, server, "/console/people/chen.jie/reset", follow=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/people/issued"
    assert _temporary(answer.text) is None  # never in the POST's own answer
    assert "已显示过一次" in _get(other_tab, server, "/console/people/issued").text  # that sign-in's only
    shown = _get(manager, server, "/console/people/issued")
    password = _temporary(shown.text)
    assert shown.status_code == 200 and password
    again = _get(manager, server, "/console/people/issued")  # the reload
    assert _temporary(again.text) is None and "已显示过一次" in again.text and "重置密码" in again.text
    assert len(_audit(server, "password.reset", "chen.jie")) == before + 1  # reset once
    enrolled = requests.post(server.url("/auth/enroll"), timeout=30,
                             json={"username": "chen.jie", "password": password, "device_name": "t"})
    assert enrolled.status_code == 403 and enrolled.json()["error"]["code"] == "password_change_required"


def test_adding_a_person_redirects_and_a_reload_adds_nobody(server, day):
    manager = requests_session(server)
    answer = _post(manager, server, "/console/people", follow=False, username="qa.added", name="秦安", role="rep")
    assert answer.status_code == 303 and answer.headers["location"] == "/console/people/issued"
    assert _temporary(_get(manager, server, "/console/people/issued").text)
    assert _temporary(_get(manager, server, "/console/people/issued").text) is None
    assert len(_audit(server, "user.added", "qa.added")) == 1


@pytest.mark.browser
def test_reloading_the_reset_answer_in_chromium_resets_nothing(page, server, day):
    before = len(_audit(server, "password.reset", "zhang.qiang"))
    sign_in(page)
    page.goto("/console/people")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("[data-testid=person][data-username='zhang.qiang']").get_by_test_id("reset").click()
    page.wait_for_load_state()
    assert page.url.endswith("/console/people/issued")
    assert re.fullmatch(r"[a-z2-9]{10}", page.get_by_test_id("temporary-password").inner_text())
    shot(page, "qa-01-reset-shown-once")
    page.reload()
    assert page.get_by_test_id("temporary-password").count() == 0
    assert "已显示过一次" in page.get_by_test_id("issued-gone").inner_text()
    assert len(_audit(server, "password.reset", "zhang.qiang")) == before + 1
    server.cli("users", "passwd", "zhang.qiang", "--password", PASSWORD)  # the other tests sign in as him


def test_a_second_deactivate_or_revoke_changes_nothing_and_says_so(server, day):
    manager = requests_session(server)
    _post(manager, server, "/console/people", username="qa.twice", name="钱二", role="rep", password=PASSWORD)
    first = _post(manager, server, "/console/people/qa.twice/deactivate")
    second = _post(manager, server, "/console/people/qa.twice/deactivate")
    assert "已停用 钱二" in first.text and "已是停用状态" in second.text
    assert len(_audit(server, "user.deactivated", "qa.twice")) == 1
    device_id, _ = enroll(server.base_url, "wang.li", "QA 双击平板")
    _post(manager, server, f"/console/devices/{device_id}/revoke")
    again = _post(manager, server, f"/console/devices/{device_id}/revoke")
    assert "QA 双击平板 已于" in again.text and "本次未做任何更改" in again.text
    assert len(_audit(server, "device.revoked", device_id)) == 1


# -- 2. second decisions, approvals and hand-overs ---------------------------------------------

def test_a_second_decision_while_one_awaits_approval_says_so_and_shows_it(server, day, manager_api):
    conflict = _dispute(day, manager_api)
    manager = requests_session(server)
    form = {"owner": "zhang.qiang", "reason": "客户要求由张强接待", "split_preset": ""}
    first = _post(manager, server, f"/console/disputes/{conflict['id']}/decision", **form)
    assert "已提交销售总监审批" in first.text
    second = _post(manager, server, f"/console/disputes/{conflict['id']}/decision",
                   **{**form, "reason": "再次提交"})
    assert second.status_code == 409
    assert "正在等待销售总监审批" in second.text and "赵敏" in second.text
    assert 'data-testid="approval-awaiting"' in second.text and "客户要求由张强接待" in second.text
    assert "再次提交" in second.text  # what was typed is kept
    assert len(manager_api.get(f"/conflicts/{conflict['id']}").json()["approval"]["id"]) > 0


def test_approving_an_approved_proposal_says_who_and_when(server, day, manager_api):
    conflict = _dispute(day, manager_api)
    manager_api.post(f"/conflicts/{conflict['id']}/decision", {"owner": "zhang.qiang", "reason": "客户指定"})
    proposal = manager_api.get(f"/conflicts/{conflict['id']}").json()["approval"]["id"]
    director = requests_session(server, "dir.a")
    assert "已批准" in _post(director, server, f"/console/director/approvals/s1/{proposal}/approve").text
    again = _post(director, server, f"/console/director/approvals/s1/{proposal}/approve")
    assert again.status_code == 409 and "已由 钱总 于" in again.text and "批准" in again.text
    returned = _post(director, server, f"/console/director/approvals/s1/{proposal}/return", reason="晚了")
    assert returned.status_code == 409 and "本次操作未做任何更改" in returned.text and "晚了" in returned.text


def _leaving_rep(server, username: str, customers: int) -> str:
    server.cli("users", "add", "--site", "s1", "--username", username, "--password", PASSWORD, "--role", "rep",
               "--name", "孙离")
    desk = Tablet(server, "desk.li", f"desk {username}")
    desk.push(*[desk.record(rep=username, phone=f"137 9{next(_phones):03d} {i:04d}", name=f"交接{i}",
                            ago=within_today(60, 60)) for i in range(customers)])
    server.cli("users", "deactivate", username)
    return username


def test_a_second_handover_of_the_same_rep_says_it_was_done_and_links_it(server, day):
    rep = _leaving_rep(server, "qa.leaving", 2)
    manager = requests_session(server)
    done = _post(manager, server, f"/console/handover/rep/{rep}", method="draw", reason="调离")
    record = re.search(r"/console/handover/([0-9a-f-]{36})", done.url).group(1)
    again = _post(manager, server, f"/console/handover/rep/{rep}", method="draw", reason="再交接一次")
    assert again.status_code == 409 and "已由 赵敏 于" in again.text and "本次未做任何更改" in again.text
    assert f'href="/console/handover/{record}"' in again.text and "再交接一次" in again.text
    assert len(_audit(server, "handover.recorded", rep)) == 1


# -- 6. a readable draw method -----------------------------------------------------------------

def test_the_handover_record_names_its_method_and_keeps_the_code_for_verifiers(server, day):
    rep = _leaving_rep(server, "qa.method", 1)
    manager = requests_session(server)
    preview = _get(manager, server, f"/console/handover/rep/{rep}", method="draw", preview="1")
    assert "随机抽签（可复核）" in preview.text and "sha256-order-v1" not in preview.text
    record = _post(manager, server, f"/console/handover/rep/{rep}", method="draw", reason="调离").text
    method = re.search(r'data-testid="handover-algorithm">([^<]*)<', record).group(1)
    assert method == "随机抽签（可复核）"
    help_line = re.search(r'data-testid="verify-help">([^<]*)<', record).group(1)
    assert "sha256-order-v1" in help_line and record.count("sha256-order-v1") == 1


# -- 3. refusals name the page's role -----------------------------------------------------------

def test_each_refused_page_names_its_role_and_links_where_the_user_belongs(server, day):
    manager = requests_session(server)
    answer = _get(manager, server, "/console/director/approvals")
    assert answer.status_code == 403 and "此页面仅限销售总监使用" in answer.text
    assert "仅限经理" not in answer.text and 'href="/console/disputes"' in answer.text
    rep = requests_session(server, "wang.li")
    on_director = _get(rep, server, "/console/director/compare")
    assert on_director.status_code == 403 and "此页面仅限销售总监使用" in on_director.text
    assert "售楼员" in on_director.text and "平板" in on_director.text
    on_manager = _get(rep, server, "/console/numbers")
    assert on_manager.status_code == 403 and "此页面仅限项目经理使用" in on_manager.text
    director = requests_session(server, "dir.a")
    redirected = director.get(server.base_url + "/console/people", timeout=30, allow_redirects=False)
    assert redirected.status_code == 303 and redirected.headers["location"] == "/console/director/approvals"


# -- 4. bad dates said beside their field --------------------------------------------------------

@pytest.mark.parametrize(("path", "params", "field", "words"), [
    ("/console/rotation", {"day": "2026-02-30"}, "day", "2026-02-30"),
    ("/console/rotation", {"start": "2026-12-10", "end": "2026-12-01"}, "end", "早于起始日期"),
    ("/console/rotation", {"start": "2024-01-01", "end": "2026-01-01"}, "end", "最多显示 366 天"),
    ("/console/numbers", {"start": "1999-12-31"}, "start", "1999-12-31"),
    ("/console/numbers", {"start": "2026-11-30", "end": "2026-11-01"}, "end", "早于起始日期"),
    ("/console/numbers", {"period": "day", "start": "2026-01-01", "end": "2026-11-30"}, "end", "最多显示 92 天"),
    ("/console/numbers", {"period": "quarter"}, "period", "quarter"),
    ("/console/numbers/analysis", {"day": "2026-13-01"}, "day", "2026-13-01"),
    ("/console/audit", {"start": "2026-11-30", "end": "2026-11-01"}, "end", "早于起始日期"),
])
def test_a_bad_date_or_range_is_said_beside_its_field(server, day, path, params, field, words):
    answer = _get(requests_session(server), server, path, **params)
    assert answer.status_code == 422
    beside = re.search(rf'data-testid="error-{field}"[^>]*>([^<]*)<', answer.text)
    assert beside and words in beside.group(1), answer.text[:400]
    assert 'data-testid="page-error"' in answer.text or 'data-testid="audit-error"' in answer.text


def test_a_reversed_range_on_the_directors_comparison_is_said_not_swapped(server, day):
    answer = _get(requests_session(server, "dir.a"), server, "/console/director/compare",
                  start="2026-11-30", end="2026-11-01")
    assert answer.status_code == 422
    assert "早于起始日期" in re.search(r'data-testid="error-end"[^>]*>([^<]*)<', answer.text).group(1)


# -- 5. the audit log: directors by name, splits, director sign-ins and creation ------------------

def test_the_audit_log_names_directors_shows_splits_and_records_director_sign_ins(server, day, manager_api):
    wrong = requests.Session()
    csrf = csrf_of(wrong.get(server.base_url + "/console/login", timeout=30).text)
    wrong.post(server.base_url + "/console/login", timeout=30,
               data={"username": "dir.a", "password": "not-the-password", "csrf_token": csrf})
    conflict = _dispute(day, manager_api)
    manager_api.post(f"/conflicts/{conflict['id']}/decision", {
        "owner": "zhang.qiang", "split": {"zhang.qiang": 70, "wang.li": 30}, "reason": "两人共同接待"})
    proposal = manager_api.get(f"/conflicts/{conflict['id']}").json()["approval"]["id"]
    director = requests_session(server, "dir.a")
    _post(director, server, f"/console/director/approvals/s1/{proposal}/approve")
    assert {r.site_id for r in _audit(server, "sign_in.ok", "dir.a")} == {"s1"}  # each site of org-a
    assert _audit(server, "sign_in.failed", "dir.a") and _audit(server, "director.added", "dir.a")
    assert not [r for r in _audit(server, "sign_in.ok", "dir.a") if r.site_id == "s2"]
    # the director's acts (the module's other acts, previews of hand-overs among them, fill the first page)
    text = _get(requests_session(server), server, "/console/audit", person="dir.a").text
    rows = re.findall(r'<tr data-testid="audit-row">(.*?)</tr>', text, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]
    approved = next(c for c in cells if c[2] == "批准裁定")
    assert approved[1] == "钱总（dir.a）"
    assert "分成：张强（zhang.qiang） 70%、王丽（wang.li） 30%" in approved[5]
    assert any(c[1] == "钱总（dir.a）" and c[2] == "登录" for c in cells)
    assert any(c[2] == "登录失败" and c[3] == "钱总（dir.a）" for c in cells)
    assert any(c[2] == "新增销售总监" and c[3] == "钱总（dir.a）" for c in cells)
    director_view = _get(director, server, "/console/director/audit").text
    assert "钱总（dir.a）" in director_view


# -- 7. unknown ids are 404 ------------------------------------------------------------------

def test_unknown_ids_in_console_actions_answer_404_in_the_users_language(server, day):
    manager = requests_session(server)
    for path in ("/console/people/nobody/deactivate", "/console/people/nobody/reset",
                 "/console/people/wang.li/explode", "/console/devices/no-such-device/revoke",
                 "/console/handover/rep/nobody"):
        answer = _post(manager, server, path, method="draw", reason="r")
        assert answer.status_code == 404, path
        assert re.search(r"[\u4e00-\u9fff]", re.search(r'data-testid="error-message">([^<]*)<', answer.text).group(1))
    for path in ("/console/handover/no-such-id", "/console/handover/rep/nobody", "/console/disputes/no-such-id"):
        assert _get(manager, server, path).status_code == 404, path
    director = requests_session(server, "dir.a")
    assert _post(director, server, "/console/director/approvals/s1/no-such-id/approve").status_code == 404
    assert _post(director, server, "/console/director/approvals/s2/no-such-id/approve").status_code == 404
    tablet = Tablet(server, "zhao.min", "404 tablet")
    assert tablet.get("/handovers/no-such-id").json()["error"]["code"] == "unknown_handover"
    gone = requests.delete(server.url("/devices/no-such-device"), headers=tablet.headers, timeout=30)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "unknown_device"
