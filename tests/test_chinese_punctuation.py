"""Chinese text uses full-width punctuation (issue 9 QA item 4): ，：；（）！？ — never ASCII
, : ; ( ) ! ? next to a Chinese character. ASCII stays inside numbers and times (10:02), in
URLs, placeholders ({name}) and between two Latin or digit tokens ("R5", "CSV, XLSX").

Walks every zh string table (the console's, the tablet's, the explanation templates) and the
explanations the engine renders for hypothesis's ownership examples (names, times and splits
filled in). The console's rendered pages are checked in tests/console."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from mobile.i18n import STRINGS as TABLET
from shared.explain import TEMPLATES, UNKNOWN_TIME, render
from shared.ownership import decide_ownership
from sync_server.console.i18n import STRINGS as CONSOLE
from tests.shared.ownership_examples import examples

_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def ascii_punctuation_next_to_chinese(text: str, placeholders_are_chinese: bool = True) -> list[str]:
    """Each ASCII , : ; ( ) ! ? whose nearest non-space neighbour on either side is a Chinese
    character (or, in a string table, a placeholder: a name or time goes there), shown in context."""
    masked = _PLACEHOLDER.sub("名" if placeholders_are_chinese else "x", text)
    found = []
    for match in re.finditer(r"[,:;()!?]", masked):
        i = match.start()
        left, right = masked[:i].rstrip(" ")[-1:], masked[i + 1:].lstrip(" ")[:1]
        if _CJK.match(left or "a") or _CJK.match(right or "a"):
            found.append(masked[max(0, i - 8):i + 9])
    return found


def test_the_checker_tells_good_from_bad():
    assert ascii_punctuation_next_to_chinese("R2:保护期至 {until}") == ["R2:保护期至 名"]
    assert ascii_punctuation_next_to_chinese("属于 {owner}(R5)")
    assert ascii_punctuation_next_to_chinese("已确认：{name} 10:02（R5），见 https://x.cn/a?b=1") == []
    assert ascii_punctuation_next_to_chinese("CSV, XLSX 与 PDF") == []


def _bad_entries(table: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    return {key: bad for key, (zh, _) in table.items() if (bad := ascii_punctuation_next_to_chinese(zh))}


def test_the_consoles_chinese_strings_use_full_width_punctuation():
    assert _bad_entries(CONSOLE) == {}


def test_the_tablets_chinese_strings_use_full_width_punctuation():
    assert _bad_entries(TABLET) == {}


def test_the_explanation_templates_use_full_width_punctuation():
    bad = {key: found for key, t in TEMPLATES.items() if (found := ascii_punctuation_next_to_chinese(t["zh"]))}
    assert bad == {} and ascii_punctuation_next_to_chinese(UNKNOWN_TIME["zh"]) == []


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(example=examples())
def test_rendered_explanations_use_full_width_punctuation(example):
    policy = example.policy
    outcome = decide_ownership(example.records, policy, example.decisions, as_of=example.as_of,
                               rep_names={"wang.li": "王丽", "zhang.qiang": "张强", "chen.jie": "陈杰", "zhao.min": "赵敏"})
    for step in [*outcome.history, *(s for c in outcome.conflicts for s in c.steps)]:
        if "reason" in step.params:  # a manager's own words are kept as typed
            step = replace(step, params={**step.params, "reason": "理由"})
        text = render(step, "zh", policy.utc_offset_minutes)
        assert ascii_punctuation_next_to_chinese(text, placeholders_are_chinese=False) == [], (step.key, text)
