"""Issue 13: a step stored without text (``Step.as_dict(text=False)``, through JSON) renders to
exactly the words ``Step.as_dict`` stored before, for every template, in zh and en, in any
site offset: params of every kind a step carries (times, dates, names, lists of names,
splits, seconds apart, a stage or method code, times an impossible clock stands for)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.explain import TEMPLATES, Step, sentence, step_from_dict, step_text

NAMES = st.sampled_from(["王丽", "张强", "陈杰", "Li Wei", "desk-1"])
TIMES = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2040, 1, 1),
                     timezones=st.just(UTC)).map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000))


@st.composite
def steps(draw) -> Step:
    key = draw(st.sampled_from(sorted(TEMPLATES)))
    time, other = draw(TIMES), draw(TIMES)
    params: dict = {"time": time, "rep": draw(NAMES), "owner": draw(NAMES), "device": draw(NAMES),
                    "until": other, "owner_time": other, "since": other, "captured": other, "first": other,
                    "previous": draw(NAMES), "referrer": draw(NAMES), "author": draw(NAMES), "to": draw(NAMES),
                    "day": time.date().isoformat(), "count": draw(st.integers(0, 50)),
                    "reason": draw(st.sampled_from(["客户坚持由王丽接待", "2026-11-20T10:00 先到", ""])),
                    "gap_s": draw(st.floats(0, 7200, allow_nan=False)),
                    "stage": draw(st.sampled_from(["small_deposit", "large_deposit", "contract", "other"])),
                    "method": draw(st.sampled_from(["draw", "choice"]))}
    if draw(st.booleans()):
        params["first"] = draw(st.lists(NAMES, min_size=1, max_size=3))
    if key == "decision":
        params["split"] = draw(st.sampled_from([{}, {"王丽": 70, "张强": 30}, {"张强": 50, "王丽": 50}]))
    if draw(st.booleans()):
        params["clock_unknown"] = draw(st.lists(st.sampled_from(["time", "owner_time", "captured"]), max_size=2))
    return Step(rule="R" + str(draw(st.integers(1, 11))), key=key, params=params,
                at=draw(st.one_of(st.none(), st.just(time))))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(steps(), st.sampled_from([480, 420, 540, -300, 0]))
def test_a_step_stored_without_text_renders_to_the_text_once_stored(step, offset):
    stored = json.loads(json.dumps(step.as_dict(offset, text=False)))
    assert "text" not in stored
    assert step_text(stored, offset) == step.as_dict(offset)["text"]
    assert sentence(stored, "zh_CN", offset) == step.as_dict(offset)["text"]["zh"]


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_round_trips(key):
    at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    step = Step("R1", key, {"time": at, "until": at + timedelta(days=30), "rep": "王丽", "owner": "张强",
                            "device": "平板 5", "count": 2, "gap_s": 12.5, "split": {"王丽": 70, "张强": 30},
                            "clock_unknown": ["time"]}, at)
    assert step_from_dict(step.as_dict(480, text=False)) == step
    assert step_text(step.as_dict(480, text=False), 480) == step.as_dict(480)["text"]


def test_a_step_of_an_unknown_template_keeps_the_text_it_carries():
    assert step_text({"rule": "R3", "key": "from_a_newer_server", "text": {"zh": "新说明"}}) == {"zh": "新说明", "en": "新说明"}
    assert step_text({"rule": "R3", "key": "from_a_newer_server"}) == {"zh": "R3 from_a_newer_server",
                                                                       "en": "R3 from_a_newer_server"}
