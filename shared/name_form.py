"""A name as it is compared and searched: what a person reads in it, without decoration.

QA of issue 14 (M3): the desk registered "😀王小明👍" and "王\u200d小红" (a zero-width joiner
inside, pasted from a chat); 查找客户 for 王小明 or 王小红 found nothing. Emoji, pictographs and
the invisible characters around them are decoration: a name is compared and looked for without
them, on the tablet (``mobile.store.name_index.normalise_name``) and in the console's customer
search alike. The stored name keeps them: it is shown as it was typed.
"""

from __future__ import annotations

import unicodedata

__all__ = ["compared_name", "undecorated", "is_decoration", "stacked_marks", "MAX_STACKED_MARKS"]

MAX_STACKED_MARKS = 3
"""Most combining marks (canonical combining class > 0, after NFC) a name may stack on one
letter (QA of issue 14, L4: "Zalgó̂̃̄̅" drew boxes on 今日来访). Real names need at most two
or three — a Devanagari nukta and virama, a Thai vowel and tone mark, Arabic shadda and a
vowel, Hebrew dagesh and a vowel point; Vietnamese letters compose to one character; Tibetan
subjoined letters have class 0 and do not count."""

_SPACING = frozenset(" \t\u3000·•・.．-_")  # spacing and the dots of transliterated names (阿依·买买提)
_DECORATION_CATEGORIES = frozenset(("Cf", "So", "Me"))  # format (ZWJ, bidi, BOM…), symbols and emoji, keycaps


def is_decoration(ch: str) -> bool:
    """True for a character a name is compared without: a format character (category Cf: the
    zero-width joiner of emoji sequences, zero-width space, direction marks, BOM, soft hyphen),
    a symbol (So: emoji, pictographs, ☎ ★), an enclosing mark (Me: a keycap), a variation
    selector or combining grapheme joiner, an emoji skin tone (U+1F3FB-U+1F3FF)."""
    if unicodedata.category(ch) in _DECORATION_CATEGORIES:
        return True
    point = ord(ch)
    return (0xFE00 <= point <= 0xFE0F or point == 0x034F or 0x1F3FB <= point <= 0x1F3FF
            or 0xE0100 <= point <= 0xE01EF)


def undecorated(text: str) -> str:
    """``text`` without its decoration (``is_decoration``); ASCII text as it is."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if not is_decoration(ch))


_KEPT: dict[str, bool] = {}  # character -> kept in a compared name (a snapshot indexes every customer: issue 13)


def _kept(ch: str) -> bool:
    kept = _KEPT.get(ch)
    if kept is None:
        kept = _KEPT[ch] = ch not in _SPACING and not is_decoration(ch)
    return kept


def compared_name(name: str | None) -> str:
    """The name as compared: NFKC (full-width → half-width), case-folded, without spaces, dots
    and decoration (``is_decoration``): 😀王小明👍, 王 小明 and 王\u200d小明 all read 王小明."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    if text.isascii():  # no ASCII character is decoration
        return "".join(ch for ch in text if ch not in _SPACING)
    return "".join(filter(_kept, text))


def stacked_marks(text: str) -> int:
    """The longest run of combining marks (combining class > 0) on one character of ``text``,
    after NFC composes what it can (ó is one character)."""
    if text.isascii():
        return 0
    longest = run = 0
    for ch in unicodedata.normalize("NFC", text):
        run = run + 1 if unicodedata.combining(ch) else 0
        longest = max(longest, run)
    return longest
