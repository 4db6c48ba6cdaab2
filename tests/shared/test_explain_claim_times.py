"""QA of issue 14, N6: every step that names a claim carries the claim's time, so two claims
of one minute are told to the second (``close_minutes``) and "first" can be seen — a household
split of claims at 23:15:11.4 and 23:15:12.9 read "2026-12-01 23:15 由 陈杰 … 首次登记" /
"夫妻客成交前分别由 陈杰、王丽 接待登记，双方各得一半". A step stored before it carried the time
renders as it always did."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime, timedelta

import pytest

from shared.explain import TEMPLATES, WITHOUT_TIME, render_story, story_dicts, story_sentences
from shared.ownership import decide_ownership
from shared.policy import SitePolicy
from tests.builders import timed

NAMES = {"wang.li": "王丽", "zhang.qiang": "张强", "chen.jie": "陈杰"}
FIRST = datetime(2026, 12, 1, 15, 15, 11, 400_000, tzinfo=UTC)  # 23:15:11.4 in Beijing
SECOND = FIRST + timedelta(milliseconds=1_500)  # 23:15:12.9


def _spouses(household: str):
    husband = timed(rep="chen.jie", at=FIRST, name="张伟", phone="138 0013 8100")
    wife = timed(rep="wang.li", at=SECOND, name="李娜", phone="139 1234 5678",
                 data={"household_phone": "138 0013 8100"})
    return decide_ownership([husband, wife], rep_names=NAMES, policy=SitePolicy(household=household))


def test_n6_a_household_split_tells_the_second_claims_time_to_the_second():
    outcome = _spouses("split")
    zh = render_story(outcome.explanation, "zh")
    assert zh[0].startswith("2026-12-01 23:15:11 ") and zh[0].endswith("接待人 陈杰"), zh
    assert "夫妻客成交前分别由 陈杰、王丽（2026-12-01 23:15:12）接待登记，双方各得一半" in zh, zh
    en = render_story(outcome.explanation, "en")
    assert "household member registered separately by 王丽 2026-12-01 23:15:12 before a deal; " \
           "shared 50/50 with 陈杰" in en, en
    # the same words in the shape the server stores/sends and the tablet renders from
    dicts = story_dicts(outcome.explanation)
    assert [d["text"]["zh"] for d in dicts] == list(zh)
    stored = json.loads(json.dumps([step.as_dict(text=False) for step in outcome.explanation]))
    assert [s["zh"] for s in story_sentences(stored)] == list(zh)


def test_n6_the_first_receiver_rule_tells_the_second_claims_time_to_the_second():
    zh = render_story(_spouses("first").explanation, "zh")
    assert zh[0].startswith("2026-12-01 23:15:11 ") and zh[0].endswith("接待人 陈杰"), zh
    assert "家庭另一方后由 王丽 于 2026-12-01 23:15:12 接待，以先接待者 陈杰 为准" in zh, zh


def test_n6_an_unverified_clocks_flag_names_the_claims_time():
    a = timed(rep="wang.li", at=FIRST, method="unverified", uncertainty_ms=900_000)
    b = timed(rep="zhang.qiang", at=SECOND + timedelta(days=2))
    steps = decide_ownership([a, b], rep_names=NAMES).conflicts[0].steps
    zh = render_story(steps, "zh")
    assert "时钟未核实：王丽 于 2026-12-01 23:15 登记，其平板时间无法与服务器核对" in zh, zh


@pytest.mark.parametrize("key", sorted(WITHOUT_TIME))
def test_n6_a_step_stored_before_it_carried_the_time_reads_as_before(key):
    old = {"rule": "R6", "key": key, "at": FIRST.isoformat(), "params": {"owner": "陈杰", "rep": "王丽"}}
    assert story_sentences([old])[0] == {lang: WITHOUT_TIME[key][lang].format(owner="陈杰", rep="王丽")
                                         for lang in ("zh", "en")}


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_n6_every_step_naming_a_claims_rep_tells_a_time():
    """The kind: a template naming the rep of a claim (``{rep}``) names a time too (``{time}``,
    ``{until}`` of a lapse, ``{captured}`` of an impossible clock), in both languages."""
    timeless = {key: lang for key, words in TEMPLATES.items() for lang, text in words.items()
                if "rep" in _names(text) and not _names(text) & {"time", "until", "captured"}}
    assert timeless == {}, timeless

