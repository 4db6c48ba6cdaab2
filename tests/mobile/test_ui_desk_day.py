"""Issue 14, the desk in the real app under Xvfb: messages in the user's language naming the
field, marked fields that clear when fixed, distinct confirmations, landlines, a returning
customer's name, long notes, a list that fits, the caller looked up, the day's counts."""

from __future__ import annotations

import pytest

from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def day(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    return run_driver("ui_desk_day_driver.py", display, tmp_path_factory.mktemp("desk_day"), shots=True)


def test_issue14_sign_in_with_a_wrong_password_says_so_in_chinese(day):
    assert day["signin_error"] == "登录失败：用户名或密码不对：请检查后重试。"


def test_issue14_missing_name_and_party_size_are_named_by_label_and_marked_without_moving_the_form(day):
    message = day["missing_message"]
    assert "请填写客户姓名" in message and "请填写来访人数" in message
    assert "customer.name" not in message and "party_size" not in message
    assert day["marked"] == ["name", "party"]
    assert day["form_moved_px"] == 0


def test_issue14_a_fixed_field_is_unmarked_and_the_message_goes_when_none_is_left(day):
    assert day["marked_after_name"] == ["party"] and day["message_after_name"] == day["missing_message"]
    assert day["range_message"] == "未能保存：来访人数须在 1 到 100 之间，请重新填写。"
    assert day["message_after_fix"] == ""


def test_issue14_a_second_save_reads_differently_and_the_channel_is_reset(day):
    assert day["first_saved"].startswith("已登记（今天第 1 位）张伟，由 ")
    assert day["second_saved"].startswith("已登记（今天第 2 位）李娜，由 ")
    assert day["source_after_save"] == "路过到访" and day["party_after_save"] == "1"


def test_issue14_010_12345678_in_the_mobile_field_is_a_landline_and_refused_for_a_walkin(day):
    assert "固定电话" in day["landline_verdict"] and "010 1234 5678" in day["landline_verdict"]
    assert "+861012345678" not in day["landline_verdict"]
    assert "010 1234 5678 是固定电话" in day["landline_message"] and "手机号码" in day["landline_message"]
    assert "第 3 位" not in day["landline_message"]


def test_issue14_a_returning_customers_name_is_filled_in(day):
    assert day["returning_name"] == "张伟" and day["returning_verdict"].startswith("老客户")


def test_issue14_a_2000_character_note_is_readable_not_a_black_bar(day):
    assert day["notes_height_dp"] == 96
    assert day["notes_brightness"] > 0.7, "the notes box is dark: the long line did not render"
    assert day["register_on_screen"]


def test_issue14_the_channel_list_opens_below_the_header_with_whole_rows(day):
    assert day["dropdown_top"] <= day["window_height"] - day["header_px"]
    assert day["dropdown_y"] >= 0 and day["dropdown_rows_whole"]


def test_issue14_call_registration_looks_the_caller_up(day):
    assert day["call_verdict"].startswith("来电号码查询：老客户") and day["call_name"] == "张伟"


def test_issue14_todays_visitors_with_the_days_counts(day):
    assert day["today_counts"] == "今日　来人 2　来电 1"
    assert len(day["today_rows"]) == 3 and "来电" in day["today_rows"][0]


def test_issue14_follow_up_keeps_save_on_screen_and_picks_the_date(day):
    assert day["follow_save_on_screen"]
    assert day["follow_date"] == "2026-12-24" and day["follow_date_text"] == "2026-12-24"


def test_issue14_errors_in_english_name_the_field_by_its_label(day):
    message = day["missing_message_en"]
    assert message.startswith("Not saved: ") and "Fill in Customer name" in message and "Party size" in message


def test_issue14_find_by_pinyin_initials_last_four_and_phone_then_the_card(day):
    assert day["find_zw"][0] == "张伟"  # zw → 张伟
    assert "李娜" in day["find_5678"] and day["find_13800138000"] == ["张伟"] and "李娜" in day["find_李"]
    assert "陈杰" in day["card_summary"] and "*******8000" in day["card_summary"]  # last four only (issue 14)
    assert sorted(day["card_entries"]) == ["call", "walkin"]


def test_issue14_an_emoji_in_a_name_is_drawn_in_the_symbol_font(day):
    assert "小明[font=FieldsyncSymbols]🙂[/font]" in day["emoji_row"]
