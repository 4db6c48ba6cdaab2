"""QA of issue 14, item 4, in the real app under Xvfb at 1280×800 and 1024×600, zh and en: a
banner never loses a line (the confirmation of a 100-character name lost "已登记（今天第 4 位）"),
a long name is shortened with … so the sentence stays whole, and no line of a banner or a
wrapping label starts with closing punctuation, ends with opening punctuation or splits
"第 15 位" (40 characters: "已登记（今天第 15" / "位）爱新觉罗·溥…"; the rep's verdict left a lone "）").
``ui_banners_driver.py`` drives the app; screenshots in tests/artifacts/mobile/qa14_*.png."""

from __future__ import annotations

import re

import pytest

from mobile.line_breaks import CLOSING, OPENING
from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def banners(display, tmp_path_factory):  # noqa: F811 - the fixture imported above
    return run_driver("ui_banners_driver.py", display, tmp_path_factory.mktemp("banners"), shots=True, timeout=400)


def _broken(lines: list[str]) -> list[str]:
    bad = []
    for before, line in zip(lines, lines[1:], strict=False):
        if line[:1] in CLOSING or before[-1:] in OPENING or (re.search(r"\d$", before) and line[:1] in "位条名"):
            bad.append(f"{before} / {line}")
    return bad


def test_qa14_every_size_and_language_was_seen(banners):
    seen = {(tuple(b["size"]), b["lang"]) for b in banners["banners"]}
    assert seen == {((1280, 800), "zh"), ((1280, 800), "en"), ((1024, 600), "zh"), ((1024, 600), "en")}
    assert len(banners["banners"]) == 4 * 7 and len(banners["labels"]) >= 4 * 3
    similar = [b for b in banners["banners"] if b["case"] == "similar_verdict"]
    assert all("爱新觉罗" in b["text"] and "…" in b["text"] for b in similar), similar  # the real warning, shortened
    assert all("+86\u00a0*******" in b["text"] for b in similar), similar  # the masked phone one piece


def test_qa14_the_confirmation_of_a_long_name_keeps_its_whole_sentence(banners):
    for b in banners["banners"]:
        if not b["case"].startswith("saved_"):
            continue
        first = b["lines"][0]
        assert first.startswith("已登记（本机今天第 " if b["lang"] == "zh" else "Registered (no. "), b
        assert b["fits"], b
        assert "…" in b["text"] and re.search(r"\d\d:\d\d$", b["lines"][-1]), b  # shortened; the time at the end
    calls = [b for b in banners["banners"] if b["case"] == "call_saved"]
    assert len(calls) == 4 and all(b["fits"] and b["text"].endswith("…") and "欧阳娜娜" in b["text"] for b in calls), calls


def test_qa14_no_banner_line_starts_with_closing_or_ends_with_opening_punctuation(banners):
    bad = {(b["case"], tuple(b["size"]), b["lang"]): _broken(b["lines"]) for b in banners["banners"]}
    assert {k: v for k, v in bad.items() if v} == {}


def test_qa14_the_reps_verdict_leaves_no_lone_bracket_and_fits(banners):
    for b in banners["banners"]:
        if b["case"] in ("rep_verdict", "similar_verdict", "missing_fields"):
            assert b["fits"] and all(line.strip() not in CLOSING for line in b["lines"]), b


def test_qa14_wrapping_labels_of_the_sync_screen_break_by_the_same_rules(banners):
    bad = [(label["size"], label["lang"], _broken(label["lines"])) for label in banners["labels"]]
    assert [b for b in bad if b[2]] == []
    states = [re.search(r"[【\[][^】\]]*[】\]]", label["text"]) for label in banners["labels"] if "#" in label["text"]]
    zh = [label["text"] for label in banners["labels"] if label["lang"] == "zh" and "#" in label["text"]]
    assert zh and all(re.search(r"  【[^】]+】", text) and "[" not in text for text in zh), zh  # L4: not "[被退回]"
    assert states and all(states), states


def test_qa14_l3_a_filled_in_name_goes_when_the_number_holds_the_letter_o(banners):
    """138OO138OOO kept the name the tablet had filled in for 13800138000, and said nothing."""
    assert banners["filled_name"].startswith("欧阳娜娜"), banners["filled_name"]
    assert banners["letter_o"] == {"name": "", "verdict": "号码里有字母 O：请改为数字 0", "kind": "error"}

