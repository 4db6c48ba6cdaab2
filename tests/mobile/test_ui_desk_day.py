"""Issue 14, the desk in the real app under Xvfb: messages in the user's language naming the
field, marked fields that clear when fixed, distinct confirmations, landlines, a returning
customer's name, long notes, a list that fits, the caller looked up, the day's counts; on a
shared tablet, who may fix a refused walk-in another user entered."""

from __future__ import annotations

import pytest

from tests.mobile.test_ui import display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def day(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    return run_driver("ui_desk_day_driver.py", display, tmp_path_factory.mktemp("desk_day"), shots=True)


def test_issue14_sign_in_with_a_wrong_password_says_so_in_chinese(day):
    assert day["signin_error"] == "登录失败：用户名或密码不对：请检查后重试。"


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ")  # a phone in a banner is joined by no-break spaces (F9)


def test_issue14_missing_name_and_party_size_are_named_by_label_and_marked_without_moving_the_form(day):
    message = day["missing_message"]
    assert "请填写客户姓名" in message and "请填写来访人数" in message and "请选择获知渠道" in message
    assert "customer.name" not in message and "party_size" not in message
    assert day["marked"] == ["name", "party", "source"]
    assert day["form_moved_px"] == 0


def test_issue14_f9_missing_fields_are_listed_in_the_forms_order(day):
    """Before: "未能保存：请填写来访人数；请填写客户姓名。" (来访人数 above 客户姓名 on the form)."""
    message = day["missing_message"]
    assert message.index("客户姓名") < message.index("来访人数") < message.index("获知渠道")
    english = day["missing_message_en"]
    assert english.index("Customer name") < english.index("Party size") < english.index("Heard of us via")


def test_issue14_a_fixed_field_is_unmarked_and_the_message_goes_when_none_is_left(day):
    assert day["marked_after_name"] == ["party", "source"]
    # the fixed field's problem leaves the message at once, the others stay (QA of issue 14, N5:
    # a phone corrected to a mobile left "这是固定电话" in the bar)
    after = day["message_after_name"]
    assert "客户姓名" not in after and "请填写来访人数" in after and "请选择获知渠道" in after, after
    assert day["marked_after_source"] == ["party"]
    assert day["range_message"] == "未能保存：来访人数须在 1 到 100 之间，请重新填写。"
    assert day["message_after_fix"] == ""


def test_issue14_a_second_save_reads_differently_and_the_channel_is_reset(day):
    assert day["first_saved"].startswith("已登记（本机今天第 1 位）张伟，由 ")
    assert day["second_saved"].startswith("已登记（本机今天第 2 位）李娜，由 ")


def test_issue14_f6_party_size_and_channel_are_empty_on_a_new_form_and_after_each_save(day):
    """Before: 来访人数 pre-filled 1 and 获知渠道 路过到访, on a new form and after every save."""
    assert day["new_form"] == {"party": "", "source": "请选择", "intent": []}
    assert (day["party_after_save"], day["source_after_save"], day["intent_after_save"]) == ("", "请选择", [])


def test_issue14_f6_the_call_form_preselects_no_channel_and_no_grade(day):
    assert day["call_form"] == {"source": "请选择", "intent": []}


def test_issue14_010_12345678_in_the_mobile_field_is_a_landline_and_refused_for_a_walkin(day):
    assert "固定电话" in day["landline_verdict"] and "010 1234 5678" in _plain(day["landline_verdict"])
    assert "+861012345678" not in day["landline_verdict"]
    assert "010 1234 5678 是固定电话" in _plain(day["landline_message"]) and "手机号码" in day["landline_message"]
    assert "第 3 位" not in day["landline_message"]


def test_issue14_f9_the_landline_banner_keeps_the_number_on_one_line(day):
    """Before: "这是固定电话 010 1234 / 5678：…" (the number broken across the banner's lines)."""
    assert any("010 1234 5678" in _plain(line) for line in day["landline_lines"]), day["landline_lines"]


def test_issue14_f9_a_new_mobile_reads_without_a_stray_kind_label(day):
    """Before: "新客户：按排班接待（手机号码）"."""
    assert day["new_mobile_verdict"] == "新客户：按排班接待"


def test_issue14_f9_a_call_takes_no_turn_so_its_look_up_never_says_by_rotation(day):
    """Before: "来电号码查询：新客户：按排班接待（固定电话）" for a landline on 来电登记."""
    for verdict in (day["call_new_mobile"], day["call_new_landline"]):
        assert verdict.startswith("来电号码查询：") and "排班" not in verdict and "接待" not in verdict
    assert day["call_new_landline"].endswith("（固定电话）") and "手机号码" not in day["call_new_mobile"]


def test_issue14_a_returning_customers_name_is_filled_in(day):
    assert day["returning_name"] == "张伟" and day["returning_verdict"].startswith("老客户")


def test_qa6_m2_a_filled_in_name_follows_the_number_and_a_typed_one_stays(day):
    """QA6 M2: 测试甲, filled in for her number, stayed for every number typed after it."""
    assert day["name_after_new_number"] == ""
    assert day["typed_name_after_new_number"] == "张伟先生"


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
    assert day["today_counts"] == "本机今日　来人 2　来电 1"
    assert len(day["today_rows"]) == 3 and "来电" in day["today_rows"][0]


def test_issue14_f8_todays_rows_show_the_number_the_desk_typed_and_a_dash_for_a_call_without_rep(day):
    """Before: the desk's own entries read only "+86 *******8000"; the 来电 row's rep column was empty."""
    call, *walkins = [_plain(row) for row in day["today_rows"]]
    assert call.endswith("　—")
    assert any("张伟" in row and "138 0013 8000" in row and "*" not in row for row in walkins)
    assert all(not row.endswith("　") for row in walkins)


def test_issue14_follow_up_keeps_save_on_screen_and_picks_the_date(day):
    assert day["follow_save_on_screen"]
    assert day["follow_date"] == "2026-12-24" and day["follow_date_text"] == "2026-12-24"


def test_issue14_errors_in_english_name_the_field_by_its_label(day):
    message = day["missing_message_en"]
    assert message.startswith("Not saved: ") and "Fill in Customer name" in message and "Party size" in message


def test_issue14_find_by_pinyin_initials_last_four_and_phone_then_the_card(day):
    assert day["find_zw"][0] == "张伟"  # zw → 张伟
    assert "李娜" in day["find_5678"] and day["find_13800138000"] == ["张伟"] and "李娜" in day["find_李"]
    # the desk registered 138 0013 8000 itself: whole, as 今日来访 shows it (QA of issue 14, L8; others' stay masked)
    assert "陈杰" in day["card_summary"] and "+86 138 0013 8000" in day["card_summary"]
    assert sorted(day["card_entries"]) == ["call", "walkin"]


def test_issue14_f9_the_card_offers_no_deal_to_the_desk_and_says_the_status_in_a_word(day):
    """Before: 成交登记 offered to the reception clerk (deals are the rep's, issue 11), and the
    summary gave a date but no status word."""
    assert not day["card_offers_deal"]
    assert "保护期内" in day["card_summary"]


def test_issue14_an_emoji_in_a_name_is_drawn_in_the_symbol_font(day):
    assert "小明🙂" in day["emoji_row"] and day["emoji_row_symbols"]


def test_qa6_m3_a_long_verdict_fits_its_band_with_its_first_line_shown(day):
    """QA6 M3: a three-line verdict in the walk-in's fixed band lost its first line (新客户…);
    the band keeps its height, the font shrinks until the text fits, the first line first."""
    long = day["long_verdict"]
    assert long["fits"] and long["first"].startswith("新客户：按排班接待"), long
    assert long["font_sp"] < 19 and day["short_verdict_font_sp"] == 19, (long, day["short_verdict_font_sp"])
    too_long = day["too_long_verdict"]  # QA7: English at the smallest size still overflowed, cut mid-line
    assert too_long["fits"] and too_long["first"].startswith("New customer") and too_long["font_sp"] == 14, too_long


def test_qa6_m4_a_shown_message_is_told_again_when_the_language_changes(day):
    """QA6 M4: the sign-in error and a save error stayed in the language they were made in."""
    assert day["signin_error"].startswith("登录失败") and not day["signin_error_en"].startswith("登录失败")
    assert day["signin_error_en"] and day["signin_error_en"].isascii(), day["signin_error_en"]
    assert day["range_message_en"] == "Not saved: Party size must be from 1 to 100; enter it again."
    assert day["range_message_zh_again"] == day["range_message"]
    assert day["first_saved"].startswith("已登记") and day["first_saved_en"].startswith("Registered"), (
        day["first_saved"], day["first_saved_en"])



def test_a_rep_on_the_desks_tablet_reads_who_may_fix_the_desks_refused_walkin(day):
    assert day["today_rep_row"].endswith(
        "待处理：这条记录由李静录入，只有录入人、前台（前台的记录）或经理可以更正或撤回。"), day["today_rep_row"]
    assert day["today_desk_row"].endswith("　待处理"), day["today_desk_row"]
