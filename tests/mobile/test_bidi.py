"""Issue 14, right-to-left names (``mobile.bidi``, no Kivy): the order a label draws a text in.

Each case reads as the eye does, left to right on the screen: ``display`` joins the runs a
label is given (a right-to-left run of letters stays in typed order: the shaper lays it out
right to left), ``seen`` spells every run as it appears on screen (those letter runs reversed),
which is what a reader of the name must see read right to left."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mobile.bidi import (
    display_runs,
    has_rtl,
    isolate,
    levels,
    markup_text,
    paragraph_levels,
    pieces,
    rtl_script,
    visual_order,
)


def display(text: str) -> list[str]:
    return [run for piece, rtl, _ in pieces(text) for run in display_runs(piece, rtl)]


def seen(text: str) -> str:
    """The characters in the order they stand on screen, left to right."""
    return "".join(run[::-1] if has_rtl(run) else run for run in display(text))


def test_issue14_a_pure_arabic_name_reads_right_to_left():
    # محمد علي: محمد is read first, so it stands on the right; each word shaped right to left
    assert display("محمد علي") == ["علي", " ", "محمد"]
    assert seen("محمد علي") == "محمد علي"[::-1]
    assert rtl_script("محمد") == "Arab"


def test_issue14_a_uyghur_name_is_arabic_script():
    name = "ئابدۇرېھىم ئۆتكۈر"
    assert display(name) == ["ئۆتكۈر", " ", "ئابدۇرېھىم"]
    assert rtl_script(name) == "Arab"


def test_issue14_a_hebrew_name_reads_right_to_left():
    assert display("דוד כהן") == ["כהן", " ", "דוד"]
    assert seen("דוד כהן") == "ןהכ דוד"
    assert rtl_script("דוד") == "Hebr"


def test_issue14_an_arabic_name_inside_a_chinese_sentence_stays_in_its_place():
    text = "下一位接待：محمد علي，请到前台"
    assert display(text) == ["下一位接待：", "علي", " ", "محمد", "，请到前台"]


def test_issue14_digits_inside_arabic_read_left_to_right():
    # شارع 12 (street 12): the number is read after the word, so it stands to its left, "12" not "21"
    assert display("شارع 12") == ["12", " ", "شارع"]
    # Arabic-Indic digits too
    assert display("علي ١٢٣") == ["١٢٣", " ", "علي"]
    assert seen("غرفة 305 أحمد") == "دمحأ 305 ةفرغ"


def test_issue14_an_ltr_name_is_unchanged_byte_for_byte():
    for text in ["张伟", "Zhang Wei 张伟🙂", "李娜（销售）", "王芳：13800138000", "a [b] & c"]:
        assert not has_rtl(text)
        assert display(text) == [text]  # one piece, the text itself: the label keeps its words
    assert levels("张伟 Zhang 12") == [0] * len("张伟 Zhang 12")


def test_issue14_a_name_isolated_in_a_sentence_keeps_the_phone_after_it_in_order():
    """查找客户's row "{name}　{phone}　归属：{owner}": left as typed, UAX #9 pulls the digits after an
    Arabic name into its direction (the phone drawn "5678****139" left of the name); the app
    puts names into its sentences as isolates (``FieldsyncApp.t``), so they are not."""
    row = "{}　139****5678　归属：陈杰"
    assert seen(row.format("محمد علي")).startswith("5678****139")  # what UAX #9 does without
    assert seen(row.format(isolate("محمد علي"))) == "يلع دمحم　139****5678　归属：陈杰"
    assert isolate("张伟") == "张伟"  # only a right-to-left name is isolated: nothing else changes
    # an isolate holding a Hebrew name with a number is ordered on its own, right to left
    assert seen("下一位：" + isolate("שלום 12") + "。") == "下一位：12 םולש。"


def test_brackets_around_an_arabic_name_pair_up():
    assert seen("张伟（محمد）") == "张伟（دمحم）"
    assert seen("عمر (أحمد)") == "(دمحأ) رمع"  # mirrored: "(" typed after عمر stands left of أحمد


def test_the_text_of_markup_is_what_kivy_draws():
    assert markup_text("[b]محمد علي[/b]：[color=#ff0000]arabic[/color]") == "محمد علي：arabic"
    assert markup_text("[font=FieldsyncArabic]علي[/font] &bl;x&br; &amp;") == "علي [x] &"
    assert markup_text("[x]علي") == "[x]علي"  # not a Kivy tag: Kivy draws it


def test_each_paragraph_is_resolved_on_its_own():
    text = "محمد 12\n张伟 12"
    found = paragraph_levels(text)
    assert found[:7] == [1, 1, 1, 1, 1, 2, 2]  # 12 after an Arabic word: an Arabic number
    assert found[7:] == [0] * 6  # a new paragraph: 12 after 张伟 is left to right, level 0
    # a line of a paragraph ordered with the paragraph's levels (UAX #9 L2 per line)
    assert pieces("12", line_levels=[2, 2]) == [("12", False, None)]


def test_without_a_shaper_the_letters_are_reversed_here():
    assert display_runs("محمد علي", True, shapes=False) == ["يلع", " ", "دمحم"]
    assert display_runs("דוד כהן", True, shapes=False) == ["ןהכ", " ", "דוד"]
    assert display_runs("\u2068张伟\u2069", False) == ["张伟"]  # an isolate's marks are not drawn


_letters = st.sampled_from(list("محمدعليאבגדהוזחط张伟李娜abcXYZ0123456789١٢٣ ()[]（）：，.-+%#"))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(_letters, max_size=24).map("".join))
@example("محمد علي")
@example("שלום 12% (דוד)")
def test_every_character_is_drawn_once(text):
    order = visual_order(levels(text))
    assert sorted(order) == list(range(len(text)))
    drawn = "".join(display(text))
    pair = str.maketrans(")]）", "([（")  # a bracket may be drawn mirrored
    assert sorted(drawn.translate(pair)) == sorted(text.translate(pair))
    if not has_rtl(text):
        assert drawn == text
