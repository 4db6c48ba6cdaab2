"""QA14 F2: a decision made on an outdated dispute page covered a claim the manager never saw.

The manager opens a dispute (张强 and 陈杰, 张强 the rule's owner); a late but earlier-captured
walk-in of 王丽 arrives and joins the same open conflict (王丽 the rule's owner now); the
manager's "owner 张强" was saved (console 303, API 200) and its ``covers`` took 王丽's claim in:
she lost the customer by a decision that never looked at her claim. The console's form and the
API's optional ``seen_claims`` now say which claims were seen: a changed dispute is 409
``conflict_changed``, nothing decided; decided again on the page as it is now, it is recorded.
Over HTTP against a real server (SQLite; PostgreSQL with ``FIELDSYNC_CONSOLE_DB=postgresql``)."""

from __future__ import annotations

import html
import re

import requests

from tests.console.conftest import csrf_of, requests_session
from tests.console.seed import Tablet, within_today


def _ago(minutes: float):
    return within_today(minutes, 150)


def _api(server, tablet: Tablet, method: str, path: str, lang: str = "zh", **kwargs) -> requests.Response:
    return requests.request(method, server.url(path), timeout=30, **kwargs,
                            headers={"Authorization": f"Bearer {tablet.token}", "Accept-Language": lang})


def _tablets(server, tag: str) -> tuple[Tablet, Tablet, Tablet]:
    """The desk, 王丽's and the manager's tablets, their device names ending in ``tag``."""
    return (Tablet(server, "desk.li", f"前台平板-{tag}"), Tablet(server, "wang.li", f"王丽的平板-{tag}"),
            Tablet(server, "zhao.min", f"经理平板-{tag}"))


def _open_dispute(server, desk: Tablet, manager: Tablet, phone: str, name: str) -> dict:
    """张强 (first) and 陈杰 register the same customer: one open conflict, 张强 the rule's owner."""
    desk.push([desk.record("walkin", _ago(40), rep="zhang.qiang", name=name, phone=phone)])
    desk.push([desk.record("walkin", _ago(30), rep="chen.jie", name=name, phone=phone)])
    customer = _api(server, manager, "GET", "/customers/lookup", params={"phone": phone}).json()["customer_id"]
    [conflict] = [c for c in _api(server, manager, "GET", "/conflicts").json() if c["customer_id"] == customer]
    assert {c["rep"] for c in conflict["claims"]} == {"zhang.qiang", "chen.jie"}
    assert conflict["owner"] == "zhang.qiang"
    return conflict


def _late_earlier_claim(server, wang: Tablet, manager: Tablet, conflict: dict, phone: str, name: str) -> dict:
    """王丽's walk-in captured before both (her tablet's clock, same boot: trusted), pushed now:
    it joins the same open conflict and makes 王丽 the rule's owner."""
    late = wang.record("walkin", _ago(120), rep="wang.li", name=name, phone=phone)
    wang.push([late])
    now = _api(server, manager, "GET", f"/conflicts/{conflict['id']}").json()
    assert now["status"] == "open" and now["owner"] == "wang.li", now
    assert late["id"] in {c["record_id"] for c in now["claims"]}
    return late


def _still_undecided(server, manager: Tablet, conflict_id: str) -> dict:
    now = _api(server, manager, "GET", f"/conflicts/{conflict_id}").json()
    assert now["status"] == "open" and now["decision"] is None, now
    return now


def test_qa14_a_console_decision_on_a_page_shown_before_a_claim_joined_is_refused_and_kept(server):
    desk, wang, manager = _tablets(server, "F2")
    phone, name = "137 7100 0001", "周先生"
    conflict = _open_dispute(server, desk, manager, phone, name)
    console = requests_session(server)
    url = server.base_url + f"/console/disputes/{conflict['id']}"
    shown = console.get(url, timeout=30).text  # the manager reads the dispute: 张强 and 陈杰
    seen = re.findall(r'name="seen_claim" value="([^"]+)"', shown)
    late = _late_earlier_claim(server, wang, manager, conflict, phone, name)
    form = {"csrf_token": csrf_of(shown), "owner": "zhang.qiang", "split_preset": "custom",
            "split_zhang.qiang": "70", "split_chen.jie": "30", "reason": "张强先接待（据页面所示）",
            "seen_claim": seen}
    refused = console.post(url + "/decision", data=form, allow_redirects=False, timeout=30)
    assert refused.status_code == 409, (refused.status_code, refused.headers.get("location"))
    page = html.unescape(refused.text)
    assert "争议已变化：王丽 的新登记已加入。您的裁定未保存，请重新查看后裁定。" in page
    assert 'data-rep="wang.li"' in page  # the page again with the claims now
    assert "张强先接待（据页面所示）</textarea>" in page  # what was typed is kept
    assert re.search(r'name="split_zhang\.qiang"[^>]*value="70"', page)
    assert re.search(r'name="split_chen\.jie"[^>]*value="30"', page)
    assert 'value="custom" selected' in page
    assert _still_undecided(server, manager, conflict["id"])["owner"] == "wang.li"
    # decided on the page as it is now (it lists 王丽's claim): recorded, covering all three
    now = re.findall(r'name="seen_claim" value="([^"]+)"', refused.text)
    assert set(now) == {*seen, late["id"]}
    decided = console.post(url + "/decision", allow_redirects=False, timeout=30,
                           data={**form, "csrf_token": csrf_of(refused.text), "seen_claim": now,
                                 "split_wang.li": "0", "reason": "看过王丽的登记后仍归张强"})
    assert decided.status_code == 303, decided.text[:2000]
    after = _api(server, manager, "GET", f"/conflicts/{conflict['id']}").json()
    assert after["status"] == "decided" and after["decision"]["owner"] == "zhang.qiang"
    assert set(after["decision"]["covers"]) == set(now)


def test_qa14_the_console_says_a_changed_dispute_in_english_too(server):
    desk, wang, manager = _tablets(server, "F2en")
    phone, name = "137 7100 0002", "吴女士"
    conflict = _open_dispute(server, desk, manager, phone, name)
    console = requests_session(server, lang="en")
    url = server.base_url + f"/console/disputes/{conflict['id']}"
    shown = console.get(url, timeout=30).text
    _late_earlier_claim(server, wang, manager, conflict, phone, name)
    refused = console.post(url + "/decision", allow_redirects=False, timeout=30, data={
        "csrf_token": csrf_of(shown), "owner": "zhang.qiang", "split_preset": "", "reason": "Zhang first",
        "seen_claim": re.findall(r'name="seen_claim" value="([^"]+)"', shown)})
    assert refused.status_code == 409
    assert "The dispute has changed: a new registration by 王丽 joined it. Your decision was not saved; " \
           "read the dispute again and decide." in html.unescape(refused.text)
    _still_undecided(server, manager, conflict["id"])


def test_qa14_an_api_decision_with_the_claims_seen_is_refused_when_a_claim_joined_or_left(server):
    desk, wang, manager = _tablets(server, "F2api")
    phone, name = "137 7100 0003", "郑先生"
    conflict = _open_dispute(server, desk, manager, phone, name)
    seen = [c["record_id"] for c in conflict["claims"]]
    late = _late_earlier_claim(server, wang, manager, conflict, phone, name)
    path = f"/conflicts/{conflict['id']}/decision"
    body = {"owner": "zhang.qiang", "reason": "张强先接待", "seen_claims": seen}
    refused = _api(server, manager, "POST", path, json=body)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "conflict_changed"
    assert error["message"] == "争议已变化：王丽 的新登记已加入。您的裁定未保存，请重新查看后裁定。"
    assert "a new registration by 王丽 joined it" in error["messages"]["en"]
    assert (error["new_claims"], error["gone_claims"]) == ([late["id"]], [])
    now = _still_undecided(server, manager, conflict["id"])

    # a claim seen that is no longer live: 陈杰's walk-in withdrawn after the manager read all three
    seen = [c["record_id"] for c in now["claims"]]
    [chen] = [c["record_id"] for c in now["claims"] if c["rep"] == "chen.jie"]
    desk.push([desk.record("withdrawal", _ago(5), rep=None, name=name, phone=phone, supersedes=chen,
                           data={"reason": "重复登记"})])
    assert _still_undecided(server, manager, conflict["id"])["claims"]
    gone = _api(server, manager, "POST", path, lang="en", json={**body, "seen_claims": seen})
    assert gone.status_code == 409, gone.text
    error = gone.json()["error"]
    assert error["code"] == "conflict_changed" and error["gone_claims"] == [chen]
    assert "陈杰" in error["message"] and "no longer in it" in error["message"]
    assert "您看到的 陈杰 的登记已不在其中（已撤回或已更正）" in error["messages"]["zh"]
    now = _still_undecided(server, manager, conflict["id"])

    # fresh: the claims as they are now
    decided = _api(server, manager, "POST", path,
                   json={**body, "seen_claims": [c["record_id"] for c in now["claims"]]})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "decided" and decided.json()["decision"]["owner"] == "zhang.qiang"
    assert set(decided.json()["decision"]["covers"]) == {c["record_id"] for c in now["claims"]}


def test_qa14_seen_claims_is_optional_and_a_wrong_one_is_told_in_both_languages(server):
    """Extend, never break: an old client that does not send ``seen_claims`` decides as before;
    one that sends something else than a list of ids is told what it is (422, zh and en)."""
    desk, _, manager = _tablets(server, "F2old")
    conflict = _open_dispute(server, desk, manager, "137 7100 0004", "冯女士")
    path = f"/conflicts/{conflict['id']}/decision"
    for wrong in ("all", [1, 2], {"a": 1}):
        bad = _api(server, manager, "POST", path, json={"owner": "chen.jie", "reason": "x", "seen_claims": wrong})
        assert bad.status_code == 422, bad.text
        error = bad.json()["error"]
        assert error["field"] == "seen_claims" and "seen_claims" in error["messages"]["en"], error
        assert "登记编号" in error["messages"]["zh"], error
    _still_undecided(server, manager, conflict["id"])
    decided = _api(server, manager, "POST", path, json={"owner": "chen.jie", "reason": "客户指定陈杰"})
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision"]["owner"] == "chen.jie"


def test_qa15_seen_claims_compare_in_either_case_and_a_non_id_is_told_422(server):
    """QA of issue 15, finding 7: one current claim id sent in upper case was a 409 "the
    registration of ? you saw is no longer in it", and ``["not-a-uuid"]`` a 409 naming "?"."""
    desk, _, manager = _tablets(server, "Q15")
    conflict = _open_dispute(server, desk, manager, "137 7100 0005", "褚先生")
    path = f"/conflicts/{conflict['id']}/decision"
    for wrong in (["not-a-uuid"], [c["record_id"] + "x" for c in conflict["claims"]]):
        bad = _api(server, manager, "POST", path, json={"owner": "chen.jie", "reason": "x", "seen_claims": wrong})
        assert bad.status_code == 422, bad.text
        error = bad.json()["error"]
        assert error["field"] == "seen_claims" and "UUID" in error["messages"]["en"] and "UUID" in error["messages"]["zh"]
    _still_undecided(server, manager, conflict["id"])
    ids = [c["record_id"] for c in conflict["claims"]]
    decided = _api(server, manager, "POST", path, json={"owner": "chen.jie", "reason": "客户指定陈杰",
                                                        "seen_claims": [ids[0].upper(), *ids[1:]]})
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision"]["owner"] == "chen.jie"
