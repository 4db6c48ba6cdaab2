"""Near-duplicate customer names: normalisation and one-deletion keys (pure functions).

Two names are at most one edit apart (one character substituted, inserted or deleted) only
if their *deletion neighbourhoods* — the name itself and every name made by deleting one
character — share a key (symmetric deletion, as in SymSpell): a substitution at position i
gives the same deletion at i, an insertion makes the shorter name a deletion of the longer.
The store keeps these keys in ``name_keys``; a look-up reads the typed name's keys through
an index, most recent registrations first and a bounded number per key (a one-character key
such as 张, from a two-character name, is shared by every 张X), and confirms each candidate
with ``name_distance`` (a shared key can also mean two edits, e.g. a transposition).

Edit distance cannot tell a homophone slip of a pinyin input method (张玮 for 张伟, both
"zhang wei") from another given name (张强): a two-character name has hundreds of one-edit
neighbours. So a name written in Chinese characters also has a *pinyin key*: the toneless
reading of each character, space-separated (``zhang wei``; ``pypinyin``'s single-character
table, first reading, no phrase context, so a character always reads the same; a character
without a reading — an emoji, a Latin letter — stands for itself: ``xiao ming 🙂``). A deletion
key never contains a space, so the two kinds share the ``name_keys`` table without clashing.
A look-up ranks homophones (same pinyin key) right after exact duplicates, then one-edit
names whose changed character can be read like the one it replaces (曾/增 ceng|zeng,
乐/悦 le|yue: ``shares_edited_syllable``), then the other one-edit names.
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import UTC, datetime
from functools import lru_cache

from shared.name_form import compared_name
from shared.timeutil import parse_time

__all__ = ["normalise_name", "fold_accents", "deletion_keys", "pinyin_key", "readings", "shares_edited_syllable", "within_one_edit",
           "name_distance", "recency_key", "search_keys", "key_after", "search_prefixes", "index_keys", "SEARCH", "MAX_INDEXED_LENGTH"]

MAX_INDEXED_LENGTH = 40  # longer "names" get no near-duplicate keys; the find screen's keys take the first 40


def normalise_name(name: str | None) -> str:
    """The name as compared: NFKC (full-width → half-width), case-folded, without spaces, dots,
    emoji, pictographs and invisible characters (``shared.name_form.compared_name``; QA of issue
    14, M3: 😀王小明👍 and 王\u200d小红 were not found by 王小明 and 王小红)."""
    return compared_name(name)


def deletion_keys(name: str | None) -> list[str]:
    """The normalised name and each one-character deletion of it (distinct, name first).

    Names shorter than two characters, or longer than ``MAX_INDEXED_LENGTH``, have no keys."""
    return _deletion_keys(normalise_name(name))


def _deletion_keys(n: str) -> list[str]:
    if not 2 <= len(n) <= MAX_INDEXED_LENGTH:
        return []
    keys = [n]
    for i in range(len(n)):
        key = n[:i] + n[i + 1:]
        if key not in keys:
            keys.append(key)
    return keys


_PINYIN: tuple | None = None  # (character table, tone remover), loaded on first use


def _pinyin() -> tuple:
    """pypinyin's character table (code point → "zhāng" or "nà,nā,…") and its tone remover.

    Importing ``pypinyin`` loads its phrase dictionary too (52 MB, 0.7 s here); names need
    single characters only, so the phrases are switched off with pypinyin's documented
    environment variables (7.8 MB, 0.3 s) unless the process set them otherwise."""
    global _PINYIN
    if _PINYIN is None:
        os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
        os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
        from pypinyin.constants import PINYIN_DICT
        from pypinyin.contrib.tone_convert import to_normal

        _PINYIN = (PINYIN_DICT, to_normal)
    return _PINYIN


@lru_cache(maxsize=8192)
def readings(ch: str) -> tuple[str, ...]:
    """The toneless readings of one character, the usual one first (() if it has none)."""
    table, to_normal = _pinyin()
    found = table.get(ord(ch)) if len(ch) == 1 else None
    out: list[str] = []
    for reading in (found or "").split(","):
        plain = to_normal(reading.strip()) if reading.strip() else ""
        if plain and plain not in out:
            out.append(plain)
    return tuple(out)


def pinyin_key(name: str | None) -> str:
    """The normalised name's toneless pinyin, one token a character (张伟 and 张玮 → ``zhang
    wei``); a character pypinyin cannot read (an emoji, a Latin letter, a digit, a rare CJK
    character, a symbol, each part of a ZWJ sequence) stands for itself (小明🙂 → ``xiao ming
    🙂``, issue 14 F5: one such character used to drop the whole name's pinyin); '' unless the
    name has deletion keys and at least one character a reading."""
    return _pinyin_key(normalise_name(name))


def _pinyin_key(n: str) -> str:
    if not 2 <= len(n) <= MAX_INDEXED_LENGTH:
        return ""
    tokens, read = [], False
    for ch in n:
        found = readings(ch)
        read = read or bool(found)
        tokens.append(found[0] if found else ch)
    return " ".join(tokens) if read else ""


def _search_syllables(n: str) -> list[str]:
    """What the find screen's pinyin keys spell (issue 14 F5): each character's first reading;
    a character pypinyin cannot read (emoji, a Latin letter, a digit, a symbol, a rare CJK
    character) is left out, so 小明🙂😀 is found by ``xm`` and ``xiaoming``, 王A芳 by ``wf``.
    The name key (``n``) still holds every character (王A finds 王A芳, Anna finds Anna)."""
    return [found[0] for found in map(readings, n) if found]


SEARCH = "\x1f"  # search keys start with a unit separator: no normalised name (so no other key) holds one


def search_keys(name: str | None, phone_masked: str | None) -> list[str]:
    """The keys the find screen reads by prefix (issue 14), beside the name's other keys:
    the name (``n``: 张 finds 张伟; also without accents: zoe finds Zoë), its pinyin initials
    (``i``: zw) and whole pinyin (``p``: zhangwei) — of the first ``MAX_INDEXED_LENGTH``
    characters —, and the phone's last four digits (``t``: kept by the masked phone)."""
    return _search_keys(normalise_name(name), phone_masked)


def fold_accents(n: str) -> str:
    """Latin letters without their accents (zoë → zoe, é → e): what a desk types on a keyboard
    without them. Other scripts are left alone (Hangul would decompose into jamo)."""
    if n.isascii():
        return n
    return "".join("".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
                   if ord(ch) < 0x250 else ch for ch in n)


def _search_keys(n: str, phone_masked: str | None) -> list[str]:
    # a name longer than MAX_INDEXED_LENGTH (100 are accepted) is found by its first 40 characters
    # (QA of issue 14, L1: it had no search keys); a Latin name with accents also without them
    head = n[:MAX_INDEXED_LENGTH]
    keys = [SEARCH + "n" + head] if head else []
    folded = fold_accents(head)
    if folded != head:
        keys.append(SEARCH + "n" + folded)
    syllables = _search_syllables(head) if len(head) >= 2 else []
    if syllables:
        keys += [SEARCH + "i" + "".join(s[0] for s in syllables), SEARCH + "p" + "".join(syllables)]
    digits = (phone_masked or "")[-4:]
    if not (digits.isascii() and digits.isdigit()):  # not the usual "+86 138****5678": the slow way
        digits = "".join(ch for ch in (phone_masked or "") if ch.isdigit())[-4:]
    if len(digits) == 4:
        keys.append(SEARCH + "t" + digits)
    return keys


def key_after(prefix: str) -> str:
    """The least text greater than every text that starts with ``prefix`` (non-empty), in
    SQLite's BINARY order (UTF-8 bytes: code point order): the prefix with its last character
    the next code point (surrogates skipped)."""
    for end in range(len(prefix) - 1, -1, -1):
        point = ord(prefix[end]) + 1
        if point <= 0x10FFFF:
            return prefix[:end] + chr(0xE000 if 0xD800 <= point <= 0xDFFF else point)
    return prefix + "\U0010ffff"  # a prefix of noncharacters U+10FFFF only: as near as text allows


def search_prefixes(query: str) -> list[str]:
    """The key prefixes a typed query is looked for under: digits → the last four; Latin
    letters → pinyin initials and whole pinyin (and a Latin name); anything else → the name.
    A query longer than the indexed part of a name (``MAX_INDEXED_LENGTH``) is looked for by
    that part (QA of issue 14: 52 characters of a 60-character name found nothing)."""
    q = normalise_name(query)
    if not q:
        return []
    if q.isdigit():
        return [SEARCH + "t" + q[-4:]]
    q = q[:MAX_INDEXED_LENGTH]
    if q.isascii() and q.isalpha():
        return [SEARCH + "i" + q, SEARCH + "p" + q, SEARCH + "n" + q]
    return [SEARCH + "n" + q]


def shares_edited_syllable(a: str, b: str) -> bool:
    """For normalised names one edit apart: can the changed character be read like the one it
    replaces (曾伟/增伟: ceng|zeng), or does an added one repeat its neighbour's reading
    (王芳/王芳芳)? Same-pinyin names are compared by ``pinyin_key``, not here."""
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 and bool(set(readings(a[diff[0]])) & set(readings(b[diff[0]])))
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    extra = set(readings(long_[i]))
    neighbours = long_[i - 1:i] + long_[i + 1:i + 2]
    return any(extra & set(readings(ch)) for ch in neighbours)


_UTC_TEXT = re.compile(r"([1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]{1,6}))?(?:\+00:00|Z)")


def recency_key(iso: str | None) -> str:
    """A stored time as UTC text that sorts in time order ('' if unknown: sorts last).

    A time already in UTC as the server writes it (``2026-08-07T16:58:30.703+00:00``) is
    rewritten as text (a snapshot indexes every customer: issue 13); any other goes through
    ``parse_time``. Both give ``YYYY-MM-DDTHH:MM:SS.ffffff``."""
    if not iso:
        return ""
    utc = _UTC_TEXT.fullmatch(iso)
    if utc is not None:
        try:
            datetime.fromisoformat(utc.group(1))  # a real calendar time, as parse_time demands
        except ValueError:
            return ""
        return utc.group(1) + "." + (utc.group(2) or "").ljust(6, "0")
    try:
        return parse_time(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    except (ValueError, OverflowError):  # no time, or one UTC cannot represent (9999-12-31T23:59-23:59)
        return ""


def within_one_edit(a: str, b: str) -> bool:
    """``name_distance(a, b) <= 1`` without the quadratic table (the look-up's hot path)."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def name_distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def index_keys(name: str | None, phone_masked: str | None) -> tuple[str | None, list[str]]:
    """``(pinyin key or None, keys)`` of one indexed name: its deletion keys, its pinyin key and
    the find screen's prefixes (a pinyin key has a space and search keys start with ``SEARCH``:
    no kinds clash); no keys for no name and no last four. ``name_table`` stores them, one
    ``name_keys`` row a key (issue 13: the name itself once, in ``names``)."""
    n = normalise_name(name)  # once a name: a snapshot indexes every customer (issue 13)
    pinyin = _pinyin_key(n) or None
    return pinyin, _deletion_keys(n) + ([pinyin] if pinyin else []) + _search_keys(n, phone_masked)
