"""QA5 F6g, the run splitter: a regional-indicator pair (a flag, 🇨🇳) is one flag sign in the
symbol font and the country's code in the ordinary font, never two indicators handed to Symbola
(which draws each as a boxed letter); the pictograph and script runs around it are unchanged."""

from __future__ import annotations

import pytest

from mobile import fonts


@pytest.fixture
def with_symbols():
    path = fonts.register_symbol_font()  # the real font of this machine (fonts-symbola), as the app does
    if not path:
        pytest.skip("no symbol font on this machine (.ci/setup installs fonts-symbola)")
    return path


def test_qa5_f6g_a_flag_is_one_flag_sign_and_its_country_code(with_symbols):
    assert fonts.symbol_runs("中国🇨🇳队") == [("中国", None), (fonts.FLAG_SIGN, fonts.SYMBOL_FONT), ("CN", None),
                                             ("队", None)]
    assert fonts.readable("中国🇨🇳") == f"中国[font={fonts.SYMBOL_FONT}]⚑[/font]CN"
    assert fonts.wrap_symbols("[b]🇨🇳[/b]") == f"[b][font={fonts.SYMBOL_FONT}]⚑[/font]CN[/b]"


def test_qa5_f6g_two_flags_a_lone_indicator_and_emoji_beside_them(with_symbols):
    runs = fonts.symbol_runs("🇨🇳🇭🇰👍🏽🇦")
    assert runs == [(fonts.FLAG_SIGN, fonts.SYMBOL_FONT), ("CN", None), (fonts.FLAG_SIGN, fonts.SYMBOL_FONT),
                    ("HK", None), ("👍", fonts.SYMBOL_FONT), ("A", None)]
    assert not any(0x1F1E6 <= ord(c) <= 0x1F1FF for text, _ in runs for c in text)


def test_qa5_f6g_without_a_symbol_font_a_flag_is_its_country_code():
    saved = fonts._symbol_font[0]
    fonts._symbol_font[0] = None  # a tablet without the symbol font
    try:
        assert fonts.flag_parts("🇨🇳") == [("CN", None)]
        assert fonts.readable("🇨🇳") == "CN"
    finally:
        fonts._symbol_font[0] = saved
