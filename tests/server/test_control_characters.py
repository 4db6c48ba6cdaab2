"""Text with control characters (a NUL above all) is refused with a clear error wherever it
enters, so it never reaches a database that cannot store it (PostgreSQL rejects NUL)."""

from __future__ import annotations

import requests

from tests.server.helpers import Tablet


def test_nul_in_a_record_rejects_that_record_only(live_server):
    tablet = Tablet(live_server, "wang.li")
    good, bad = tablet.record(rep="wang.li"), tablet.record(rep="wang.li", name="张\x00伟")
    results = {r["id"]: r for r in tablet.push(good, bad)["results"]}
    assert results[good["id"]]["status"] == "accepted"
    assert results[bad["id"]]["error"]["code"] == "invalid_value"
    assert "control characters" in results[bad["id"]]["error"]["message"]


def test_nul_in_enrolment_or_decision_text_is_a_422_that_says_what_to_fix(live_server, tablets):
    response = requests.post(live_server.url("/auth/enroll"),
                             json={"username": "wang\x00li", "password": "x", "device_name": "t"}, timeout=30)
    assert response.status_code == 422 and "control characters" in response.json()["error"]["message"]
    _, manager = tablets["zhao.min"]
    response = requests.post(live_server.url("/conflicts/00000000-0000-0000-0000-000000000000/decision"),
                             json={"owner": "wang.li", "reason": "因为\x00"}, headers=live_server.auth(manager),
                             timeout=30)
    assert response.status_code == 422 and "control characters" in response.json()["error"]["message"]


def test_nul_in_the_address_is_a_422_not_a_server_error(live_server, tablets):
    _, manager = tablets["zhao.min"]
    for path in ("/conflicts/abc%00def", "/customers/lookup?phone=138%0000138000"):
        response = requests.get(live_server.url(path), headers=live_server.auth(manager), timeout=30)
        assert response.status_code == 422, path
        assert response.json()["error"]["code"] == "invalid_request"


def test_a_name_with_a_zero_width_space_is_refused_as_a_look_alike_but_an_emoji_name_stands(live_server):
    """QA remark: "张\u200b伟" looks exactly like "张伟" and is another name; pasted from a chat it
    made a look-alike customer. Invisible characters are refused in a name; the zero-width joiner
    inside an emoji sequence (a WeChat nickname) is not invisible text and stays."""
    tablet = Tablet(live_server, "wang.li")
    look_alikes = [tablet.record(rep="wang.li", name=f"张{mark}伟")
                   for mark in ("\u200b", "\u200e", "\u202e", "\ufeff", "\u00ad", "\u2060")]
    emoji = tablet.record(rep="wang.li", name="王\U0001F468\u200d\U0001F469\u200d\U0001F467\ufe0f")
    results = {r["id"]: r for r in tablet.push(emoji, *look_alikes)["results"]}
    assert results[emoji["id"]]["status"] == "accepted"
    for record in look_alikes:
        error = results[record["id"]]["error"]
        assert (error["code"], error["field"]) == ("invalid_value", "customer.name")
        assert "invisible characters" in error["message"]


def test_qa14_c1_control_characters_are_refused_wherever_nul_is(live_server, tablets):
    """QA F6: U+0080-U+009F (U+0085 NEL, U+009B CSI) passed every text check: a customer named
    "王\x85丽", notes holding CSI and a decision reason "a\x85b" were stored. Each is refused as a
    NUL is: the record alone, the request with 422 in both languages."""
    tablet = Tablet(live_server, "wang.li")
    good = tablet.record(rep="wang.li", name="王丽", data={"visit": "first", "notes": "第一行\n第二行"})
    name = tablet.record(rep="wang.li", name="王\x85丽", phone="139 1234 5678")
    notes = tablet.record(rep="wang.li", name="李娜", phone="137 0000 1111", data={"visit": "first", "notes": "看房\x9b2J"})
    results = {r["id"]: r for r in tablet.push(good, name, notes)["results"]}
    assert results[good["id"]]["status"] == "accepted"
    for record, field in ((name, "customer.name"), (notes, "data.notes")):
        error = results[record["id"]]["error"]
        assert (error["code"], error["field"]) == ("invalid_value", field) and "control characters" in error["message"]
    _, manager = tablets["zhao.min"]
    asks = [("/conflicts/00000000-0000-0000-0000-000000000000/decision", {"owner": "wang.li", "reason": "a\x85b"}),
            ("/auth/enroll", {"username": "wang.li", "password": "x", "device_name": "前台\x9b"})]
    for path, body in asks:
        response = requests.post(live_server.url(path), json=body, timeout=30,
                                 headers={**live_server.auth(manager), "Accept-Language": "zh"})
        assert response.status_code == 422, (path, response.text)
        error = response.json()["error"]
        assert "control characters" in error["messages"]["en"] and "控制字符" in error["messages"]["zh"]


def test_qa14_a_control_character_in_an_api_address_is_said_in_both_languages(live_server, tablets):
    """QA F8b: %00 anywhere in an API address answered 422 in English only, without
    ``messages.zh``, even to Accept-Language zh; every API error carries both languages."""
    _, token = tablets["wang.li"]
    for path in ("/sync/pull?cursor=%00", "/customers/lookup?phone=138%0000138000", "/conflicts/abc%00def",
                 "/handovers/candidates?from_rep=wang%C2%85li"):
        for lang, key in (("zh-CN,zh;q=0.9", "zh"), ("en", "en")):
            response = requests.get(live_server.url(path), timeout=30,
                                    headers={**live_server.auth(token), "Accept-Language": lang})
            assert response.status_code == 422, (path, response.text)
            error = response.json()["error"]
            assert error["code"] == "invalid_request"
            assert error["messages"]["zh"].startswith("地址中含有看不见的控制字符") and "%00" in error["messages"]["en"]
            assert error["message"] == error["messages"][key]
