"""QA of issue 14 F4, the real app under Xvfb: a name with emoji is drawn in the symbol font by
every Label that can show it — the save confirmation (where 小明▯▯ was drawn), 今日来访, the
sync screen, and every Label class of the app's kv rules — never as boxes."""

from __future__ import annotations

import pytest

from tests.mobile.test_ui import SHOTS, display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def names(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    SHOTS.mkdir(parents=True, exist_ok=True)
    return run_driver("ui_names_driver.py", display, tmp_path_factory.mktemp("names"), shots=True, timeout=180)


def test_issue14_f4_the_save_confirmation_draws_the_emoji_of_a_name_not_boxes(names):
    """"已登记（今天第 1 位）小明🙂😀，由 …": the bar's own pixels where 🙂 follows 小明 match 🙂 in
    the symbol font, not the CJK font's box (before: 小明▯▯)."""
    assert "小明🙂😀" in names["confirmation"]
    glyph = names["confirmation_glyph"]
    assert glyph["symbol_overlap"] > 0.7 > glyph["box_overlap"], glyph


def test_issue14_f4_every_label_class_draws_a_names_emoji_plain_or_in_markup(names):
    """Each Label class the app registers (kv rules and Kivy's own: buttons, list rows, banners,
    spinner rows, popup labels): a fallback that does not depend on each screen remembering it."""
    classes = names["classes"]
    for expected in ("MessageBar", "InfoLabel", "FieldLabel", "ListRow", "AlertBar", "Button", "SpinnerRow"):
        assert expected in classes
    assert {name: c for name, c in classes.items() if not (c["plain"] and c["markup"] and c["constructed"])} == {}


def test_issue14_f4_a_list_row_built_with_the_name_draws_its_emoji(names):
    """今日来访's row is built with its text and never set again (a path the confirmation, whose
    text changes, does not take): its own pixels where 🙂 follows 小明 are Symbola's 🙂."""
    assert "小明🙂😀" in names["today_row"]
    glyph = names["today_glyph"]
    assert glyph["symbol_overlap"] > 0.7 > glyph["box_overlap"], glyph


def test_issue14_f4_every_label_showing_the_name_on_screen_uses_the_symbol_font(names):
    shown = names["on_screen"]
    assert {s["where"] for s in shown} >= {"walkin", "today", "sync"}, shown
    assert [s for s in shown if not s["symbols"]] == []
