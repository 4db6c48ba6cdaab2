"""Issue 9 leftover: a split share of 70.5 posted to the decision API came back as pydantic's raw
English 422 ("Input should be a valid integer, got a number with a fractional part"). Every field
of the decision body now answers with a stable code, the field, and a message a manager can act
on in the language ``Accept-Language`` asks for (``messages`` holds both)."""

from __future__ import annotations

import pytest
import requests

from sync_server.errors import request_lang
from tests.server.helpers import Tablet
from tests.server.test_ownership import fresh_phone, open_conflict, register
from tests.test_chinese_punctuation import ascii_punctuation_next_to_chinese


@pytest.fixture(scope="module")
def t(live_server):
    return {user: Tablet(live_server, user) for user in ("desk.li", "wang.li", "zhang.qiang", "zhao.min")}


@pytest.fixture(scope="module")
def path(t) -> str:
    phone = fresh_phone()
    register(t, "wang.li", phone, 10)
    register(t, "zhang.qiang", phone, 5)
    conflict = open_conflict(t, t["zhao.min"].get("/customers/lookup", phone=phone).json()["customer_id"])
    return f"/conflicts/{conflict['id']}/decision"


SPLIT = {"wang.li": 70, "zhang.qiang": 30}
CASES = [  # body, code, field, words the English message holds, words the Chinese one holds
    ({"owner": "wang.li", "split": {"wang.li": 70.5, "zhang.qiang": 29.5}, "reason": "r"}, "invalid_value",
     "split.wang.li", "whole percentages", "整数百分比"),
    ({"owner": "wang.li", "split": {"wang.li": 70.0, "zhang.qiang": 30}, "reason": "r"}, "invalid_value",
     "split.wang.li", "whole percentages", "整数百分比"),
    ({"owner": "wang.li", "split": {"wang.li": 130, "zhang.qiang": -30}, "reason": "r"}, "invalid_value",
     "split.wang.li", "from 0 to 100", "0 到 100"),
    ({"owner": "wang.li", "split": {"wang.li": 100, "zhang.qiang": -1}, "reason": "r"}, "invalid_value",
     "split.zhang.qiang", "from 0 to 100", "0 到 100"),
    ({"owner": "wang.li", "split": {"wang.li": "70", "zhang.qiang": 30}, "reason": "r"}, "wrong_type",
     "split.wang.li", "whole percentages", "整数百分比"),
    ({"owner": "wang.li", "split": {"wang.li": True, "zhang.qiang": 30}, "reason": "r"}, "wrong_type",
     "split.wang.li", "whole percentages", "整数百分比"),
    ({"owner": "wang.li", "split": [70, 30], "reason": "r"}, "wrong_type", "split", "username to whole percentage",
     "整数百分比"),
    ({"owner": "wang.li", "split": {"wang.li": 70, "zhang.qiang": 20}, "reason": "r"}, "invalid_value", "split",
     "add up to 100", "合计须为 100%"),
    ({"split": SPLIT, "reason": "r"}, "missing_field", "owner", "Name the owner", "owner"),
    ({"owner": "", "split": SPLIT, "reason": "r"}, "missing_field", "owner", "Name the owner", "owner"),
    ({"owner": 7, "split": SPLIT, "reason": "r"}, "wrong_type", "owner", "must be text", "文字"),
    ({"owner": "desk.li", "reason": "r"}, "unknown_rep", "owner", "not an active rep", "不是本案场在职的售楼员"),
    ({"owner": "wang.li", "split": SPLIT}, "missing_reason", "reason", "Write the reason", "请填写裁定理由"),
    ({"owner": "wang.li", "split": SPLIT, "reason": "   "}, "missing_reason", "reason", "Write the reason", "请填写裁定理由"),
    ({"owner": "wang.li", "split": SPLIT, "reason": 5}, "wrong_type", "reason", "must be text", "文字"),
    ({"owner": "wang.li", "split": SPLIT, "reason": "因" * 4001}, "too_long", "reason", "at most 4000",
     "最多 4000 字"),
    ({"owner": "wang.li", "split": SPLIT, "reason": "r", "note": 1}, "unknown_field", "note", "not part of a decision",
     "不是裁定的内容"),
    ({"owner": "wang.li", "split": {"wang.li": 0, "zhang.qiang": 100}, "reason": "r"}, "invalid_value", "split",
     "share above 0", "须大于 0"),
]


@pytest.mark.parametrize(("body", "code", "field", "en", "zh"), CASES, ids=[f"{c[1]}-{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_every_field_of_a_decision_is_refused_in_words_in_the_language_asked_for(live_server, t, path, body, code,
                                                                                   field, en, zh):
    answers = {}
    for lang, header in (("en", "en-US,en;q=0.9"), ("zh", "zh-CN,zh;q=0.9,en;q=0.8")):
        response = requests.post(live_server.url(path), json=body, timeout=60,
                                 headers={**t["zhao.min"].headers, "Accept-Language": header})
        assert response.status_code == 422, response.text
        answers[lang] = error = response.json()["error"]
        assert (error["code"], error["field"]) == (code, field), error
        assert "Input should" not in error["message"] and "documented shape" not in error["message"], error
    assert en in answers["en"]["message"], answers["en"]
    assert zh in answers["zh"]["message"] and answers["zh"]["message"] != answers["en"]["message"], answers["zh"]
    assert ascii_punctuation_next_to_chinese(answers["zh"]["message"]) == [], answers["zh"]["message"]
    assert answers["en"]["messages"] == answers["zh"]["messages"] == {"zh": answers["zh"]["message"],
                                                                       "en": answers["en"]["message"]}


def test_no_accept_language_answers_in_english_as_before(live_server, t, path):
    response = t["zhao.min"].post(path, {"owner": "wang.li", "split": {"wang.li": 70.5, "zhang.qiang": 29.5},
                                         "reason": "r"})
    assert response.status_code == 422 and "whole percentages" in response.json()["error"]["message"]


def test_a_share_in_chinese_names_the_person_then_the_login(live_server, t, path):
    """Issue 9 QA: "wang.li 的分成为 70.5…" named the login where every other message names the person."""
    zh = {**t["zhao.min"].headers, "Accept-Language": "zh-CN"}
    answer = requests.post(live_server.url(path), headers=zh, timeout=60,
                           json={"owner": "wang.li", "split": {"wang.li": 70.5, "zhang.qiang": 29.5}, "reason": "r"})
    assert answer.status_code == 422 and answer.json()["error"]["message"].startswith("王丽（wang.li）的分成为 70.5")


def test_already_decided_and_unknown_conflict_answer_in_chinese_too(live_server, t, path):
    zh = {**t["zhao.min"].headers, "Accept-Language": "zh-CN"}
    missing = requests.post(live_server.url("/conflicts/no-such/decision"), json={"owner": "wang.li", "reason": "x"},
                            headers=zh, timeout=60)
    assert missing.status_code == 404 and "没有这个争议" in missing.json()["error"]["message"]
    ok = requests.post(live_server.url(path), json={"owner": "wang.li", "split": SPLIT, "reason": "王丽先接待"},
                       headers=zh, timeout=60)
    assert ok.status_code == 200, ok.text
    again = requests.post(live_server.url(path), json={"owner": "wang.li", "reason": "另一标签页"}, headers=zh, timeout=60)
    assert again.status_code == 409 and "已由 赵敏（zhao.min）" in again.json()["error"]["message"]
    assert "未保存" in again.json()["error"]["message"] and again.json()["error"]["decided_by"] == "zhao.min"


@pytest.mark.parametrize(("header", "lang"), [("zh-CN,zh;q=0.9", "zh"), ("en-US", "en"), ("", "en"), ("fr", "en"),
                                              ("en;q=0.3, zh-TW;q=0.8", "zh"), ("zh;q=0.1, en", "en"), ("zh;q=x", "en")])
def test_request_lang_reads_the_preference(header, lang):
    assert request_lang(header) == lang
