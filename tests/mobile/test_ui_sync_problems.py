"""Issue 8 on the tablet's screens (real Kivy window under Xvfb, marker ``ui``): a wall clock far
off the server's is shown on home and sync in zh and en; a 500 is shown as a server error with
its status, and the good record behind the bad one is synced. A shared tablet after 切换用户
offers 更正/撤回 of the desk's refused walk-in to the desk only, and tells a rep why not."""

from __future__ import annotations

import pytest

from tests.live_server import LiveServer
from tests.mobile.fault_proxy import FaultProxy
from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def result(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    with LiveServer() as server, FaultProxy(server.base_url) as proxy:
        proxy.poison_names.add("坏记录")
        return run_driver("ui_sync_problems_driver.py", display, tmp_path_factory.mktemp("sync-problems"),
                          server_url=proxy.base_url, timeout=120)


def test_issue8_a_tablet_clock_reset_to_1970_is_shown_on_home_and_sync(result):
    assert result["warning_before"] == ""
    assert result["home_warning"].startswith("本机时钟与服务器相差") and "偏慢" in result["home_warning"]
    assert result["sync_warning"] == result["home_warning"]
    assert result["clock_warning_en"].startswith("This tablet's clock is") and "behind" in result["clock_warning_en"]


def test_issue8_a_500_reads_as_a_server_error_with_its_status_never_unreachable(result):
    assert "服务器出错（500）" in result["status_line"]
    assert "服务器出错（500" in result["sync_detail"] and "无法连接" not in result["sync_detail"]
    held = [text for text in result["sync_rows"] if "坏记录" in text]
    assert held and "暂存本机" in held[0]
    assert any(text.startswith("原因") and "服务器出错（500）" in text for text in result["sync_rows"])
    assert "Server error (500" in result["sync_detail_en"] and "cannot be reached" not in result["sync_detail_en"]


def test_a_rep_signed_in_on_the_desks_tablet_is_not_offered_the_desks_refused_walkin(result):
    rows = result["rep_rows"]
    assert any("错接待" in text and "被退回" in text for text in rows), rows
    assert "这条记录由李静录入，只有录入人、前台（前台的记录）或经理可以更正或撤回。" in rows, rows
    assert "更正" not in rows and "撤回" not in rows  # no button
    desk = result["desk_rows"]
    assert "更正" in desk and "撤回" in desk and not any("只有录入人" in text for text in desk), desk
