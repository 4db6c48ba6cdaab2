"""Near-duplicate customer names: normalisation and one-deletion keys (pure functions).

Two names are at most one edit apart (one character substituted, inserted or deleted) only
if their *deletion neighbourhoods* — the name itself and every name made by deleting one
character — share a key (symmetric deletion, as in SymSpell): a substitution at position i
gives the same deletion at i, an insertion makes the shorter name a deletion of the longer.
The store keeps these keys in ``name_keys``; a look-up reads the typed name's keys through
an index, most recent registrations first and a bounded number per key (a one-character key
such as 张, from a two-character name, is shared by every 张X), and confirms each candidate
with ``name_distance`` (a shared key can also mean two edits, e.g. a transposition).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC

from shared.timeutil import parse_time

__all__ = ["normalise_name", "deletion_keys", "within_one_edit", "name_distance", "recency_key", "MAX_INDEXED_LENGTH"]

MAX_INDEXED_LENGTH = 40  # longer "names" are notes typed into the wrong field: not indexed
_IGNORED = frozenset(" \t\u3000·•・.．-_")  # spacing and the dots of transliterated names (阿依·买买提)


def normalise_name(name: str | None) -> str:
    """The name as compared: NFKC (full-width → half-width), case-folded, without spaces or dots."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in text if ch not in _IGNORED)


def deletion_keys(name: str | None) -> list[str]:
    """The normalised name and each one-character deletion of it (distinct, name first).

    Names shorter than two characters, or longer than ``MAX_INDEXED_LENGTH``, have no keys."""
    n = normalise_name(name)
    if not 2 <= len(n) <= MAX_INDEXED_LENGTH:
        return []
    keys = [n]
    for i in range(len(n)):
        key = n[:i] + n[i + 1:]
        if key not in keys:
            keys.append(key)
    return keys


def recency_key(iso: str | None) -> str:
    """A stored time as UTC text that sorts in time order ('' if unknown: sorts last)."""
    if not iso:
        return ""
    try:
        return parse_time(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    except ValueError:
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
