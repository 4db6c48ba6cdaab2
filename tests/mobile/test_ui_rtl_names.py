"""Issue 14, right-to-left names on the real app under Xvfb (marker ``ui``): an Arabic name
(محمد علي), a Uyghur one (ئابدۇرېھىم ئۆتكۈر) and a Hebrew one (דוד כהן) in a search row (as
查找客户 makes it) and a plain label are drawn shaped, right to left — by their pixels: the
row's ink matches the name drawn shaped in its font, not the isolated letters left to right
the row drew before (tests/mobile/ui_rtl_names_driver.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mobile.test_ui import ROOT, SHOTS, app_env, display  # noqa: F401 - the Xvfb fixture

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def drawn(display, tmp_path_factory):  # noqa: F811 - the fixture imported above
    tmp = tmp_path_factory.mktemp("rtl_names")
    result = tmp / "result.json"
    subprocess.run([sys.executable, str(Path(__file__).with_name("ui_rtl_names_driver.py")), str(tmp / "desk"),
                    str(result), str(SHOTS)], env=app_env(display, tmp), cwd=ROOT, timeout=180, check=True)
    found = json.loads(result.read_text(encoding="utf-8"))
    assert "error" not in found, found
    return found


@pytest.mark.parametrize("where", ["arabic", "arabic/label", "uyghur", "uyghur/label"])
def test_issue14_an_arabic_script_name_is_drawn_joined_right_to_left(drawn, where):
    found = drawn[where]
    assert found["shaped_width"] != found["unshaped_width"], found  # the check can tell them apart
    assert abs(found["width"] - found["shaped_width"]) <= 2, found
    assert found["shaped_overlap"] > 0.9 > found["unshaped_overlap"] + 0.2, found


@pytest.mark.parametrize("where", ["hebrew", "hebrew/label"])
def test_issue14_a_hebrew_name_is_drawn_right_to_left(drawn, where):
    found = drawn[where]
    assert found["shaped_overlap"] > 0.9 > found["unshaped_overlap"] + 0.2, found


def test_issue14_an_arabic_name_in_a_chinese_sentence_stays_between_its_words(drawn):
    core = drawn["mixed"]["core_text"]
    assert core.index("客户") < core.index("علي") < core.index("محمد") < core.index("来访"), core
