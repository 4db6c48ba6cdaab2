"""QA of issue 12 on the tablet, in the real app under Xvfb against a real server:

- F2: one press = at most one record. Every save button tapped twice, 80 ms apart (a fast
  double tap) or 200 ms apart (after the save came back), saves once and never answers the
  second tap with an error for the save that succeeded;
- F5: 登记 cannot register on the previous visitor's plan (the receiver is recomputed first);
- F3: a rep's tablet shows 排班 read-only; a rotation record it made anyway is refused by the
  server (``rotation_desk_only``) and kept with its reason;
- F6: 排班 at 1280×800 with 6 reps and 3 clashes: the board scrolls, every rep row keeps a
  touch height (≥ 48 dp) and can be shown whole, the clashes take a bounded area;
- F8 / F12.3: a deactivated rep reads by name (陈杰, not chen.jie); English lists use ", ".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console.seed import within_today
from tests.live_server import PASSWORD, SITE_ID, LiveServer
from tests.mobile.test_ui import SHOTS, display  # noqa: F401 - the Xvfb fixture
from tests.mobile.test_ui import run_phase as run_ui_phase
from tests.server.helpers import Tablet

pytestmark = pytest.mark.ui
DRIVER = Path(__file__).with_name("ui_one_press_driver.py")


def run_phase(display: str, tmp: Path, url: str, tablet: str, phase: str, *args: str) -> dict:  # noqa: F811
    return run_ui_phase(DRIVER, display, tmp, url, tablet, phase, *args)


@pytest.fixture(scope="module")
def taps(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    tmp = tmp_path_factory.mktemp("one_press")
    with LiveServer() as server:
        run_phase(display, tmp, server.base_url, "desk", "enrol", "desk.li", "前台一", "3")
        run_phase(display, tmp, server.base_url, "rep", "enrol", "wang.li", "王丽的平板", "3")
        return {"desk": run_phase(display, tmp, server.base_url, "desk", "desk"),
                "rep": run_phase(display, tmp, server.base_url, "rep", "rep")}


def test_a_double_tap_80ms_on_register_registers_the_visitor_once_with_one_turn(taps):
    walkin = taps["desk"]["walkin_80ms"]
    assert (walkin["walkins"], walkin["rotation"]) == (1, 1)
    assert walkin["message_kind"] == "ok" and "双击甲" in walkin["message"]


def test_a_second_tap_200ms_after_a_good_save_says_no_error_and_saves_nothing(taps):
    walkin = taps["desk"]["walkin_200ms"]
    assert (walkin["walkins"], walkin["rotation"]) == (1, 1)
    assert walkin["message_kind"] == "ok" and "未能保存" not in walkin["message"]


def test_register_tapped_as_the_phone_changes_never_uses_the_previous_visitors_receiver(taps):
    desk = taps["desk"]
    assert desk["stale_ready_at_once"] is False and desk["stale_saved"] == 0
    plan = desk["returning_plan"]
    assert plan["verdict"] == "returning" and plan["reason"] == "returning" and plan["rep"] == plan["owner"]


def test_every_other_desk_save_is_one_record_per_press(taps):
    desk = taps["desk"]
    assert desk["call_80ms"] == {"calls": 1, "message_kind": "ok"}
    assert desk["status_80ms"] == 1 and desk["lunch_80ms"] == 1
    assert desk["undo_80ms"] == 1 and desk["undo_message_kind"] == "ok"


def test_a_reps_follow_up_complaint_and_deal_save_once_per_press(taps):
    rep = taps["rep"]
    for key in ("follow_80ms", "complaint_200ms", "deal_80ms"):
        assert rep[key]["records"] == 1 and rep[key]["message_kind"] == "ok", (key, rep[key])


def test_issue14_f6_no_complaint_severity_is_preselected(taps):
    """Before: 一般投诉 was preselected (the severity sets the 1- or 3-working-day limit)."""
    assert taps["rep"]["severity_preselected"] == []


def test_a_reps_tablet_shows_the_board_read_only_and_keeps_a_refused_record_with_its_reason(taps):
    rep = taps["rep"]
    assert rep["read_only"] is True and rep["status_buttons"] == 0
    assert not rep["lunch_shown"] and not rep["undo_shown"] and rep["set_status_on_rep_tablet"] == 0
    refused = rep["refused"]
    assert refused["code"] == "rotation_desk_only" and refused["state"] == "rejected"
    assert "前台" in refused["zh"] and "desk" in refused["en"]
    assert rep["withdraw_refused_80ms"] == {"records": 1, "message_kind": "ok"}  # dealt with once, on 同步


def _rotation(tablet: Tablet, rep: str, minutes_ago: float, turn: int) -> dict:
    record = tablet.record("rotation", rep=rep, ago=within_today(minutes_ago, 40))  # on today's board
    record["data"] = {"day": record["data"]["day"], "event": "receive", "visit": "new", "turn": turn,
                      "reason": "turn"}
    return record


@pytest.fixture(scope="module")
def board(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    """A site of 7 reps, 6 on duty (陈杰 deactivated after his turns): two desks, offline, gave
    turns 1–3 twice (3 clashes)."""
    tmp = tmp_path_factory.mktemp("board_layout")
    with LiveServer() as server:
        for username, name in (("liu.yang", "刘洋"), ("zhou.xin", "周鑫"), ("sun.hao", "孙浩"), ("ma.jun", "马骏")):
            server.cli("users", "add", "--site", SITE_ID, "--username", username, "--password", PASSWORD,
                       "--role", "rep", "--name", name, "--listed-from", "2020-01-01")
        desk_a, desk_b = Tablet(server, "desk.li", "前台一"), Tablet(server, "desk.li", "前台二")
        for turn, rep in enumerate(("chen.jie", "liu.yang", "ma.jun"), 1):
            assert desk_a.statuses(_rotation(desk_a, rep, 40 - 2 * turn, turn)) == ["accepted"]
            assert desk_b.statuses(_rotation(desk_b, rep, 39 - 2 * turn, turn)) == ["accepted"]
        server.cli("users", "deactivate", "chen.jie")
        run_phase(display, tmp, server.base_url, "desk", "enrol", "desk.li", "前台三", "6")
        SHOTS.mkdir(parents=True, exist_ok=True)
        return run_phase(display, tmp, server.base_url, "desk", "board", str(SHOTS))


def test_the_board_at_1280x800_scrolls_and_every_rep_row_keeps_a_touch_height(board):
    for lang in ("zh", "en"):
        rows = board[lang]["rows"]
        assert len(rows) == 6
        for row in rows:
            assert row["height_dp"] >= 48 and row["buttons"] == 3 and row["button_height_dp"] >= 48, (lang, row)
            assert row["fully_visible"], (lang, row)
        assert 0 < board[lang]["clash_area_dp"] <= 150


def test_clash_lines_name_a_deactivated_rep_by_name(board):
    assert board["zh"]["clash_text"].count("\n") == 2  # 3 clashes
    assert "chen.jie" not in board["zh"]["clash_text"] and "陈杰、陈杰" in board["zh"]["clash_text"]
    assert board["name_of_deactivated"] == "陈杰"


def test_english_board_lists_names_with_commas(board):
    english = board["en"]
    assert "陈杰, 陈杰" in english["clash_text"] and "、" not in english["clash_text"]
    assert "、" not in english["queue"] and ", " in english["queue"]
