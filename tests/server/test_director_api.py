"""The sales director's JSON API (issue 12 QA item 9) on SQLite and PostgreSQL: a director signs
in for a token, lists the organisation's proposals, approves one or returns it with a reason,
with the console's rules (organisation scope: another's proposal is 404; a tablet's token is
not a director's; a reviewed proposal is 409), each act and sign-in in the audit log."""

from __future__ import annotations

import re

import pytest
import requests

from sync_server.storage import open_reporting, open_store
from tests.server.helpers import Tablet, two_organisations
from tests.server.test_ownership import fresh_phone, open_conflict, register

PASSWORD = "director-pass-1"


@pytest.fixture(scope="module")
def t(live_server):
    server = live_server
    two_organisations(server, PASSWORD)
    return {user: Tablet(server, user) for user in ("desk.li", "wang.li", "zhang.qiang", "zhao.min")}


def _sign_in(server, username: str, password: str = PASSWORD) -> requests.Response:
    return requests.post(server.url("/auth/director"), json={"username": username, "password": password},
                         timeout=30)


def _token(server, username: str) -> dict[str, str]:
    answer = _sign_in(server, username)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def awaiting_proposal(t) -> tuple[str, dict]:
    """A manager's decision against the rule (王丽 first, 张强 proposed): its phone and view."""
    phone = fresh_phone()
    register(t, "wang.li", phone, 30)
    register(t, "zhang.qiang", phone, 20)
    customer_id = t["zhao.min"].get("/customers/lookup", phone=phone).json()["customer_id"]
    conflict = open_conflict(t, customer_id)
    body = t["zhao.min"].post(f"/conflicts/{conflict['id']}/decision",
                              {"owner": "zhang.qiang", "reason": "客户指定由张强接待"}).json()
    assert body["approval"]["status"] == "awaiting"
    return phone, body


def _audit(server, action: str, target: str) -> list:
    store = open_store(server.db_url)
    try:
        return [r for r in open_reporting(store).audit_entries(["s1", "s2"], limit=2000).rows
                if r.action == action and r.target == target]
    finally:
        store.close()


def test_a_director_signs_in_lists_and_approves_over_the_api(live_server, t):
    phone, body = awaiting_proposal(t)
    signed = _sign_in(live_server, "dir.a").json()
    assert signed["director"] == {"username": "dir.a", "name": "钱总", "org_id": "org-a", "site_ids": ["s1"]}
    headers = {"Authorization": f"Bearer {signed['token']}"}
    listed = requests.get(live_server.url("/director/proposals"), headers=headers, timeout=30).json()
    mine = next(p for p in listed if p["id"] == body["approval"]["id"])
    assert mine["status"] == "awaiting" and mine["owner"] == "zhang.qiang" and mine["rule_owner"] == "wang.li"
    assert mine["site_id"] == "s1" and mine["proposed_by"] == "zhao.min"
    approved = requests.post(live_server.url(f"/director/proposals/{mine['id']}/approve"), headers=headers,
                             timeout=30)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["reviewed_by"] == "dir.a" and approved.json()["decision_id"]
    assert t["zhao.min"].get("/customers/lookup", phone=phone).json()["owner"] == "zhang.qiang"
    again = requests.post(live_server.url(f"/director/proposals/{mine['id']}/approve"), headers=headers,
                          timeout=30)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reviewed"
    rows = _audit(live_server, "decision.approved", body["id"])
    assert rows and rows[0].source == "director_api" and rows[0].actor == "dir.a" and rows[0].address  # QA of issue 12 N6: not a tablet
    assert [r.details["where"] for r in _audit(live_server, "sign_in.ok", "dir.a")][:1] == ["api"]
    assert all(p["status"] == "approved" for p in requests.get(
        live_server.url("/director/proposals"), params={"status": "approved"}, headers=headers, timeout=30).json())


def test_a_director_returns_with_a_reason_and_a_blank_one_is_refused(live_server, t):
    _, body = awaiting_proposal(t)
    headers = _token(live_server, "dir.a")
    url = live_server.url(f"/director/proposals/{body['approval']['id']}/return")
    blank = requests.post(url, json={"reason": "  "}, headers={**headers, "Accept-Language": "zh-CN"}, timeout=30)
    assert blank.status_code == 422 and blank.json()["error"]["code"] == "missing_reason"
    assert "退回理由" in blank.json()["error"]["message"]
    returned = requests.post(url, json={"reason": "请补充书面说明"}, headers=headers, timeout=30)
    assert returned.status_code == 200 and returned.json()["return_reason"] == "请补充书面说明"
    assert t["zhao.min"].get(f"/conflicts/{body['id']}").json()["approval"]["status"] == "returned"


def test_another_organisations_director_gets_404_and_a_tablet_token_403(live_server, t):
    _, body = awaiting_proposal(t)
    proposal = body["approval"]["id"]
    other = _token(live_server, "dir.b")
    assert all(p["site_id"] == "s2" for p in requests.get(live_server.url("/director/proposals"), headers=other,
                                                          timeout=30).json())
    for verb, payload in (("approve", None), ("return", {"reason": "越权"})):
        answer = requests.post(live_server.url(f"/director/proposals/{proposal}/{verb}"), json=payload,
                               headers=other, timeout=30)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "unknown_proposal"
    tablet = requests.get(live_server.url("/director/proposals"), headers=t["zhao.min"].headers, timeout=30)
    assert tablet.status_code == 403 and tablet.json()["error"]["code"] == "director_only"
    none = requests.get(live_server.url("/director/proposals"), timeout=30)
    assert none.status_code == 401 and none.json()["error"]["code"] == "not_authenticated"
    assert _sign_in(live_server, "zhao.min", "secret-pass-1").status_code == 401  # a manager is no director
    assert t["zhao.min"].get(f"/conflicts/{body['id']}").json()["approval"]["status"] == "awaiting"


def test_a_wrong_password_is_audited_at_the_organisations_sites_and_sign_out_ends_the_token(live_server, t):
    wrong = _sign_in(live_server, "dir.a", "not-the-password")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "bad_credentials"
    failed = _audit(live_server, "sign_in.failed", "dir.a")
    assert failed and {r.site_id for r in failed} == {"s1"} and failed[0].details["where"] == "api"
    assert _audit(live_server, "director.added", "dir.a")  # created by the command line, logged at s1
    headers = _token(live_server, "dir.a")
    assert requests.delete(live_server.url("/auth/director"), headers=headers, timeout=30).status_code == 204
    after = requests.get(live_server.url("/director/proposals"), headers=headers, timeout=30)
    assert after.status_code == 401 and after.json()["error"]["code"] == "bad_token"


def test_qa12_a_second_approve_names_the_director_and_the_site_time(live_server, t):
    """Issue 12 QA: the 409 read "该裁定已由 dir.one 于 2026-12-01T11:14:12.134+00:00 批准"."""
    _, body = awaiting_proposal(t)
    headers = {**_token(live_server, "dir.a"), "Accept-Language": "zh-CN"}
    path = live_server.url(f"/director/proposals/{body['approval']['id']}/approve")
    assert requests.post(path, headers=headers, timeout=30).status_code == 200
    again = requests.post(path, headers=headers, timeout=30)
    error = again.json()["error"]
    assert again.status_code == 409 and error["code"] == "already_reviewed"
    assert re.search(r"已由 钱总 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 批准", error["message"]), error["message"]
    assert "dir.a" not in error["message"] and "+00:00" not in error["message"]
    assert error["reviewed_by"] == "dir.a" and error["reviewed_at"].endswith("+00:00")  # raw values for programs
    english = requests.post(path, headers=_token(live_server, "dir.a"), timeout=30).json()["error"]["message"]
    assert "by 钱总 at " in english and "(site time)" in english


def _customer_change(tablet: Tablet, cursor: str, customer_id: str) -> tuple[dict | None, str]:
    """The latest pulled ``ownership`` change of ``customer_id`` after ``cursor``, and the new cursor."""
    changes, cursor = tablet.pull_all(cursor)
    found = [c["customer"] for c in changes if c["kind"] == "ownership" and c["customer"]["customer_id"] == customer_id]
    return (found[-1] if found else None), cursor


def test_tablets_learn_that_a_decision_awaits_the_director_and_when_it_is_reviewed(live_server, t):
    """QA of issue 12 L1: the rep's card read 归属有争议，待经理裁定 while the manager's decision
    waited for the director. A customer whose decision awaits carries ``approval: awaiting`` in
    the pull and the look-up, is sent again when the decision is sent, approved or returned, and
    carries nothing once reviewed (an addition: every other customer's view is as before)."""
    desk, wang = t["desk.li"], t["wang.li"]
    _, cursor = desk.pull_all()
    _, rep_cursor = wang.pull_all()
    phone, body = awaiting_proposal(t)
    customer_id = t["zhao.min"].get("/customers/lookup", phone=phone).json()["customer_id"]
    seen, cursor = _customer_change(desk, cursor, customer_id)
    assert seen is not None and seen["status"] == "disputed" and seen["approval"] == "awaiting"
    assert list(seen)[-1] == "explanation"  # still the last member (a tablet reads it from the line's end)
    mine, rep_cursor = _customer_change(wang, rep_cursor, customer_id)
    assert mine is not None and mine["approval"] == "awaiting"
    assert t["zhao.min"].get("/customers/lookup", phone=phone).json()["approval"] == "awaiting"

    headers = _token(live_server, "dir.a")
    returned = requests.post(live_server.url(f"/director/proposals/{body['approval']['id']}/return"), headers=headers,
                             json={"reason": "请补充客户的书面说明"}, timeout=30)
    assert returned.status_code == 200, returned.text
    seen, cursor = _customer_change(desk, cursor, customer_id)
    assert seen is not None and seen["status"] == "disputed" and "approval" not in seen  # 待经理裁定 again

    again = t["zhao.min"].post(f"/conflicts/{body['id']}/decision", {"owner": "zhang.qiang", "reason": "客户坚持"})
    assert again.json()["approval"]["status"] == "awaiting"
    seen, cursor = _customer_change(desk, cursor, customer_id)
    assert seen is not None and seen["approval"] == "awaiting"
    approved = requests.post(live_server.url(f"/director/proposals/{again.json()['approval']['id']}/approve"),
                             headers=headers, timeout=30)
    assert approved.status_code == 200, approved.text
    seen, cursor = _customer_change(desk, cursor, customer_id)
    assert seen is not None and seen["owner"] == "zhang.qiang" and "approval" not in seen


def test_qa12_n1_a_decision_whose_customer_was_handed_over_since_cannot_be_approved(live_server, t):
    """QA of issue 12 (re-check, N1): the manager proposed 张强 for 王丽's customer; while it
    waited for the director, a hand-over of 王丽's customers gave it to 陈杰; approving then
    silently gave the customer to 张强, undoing the hand-over. Now 409 handed_over_since, in zh
    with who handed it to whom, and the owner stays the hand-over's."""
    phone, body = awaiting_proposal(t)
    customer_id = t["zhao.min"].get("/customers/lookup", phone=phone).json()["customer_id"]
    units = t["zhao.min"].get("/handovers/candidates", from_rep="wang.li").json()["customers"]
    assert customer_id in {u["id"] for u in units}
    made = t["zhao.min"].post("/handovers", {"from_rep": "wang.li", "method": "choice", "reason": "调岗",
                                             "choices": {u["id"]: "chen.jie" for u in units}})
    assert made.status_code == 201, made.text
    headers = _token(live_server, "dir.a")
    url = live_server.url(f"/director/proposals/{body['approval']['id']}/approve")
    refused = requests.post(url, headers={**headers, "Accept-Language": "zh-CN"}, timeout=30)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "handed_over_since" and error["to_rep"] == "chen.jie"
    assert "交接给 陈杰" in error["message"] and "请退回该裁定" in error["message"]
    assert t["zhao.min"].get("/customers/lookup", phone=phone).json()["owner"] == "chen.jie"
    returned = requests.post(live_server.url(f"/director/proposals/{body['approval']['id']}/return"),
                             headers=headers, json={"reason": "客户已交接，请重新裁定"}, timeout=30)
    assert returned.status_code == 200, returned.text
