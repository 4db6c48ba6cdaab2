"""Phones as customer keys: one customer however the number is typed; no service numbers."""

import pytest

from shared.errors import InvalidPhone
from shared.phones import display_phone, mask_phone, normalise_phone, phone_hash


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


def test_masked_phone_hides_the_middle_digits():
    assert mask_phone("+8613800138000") == "+86 138****8000"


def test_phone_hash_depends_on_site_and_number():
    assert phone_hash("s1", "+8613800138000") != phone_hash("s2", "+8613800138000")
    assert len(phone_hash("s1", "+8613800138000")) == 64


def test_display_phone_groups_digits_and_leaves_other_text_alone():
    assert display_phone("+8613700001111") == "+86 137 0000 1111"
    assert display_phone("+86 138****8000") == "+86 138****8000"
