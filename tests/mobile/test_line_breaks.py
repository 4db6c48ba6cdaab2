"""QA of issue 14: the tablet breaks the lines of its banners and labels by the rules for
Chinese text (``mobile.line_breaks``): never before closing or after opening punctuation, never
inside "第 15 位", a long name shortened with … so the sentence stays whole. The widths here are
columns (a hanzi two, a Latin letter one); the real labels measure in their font
(tests/mobile/test_ui_banners.py)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mobile.line_breaks import CLOSING, OPENING, _units, columns, shorten, wrap


def lines(text: str, width: int) -> list[str]:
    return wrap(text, width, columns).split("\n")


def test_qa14_the_confirmation_of_a_40_character_name_keeps_today_no_15_together():
    text = "已登记（今天第 15 位）爱新觉罗·溥" + "溥" * 33 + "，由 陈杰 接待，12:13"
    for width in range(24, 90, 2):
        out = lines(text, width)
        assert any("今天第 15 位）" in line for line in out), (width, out)
        assert not any(line[:1] in CLOSING for line in out[1:]), (width, out)
        assert all(columns(line) <= width for line in out), (width, out)


def test_qa14_the_reps_verdict_leaves_no_lone_closing_bracket():
    """r48: "新客户：本人接待（其他…为准" / "）"."""
    text = "新客户：本人接待（其他售楼员的客户不在本机：同步后以服务器的归属为准）"
    for width in range(10, 72):
        out = lines(text, width)
        assert all(line[:1] not in CLOSING and line[-1:] not in OPENING for line in out), (width, out)
        assert "".join(out) == text


def test_numbers_stay_with_their_counters_and_latin_words_whole():
    for width in range(8, 30):
        out = lines("待同步 0 条 · 被退回 12 条", width)
        assert any("0 条" in line for line in out) and any("12 条" in line for line in out), (width, out)
    assert lines("Registered (no. 4 today) Zoë O'Brien-Smith", 20) == ["Registered (no. 4", "today) Zoë", "O'Brien-Smith"]
    assert lines("A" * 30 + "）", 10) == ["A" * 10, "A" * 10, "A" * 9, "A）"]  # a cut never starts with ）


def test_a_long_name_is_shortened_with_an_ellipsis_and_a_short_one_kept():
    assert shorten("爱新觉罗·溥仪") == "爱新觉罗·溥仪" and shorten("Zoë O'Brien-Smith") == "Zoë O'Brien-Smith"
    long_name = "欧阳" + "娜" * 98
    assert shorten(long_name) == "欧阳" + "娜" * 9 + "…" and columns(shorten(long_name)) <= 24
    assert shorten("A" * 100) == "A" * 23 + "…"
    assert shorten("小明🙂" * 10).endswith("…") and shorten("👍\ufe0f" * 20).endswith("👍\ufe0f…")  # whole emoji


PIECES = ["张", "伟", "爱", "新", "觉", "罗", "·", "，", "。", "（", "）", "：", "第 15 位", " ", "Anna", "12:04", "🙂"]


@settings(max_examples=300, derandomize=True, deadline=None)  # replayable, bounded
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60), st.integers(min_value=8, max_value=60))
def test_property_every_line_fits_and_breaks_only_where_chinese_allows(pieces, width):
    text = "".join(pieces)
    if re.search(r"[（）：，。·]{2}", text) or text.strip() != text:
        return  # runs of punctuation cannot always obey both rules; texts are trimmed
    out = lines(text, width)
    assert "".join(out).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added
    assert all(not line.startswith(" ") for line in out), out
    if any(columns(unit.strip()) > width for unit in _units(text)):
        return  # a piece with no break allowed, wider than a line: cut where it must (tested above)
    for before, line in zip(out, out[1:], strict=False):
        assert line[:1] not in CLOSING and before[-1:] not in OPENING, (before, line)
        assert not (before.endswith("第") and line.startswith("15")) and not line.startswith("位"), (before, line)
    assert all(columns(line) <= width for line in out), out
