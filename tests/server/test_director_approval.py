"""R10's approval (issue 12) on SQLite and PostgreSQL: a manager's decision at a site whose
``approval`` setting holds it back waits for the sales director; until then the rule's owner
stands. The manager posts through the API; the director acts through ``services.approval``
on the server's own database (the console calls the same functions)."""

from __future__ import annotations

import pytest

from sync_server.errors import Conflict, Forbidden, NotFound, Unprocessable
from sync_server.services import approval
from sync_server.services.audit import Origin
from sync_server.storage import open_reporting, open_store
from sync_server.storage.organisations import Director
from tests.server.helpers import Tablet, two_organisations
from tests.server.test_ownership import fresh_phone, open_conflict, register

PASSWORD = "director-pass-1"


@pytest.fixture(scope="module")
def t(live_server):
    server = live_server
    two_organisations(server, PASSWORD)
    return {user: Tablet(server, user) for user in ("desk.li", "wang.li", "zhang.qiang", "chen.jie", "zhao.min")}


@pytest.fixture(scope="module")
def store(live_server, t):
    opened = open_store(live_server.db_url)
    yield opened
    opened.close()


def _director(store, username: str) -> approval.DirectorActor:
    director = store.get_director(username)
    assert director is not None
    return approval.director_sites(store, director)


def _audit(store, action: str) -> list:
    rows = open_reporting(store).audit_entries(["s1"], limit=500).rows
    return [r for r in rows if r.action == action]


def _dispute(t) -> tuple[str, str, dict]:
    """王丽 registered first, 张强 after: the rule's owner is 王丽."""
    phone = fresh_phone()
    register(t, "wang.li", phone, 30)
    register(t, "zhang.qiang", phone, 20)
    customer_id = t["zhao.min"].get("/customers/lookup", phone=phone).json()["customer_id"]
    return phone, customer_id, open_conflict(t, customer_id)


def _propose_against_rule(t) -> tuple[str, str, dict]:
    phone, customer_id, conflict = _dispute(t)
    assert conflict["owner"] == "wang.li"
    response = t["zhao.min"].post(f"/conflicts/{conflict['id']}/decision",
                                  {"owner": "zhang.qiang", "reason": "客户指定由张强接待"})
    assert response.status_code == 200, response.text
    return phone, customer_id, response.json()


def test_a_decision_against_the_rule_awaits_approval_and_changes_no_owner(t):
    phone, customer_id, body = _propose_against_rule(t)
    assert body["status"] == "open" and body["decision"] is None
    assert body["approval"]["status"] == "awaiting" and body["approval"]["owner"] == "zhang.qiang"
    assert body["approval"]["proposed_by"] == "zhao.min" and body["approval"]["reason"] == "客户指定由张强接待"
    assert t["zhao.min"].get("/customers/lookup", phone=phone).json()["owner"] == "wang.li"  # the rule's owner
    listed = open_conflict(t, customer_id)
    assert listed["approval"]["status"] == "awaiting"
    again = t["zhao.min"].post(f"/conflicts/{body['id']}/decision", {"owner": "wang.li", "reason": "改为王丽"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "awaiting_approval"


def test_a_decision_along_the_rule_takes_effect_at_once(t):
    phone, customer_id, conflict = _dispute(t)
    response = t["zhao.min"].post(f"/conflicts/{conflict['id']}/decision",
                                  {"owner": "wang.li", "reason": "王丽先登记"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "decided" and response.json()["approval"] is None


def test_the_director_approves_and_the_owner_changes_from_the_approval(t, store):
    phone, customer_id, body = _propose_against_rule(t)
    proposal_id = body["approval"]["id"]
    reviewed = approval.approve(store, _director(store, "dir.a"), Origin.console("dir.a", "127.0.0.1"), "s1",
                                proposal_id)
    assert reviewed.status == "approved" and reviewed.reviewer == "dir.a" and reviewed.decision_id
    lookup = t["zhao.min"].get("/customers/lookup", phone=phone).json()
    assert lookup["owner"] == "zhang.qiang"
    decided = t["zhao.min"].get(f"/conflicts/{body['id']}").json()
    assert decided["status"] == "decided" and decided["decision"]["author"] == "zhao.min"
    assert decided["decision"]["decided_at"] == reviewed.reviewed_at  # takes effect from the approval
    assert decided["approval"]["status"] == "approved" and decided["approval"]["reviewed_by"] == "dir.a"
    rows = _audit(store, "decision.approved")
    assert any(r.target == body["id"] and r.actor == "dir.a" and r.details["proposal"] == proposal_id for r in rows)
    with pytest.raises(Conflict):  # approved once
        approval.approve(store, _director(store, "dir.a"), Origin.cli(), "s1", proposal_id)


def test_the_director_returns_with_a_reason_the_manager_reads_and_decides_again(t, store):
    phone, customer_id, body = _propose_against_rule(t)
    director = _director(store, "dir.a")
    with pytest.raises(Unprocessable):
        approval.send_back(store, director, Origin.cli(), "s1", body["approval"]["id"], "  ")
    approval.send_back(store, director, Origin.console("dir.a", "127.0.0.1"), "s1", body["approval"]["id"],
                       "请补充客户的书面说明")
    conflict = t["zhao.min"].get(f"/conflicts/{body['id']}").json()
    assert conflict["status"] == "open" and conflict["approval"]["status"] == "returned"
    assert conflict["approval"]["return_reason"] == "请补充客户的书面说明"
    assert t["zhao.min"].get("/customers/lookup", phone=phone).json()["owner"] == "wang.li"
    rows = _audit(store, "decision.returned")
    assert any(r.target == body["id"] and r.details["note"] == "请补充客户的书面说明" for r in rows)
    again = t["zhao.min"].post(f"/conflicts/{body['id']}/decision", {"owner": "wang.li", "reason": "按规则归王丽"})
    assert again.status_code == 200 and again.json()["status"] == "decided"


def test_a_director_of_another_organisation_sees_and_approves_nothing(t, store):
    _, _, body = _propose_against_rule(t)
    other = _director(store, "dir.b")
    assert other.site_ids == ("s2",)
    assert all(p.site_id == "s2" for p in approval.queue(store, other))
    assert body["approval"]["id"] in {p.id for p in approval.queue(store, _director(store, "dir.a"))}
    for site in ("s1", "s2"):
        with pytest.raises(NotFound):
            approval.approve(store, other, Origin.cli(), site, body["approval"]["id"])
        with pytest.raises(NotFound):
            approval.send_back(store, other, Origin.cli(), site, body["approval"]["id"], "越权")


def test_nobody_approves_a_decision_they_wrote(t, store):
    _, _, body = _propose_against_rule(t)
    proposal = store.get_proposal("s1", body["approval"]["id"])
    # a director who is also the author: the same username (usernames are unique, so stand one up)
    pretend = approval.DirectorActor(Director(username=proposal.author, org_id="org-a", name="", password_hash="x"),
                                     ("s1",))
    with pytest.raises(Forbidden) as refused:
        approval.approve(store, pretend, Origin.cli(), "s1", proposal.id)
    assert refused.value.code == "own_decision"
    assert store.get_proposal("s1", proposal.id).status == "awaiting"


def test_a_proposal_whose_owner_left_meanwhile_cannot_be_approved(t, store):
    phone, _, conflict = _dispute(t)
    body = t["zhao.min"].post(f"/conflicts/{conflict['id']}/decision",
                              {"owner": "chen.jie", "reason": "交由陈杰跟进"}).json()
    assert body["approval"]["status"] == "awaiting"
    store.update_user("chen.jie", active=False)
    try:
        with pytest.raises(Conflict) as refused:
            approval.approve(store, _director(store, "dir.a"), Origin.cli(), "s1", body["approval"]["id"])
        assert refused.value.code == "owner_left"
        assert store.get_proposal("s1", body["approval"]["id"]).status == "awaiting"
        assert t["zhao.min"].get("/customers/lookup", phone=phone).json()["owner"] == "wang.li"
    finally:
        store.update_user("chen.jie", active=True)


def test_against_rule_compares_with_the_rules_owner_after_an_earlier_decision(t, store):
    """QA (issue 12 leftovers, item 8): after an earlier decision the conflict's owner is the
    decided one; R10's ``against_rule`` compares with the owner the rules alone give."""
    phone, customer_id, body = _propose_against_rule(t)  # the rule: 王丽; proposed: 张强
    approval.approve(store, _director(store, "dir.a"), Origin.cli(), "s1", body["approval"]["id"])
    assert t["zhao.min"].get("/customers/lookup", phone=phone).json()["owner"] == "zhang.qiang"
    register(t, "chen.jie", phone, 5)  # a later claim: a new conflict, its owner the decided 张强
    later = open_conflict(t, customer_id)
    assert later["owner"] == "zhang.qiang" and later["id"] != body["id"]
    site = store.get_site("s1")
    assert approval.rule_owner(store, site, store.get_conflict("s1", later["id"])) == "wang.li"
    kept = t["zhao.min"].post(f"/conflicts/{later['id']}/decision", {"owner": "zhang.qiang", "reason": "维持张强"})
    assert kept.status_code == 200, kept.text
    assert kept.json()["approval"]["status"] == "awaiting"  # 张强 is not the rule's owner: it waits
    assert t["zhao.min"].get("/customers/lookup", phone=phone).json()["owner"] == "zhang.qiang"
    approval.send_back(store, _director(store, "dir.a"), Origin.cli(), "s1", kept.json()["approval"]["id"], "按规则")
    along = t["zhao.min"].post(f"/conflicts/{later['id']}/decision", {"owner": "wang.li", "reason": "按规则归王丽"})
    assert along.status_code == 200 and along.json()["approval"] is None  # the rule's owner: at once
    assert along.json()["status"] == "decided"
