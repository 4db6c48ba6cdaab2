"""Issue 12 in the real app under Xvfb: two desk tablets and a rep's tablet of one site. Both
desks, cut off from the server, give the next turn; after sync all three show one board — the
same next rep, queue, errand and clash (the issue: the rep's tablet said 陈杰, the desk 张强)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live_server import LiveServer
from tests.mobile.fault_proxy import FaultProxy
from tests.mobile.test_ui import display  # noqa: F401 - the Xvfb fixture
from tests.mobile.test_ui import run_phase as run_ui_phase

pytestmark = pytest.mark.ui
DRIVER = Path(__file__).with_name("ui_rotation_driver.py")


def run_phase(display: str, tmp: Path, url: str, tablet: str, phase: str, *args: str) -> dict:  # noqa: F811
    return run_ui_phase(DRIVER, display, tmp, url, tablet, phase, *args)


@pytest.fixture(scope="module")
def site(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    tmp = tmp_path_factory.mktemp("rotation_ui")
    with LiveServer() as server, FaultProxy(server.base_url) as proxy:
        def run(tablet: str, phase: str, *args: str) -> dict:
            return run_phase(display, tmp, proxy.base_url, tablet, phase, *args)

        run("desk-1", "enrol", "desk.li", "前台一")
        run("desk-2", "enrol", "desk.li", "前台二")
        run("rep-wang", "enrol", "wang.li", "王丽的平板")
        proxy.fail_all = True  # the office's network is down
        offline = {"desk-1": run("desk-1", "errand_and_turn"), "desk-2": run("desk-2", "turn")}
        proxy.fail_all = False
        after = {"desk-1": run("desk-1", "sync", "2"), "desk-2": run("desk-2", "sync", "3"),
                 "rep-wang": run("rep-wang", "sync", "3")}
        after["desk-1"] = run("desk-1", "sync", "3")  # brings desk-2's turn, pushed after desk-1's first pull
        return offline, after


def test_offline_each_desk_gives_the_next_turn_on_its_own_provisional_board(site):
    offline, _ = site
    assert offline["desk-1"]["receiver"] == offline["desk-2"]["receiver"] == "chen.jie"
    assert offline["desk-1"]["board"]["out"] == "不在：张强（经理派出）"
    assert offline["desk-2"]["board"]["out"] == "不在：—"
    assert offline["desk-1"]["board"]["clashes"] == offline["desk-2"]["board"]["clashes"] == ""


def test_after_sync_two_desks_and_the_rep_tablet_show_one_board(site):
    _, after = site
    boards = [after[t]["board"] for t in ("desk-1", "desk-2", "rep-wang")]
    assert boards[0] == boards[1] == boards[2]
    board = boards[0]
    assert board["next"] == "下一位接待：王丽"
    assert board["out"] == "不在：张强（经理派出）"
    assert board["counted"] == {"chen.jie": 2}
    assert "第 1 轮被两台平板同时分配：陈杰、陈杰" in board["clashes"]
    assert all(after[t]["pending"] == 0 for t in after)


def test_n9_7_no_empty_band_under_the_title_when_there_is_nothing_to_say(site):
    """QA of issue 12 N9.7: an empty ~80 px band under 排班's title, on the desk and on the rep's
    read-only board (the message bar kept its height with nothing in it)."""
    offline, after = site
    boards = [offline["desk-1"]["board"], offline["desk-2"]["board"], *(b["board"] for b in after.values())]
    assert any(not b["message"] for b in boards)  # the case the QA saw is among them
    for board in boards:
        assert (board["message_bar_height"] == 0) == (not board["message"]), board
