"""The CN mobile fast path of ``normalise_phone`` answers exactly what libphonenumber answers.

Proof by exhaustion over prefixes: libphonenumber reads an eleven-digit CN national number
starting with 1 by its first five digits (its CN mobile pattern ends in ``\\d{6}``/``\\d{8}``
after at most five fixed digits, and no other CN pattern of that length starts with 1[3-9]).
So every five-digit prefix 10000-19999 is tried with three suffixes (all zeros, all nines and
a seeded draw): libphonenumber must give one verdict per prefix, and the fast path the same
key, or step aside, for each. If libphonenumber's metadata changes, the first test fails and
``CN_MOBILE_PATTERN`` must be reviewed again.
"""

from __future__ import annotations

import random

import pytest
from phonenumbers import PhoneMetadata

from shared.errors import InvalidPhone
from shared.phones import _CN_MOBILE, CN_MOBILE_PATTERN, _by_libphonenumber, normalise_phone


def _authority(text: str, region: str = "CN") -> str:
    """libphonenumber's answer: the E.164 key, or ``invalid: <reason>``."""
    try:
        return _by_libphonenumber(text, text, region)
    except InvalidPhone as exc:
        return f"invalid: {exc}"


def _answer(text: str, region: str = "CN") -> str:
    """``normalise_phone`` (fast path included, without its cache)."""
    try:
        return normalise_phone.__wrapped__(text, region)
    except InvalidPhone as exc:
        return f"invalid: {exc}"


def test_the_fast_path_pattern_is_libphonenumbers_cn_mobile_pattern():
    metadata = PhoneMetadata.metadata_for_region("CN")
    assert metadata.mobile.national_number_pattern == CN_MOBILE_PATTERN
    assert metadata.mobile.possible_length == (11,)


def test_every_five_digit_prefix_gets_libphonenumbers_answer():
    rng = random.Random(13)
    fast = 0
    for prefix in range(10_000, 20_000):
        numbers = [f"{prefix}000000", f"{prefix}999999", f"{prefix}{rng.randrange(10**6):06d}"]
        verdicts = {_authority(n).startswith("+") for n in numbers}
        assert len(verdicts) == 1, f"libphonenumber reads {prefix}… by more than five digits"
        for number in numbers:
            assert _answer(number) == _authority(number), number
            fast += bool(_CN_MOBILE.fullmatch(number))
    assert fast > 10_000  # the fast path does answer most mobile prefixes


@pytest.mark.parametrize("typed", ["13800138000", " 13800138000 ", "138 0013 8000", "+86 138-0013-8000",
                                   "8613800138000", "１３８００１３８０００", "1380013800", "138001380001",
                                   "17900000000", "12345678901", "17405000000", "17406000000", "16100000000"])
def test_other_shapes_and_edges_agree_with_libphonenumber(typed):
    assert _answer(typed) == _authority(typed.strip())


def test_other_regions_never_take_the_cn_fast_path():
    for region in ("HK", "US", "TW"):
        assert _answer("13800138000", region) == _authority("13800138000", region)


def test_phone_kind_of_every_cn_mobile_prefix_is_libphonenumbers_mobile():
    """``phone_kind`` answers the CN mobile shape without parsing (the push asks it of every
    walk-in, issue 14); libphonenumber says MOBILE for every five-digit prefix it covers."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    from shared.phones import phone_kind

    checked = 0
    for prefix in range(10000, 20000):
        for tail in ("000000", "123456", "999999"):
            national = f"{prefix}{tail}"
            if _CN_MOBILE.fullmatch(national):
                key = "+86" + national
                assert phone_kind(key) == "mobile"
                assert phonenumbers.number_type(phonenumbers.parse(key, None)) in (
                    PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE), key
                checked += 1
    assert checked > 1000
    assert phone_kind("+861012345678") == "landline"  # Beijing 010: not the shape, libphonenumber decides


def test_issue11_cn_mobile_keys_are_grouped_as_libphonenumber_formats_them():
    """``national_text`` and ``display_phone`` group a CN mobile key by hand (an export formats
    thousands, issue 11): over every five-digit prefix the fast path covers, with three tails
    each, the groups are libphonenumber's NATIONAL and INTERNATIONAL formats (its CN format rule
    for these reads the leading digits only, as its verdict does)."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat

    from shared.phones import display_phone, national_text

    checked = 0
    rng = random.Random(11)
    for prefix in range(10000, 20000):
        for tail in ("000000", "999999", f"{rng.randrange(10**6):06d}"):
            key = f"+86{prefix}{tail}"
            if not _CN_MOBILE.fullmatch(key[3:]):
                continue
            number = phonenumbers.parse(key, None)
            assert national_text(key) == phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL), key
            assert display_phone(key) == phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL), key
            checked += 1
    assert checked > 10_000


@pytest.mark.parametrize("key", ["+861012345678", "+85291234567", "+14155552671", "+8617406000000",
                                 "+86139000095190", "+8613900009519x", "+86１３９０００００９５１"])
def test_issue11_other_keys_are_formatted_by_libphonenumber(key):
    import phonenumbers
    from phonenumbers import PhoneNumberFormat

    from shared.phones import display_phone, national_text

    try:
        number = phonenumbers.parse(key, None)
    except phonenumbers.NumberParseException:
        assert display_phone(key) == key
        return
    assert national_text(key) == phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    if key[1:].isascii() and key[1:].isdigit():
        assert display_phone(key) == phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def test_qa11_second_pass_a_number_reads_as_dialled_from_china():
    """A foreign landline refused at the desk read "020 7946 0958 is a landline" — a Guangzhou
    number; +1 415 555 0100 showed as "(415) 555-0100" on the desk's 今日 list."""
    from shared.phones import dialled_text

    assert dialled_text("+442079460958") == "+44 20 7946 0958"
    assert dialled_text("+14155550100") == "+1 415-555-0100"
    assert dialled_text("+886223456789") == "+886 2 2345 6789"
    assert dialled_text("+8613800138000") == "138 0013 8000" and dialled_text("+861062345678") == "010 6234 5678"
