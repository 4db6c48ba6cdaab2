"""Phones as customer keys: one customer however the number is typed; no service numbers."""

import pytest

from shared.errors import InvalidPhone
from shared.phones import display_phone, mask_phone, normalise_phone, phone_hash, phone_typo


@pytest.mark.parametrize("typed", ["138 0013 8000", "+86 138-0013-8000", "8613800138000", "13800138000", "(+86)13800138000"])
def test_every_way_of_typing_a_mobile_gives_one_key(typed):
    assert normalise_phone(typed, "CN") == "+8613800138000"


@pytest.mark.parametrize("typed", ["10086", "12345", "400 800 8888", "138001", "abc", "", "   "])
def test_short_codes_service_numbers_and_nonsense_are_invalid_phone(typed):
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone(typed, "CN")
    assert caught.value.code == "invalid_phone" and "Check the digits" in str(caught.value)


def test_landline_and_foreign_numbers_are_customers_too():
    assert normalise_phone("010 6552 9988", "CN") == "+861065529988"
    assert normalise_phone("+1 650 253 0000", "CN") == "+16502530000"


def test_region_decides_how_a_national_number_is_read():
    assert normalise_phone("0412 345 678", "AU") == "+61412345678"


def test_masked_phone_shows_only_the_last_four_digits():
    assert mask_phone("+8613800138000") == "+86 *******8000"


def test_phone_hash_depends_on_site_and_number():
    assert phone_hash("s1", "+8613800138000") != phone_hash("s2", "+8613800138000")
    assert len(phone_hash("s1", "+8613800138000")) == 64


def test_display_phone_groups_digits_and_leaves_other_text_alone():
    assert display_phone("+8613700001111") == "+86 137 0000 1111"
    assert display_phone("+86 138****8000") == "+86 138****8000"


# -- issue 8, item 6: only a number written in international form is read as international --

@pytest.mark.parametrize("typed", ["12345678901", "14345678901", "12125551234", "１２３４５６７８９０１",
                                   "123-4567-8901", "(0)123 4567 8901", "8612345678901"])
def test_issue8_a_national_typo_is_invalid_phone_never_a_foreign_customer(typed):
    with pytest.raises(InvalidPhone):
        normalise_phone(typed, "CN")


@pytest.mark.parametrize("typed", ["0086 138 0013 8000", "００８６１３８００１３８０００", "＋８６ １３８－００１３－８０００",
                                   "+86 (0)138 0013 8000", "86 (0)138 0013 8000", "86-138-0013-8000",
                                   "１３８ ００１３ ８０００", "(0)138 0013 8000", "8613800138000"])
def test_issue8_every_separator_and_form_of_a_chinese_mobile_gives_one_key(typed):
    assert normalise_phone(typed, "CN") == "+8613800138000"


@pytest.mark.parametrize("typed", ["+1 212 555 1234", "001 212 555 1234", "００１ ２１２ ５５５ １２３４"])
def test_issue8_foreign_numbers_in_international_form_stay_foreign(typed):
    assert normalise_phone(typed, "CN") == "+12125551234"


@pytest.mark.parametrize("region", ["CN", "US", "GB", "DE", "FR", "IN", "JP", "AU", "BR", "HK", "SG"])
def test_issue8_no_region_reads_a_number_without_international_form_as_another_country(region):
    import phonenumbers

    own = phonenumbers.country_code_for_region(region)
    for prefix in range(10, 100):
        for tail in ("345678901", "3456789", "34567890123"):
            try:
                key = normalise_phone(f"{prefix}{tail}", region)
            except InvalidPhone:
                continue
            assert phonenumbers.parse(key, None).country_code == own, (region, prefix, tail, key)


def test_issue8_a_number_starting_with_the_own_country_code_is_still_read_without_plus():
    assert normalise_phone("447911123456", "GB") == "+447911123456"
    assert normalise_phone("12125551234", "US") == "+12125551234"


@pytest.mark.parametrize("typed", ["138-ABCD-8000", "138 0013 800O", "１３８ＡＢＣＤ８０００", "1-800-FLOWERS"])
def test_letters_in_a_phone_are_a_typo_never_keypad_digits(typed):
    """Issue 9 QA: libphonenumber read 138-ABCD-8000 as 138 2223 8000, a number nobody typed
    that then held a protection window."""
    with pytest.raises(InvalidPhone, match="it contains letters|the letter O where the digit 0 belongs"):
        normalise_phone(typed, "CN")


@pytest.mark.parametrize(("typed", "reason", "char"), [
    ("📞13800138000", "symbol", "📞"), ("13800138000#", "symbol", "#"), ("138*0013*8000", "symbol", "*"),
    ("138OO138OOO", "letter_o", "O"), ("138 0013 800o", "letter_o", "o"), ("138-ABCD-8000", "letters", "A"),
    # QA of issue 14: 转 was called a letter (字母); Chinese characters are characters, an
    # extension is said as one (it goes in the notes)
    ("电话13800138000", "symbol", "电"), ("010-12345678转123", "extension", "转"),
    ("010 1234 5678 分机 88", "extension", "分机"), ("010-12345678 ext. 12", "extension", "ext"),
    ("13800138000 دائم", "symbol", "د"), ("138-ΑΒΓΔ-8000", "letters", "Α")])
def test_qa14_l12_a_phone_with_anything_but_digits_and_separators_is_refused_saying_what(typed, reason, char):
    """QA of issue 14 (L12): 📞13800138000 was accepted by tablet and server and stored raw.
    Digits (full-width too), spaces and + - ( ) . / are a phone's; anything else is refused,
    with what it is (``reason``, ``char``: for the reader's own words)."""
    with pytest.raises(InvalidPhone) as refused:
        normalise_phone(typed, "CN")
    assert (refused.value.reason, refused.value.char) == (reason, char)
    for fine in ("+86 (138) 0013-8000", "１３８ ００１３ ８０００", "138.0013.8000", "010/12345678", "＋86　138－0013－8000"):
        assert normalise_phone(fine, "CN").startswith("+86")


@pytest.mark.parametrize(("typed", "char"), [
    ("010-12345678 x123", "x123"), ("010-12345678X123", "X123"), ("010-12345678#123", "#123"),
    ("010-12345678 ＃ 88", "＃ 88"), ("010-12345678~123", "~123"), ("010-12345678,123", ",123"),
    ("010-12345678；123", "；123"), ("010-12345678-123", "-123"), ("13800138000-12", "-12"),
    ("０１０－１２３４５６７８－１２３", "－１２３")])
def test_qa14_l1_every_way_of_writing_an_extension_is_said_as_one(typed, char):
    """QA of issue 14, L1: only 转, 分机 and ext were said as an extension; 010-12345678 x123 was
    "letters", #123 "a symbol", -123 "no such number" — the clerk could not tell what to change.
    The marks libphonenumber reads as an extension (x # ~ , ;) before digits at the end, and a
    whole number then a dash and 1–6 digits, are ``extension`` with what was typed."""
    with pytest.raises(InvalidPhone) as refused:
        normalise_phone(typed, "CN")
    assert (refused.value.reason, refused.value.char) == ("extension", char)


@pytest.mark.parametrize(("typed", "key"), [
    ("0755-1234567-8", "+8675512345678"), ("010-1234-5678", "+861012345678"), ("138-0013-8000", "+8613800138000")])
def test_qa14_l1_a_dash_inside_a_whole_number_is_no_extension(typed, key):
    """The dash rule is asked only when the whole is no number: 0755-1234567-8 is Shenzhen's
    0755 1234 5678, however it was grouped."""
    assert normalise_phone(typed, "CN") == key


def test_masking_a_chinese_key_by_hand_agrees_with_libphonenumber():
    """mask_phone splits ``+86…`` keys itself (issue 13: a snapshot masks every customer);
    for every length and many digit strings it must say what parsing the key says."""
    import random

    import phonenumbers

    from shared.phones import phone_digits

    def parsed(key: str) -> str:
        try:
            number = phonenumbers.parse(key, None)
            national, prefix = str(number.national_number), f"+{number.country_code} "
        except phonenumbers.NumberParseException:
            national, prefix = phone_digits(key), ""
        if len(national) <= 4:
            return prefix + "*" * len(national)
        return prefix + "*" * (len(national) - 4) + national[-4:]

    rng = random.Random(13)
    keys = ["+86" + "".join(rng.choice("0123456789") for _ in range(n)) for n in range(0, 19) for _ in range(300)]
    assert [mask_phone(k) for k in keys] == [parsed(k) for k in keys]


@pytest.mark.parametrize("pasted", ["\u202a138 0013 8000\u202c", "\u200e13800138000\u200f", "\u200f+86 138-0013-8000",
                                    "1380\u200b0138000", "\ufeff13800138000", "138\u00ad0013\u20608000",
                                    "\u2066138 0013 8000\u2069", "+\u200d86 138 0013 8000", "１３８\u200b００１３８０００"])
def test_qa14_m2_invisible_characters_in_a_phone_are_ignored_as_separators_are(pasted):
    """QA of issue 14 (M2): numbers copied from a phone's contacts or WeChat carry bidi
    embeddings, direction marks, zero-width spaces, word joiners, a BOM or soft hyphens; they
    were refused as holding “” (nothing visible). They are ignored, the fast path included."""
    from shared.phones import phone_typo

    assert phone_typo(pasted) is None
    assert normalise_phone(pasted, "CN") == "+8613800138000"


@pytest.mark.parametrize("typed, shown", [("138\u31640013 8000", "U+3164 HANGUL FILLER"),
                                          ("138\u28000013 8000", "U+2800 BRAILLE PATTERN BLANK"),
                                          ("13800138000\u0301", "U+0301 COMBINING ACUTE ACCENT")])
def test_qa14_m2_a_refused_character_that_draws_nothing_is_named_by_its_code_point(typed, shown):
    """What is still refused and draws nothing is named visibly (U+3164 HANGUL FILLER), never “”."""
    from shared.phones import phone_typo

    assert phone_typo(typed) == ("symbol", shown)
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone(typed, "CN")
    assert (caught.value.reason, caught.value.char) == ("symbol", shown) and shown in str(caught.value)


def test_qa14_m2_a_phone_of_invisible_characters_only_is_empty():
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone("\u202a\u200b\u202c", "CN")
    assert caught.value.reason == "empty"


@pytest.mark.parametrize("typed", ["138\u202f0013\u202f8000", "138\u20070013\u20078000", "138\u20090013\u20098000",
                                   "138\t0013\n8000", "138\u22120013\u22128000", "138ー0013ー8000", "138\u20150013 8000"])
def test_qa14_recheck_every_space_and_dash_people_paste_is_a_separator(typed):
    """QA of issue 14 (re-check): a narrow no-break, figure or thin space, a tab or newline from a
    copied cell, the minus sign and an IME's long dash (ー) were "号码无效" with no reason."""
    assert normalise_phone(typed, "CN") == "+8613800138000"
    assert phone_typo(typed) is None
