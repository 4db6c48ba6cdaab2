"""Issue 11 on the rep's tablet (real Kivy window under Xvfb, real server, marker ``ui``):
今日待跟进 lists the customers due today and overdue, most overdue first, with the open
complaints and their next deadline; tapping a customer opens the follow-up form for them; a
next date in the past is refused; a next date set takes the customer off today's list."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from tests.console.seed import Tablet
from tests.live_server import LiveServer
from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = [pytest.mark.ui]


@pytest.fixture(scope="module")
def result(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    with LiveServer() as server:
        desk = Tablet(server, "desk.li", "前台平板")
        desk.boot_started -= timedelta(days=60)
        day = timedelta(days=1)

        def walkin(ago, name, phone, intent):
            return desk.record("walkin", ago, rep="wang.li", name=name, phone=phone, data={"intent": intent})

        opened = desk.record("complaint", timedelta(hours=2), rep="wang.li", name="张伟", phone="138 0013 8000",
                             data={"status": "open", "content": "样板间漏水", "severity": "major", "handler": "王丽"})
        desk.push([
            walkin(10 * day, "张伟", "138 0013 8000", "A"),  # due 3 days ago
            walkin(20 * day, "李娜", "139 0013 9000", "B"),  # due 6 days ago: first
            walkin(_ago_at_noon(30), "王芳", "137 0013 7000", "C"),  # due today
            walkin(2 * day, "刘洋", "136 0013 6000", "A"),  # due in 5 days: not listed
            opened,
        ])
        return run_driver("ui_due_driver.py", display, tmp_path_factory.mktemp("due"), server_url=server.base_url,
                          shots=True, timeout=150)  # shots: tests/artifacts/mobile/due_*.png


def _ago_at_noon(days: int) -> timedelta:
    """How long ago noon (the site's time, UTC+8) was ``days`` days before today: a walk-in
    then is due today under a ``days``-day cadence whatever the hour the test runs (30 days
    less an hour was tomorrow's from 23:00 site time: the test failed every evening)."""
    zone = timezone(timedelta(hours=8))
    now = datetime.now(zone)
    return now - datetime.combine(now.date() - timedelta(days=days), time(12), zone)


def test_the_rep_has_a_due_today_tile(result):
    assert "今日待跟进" in result["home_tiles"]


def test_due_and_overdue_customers_are_listed_most_overdue_first_and_not_yet_due_ones_are_not(result):
    customers = [row for row in result["rows"] if "应跟进" in row]
    assert [row.split()[0] for row in customers] == ["李娜", "张伟", "王芳"]
    assert "逾期 6 天" in customers[0] and "逾期 3 天" in customers[1] and "（今天，按等级）" in customers[2]
    assert not any("刘洋" in row for row in result["rows"])
    assert result["summary"].startswith("今日待跟进 1 位，逾期 2 位，未结投诉 1 件。")


def test_the_open_complaint_shows_its_next_deadline(result):
    complaint = [row for row in result["rows"] if "样板间漏水" in row]
    assert len(complaint) == 1 and "（较大投诉）" in complaint[0] and "下一时限：响应" in complaint[0]
    # the close-by limit beside the hour step (QA of issue 11, F9: the tablet never showed it)
    assert "；办结时限 " in complaint[0] and "（3 个工作日）" in complaint[0]


def test_the_list_reads_in_english(result):
    assert result["summary_en"].startswith("1 due today, 2 overdue, 1 open complaint.")  # one (QA14 L6)
    assert any("6 days overdue" in row for row in result["rows_en"])
    assert any("next deadline: respond" in row and "; close by " in row for row in result["rows_en"])


def test_a_tap_opens_the_follow_up_form_for_that_customer(result):
    assert result["follow_prefill"] == ["李娜", "+86 139 0013 9000"]


def test_issue14_f6_no_follow_up_method_is_preselected_and_none_chosen_is_refused_by_its_label(result):
    """Before: 电话 was preselected, so a rep who did not choose recorded a phone call."""
    assert result["method_preselected"] == [] and result["method_after_save"] == []
    assert result["method_missing"] == "未能保存：请选择方式。"


def test_issue14_f6_a_satisfaction_check_preselects_no_answer(result):
    """Before: 满意 was preselected on 投诉处理进度."""
    assert result["satisfaction_preselected"] == []


def test_a_next_date_in_the_past_is_refused_with_a_clear_message(result):
    assert "下次日期：不能早于跟进当天，请选择今天或以后的日期" in result["past_refused"]
    assert result["past_marked"] == ["next_on"]
    assert "Next date: cannot be before the day of the follow-up; pick today or a later day" in result[
        "past_refused_en"]


def test_a_follow_up_with_a_next_date_takes_the_customer_off_todays_list(result):
    assert result["saved"]
    assert result["her_grade"] == ["A"]  # re-graded at the follow-up
    assert result["grade_after_save"] == ["normal"] * 4  # the next follow-up does not repeat it
    assert [row.split()[0] for row in result["rows_after"] if "应跟进" in row] == ["张伟", "王芳"]


def test_tapping_a_complaint_records_its_next_step_and_the_list_moves_to_the_following_deadline(result):
    assert result["step_summary"].startswith("张伟：样板间漏水（较大投诉，3 个工作日内办结）")
    assert result["step_preselected"] == ["responded"]
    assert result["extension_shown_to_rep"] == 0  # approving an extension is the manager's
    [row] = result["complaint_after_step"]
    assert "下一时限：初步方案" in row
