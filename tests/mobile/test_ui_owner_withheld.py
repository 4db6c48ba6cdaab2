"""Issue 14, the second phone oracle, on the desk's tablet (real Kivy window under Xvfb, marker
``ui``): once desk.li has named 300 numbers it could not see within a day, its next walk-in is
accepted and stored, and the sync screen says its owner waits for the manager (归属待经理确认),
in Chinese and in English; the record is not refused and needs nothing from the clerk."""

from __future__ import annotations

import pytest

from sync_server.services.record_budget import RECORD_BUDGET
from tests.live_server import LiveServer
from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture
from tests.server.helpers import Tablet

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def result(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    with LiveServer() as server:
        other = Tablet(server, "desk.li", "desk-2")  # the budget is the user's, whichever tablet
        for start in range(0, RECORD_BUDGET, 100):
            other.push(*[other.record("call", rep=None, name="某", phone=f"1380000{start + i:04d}")
                         for i in range(100)])
        return run_driver("ui_owner_withheld_driver.py", display, tmp_path_factory.mktemp("withheld"),
                          server_url=server.base_url, timeout=180)


def test_a_walkin_over_the_budget_is_accepted_and_its_owner_waits_for_the_manager(result):
    row = next(i for i, text in enumerate(result["rows_zh"]) if "周敏" in text)
    assert "【已接收】" in result["rows_zh"][row]  # full-width brackets in Chinese (QA of issue 14, L4)
    note = result["rows_zh"][row + 1]
    assert note.startswith("归属待经理确认：记录已保存") and "经理确认后显示归属" in note
    assert "," not in note and "：" in note  # full-width punctuation
    assert not [text for text in result["rows_zh"] if "被退回" in text]
    english = [text for text in result["rows_en"] if text.startswith("Owner to be confirmed by the manager")]
    assert english and "the record is saved" in english[0]
