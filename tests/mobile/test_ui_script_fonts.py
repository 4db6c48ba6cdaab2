"""Issue 14 leftovers on the real app under Xvfb (marker ``ui``): names in Hebrew (דוד כהן),
Arabic, Thai, Devanagari, and emoji with a skin tone (👍🏽), a ZWJ family or a keycap are drawn
without a single .notdef box, in a plain label, a button and markup: each run of a script in a
font that has it (``mobile.fonts.SCRIPT_FONTS``), a skin tone or joiner never drawn on its own."""

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
    tmp = tmp_path_factory.mktemp("script_fonts")
    result = tmp / "result.json"
    subprocess.run([sys.executable, str(Path(__file__).with_name("ui_script_fonts_driver.py")), str(tmp / "desk"),
                    str(result), str(SHOTS)], env=app_env(display, tmp), cwd=ROOT, timeout=180, check=True)
    found = json.loads(result.read_text(encoding="utf-8"))
    assert "error" not in found, found
    return found


@pytest.mark.parametrize("kind", ["hebrew", "arabic", "thai", "devanagari", "rare_han", "rare_han_a"])
def test_a_name_in_another_script_is_drawn_in_a_font_that_has_it(drawn, kind):
    assert [b for b in drawn["boxes"] if b[0] == kind] == []
    for where in ("label", "button", "markup"):
        assert any(font.startswith("Fieldsync") for font in drawn["fonts"][f"{kind}/{where}"]), drawn["fonts"]


@pytest.mark.parametrize("kind", ["skin_tone", "zwj_family", "keycap", "mixed"])
def test_an_emoji_sequence_never_becomes_a_box(drawn, kind):
    assert [b for b in drawn["boxes"] if b[0] == kind] == []
    for where in ("label", "button", "markup"):
        shown = drawn["drawn"][f"{kind}/{where}"]
        assert not any(0x1F3FB <= ord(c) <= 0x1F3FF or c in "\u200d\u20e3\ufe0f" for c in shown), shown
    assert "👍" in drawn["drawn"]["skin_tone/label"] and "👨👩👧" in drawn["drawn"]["zwj_family/label"]


def test_qa5_f6g_a_flag_is_drawn_as_one_flag_sign_and_its_country_not_two_boxed_letters(drawn):
    """QA5 F6g: 🇨🇳 (two regional indicators) was drawn as two boxed letters in Symbola; no font
    here has flags, so it is one flag sign and the country's code, ⚑CN, in every kind of label."""
    assert [b for b in drawn["boxes"] if b[0] == "flag"] == []
    for where in ("label", "button", "markup"):
        shown = drawn["drawn"][f"flag/{where}"]
        assert "中国⚑CN队" in shown and not any(0x1F1E6 <= ord(c) <= 0x1F1FF for c in shown), (where, shown)


def test_no_box_anywhere(drawn):
    assert drawn["boxes"] == []
