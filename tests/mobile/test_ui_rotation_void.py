"""A rotation record the server refused (排班, issue 12 follow-up 1) on the tablet's sync screen
(real Kivy window under Xvfb, marker ``ui``): it names no customer, so it offers 作废 (void, with
a reason) and no 更正/撤回; voiding keeps it on the tablet, no longer waiting for a person."""

from __future__ import annotations

import pytest

from tests.live_server import LiveServer
from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def result(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    with LiveServer() as server:
        return run_driver("ui_rotation_void_driver.py", display, tmp_path_factory.mktemp("rotation-void"),
                          server_url=server.base_url, timeout=120)


def test_a_refused_rotation_record_offers_void_and_a_refused_walkin_correct_or_withdraw(result):
    offered = sorted(tuple(r["buttons"]) for r in result["before"] if r["buttons"])
    assert offered == [("作废",), ("更正", "撤回")]


def test_voiding_asks_for_a_reason_then_keeps_the_record_on_the_tablet(result):
    assert result["popup_title"] == result["popup_apply"] == "作废"
    assert "作废原因" in result["popup_error"]
    assert result["message"].startswith("已作废")
    assert [r["buttons"] for r in result["after"] if r["buttons"]] == [["更正", "撤回"]]

