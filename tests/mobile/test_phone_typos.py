"""QA of issue 14 on a real store file: a phone with a symbol (📞13800138000) or the letter O
(138OO138OOO) is refused on the tablet as on the server, saying what is wrong in zh and en; the
look-up says so while it is typed; a known customer's number brings no similar-name warning."""

from __future__ import annotations

import pytest

from mobile.messages import problem_text
from mobile.services import CustomerLookup, RecordCapture
from shared.errors import RecordInvalid
from tests.mobile.test_store import make_store, ownership


@pytest.mark.parametrize(("typed", "reason", "zh", "en"), [
    ("📞13800138000", "symbol", "手机号码里有“📞”：号码只能有数字、空格和 + - ( ) . /，请删去后重新输入。",
     "Mobile number holds “📞”: a number has only digits, spaces and + - ( ) . /; remove it and type the number again."),
    ("138OO138OOO", "letter_o", "手机号码里有字母 O：请改为数字 0。", "Mobile number holds the letter O: type the digit 0 instead."),
    # QA of issue 14: 转 was called a letter (字母); an extension is said as one, with where it goes
    ("010-12345678转123", "extension", "手机号码里有分机号（“转”）：只填总机或手机号码，分机号请写在备注里。",
     "Mobile number holds an extension (“转”): type the main or mobile number only and put the extension in the notes."),
    # L1: x # ~ , ; before the extension's digits, or a dash after a whole number
    ("010-12345678#123", "extension", "手机号码里有分机号（“#123”）：只填总机或手机号码，分机号请写在备注里。",
     "Mobile number holds an extension (“#123”): type the main or mobile number only and put the extension in the notes."),
    ("13800138000-12", "extension", "手机号码里有分机号（“-12”）：只填总机或手机号码，分机号请写在备注里。",
     "Mobile number holds an extension (“-12”): type the main or mobile number only and put the extension in the notes."),
    ("电话13800138000", "symbol", "手机号码里有“电”：号码只能有数字、空格和 + - ( ) . /，请删去后重新输入。",
     "Mobile number holds “电”: a number has only digits, spaces and + - ( ) . /; remove it and type the number again."),
])
def test_qa14_l12_the_tablet_refuses_a_phone_with_a_symbol_or_the_letter_o_saying_what(tmp_path, typed, reason, zh, en):
    store = make_store(tmp_path)
    with pytest.raises(RecordInvalid) as refused:
        RecordCapture(store).capture("walkin", name="张伟", phone=typed, rep="wang.li",
                                     data={"visit": "first", "party_size": 1})
    [problem] = [p for p in refused.value.problems if p.field == "customer.phone"]
    assert (problem.code, problem.params["reason"]) == ("invalid_phone", reason)
    label_zh = problem_text(problem, "zh", "walkin").split("里有")[0]
    assert problem_text(problem, "zh", "walkin") == zh.replace("手机号码", label_zh, 1)
    assert problem_text(problem, "en", "walkin").endswith(en.split(" holds ", 1)[1])
    assert store.pending_batch() == []  # nothing stored raw


def test_qa14_l3_the_look_up_says_the_letter_o_at_once_however_few_digits(tmp_path):
    lookup = CustomerLookup(make_store(tmp_path))
    for typed, reason, char in [("138OO", "letter_o", "O"), ("138OO138OOO", "letter_o", "O"),
                                ("📞138", "symbol", "📞"), ("📞13800138000", "symbol", "📞"),
                                ("010-1234转", "extension", "转"), ("电话138", "symbol", "电"),
                                ("010-12345678 x12", "extension", "x12"), ("010-12345678-123", "extension", "-123")]:
        status = lookup.check(typed)
        assert (status.verdict, status.problem, status.problem_char) == ("invalid", reason, char), typed
    assert lookup.check("138 00").verdict == "typing"


def test_qa14_l2_a_known_customers_number_brings_no_similar_name_warning(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c0", "张伟", "13800138000"), ownership(11, "c1", "张玮", "13900001111")],
                        cursor="11")
    lookup = CustomerLookup(store)
    returning = lookup.check("138 0013 8000", name="张伟")
    assert (returning.verdict, returning.known_name, returning.similar) == ("returning", "张伟", ())
    assert [s.name for s in lookup.check("137 0000 2222", name="张伟").similar] == ["张伟", "张玮"]  # a new number


def test_qa14_recheck_a_character_that_draws_nothing_is_named_in_the_users_language(tmp_path):
    """"号码里有“U+3164 HANGUL FILLER”" put the Unicode name in English on a Chinese screen: the
    tablet says 看不见的字符 U+3164 (the code point alone is language-neutral)."""
    store = make_store(tmp_path)
    with pytest.raises(RecordInvalid) as refused:
        RecordCapture(store).capture("walkin", name="张伟", phone="138\u31640013 8000", rep="wang.li",
                                     data={"visit": "first", "party_size": 1})
    [problem] = [p for p in refused.value.problems if p.field == "customer.phone"]
    zh, en = problem_text(problem, "zh", "walkin"), problem_text(problem, "en", "walkin")
    assert "看不见的字符 U+3164" in zh and "HANGUL" not in zh, zh
    assert "an invisible character U+3164" in en, en
