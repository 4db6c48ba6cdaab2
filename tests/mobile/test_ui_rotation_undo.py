"""Undo a reception on the 排班 screen (issue 12 leftovers) in the real app under Xvfb: with the
network down the desk undoes its last reception (confirm, a reason required) and sees the board
without it at once; the list of today's receptions shows each undone one with its reason in the
reader's language (a moved reception's reason too); after the network is back the withdrawal is
pushed like any other record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import LiveServer
from tests.mobile.fault_proxy import FaultProxy
from tests.mobile.test_ui import ROOT, SHOTS, app_env, display  # noqa: F401 - the Xvfb fixture

pytestmark = pytest.mark.ui
DRIVER = Path(__file__).with_name("ui_rotation_undo_driver.py")


@pytest.fixture(scope="module")
def undo(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    tmp = tmp_path_factory.mktemp("rotation-undo")
    SHOTS.mkdir(parents=True, exist_ok=True)

    def run(url: str, phase: str) -> dict:
        result_path = tmp / f"{phase}.json"
        done = subprocess.run([sys.executable, str(DRIVER), url, str(tmp / "desk"), str(result_path), phase,
                               str(SHOTS)], env=app_env(display, tmp), cwd=ROOT, timeout=150,
                              capture_output=True, text=True)
        assert done.returncode == 0, (phase, done.stderr[-3000:])
        result = json.loads(result_path.read_text(encoding="utf-8"))
        assert "error" not in result, (phase, result)
        return result

    with LiveServer() as server, FaultProxy(server.base_url) as proxy:
        run(proxy.base_url, "enrol")
        proxy.drop_all = True  # no network: the tablet is offline
        offline = run(proxy.base_url, "undo")
        proxy.drop_all = False
        return offline, run(proxy.base_url, "sync")


def test_undo_last_reception_asks_for_a_reason_and_the_board_drops_it_at_once_offline(undo):
    offline, _ = undo
    before, after, last = offline["before"], offline["after"], offline["before"]["last_name"]
    assert before["receptions"][0] == "zhang.qiang" and len(before["receptions"]) == 2  # 张伟's moved to 张强
    assert last in offline["confirm_text"] and "第 2 轮" in offline["confirm_text"]
    assert offline["no_reason"] == "请填写：撤销原因"
    assert after["receptions"] == ["zhang.qiang"]
    assert after["next"] == f"下一位接待：{last}" != before["next"]  # the turn is theirs again
    assert after["message"].startswith(f"已撤销{last}的接待（第 2 轮）")
    assert offline["pending"] >= 6  # two walk-ins, their receptions, the correction's records, the undo


def test_todays_receptions_list_shows_each_undone_one_with_its_reason_in_the_readers_language(undo):
    offline, _ = undo
    zh, en = "\n".join(offline["list_zh"]), "\n".join(offline["list_en"])
    assert "已撤销：点错了，客户找的是别人" in zh and "已撤销：到访登记已更正为张强接待" in zh
    assert "Undone: 点错了，客户找的是别人" in en and "Undone: walk-in corrected: received by 张强" in en
    assert offline["list_zh"].count("撤销") == 1  # only the one standing reception can still be undone


def test_the_undo_is_pushed_like_any_other_record_once_the_network_is_back(undo):
    _, synced = undo
    assert synced["pending"] == 0 and synced["rejected"] == 0
    assert synced["receptions"] == ["zhang.qiang"]


def test_the_undo_on_the_sync_screen_says_what_it_takes_back(undo):
    """QA re-check of issue 12 (C): the withdrawal's row read "撤回 · · - ·" (no customer, no
    rep); it names the reception it takes back and that reception's rep."""
    offline, _ = undo
    rows = [t for t in offline["sync_rows"] if t.startswith("#") and "撤回 #" in t]
    assert rows and all("· ·" not in t and " - " not in t for t in rows), offline["sync_rows"]
    assert any("（接待）" in t or "接待" in t for t in rows), rows
