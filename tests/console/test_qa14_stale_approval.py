"""QA14 F2, the sales director's side (R10): a decision awaiting approval covers the claims the
manager saw when submitting it. A late but earlier-captured claim that joins the dispute while it
waits is one the decision never considered: approving is 409 ``conflict_changed`` (API and the
director's console), nothing stored; the director returns it and the manager decides again on
the dispute as it is, which can then be approved. Over HTTP against a real server."""

from __future__ import annotations

import html

import requests

from tests.console.conftest import csrf_of, requests_session
from tests.console.seed import Tablet, within_today
from tests.live_server import PASSWORD
from tests.server.helpers import two_organisations


def _ago(minutes: float):
    return within_today(minutes, 150)


def _api(server, headers: dict, method: str, path: str, lang: str = "zh", **kwargs) -> requests.Response:
    return requests.request(method, server.url(path), timeout=30, **kwargs,
                            headers={**headers, "Accept-Language": lang})


def test_qa14_approving_a_decision_whose_dispute_changed_while_it_waited_is_refused(server):
    two_organisations(server, PASSWORD)  # s1: a decision against the rule's owner waits for dir.a
    desk, wang = Tablet(server, "desk.li", "前台平板-审批"), Tablet(server, "wang.li", "王丽的平板-审批")
    manager = {"Authorization": f"Bearer {Tablet(server, 'zhao.min', '经理平板-审批').token}"}
    signed_in = requests.post(server.url("/auth/director"), json={"username": "dir.a", "password": PASSWORD},
                              timeout=30)
    director = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    phone, name = "137 7100 0101", "褚先生"
    desk.push([desk.record("walkin", _ago(40), rep="zhang.qiang", name=name, phone=phone)])
    desk.push([desk.record("walkin", _ago(30), rep="chen.jie", name=name, phone=phone)])
    customer = _api(server, manager, "GET", "/customers/lookup", params={"phone": phone}).json()["customer_id"]
    [conflict] = [c for c in _api(server, manager, "GET", "/conflicts").json() if c["customer_id"] == customer]
    path = f"/conflicts/{conflict['id']}/decision"
    submitted = _api(server, manager, "POST", path, json={
        "owner": "chen.jie", "reason": "客户指定陈杰", "seen_claims": [c["record_id"] for c in conflict["claims"]]})
    assert submitted.status_code == 200 and submitted.json()["approval"]["status"] == "awaiting", submitted.text
    proposal = submitted.json()["approval"]["id"]

    late = wang.record("walkin", _ago(120), rep="wang.li", name=name, phone=phone)  # captured first, pushed now
    wang.push([late])
    now = _api(server, manager, "GET", f"/conflicts/{conflict['id']}").json()
    assert now["status"] == "open" and late["id"] in {c["record_id"] for c in now["claims"]}, now

    refused = _api(server, director, "POST", f"/director/proposals/{proposal}/approve")
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "conflict_changed" and error["new_claims"] == [late["id"]]
    assert error["message"].startswith("该裁定提交后争议已变化：王丽 的新登记已加入。")
    assert "return the decision" in error["messages"]["en"]
    console = requests_session(server, "dir.a")  # the director's console says the same
    queue = console.get(server.base_url + "/console/director/approvals", timeout=30).text
    page = console.post(server.base_url + f"/console/director/approvals/s1/{proposal}/approve", timeout=30,
                        data={"csrf_token": csrf_of(queue)}, allow_redirects=False)
    assert page.status_code == 409 and "该裁定提交后争议已变化：王丽 的新登记已加入。" in html.unescape(page.text)
    still = _api(server, manager, "GET", f"/conflicts/{conflict['id']}").json()
    assert still["status"] == "open" and still["decision"] is None and still["approval"]["status"] == "awaiting"

    # returned, decided again on the dispute as it is now, approved
    returned = _api(server, director, "POST", f"/director/proposals/{proposal}/return",
                    json={"reason": "王丽的登记在提交后加入，请重新裁定"})
    assert returned.status_code == 200, returned.text
    again = _api(server, manager, "POST", path, json={
        "owner": "chen.jie", "reason": "看过王丽的登记后仍归陈杰", "seen_claims": [c["record_id"] for c in now["claims"]]})
    assert again.status_code == 200 and again.json()["approval"]["status"] == "awaiting", again.text
    approved = _api(server, director, "POST", f"/director/proposals/{again.json()['approval']['id']}/approve")
    assert approved.status_code == 200, approved.text
    decided = _api(server, manager, "GET", f"/conflicts/{conflict['id']}").json()
    assert decided["status"] == "decided" and decided["decision"]["owner"] == "chen.jie"
    assert set(decided["decision"]["covers"]) == {c["record_id"] for c in now["claims"]}
