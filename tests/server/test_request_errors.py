"""A request that is not the documented shape (bad query parameters, a body with wrong types)
answers 422 ``invalid_request`` naming each field and what it should be, in the language
``Accept-Language`` asks for (``messages`` holds both): before, pydantic's English only
("Input should be a valid integer, unable to parse string as an integer")."""

from __future__ import annotations

import requests

from tests.server.helpers import Tablet
from tests.test_chinese_punctuation import ascii_punctuation_next_to_chinese

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_a_pull_limit_that_is_not_a_number_is_named_in_chinese_with_what_to_send(live_server):
    tablet = Tablet(live_server, "wang.li")
    answer = requests.get(live_server.url("/sync/pull"), params={"limit": "abc"},
                          headers={**tablet.headers, **ZH}, timeout=30)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_request" and error["field"] == "query.limit"  # as it always read
    assert error["message"] == error["messages"]["zh"]
    assert "查询参数 limit 须为整数" in error["message"] and "Input should" not in error["message"]
    assert not ascii_punctuation_next_to_chinese(error["message"])
    assert "limit" in error["messages"]["en"] and "integer" in error["messages"]["en"]


def test_an_enrolment_body_with_wrong_types_names_every_field_in_the_asked_language(live_server):
    body = {"username": 5, "password": 12345678, "device_name": "前台"}
    zh = requests.post(live_server.url("/auth/enroll"), json=body, headers=ZH, timeout=30)
    en = requests.post(live_server.url("/auth/enroll"), json=body, headers={"Accept-Language": "en"}, timeout=30)
    assert zh.status_code == en.status_code == 422
    assert "username 须为文字" in zh.json()["error"]["message"]
    assert "password 须为文字" in zh.json()["error"]["message"]
    assert en.json()["error"]["message"].startswith("The request is not the documented shape")
    assert en.json()["error"]["messages"]["zh"] == zh.json()["error"]["message"]


def test_qa14_a_push_clock_reading_of_true_is_no_number_of_milliseconds(live_server):
    """QA F5's kind: pydantic read ``"elapsed_ms": true`` of the push's clock as 1 and the push
    was taken; a record's own clock refuses it (shared.records), so the envelope does too."""
    tablet = Tablet(live_server, "wang.li")
    for reading in (True, False, "5000", 5000.0):
        body = tablet.envelope([])
        body["clock"]["elapsed_ms"] = reading
        answer = requests.post(live_server.url("/sync/push"), json=body, headers={**tablet.headers, **ZH}, timeout=30)
        assert answer.status_code == 422, (reading, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "invalid_request" and error["field"] == "clock.elapsed_ms"
        assert "clock.elapsed_ms 须为整数" in error["messages"]["zh"], error
