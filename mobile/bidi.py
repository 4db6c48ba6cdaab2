"""Right-to-left names read right (issue 14): Arabic-script (Arabic, Uyghur, Persian) and Hebrew
text put in display order for a label, pure Python, no Kivy.

Kivy lays a line out left to right in the order it is given, one markup run after another. A
name like "محمد علي" inside "客户محمد علي来访" was drawn letter by letter, left to right, in
the order it was typed. Two steps fix it:

1. *Order* (here): the Unicode Bidirectional Algorithm (UAX #9: weak types W1–W7, paired
   brackets N0 (simplified), neutrals N1–N2, implicit levels I1–I2, isolates LRI/RLI/FSI…PDI,
   line rules L1–L2) gives every character of a paragraph a level; once Kivy has broken the
   text into lines, each line is cut into *pieces* (one level, one laid-out word) in the order
   they are seen, left to right (``rtl_shaping.reorder_lines``). Inside a right-to-left piece
   the runs of right-to-left letters keep their typed order (the shaper lays them out right
   to left) and everything else between them (spaces, brackets, punctuation) is reversed
   here, brackets mirrored.
2. *Shape* (``rtl_shaping``): a run holding right-to-left letters is drawn by SDL2_ttf's
   HarfBuzz with direction rtl and its script (``Arab``, ``Hebr``): letters joined, lam-alef
   ligatures, marks placed. Without HarfBuzz the run is reversed here instead (Hebrew then
   reads right; Arabic reads in order but unjoined).

Not done: explicit embeddings and overrides (LRE…PDF: dropped from the analysis, the server
refuses them in most fields); the paragraph's direction is left to right (the tablet's
languages, 简体中文 and English, are; an RTL name is an island in an LTR line, as Android's
BidiFormatter makes user text in an LTR UI).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["has_rtl", "isolate", "levels", "paragraph_levels", "visual_order", "pieces", "display_runs",
           "markup_text", "rtl_script", "MIRRORED"]

_STRONG_RTL = ("R", "AL")
_EXPLICIT = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "BN"}
_NEUTRAL = {"B", "S", "WS", "ON"}
MIRRORED = dict(zip("()[]{}<>«»‹›（）［］｛｝〈〉《》「」『』【】", ")(][}{><»«›‹）（］［｝｛〉〈》《」「』『】【", strict=True))
"""Brackets drawn mirrored in a right-to-left run (UAX #9 L4, the pairs names and notes use)."""
# Kivy markup's own tags (kivy/core/text/markup.py); any other [..] is text to Kivy
_TAG = re.compile(r"(\[.*?\])")
_KNOWN_TAG = re.compile(r"\[(/?)(b|i|u|s|size|color|font|font_family|font_context|font_features|text_language|"
                        r"sub|sup|ref|anchor)(=[^\]]*)?\]$")
_PARAGRAPH = re.compile("(\n|\r\n|\r|\u2029|\x1c|\x1d|\x1e|\x85)")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
_HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")


def _type(char: str) -> str:
    return unicodedata.bidirectional(char) or "L"


# the blocks every R and AL character is in (a quick test before the exact one, per character)
_MAYBE_RTL = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    """True when ``text`` holds a right-to-left letter (bidi class R or AL: Hebrew, Arabic
    script…); only such a text is reordered (any other is returned byte for byte)."""
    return bool(text) and _MAYBE_RTL.search(text) is not None and any(_type(c) in _STRONG_RTL for c in text)


def rtl_script(text: str) -> str | None:
    """The ISO 15924 script HarfBuzz shapes ``text`` (one run) in when it holds a right-to-left
    letter: ``"Arab"`` (Arabic, Uyghur, Persian, Urdu), ``"Hebr"``, ``"Zyyy"`` for another
    right-to-left script; None when it holds none (drawn left to right)."""
    if not has_rtl(text):
        return None
    if _ARABIC.search(text):
        return "Arab"
    if _HEBREW.search(text):
        return "Hebr"
    return "Zyyy"


_ISOLATE_OPEN = "\u2066\u2067\u2068"  # LRI, RLI, FSI
_ISOLATE_CLOSE = "\u2069"  # PDI
_NOT_SHOWN = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")  # marks and explicit formatting


def isolate(text: str) -> str:
    """``text`` between FSI and PDI when it holds a right-to-left letter (a name put into a
    sentence: its direction neither taken from nor given to the words around it, UAX #9
    X5c), else ``text`` itself."""
    return f"\u2068{text}\u2069" if has_rtl(text) else text


def levels(text: str, base: int = 0) -> list[int]:
    """One embedding level per character of ``text`` (one paragraph, one line): even left to
    right, odd right to left; ``base`` the paragraph's level (0: left to right). UAX #9 rules
    W1–W7, N0 (brackets, simplified), N1–N2, I1–I2 and L1 (whitespace at the line's end).
    An isolate (LRI, RLI or FSI … PDI) is resolved on its own, with its own base level, and is
    one neutral to the text around it (X5a–X6a); embeddings and overrides (LRE…PDF) and BN
    are left out of the analysis and take their neighbour's level (X9)."""
    spans, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in _ISOLATE_OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif c == _ISOLATE_CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    if depth:
        spans.append((start, len(text)))  # unmatched: the isolate runs to the paragraph's end
    if not spans:
        return _flat_levels(text, base)
    outer_text, at = [], 0
    for begin, end in spans:
        outer_text.append(text[at:begin] + "\ufffc")  # the isolate as one neutral (ON)
        at = end + 1
    outer_text.append(text[at:])
    outer = _flat_levels("".join(outer_text), base)
    out: list[int] = []
    k = 0  # position in outer
    at = 0
    for begin, end in spans:
        out.extend(outer[k:k + begin - at])
        k += begin - at
        level = outer[k]
        k += 1
        inner = text[begin + 1:end]
        opener = text[begin]
        rtl = opener == "\u2067" or (opener == "\u2068" and _first_strong(inner) == "R")
        inner_base = base + 1 if (base % 2 == 0) == rtl else base + 2
        out.append(level)
        out.extend(levels(inner, inner_base))
        if end < len(text):
            out.append(level)
        at = end + 1
    out.extend(outer[k:])
    return out


def _first_strong(text: str) -> str | None:
    """UAX #9 P2: the first strong direction of ``text``, isolates skipped; None when none."""
    depth = 0
    for c in text:
        if c in _ISOLATE_OPEN:
            depth += 1
        elif c == _ISOLATE_CLOSE and depth:
            depth -= 1
        elif depth == 0 and _type(c) in ("L", "R", "AL"):
            return "L" if _type(c) == "L" else "R"
    return None


def _flat_levels(text: str, base: int) -> list[int]:
    kept = [i for i, c in enumerate(text) if _type(c) not in _EXPLICIT]
    types = [_type(text[i]) for i in kept]
    e = "R" if base % 2 else "L"
    n = len(types)
    # W1: a mark takes the type of what it marks
    for i in range(n):
        if types[i] == "NSM":
            types[i] = types[i - 1] if i else e
    # W2, W3: European digits after Arabic letters are Arabic numbers; AL is R
    last = e
    for i in range(n):
        if types[i] in ("L", "R", "AL"):
            last = types[i]
        elif types[i] == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    # W4: one separator between two numbers of a kind joins them
    for i in range(1, n - 1):
        if types[i] == "ES" and types[i - 1] == types[i + 1] == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and types[i - 1] == types[i + 1] and types[i - 1] in ("EN", "AN"):
            types[i] = types[i - 1]
    # W5: terminators (%, currency) next to European digits are digits
    i = 0
    while i < n:
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    # W6: the separators and terminators left are neutrals
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]
    # W7: European digits after a left-to-right letter are left to right
    last = e
    for i in range(n):
        if types[i] in ("L", "R"):
            last = types[i]
        elif types[i] == "EN" and last == "L":
            types[i] = "L"
    _brackets([text[i] for i in kept], types, e)
    # N1, N2: neutrals between two of one direction take it, else the paragraph's
    i = 0
    while i < n:
        if types[i] in _NEUTRAL:
            j = i
            while j < n and types[j] in _NEUTRAL:
                j += 1
            before = _strong(types[i - 1]) if i else e
            after = _strong(types[j]) if j < n else e
            types[i:j] = [before if before == after else e] * (j - i)
            i = j
        else:
            i += 1
    # I1, I2
    resolved = []
    for t in types:
        if base % 2 == 0:
            resolved.append(base + (1 if t == "R" else 2 if t in ("AN", "EN") else 0))
        else:
            resolved.append(base + (1 if t in ("L", "AN", "EN") else 0))
    # L1: separators, and whitespace before them or at the line's end, at the paragraph's level
    originals = [_type(text[i]) for i in kept]
    trailing = True
    for k in range(n - 1, -1, -1):
        if originals[k] in ("S", "B"):
            resolved[k] = base
            trailing = True
        elif originals[k] == "WS" and trailing:
            resolved[k] = base
        else:
            trailing = False
    out = [base] * len(text)
    previous = base
    at = dict(zip(kept, resolved, strict=True))
    for i in range(len(text)):
        previous = at.get(i, previous)
        out[i] = previous
    return out


_OPENERS = dict(zip("([{（［｛〈《「『【", ")]}）］｝〉》」』】", strict=True))


def _brackets(chars: list[str], types: list[str], e: str) -> None:
    """UAX #9 N0 (paired brackets, simplified): a pair holding a letter of the paragraph's
    direction takes it; one holding only the other direction takes that when the text before
    the opening bracket is of it too ("عمر (أحمد)" keeps its brackets with the names)."""
    stack: list[int] = []
    pairs = []
    for i, c in enumerate(chars):
        if types[i] != "ON":
            continue
        if c in _OPENERS:
            stack.append(i)
        elif stack and _OPENERS[chars[stack[-1]]] == c:
            pairs.append((stack.pop(), i))
    for start, end in sorted(pairs):
        inside = {_strong(t) for t in types[start + 1:end] if t in ("L", "R", "EN", "AN")}
        if not inside:
            continue
        if e in inside:
            direction = e
        else:
            # only the other direction inside: the pair takes it when the text before does too
            direction = next((_strong(t) for t in reversed(types[:start]) if t in ("L", "R", "EN", "AN")), e)
        types[start] = types[end] = direction


def _strong(t: str) -> str:
    return "L" if t == "L" else "R"  # EN and AN count as R for neutrals (N1)


def visual_order(line_levels: list[int]) -> list[int]:
    """The indexes of a line's characters in the order they are seen, left to right (UAX #9
    L2: from the highest level down to the lowest odd one, every run at that level or higher
    is reversed)."""
    order = list(range(len(line_levels)))
    if not order:
        return order
    highest = max(line_levels)
    odd = [v for v in line_levels if v % 2]
    if not odd:
        return order
    for level in range(highest, min(odd) - 1, -1):
        i = 0
        while i < len(order):
            if line_levels[order[i]] >= level:
                j = i
                while j < len(order) and line_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def pieces(text: str, styles: list | None = None, base: int = 0,
           line_levels: list[int] | None = None) -> list[tuple[str, bool, Any]]:
    """``text`` (one line) cut into ``(logical text, rtl, style)`` pieces in the order they are
    seen, left to right: one level and one style each (``styles``: one per character, e.g.
    the laid-out word it is in; None: one style). A right-to-left piece is in typed order.
    ``line_levels``: the line's levels when its paragraph was resolved whole (UAX #9 orders a
    line by the levels of its paragraph); else the line is resolved on its own."""
    if styles is None:
        styles = [None] * len(text)
    if line_levels is None:
        line_levels = levels(text, base)
    out: list[tuple[str, bool, Any]] = []
    run: list[int] = []
    for index in visual_order(line_levels):
        if run:
            prev = run[-1]
            rtl = line_levels[prev] % 2 == 1
            follows = index == prev - 1 if rtl else index == prev + 1
            if follows and line_levels[index] == line_levels[prev] and styles[index] == styles[prev]:
                run.append(index)
                continue
            out.append(_piece(text, run, line_levels, styles))
        run = [index]
    if run:
        out.append(_piece(text, run, line_levels, styles))
    return out


def _piece(text: str, run: list[int], line_levels: list[int], styles: list) -> tuple[str, bool, Any]:
    lo, hi = min(run), max(run)
    return text[lo:hi + 1], line_levels[run[0]] % 2 == 1, styles[run[0]]


_RTL_RUN = re.compile(r"((?:[^\W\d_]|[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
                      r"\u08d3-\u08ff\ufe20-\ufe2f])+)")


def display_runs(piece: str, rtl: bool, shapes: bool = True) -> list[str]:
    """A piece (``pieces``) as the runs drawn left to right: a left-to-right piece whole; a
    right-to-left one cut into runs of right-to-left letters (with their marks) and the rest,
    the runs in reverse, letters kept in typed order for the shaper (reversed here when there
    is none, ``shapes`` False), the rest reversed with its brackets mirrored."""
    piece = _NOT_SHOWN.sub("", piece)
    if not rtl:
        return [piece] if piece else []
    runs = []
    for part in _RTL_RUN.split(piece):
        if not part:
            continue
        if has_rtl(part):
            runs.append(part if shapes else part[::-1])
        else:
            runs.append("".join(MIRRORED.get(c, c) for c in reversed(part)))
    return runs[::-1]


def markup_text(markup: str) -> str:
    """The text Kivy draws for ``markup``: its tags left out (Kivy's own: ``[b]``, ``[font=…]``,
    ``[ref=…]``…; any other ``[..]`` is text to Kivy and stays), its escapes resolved."""
    parts = _TAG.split(markup)
    return "".join(part.replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")
                   for i, part in enumerate(parts) if not (i % 2 and _KNOWN_TAG.match(part)))


def paragraph_levels(text: str, base: int = 0) -> list[int]:
    """``levels`` for a text of several paragraphs (cut at line feeds and the other paragraph
    separators, UAX #9 P1), each resolved on its own; a separator at ``base``."""
    out: list[int] = []
    for k, part in enumerate(_PARAGRAPH.split(text)):
        out.extend([base] * len(part) if k % 2 else levels(part, base))
    return out
