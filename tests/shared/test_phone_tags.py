"""The replica's phone key (issue 14): a keyed, deliberately slow tag, and a mask that shows
no more than the last four digits. Assertions are on the *work* an attacker must do, never on
time: no unkeyed digest, at most four digits shown, scrypt at the documented cost."""

from __future__ import annotations

import hashlib
import re

import pytest

from shared.phones import (
    TAG2_SCRYPT,
    TAG_SCRYPT,
    mask_phone,
    new_replica_key,
    phone_hash,
    phone_tag,
    phone_tag2,
    tag_for,
)

KEY = "k" * 43  # replayable: a fixed key, never a random one in assertions


def test_a_tag_is_keyed_scrypt_of_the_number_at_the_documented_cost():
    expected = hashlib.scrypt(b"+8613800138000", salt=KEY.encode(), n=2**11, r=8, p=1, dklen=16).hex()
    assert phone_tag(KEY, "+8613800138000") == expected
    assert TAG_SCRYPT["n"] * TAG_SCRYPT["r"] * 128 >= 2 * 1024 * 1024  # 2 MiB a tag: memory-hard


def test_a_tag_depends_on_the_site_key_and_is_no_unkeyed_digest():
    number = "+8613800138000"
    tag = phone_tag(KEY, number)
    assert tag != phone_tag("another site's key", number)
    assert tag != phone_tag(KEY, "+8613800138001")
    unkeyed = {hashlib.sha256(f"{s}:{number}".encode()).hexdigest() for s in ("s1", "", KEY)}
    unkeyed |= {hashlib.sha256(number.encode()).hexdigest(), phone_hash("s1", number)}
    assert not any(tag in u or u.startswith(tag) for u in unkeyed)


def test_issue14_a_tag2_is_keyed_scrypt_at_four_times_the_tags_work_and_another_value():
    """``keys=tag2`` (the whole replica years): n = 2^13, 8 MiB a tag — 4× the memory and the
    work of ``phone_tag`` per candidate — and a different value, so a tablet's file of tag2s
    cannot be tested with the cheaper function."""
    number = "+8613800138000"
    expected = hashlib.scrypt(number.encode(), salt=KEY.encode(), n=2**13, r=8, p=1, dklen=16,
                              maxmem=64 * 1024 * 1024).hex()
    assert phone_tag2(KEY, number) == tag_for("tag2", KEY, number) == expected
    assert phone_tag2(KEY, number) != phone_tag(KEY, number) == tag_for("tag", KEY, number)
    assert TAG2_SCRYPT["n"] == 4 * TAG_SCRYPT["n"] and TAG2_SCRYPT["n"] * TAG2_SCRYPT["r"] * 128 >= 8 * 1024 * 1024
    assert phone_tag2("another site's key", number) != phone_tag2(KEY, number)
    with pytest.raises(ValueError, match="replica key"):
        phone_tag2("", number)
    with pytest.raises(ValueError, match="keys="):
        tag_for("hash", KEY, number)


def test_a_tag_needs_a_key():
    with pytest.raises(ValueError, match="replica key"):
        phone_tag("", "+8613800138000")


def test_replica_keys_are_random_and_long():
    keys = {new_replica_key() for _ in range(8)}
    assert len(keys) == 8 and all(len(k) >= 43 for k in keys)


@pytest.mark.parametrize("key", ["+8613800138000", "+8619912345678", "+861012345678", "+85291234567",
                                 "+14155552671", "+8602112345678"])
def test_a_mask_shows_at_most_the_last_four_digits(key):
    masked = mask_phone(key)
    national_digits = re.sub(r"\D", "", masked.split(" ", 1)[-1])
    assert len(national_digits) <= 4 and key.endswith(national_digits)
