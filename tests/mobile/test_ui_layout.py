"""QA of issue 14, N8 on the real app under Xvfb (marker ``ui``), every screen at 1280×800:
no empty band (the sync screen's ~130 px between the header and the summary), no button left
looking pressed (指定接待's list dismissed, its button stayed blue), every list's button back to
normal whether its list is dismissed or a row chosen. ``ui_layout_driver.py`` drives the app."""

from __future__ import annotations

import pytest

from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def layout(display, tmp_path_factory):  # noqa: F811 - the fixture imported above
    return run_driver("ui_layout_driver.py", display, tmp_path_factory.mktemp("layout"), shots=True, timeout=240)


def test_n8_every_screen_was_visited(layout):
    assert {"home", "walkin", "call", "sync", "rotation", "today", "find", "card", "deal"} <= set(layout["screens"])


def test_n8_the_sync_screen_has_no_empty_band_between_the_banner_space_and_the_summary(layout):
    band = layout["sync_band"]
    assert band["summary_text"], band
    # the banner keeps its reserved space; below it only the box's padding, no band
    assert band["banner_bottom"] - band["summary_top"] <= 12 + 1, band


def test_qa5_f5_the_banner_band_shows_the_sync_status_and_nothing_moves_when_a_banner_appears(layout):
    """QA5 F5: the ~64 px reserved for banners read as an empty gap; it now carries the sync
    status line (上次同步：… · N 条待发送) until a banner takes its place, in the same space."""
    quiet, banner = layout["sync_quiet"], layout["sync_banner"]
    assert quiet["text"].startswith("上次同步：") and "条待发送" in quiet["text"] and quiet["kind"] == "quiet", quiet
    assert banner["text"] and banner["text"] != quiet["text"] and banner["kind"] == "ok", banner
    for key in ("top", "height", "summary_top", "rows_top"):
        assert banner[key] == quiet[key], (key, quiet, banner)


def test_n8_no_screen_leaves_a_gap_for_something_it_does_not_show(layout):
    assert layout["bands"] == [], layout["bands"]


def test_n8_no_button_keeps_the_pressed_colour_after_a_press(layout):
    assert layout["stuck"] == [], layout["stuck"]


def test_n8_every_list_button_returns_to_normal_when_its_list_closes(layout):
    lists = layout["lists"]
    assert any(entry[:3] == ["walkin", "designated", "chosen"] for entry in lists), lists
    assert any(entry[0] == "walkin" and entry[2] == "dismissed" for entry in lists), lists
    changed = [entry for entry in lists if entry[3] != entry[4]]
    assert changed == [], changed
    assert layout["designated_text"] == "陈杰"
