"""Phone numbers as customer keys.

Customers are recognised by phone. Numbers are typed in every shape
(``138 0013 8000``, ``+86 138-0013-8000``, ``8613800138000``); all of them must become one
key, and anything that is not a real personal number must be refused with ``invalid_phone``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import unicodedata

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from .errors import InvalidPhone

__all__ = ["normalise_phone", "phone_typo", "without_invisible", "plain_separators", "shown_char", "phone_kind", "national_text", "dialled_text", "mask_phone", "phone_digits", "phone_hash", "display_phone",
           "phone_tag", "phone_tag2", "tag_for", "new_replica_key", "TAG_SCRYPT", "TAG2_SCRYPT", "TAG_KEYS"]

_NOT_PERSONAL = {
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
    PhoneNumberType.PAGER,
}


CN_MOBILE_PATTERN = r"1(?:610\d|740[0-5])\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}"
"""libphonenumber's CN mobile pattern (metadata 9.0.x), the shape nearly every customer's number
has. Eleven ASCII digits matching it are a mobile number of the site's own country, and
libphonenumber's verdict on them depends on their first five digits only (no other CN pattern
starts with 1[3-9] at eleven digits); ``normalise_phone`` answers them without parsing.
Anything else, typed with spaces, ``+86`` or full-width digits included, goes to libphonenumber,
which stays the authority: the fast path is checked against it over every five-digit prefix."""
_CN_MOBILE = re.compile(CN_MOBILE_PATTERN, re.ASCII)
# a letter of a cased alphabet (Latin, Greek, Cyrillic, full-width Latin): what a keypad maps to
# digits. 转, 电话 or an Arabic letter are characters, not "letters" (QA of issue 14: 转 was called 字母)
_LETTERS = re.compile(r"[^\W\d_]")
_CASED = frozenset(("Lu", "Ll", "Lt"))
# an extension written after the number: 转 / 分机 (China), ext (QA of issue 14); and the marks
# libphonenumber reads as one when digits follow at the end (x, #, ~, a dialer's , or ;): 010-12345678#123
_EXTENSION = re.compile(r"转|分机|ext|(?<=[\d\s０-９])[xX×#＃~～,，;；]\s*[\d０-９]{1,7}\s*$", re.IGNORECASE)
# a whole number, then a dash and a few digits (010-12345678-123): an extension when the number
# before the dash is one and the whole is not
_DASHED_EXTENSION = re.compile(r"(.*[\d０-９])\s*([-－‐‑–—]\s*[\d０-９]{1,6})\s*")
_LETTER_O = frozenset("OoＯｏ")
# what a phone may hold besides digits (full-width too): spaces and the separators people write
_NOT_PHONE = re.compile(r"[^\d\s+＋\-‐‑‒–—－()（）.．/／]")


# what draws nothing yet rides along with a pasted number (QA of issue 14, M2: a phone's contacts
# and WeChat wrap numbers in U+202A … U+202C; LRM/RLM, zero-width space, word joiner, BOM, soft
# hyphen): format characters (Unicode category Cf), the combining grapheme joiner and the
# variation selectors. A phone ignores them as it ignores spaces.
_VARIATION = frozenset(chr(c) for c in (*range(0xFE00, 0xFE10), 0x034F))


def _ignored(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or ch in _VARIATION or "\U000e0100" <= ch <= "\U000e01ef"


def without_invisible(text: str) -> str:
    """``text`` without the characters a phone ignores besides its separators: format characters
    (category Cf: U+200B zero-width space, U+200E/U+200F direction marks, U+202A-U+202E bidi
    embeddings, U+2060 word joiner, U+FEFF BOM, U+00AD soft hyphen…), the combining grapheme
    joiner and variation selectors (QA of issue 14, M2). ASCII text is returned as it is."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if not _ignored(ch))


# separators pasted in other forms (QA of issue 14 re-check): every space (narrow no-break U+202F,
# figure U+2007, thin U+2009, a tab or newline from a copied cell) is a space; the minus sign
# U+2212, the katakana-hiragana prolonged sound mark U+30FC (an IME's long dash), the horizontal
# bar U+2015 and small/hyphen-bullet forms are dashes
_DASHES = str.maketrans({c: "-" for c in "\u2212\u30fc\u2015\u2043\ufe63\ufe58\u2e3a\u2e3b"})
_ANY_SPACE = re.compile(r"\s")


def plain_separators(text: str) -> str:
    """``text`` with every kind of space as `` `` and every kind of dash as ``-`` (a phone's
    separators as people paste them); ASCII text is returned as it is."""
    if text.isascii():
        return text if "\t" not in text and "\n" not in text and "\r" not in text else _ANY_SPACE.sub(" ", text)
    return _ANY_SPACE.sub(" ", text.translate(_DASHES))


_DRAWS_BLANK = frozenset("\u115f\u1160\u2800\u3164\uffa0")  # Hangul fillers, blank Braille


def shown_char(ch: str) -> str:
    """A character as a message names it: itself when it draws something; else its code point
    and Unicode name (``U+3164 HANGUL FILLER``), so that a reason never reads 号码里有“”
    (QA of issue 14, M2)."""
    if len(ch) == 1 and (unicodedata.category(ch)[0] not in "LNPS" or ch in _DRAWS_BLANK):
        name = unicodedata.name(ch, "")
        return f"U+{ord(ch):04X}" + (f" {name}" if name else "")
    return ch


def phone_typo(text: str) -> tuple[str, str] | None:
    """What makes typed text no phone number whatever its digits (QA of issue 14: 📞13800138000
    was stored raw; 138OO138OOO kept the name filled in for another number): ``("extension",
    "转")`` for an extension written after it (转, 分机, ext, or x # ~ , ; before its digits at
    the end: ``("extension", "#123")``; the extension goes in the notes);
    ``("letter_o", "O")`` when its only letters are O (typed for 0); ``("letters", first
    letter)`` for a cased alphabet's letters (Latin, Greek, Cyrillic, full-width Latin);
    ``("symbol", first other character)`` — anything else but digits, spaces, + - ( ) . / and
    their full-width forms (电, 📞, #), named by ``shown_char`` when it draws nothing (``U+3164
    HANGUL FILLER``); None when it holds none of those. Invisible characters
    (``without_invisible``) are ignored, as ``normalise_phone`` ignores them."""
    text = plain_separators(without_invisible(text or ""))
    bad = _NOT_PHONE.search(text)
    if bad is None:
        return None
    extension = _EXTENSION.search(text)
    if extension is not None:
        return ("extension", extension.group(0).strip())
    letters = [c for c in _LETTERS.findall(text) if unicodedata.category(c) in _CASED]
    if letters and set(letters) <= _LETTER_O:
        return ("letter_o", letters[0])
    if letters:
        return ("letters", letters[0])
    return ("symbol", shown_char(bad.group(0)))


@functools.lru_cache(maxsize=65_536)  # pure; validation and parse_record each normalise the same phone
def normalise_phone(raw: str, region: str = "CN") -> str:
    """Return the E.164 key of ``raw`` (``+8613800138000``) or raise InvalidPhone.

    Only a number written in international form is read as another country's: with ``+``
    (also full-width ``＋``), with the region's international prefix (``00`` in CN), or — for
    the region's own country only — starting with its country code (``8613800138000``:
    tablets' keyboards drop the plus sign). Anything else is read as a national number of
    ``region``, so a desk's typo (``12345678901`` for ``13…`` in CN) is ``invalid_phone``,
    never a foreign customer (issue 8 item 6). Digits may be full-width; spaces, dashes,
    dots, brackets and a ``(0)`` trunk prefix are ignored, and so are invisible characters
    pasted along (``without_invisible``: bidi embeddings, zero-width space, BOM…; QA of issue 14, M2).
    """
    if not isinstance(raw, str):
        raise InvalidPhone(str(raw), region, "it is empty", "empty")
    text = plain_separators(without_invisible(raw)).strip()
    if not text:
        raise InvalidPhone(raw, region, "it is empty", "empty")
    if region == "CN" and _CN_MOBILE.fullmatch(text):
        return "+86" + text  # what libphonenumber answers for these (tests/shared/test_phone_fast_path.py)
    return _by_libphonenumber(raw, text, region)


def _by_libphonenumber(raw: str, text: str, region: str) -> str:
    """``normalise_phone`` of ``text`` (``raw`` stripped) as libphonenumber reads it: the authority."""
    typo = phone_typo(text)  # libphonenumber reads keypad letters as digits (138-ABCD-8000) and skips symbols
    if typo is not None:
        reason, char = typo
        why = {"letter_o": "it holds the letter O where the digit 0 belongs",
               "letters": "it contains letters",
               "extension": f"it contains an extension ({char}): write the extension in the notes"}.get(
                   reason, f"it contains {char!r}, which is not part of a phone number")
        raise InvalidPhone(raw, region, why, reason, char)
    # ``number_type`` is UNKNOWN exactly when ``is_valid_number`` is false (both match the
    # national number against the region's metadata); asking for the type once instead of
    # validating twice and then typing halves the cost of a new number.
    try:
        number = phonenumbers.parse(text, region)
        kind = phonenumbers.number_type(number)
        if kind == PhoneNumberType.UNKNOWN:
            number, kind = _with_own_country_code(text, region, number, kind)
    except NumberParseException as exc:
        _refuse_dashed_extension(raw, text, region)
        raise InvalidPhone(raw, region, "it cannot be read as a phone number", "unreadable") from exc
    if kind == PhoneNumberType.UNKNOWN:
        _refuse_dashed_extension(raw, text, region)
        raise InvalidPhone(raw, region, "no such number exists")
    if kind in _NOT_PERSONAL:
        raise InvalidPhone(raw, region, "it is a service number, not a person's", "service")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _refuse_dashed_extension(raw: str, text: str, region: str) -> None:
    """Raise ``InvalidPhone`` reason ``extension`` when ``text``, no number itself, is one
    followed by a dash and 1–6 digits (``010-12345678-123``: QA of issue 14, L1 — it was "no
    such number", and a clerk retyped the same); return otherwise."""
    dashed = _DASHED_EXTENSION.fullmatch(text)
    if dashed is None:
        return
    try:
        _by_libphonenumber(dashed.group(1), dashed.group(1), region)
    except InvalidPhone:
        return
    raise InvalidPhone(raw, region, f"it contains an extension ({dashed.group(2)}): write the extension in the notes",
                       "extension", dashed.group(2))


def phone_kind(key: str) -> str:
    """What kind of number an E.164 key is: ``mobile``, ``landline`` or ``other`` (a walk-in is
    registered by mobile; a landline typed in the mobile field is said to be one, issue 14).
    A key of the common CN mobile shape answers without parsing, as ``normalise_phone`` does."""
    if key.startswith("+86") and _CN_MOBILE.fullmatch(key[3:]):
        return "mobile"
    kind = phonenumbers.number_type(phonenumbers.parse(key, None))
    if kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return "mobile"
    return "landline" if kind == PhoneNumberType.FIXED_LINE else "other"


def _cn_mobile_groups(key: str) -> str | None:
    """``139 0000 9519`` for a key of the common CN mobile shape (``+86`` then eleven digits
    matching ``CN_MOBILE_PATTERN``), as libphonenumber formats it nationally; None for any other
    key. Grouped by hand: an export of a busy week formats ~8,000 distinct phones, and parsing
    and formatting each cost ~23 µs quiet (issue 11). ``tests/shared/test_phone_fast_path.py`` checks
    the groups against libphonenumber's NATIONAL and INTERNATIONAL formats over every five-digit
    prefix, as it checks ``normalise_phone``'s fast path."""
    if len(key) == 14 and key.startswith("+86") and _CN_MOBILE.fullmatch(key, 3):
        return f"{key[3:6]} {key[6:10]} {key[10:]}"
    return None


def national_text(key: str) -> str:
    """An E.164 key as people of its country write it (``010 1234 5678``; ``139 0000 9519``)."""
    grouped = _cn_mobile_groups(key)
    if grouped is not None:
        return grouped
    return phonenumbers.format_number(phonenumbers.parse(key, None), PhoneNumberFormat.NATIONAL)


def dialled_text(key: str) -> str:
    """A key as a sales office in China writes and dials it: a Chinese number nationally
    (``138 0013 8000``, ``010 6234 5678``), any other country's with its code (``+1 415-555-0100``:
    its national form reads as a Chinese number or cannot be dialled from China; QA of issue 11,
    F7 and its second pass). A key libphonenumber cannot parse: as stored."""
    if key.startswith("+86"):
        try:
            return national_text(key)
        except NumberParseException:
            return key
    return display_phone(key)


def _with_own_country_code(text: str, region: str, number: phonenumbers.PhoneNumber,
                           kind: int) -> tuple[phonenumbers.PhoneNumber, int]:
    """Retry a number that is not valid nationally as ``+<digits>`` only when its digits start
    with ``region``'s own country code and the result stays in that country; else unchanged."""
    own_code = phonenumbers.country_code_for_region(region)
    digits = phonenumbers.normalize_digits_only(text)  # full-width digits become ASCII
    if not own_code or text.lstrip().startswith(("+", "\uff0b")) or not digits.startswith(str(own_code)):
        return number, kind
    retried = phonenumbers.parse("+" + digits, region)
    if retried.country_code != own_code:
        return number, kind
    return retried, phonenumbers.number_type(retried)


def display_phone(key: str) -> str:
    """A stored E.164 key as people read it (``+86 137 0000 1111``); anything else unchanged."""
    if not re.fullmatch(r"\+\d{6,15}", key or ""):
        return key
    grouped = _cn_mobile_groups(key)
    if grouped is not None:
        return "+86 " + grouped
    try:
        return phonenumbers.format_number(phonenumbers.parse(key, None), PhoneNumberFormat.INTERNATIONAL)
    except NumberParseException:
        return key


def phone_digits(text: str) -> str:
    """Only the digits of what was typed, as ASCII: for look-ups while a phone is being entered.
    Full-width digits (a Chinese input method types ``１３８``) and any other script's decimal
    digits count as the digits they are (QA sweep 2026-12-03: the console's search kept ``１３８``
    as typed and found nobody)."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text or "" if ch.isdecimal())


def mask_phone(key: str) -> str:
    """What people who may not see a number see of it: the country code and the last four
    digits only (``+86 *******8000``; the desk searches by the last four). Issue 14: with seven
    of eleven digits shown, 10^4 candidates were left and any check of them took seconds; with
    four, a CN mobile has ~5×10^5 (docs/privacy.md).

    A Chinese key (``+86`` then digits, as ``normalise_phone`` writes it) is split by hand:
    the server masks every customer of a snapshot (issue 13), and parsing each one cost more
    than the rest of its rendering. Other keys are parsed by libphonenumber."""
    if key.startswith("+86") and key[3:].isdigit() and key[3:4] != "0" and 2 <= len(key) - 3 <= 11:
        national, prefix = key[3:], "+86 "
    else:
        try:
            number = phonenumbers.parse(key, None)
            national = str(number.national_number)
            prefix = f"+{number.country_code} "
        except NumberParseException:
            national, prefix = phone_digits(key), ""
    if len(national) <= 4:
        return prefix + "*" * len(national)
    return prefix + "*" * (len(national) - 4) + national[-4:]


def phone_hash(site_id: str, phone_key: str) -> str:
    """The legacy (pre issue 14) key of a customer in a site's ownership index: unsalted
    SHA-256 of ``site_id:e164``. Anyone holding it recovers the number from its mask in
    milliseconds, so it is only served to tablets of a site set to ``replica_keys = legacy``
    (docs/privacy.md); new code uses ``phone_tag``."""
    return hashlib.sha256(f"{site_id}:{phone_key}".encode()).hexdigest()


TAG_SCRYPT = {"n": 2**11, "r": 8, "p": 1, "dklen": 16}
"""scrypt's cost for ``phone_tag`` (2 MiB of memory and a few ms of CPU per tag; protocol
``keys=tag``, docs/privacy.md gives the figures). Changing it changes every tag: a new
``keys=`` value, never an edit here."""


@functools.lru_cache(maxsize=4096)  # a desk types the same number while its look-up reruns
def phone_tag(replica_key: str, phone_key: str) -> str:
    """The key under which a site's replica names a customer (issue 14): 32 hex characters,
    ``scrypt(password=e164, salt=replica_key, **TAG_SCRYPT)``. ``replica_key`` is the site's
    secret (``new_replica_key``), given only to enrolled devices; ``phone_key`` an E.164 key
    from ``normalise_phone``. Deliberately slow (a few ms, ``TAG_SCRYPT``): recovering a hidden
    number from its tag and last four digits means ~5×10^5 tags (minutes of CPU per number).
    Raises ValueError for an empty key."""
    return _scrypt_tag(replica_key, phone_key, TAG_SCRYPT)


def _scrypt_tag(replica_key: str, phone_key: str, cost: dict[str, int]) -> str:
    """``scrypt(password=phone_key, salt=replica_key, **cost)`` as hex; ValueError for an empty
    key (the one computation behind ``phone_tag`` and ``phone_tag2``, each with its own cache)."""
    if not replica_key:
        raise ValueError("a phone tag needs the site's replica key")
    return hashlib.scrypt(phone_key.encode(), salt=replica_key.encode(), maxmem=64 * 1024 * 1024, **cost).hex()


TAG2_SCRYPT = {"n": 2**13, "r": 8, "p": 1, "dklen": 16}
"""scrypt's cost for ``phone_tag2`` (protocol ``keys=tag2``, issue 14 "the whole replica years"):
4× ``TAG_SCRYPT`` — 8 MiB of memory and ~20 ms of one free core a tag — so that one pass over
a last-four group's 521,600 candidates costs ~2.8 h and a 100,000-customer replica (~10^4
groups) ~3 years of one core (docs/privacy.md gives the measured figures). Like ``TAG_SCRYPT``,
never edited: a costlier tag is a new ``keys=`` value."""


@functools.lru_cache(maxsize=4096)  # a desk types the same number while its look-up reruns
def phone_tag2(replica_key: str, phone_key: str) -> str:
    """The replica's tag of a customer for tablets asking ``keys=tag2`` (issue 14, "the whole
    replica years"): 32 hex characters, ``scrypt(password=e164, salt=replica_key,
    **TAG2_SCRYPT)`` — ``phone_tag`` at 4× the cost (n = 2^13). Same inputs and errors as
    ``phone_tag`` (ValueError for an empty key); a different value for every number, so a
    tablet holds one kind only (migration ``017_tag2``)."""
    return _scrypt_tag(replica_key, phone_key, TAG2_SCRYPT)


TAG_KEYS = ("tag", "tag2")
"""The protocol's ``keys=`` values that name customers by a keyed tag (docs/protocol.md):
``tag`` (``phone_tag``, n = 2^11, tablets of issue 14's first release) and ``tag2``
(``phone_tag2``, n = 2^13, tablets from migration ``017_tag2`` on)."""


def tag_for(keys: str, replica_key: str, phone_key: str) -> str:
    """``phone_tag`` for ``keys="tag"``, ``phone_tag2`` for ``keys="tag2"`` (``TAG_KEYS``);
    ValueError for any other ``keys`` or an empty key."""
    if keys == "tag":
        return phone_tag(replica_key, phone_key)
    if keys == "tag2":
        return phone_tag2(replica_key, phone_key)
    raise ValueError(f"no phone tag for keys={keys!r}")


def new_replica_key() -> str:
    """A new site's ``replica_key``: 256 random bits, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)
