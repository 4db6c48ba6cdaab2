"""QA of issue 12 on the console's pages (a real server; the HTML as the browser gets it):
N4 — the director's "proposed owner has left" sat at the top of the page, not beside that
proposal; N9.2 — a person's log for an unknown person answered 405; N9.3 — the decision form
on a returned dispute offered the deactivated proposed owner; N9.6 — the director's 审批 page
showed full phone numbers while 各案场争议 masked them."""

from __future__ import annotations

import re

import pytest

from tests.console.conftest import csrf_of, requests_session
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet, two_organisations
from tests.server.test_ownership import fresh_phone, open_conflict, register


@pytest.fixture(scope="module")
def t(server):
    two_organisations(server, PASSWORD)
    server.cli("users", "add", "--site", "s1", "--username", "zhou.xin", "--password", PASSWORD,
               "--role", "rep", "--name", "周鑫")
    return {user: Tablet(server, user) for user in ("desk.li", "wang.li", "zhou.xin", "zhao.min")}


def _proposal(t, owner: str = "zhou.xin") -> tuple[str, dict]:
    """王丽 registered first, 周鑫 after; the manager proposes ``owner`` against the rule."""
    phone = fresh_phone()
    register(t, "wang.li", phone, 30)
    register(t, "zhou.xin", phone, 20)
    customer_id = t["zhao.min"].get("/customers/lookup", phone=phone).json()["customer_id"]
    conflict = open_conflict(t, customer_id)
    body = t["zhao.min"].post(f"/conflicts/{conflict['id']}/decision", {"owner": owner, "reason": "客户指定"}).json()
    assert body["approval"]["status"] == "awaiting", body
    return phone, body


def _card(html: str, proposal_id: str) -> str:
    return html.split(f'data-proposal="{proposal_id}"')[1].split('data-testid="proposal"')[0]


def test_n4_n9_6_the_owner_left_refusal_sits_beside_its_proposal_and_phones_are_masked(server, t):
    phone, body = _proposal(t)
    director = requests_session(server, "dir.a")
    queue = director.get(server.base_url + "/console/director/approvals", timeout=30).text
    digits = re.sub(r"\D", "", phone)
    assert digits not in re.sub(r"\D", "", queue) and "*" in _card(queue, body["approval"]["id"])  # masked
    server.cli("users", "deactivate", "zhou.xin")
    try:
        answer = director.post(server.base_url + f"/console/director/approvals/s1/{body['approval']['id']}/approve",
                               data={"csrf_token": csrf_of(queue)}, timeout=30)
    finally:
        server.cli("users", "activate", "zhou.xin")
    assert answer.status_code == 409
    card = _card(answer.text, body["approval"]["id"])
    assert 'data-testid="form-errors"' in card and "周鑫 已不是该案场在职的售楼员" in card
    assert answer.text.count('data-testid="form-errors"') == 1  # not also at the top
    assert "zhou.xin 已不是" not in answer.text


def test_n9_3_a_returned_decisions_form_does_not_offer_a_rep_who_left_as_owner(server, t):
    _, body = _proposal(t)
    director = requests_session(server, "dir.a")
    queue = director.get(server.base_url + "/console/director/approvals", timeout=30).text
    returned = director.post(server.base_url + f"/console/director/approvals/s1/{body['approval']['id']}/return",
                             data={"csrf_token": csrf_of(queue), "reason": "请再核实"}, timeout=30)
    assert returned.status_code == 200, returned.text[:300]
    server.cli("users", "deactivate", "zhou.xin")
    try:
        page = requests_session(server).get(server.base_url + f"/console/disputes/{body['id']}", timeout=30).text
    finally:
        server.cli("users", "activate", "zhou.xin")
    assert 'data-testid="approval-returned"' in page
    assert 'name="owner" id="owner-zhou.xin"' not in page and 'name="owner" id="owner-wang.li"' in page


def test_n9_2_a_persons_log_is_their_audit_and_an_unknown_person_is_404(server, t):
    manager = requests_session(server)
    known = manager.get(server.base_url + "/console/people/wang.li/log", timeout=30, allow_redirects=False)
    assert known.status_code == 303 and known.headers["location"] == "/console/audit?person=wang.li"
    for path in ("/console/people/nobody/log", "/console/people/dir.a/log"):
        answer = manager.get(server.base_url + path, timeout=30)
        assert answer.status_code == 404 and "本案场没有此人员" in answer.text
    assert manager.get(server.base_url + "/console/people/wang.li/other", timeout=30).status_code == 404


def test_n9_1_an_unknown_act_or_person_in_the_audit_filter_is_said_beside_its_field(server, t):
    manager = requests_session(server)
    for query, field in (({"action": "bogus"}, "action"), ({"person": "nobody"}, "person")):
        answer = manager.get(server.base_url + "/console/audit", params=query, timeout=30)
        assert answer.status_code == 422, (query, answer.status_code)
        after = answer.text.split(f'id="{field}"')[1].split("<label")[0]
        assert "bogus" in after or "nobody" in after, after[:400]  # the message names what was given
    added = manager.get(server.base_url + "/console/audit/export", timeout=30,
                        params={"action": "user.added", "format": "csv"}).content.decode("utf-8-sig")
    rows = added.strip().splitlines()[1:]
    assert rows and all(",新增人员," in row for row in rows), rows[:3]
