"""Line breaks for the tablet's banners and wrapping labels (QA of issue 14), pure functions.

Kivy breaks a line only at a space and splits a word only when it is longer than a line, so
Chinese text — no spaces — broke anywhere: "已登记（今天第 15" / "位）爱新觉罗·溥…", a lone "）"
starting a line. ``wrap`` breaks lines itself, by the usual rules for Chinese (kinsoku, as in
JIS X 4051 / the W3C's "Requirements for Chinese Text Layout", simplified):

- a line may break between two Chinese characters (and between one and anything else), and
  after a space;
- never before closing punctuation（）。，、；：！？」』】》… nor after opening punctuation（「『【《;
- never inside a word of Latin letters or digits, nor between a number and the Chinese word
  it counts ("第 15 位", "待同步 0 条": the space beside a number stays on its line);
- a word longer than a line (a 100-letter name) is cut where it must, never so that a line
  starts with closing punctuation.

``shorten`` cuts a long name to fit a banner with …, so the sentence around it stays whole.
Widths come from ``measure`` (the label's own font: ``MessageBar``); the rules need no window.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

__all__ = ["CLOSING", "OPENING", "break_allowed", "wrap", "shorten", "columns"]

CLOSING = frozenset("）)]］】」』》〉〕｝}。．.，,、；;：:！!？?…‥·・～〜%％”’〗〙〛")
OPENING = frozenset("（([［【「『《〈〔｛{“‘〖〘〚")


def _wide(ch: str) -> bool:
    """A character Chinese text breaks around: wide (hanzi, kana, hangul, full-width signs)."""
    return unicodedata.east_asian_width(ch) in "WF"


def break_allowed(text: str, i: int) -> bool:
    """May a line end before ``text[i]`` (``0 < i < len(text)``)?"""
    prev, cur = text[i - 1], text[i]
    if cur in CLOSING or prev in OPENING or cur == " " or cur == "\u200d" or prev == "\u200d":
        return False
    if unicodedata.category(cur)[0] == "M" or 0xFE00 <= ord(cur) <= 0xFE0F:  # a mark, a variation selector
        return False
    if prev == " ":
        before = text[i - 2] if i >= 2 else ""
        if before in OPENING:  # "（ 张": the space does not free the bracket from what it opens
            return False
        # the space beside a number counted in Chinese stays ("第 15 位", "待同步 0 条", "15 位")
        return not ((before.isdigit() and _wide(cur)) or (_wide(before) and cur.isdigit()))
    if prev.isdigit() and _wide(cur) or _wide(prev) and cur.isdigit():
        return False  # 第15位 written without spaces
    return _wide(prev) or _wide(cur)  # between narrow characters only at a space, as Kivy does


def _units(line: str) -> list[str]:
    """The line cut where it may break: each unit ends at a break opportunity."""
    units, start = [], 0
    for i in range(1, len(line)):
        if break_allowed(line, i):
            units.append(line[start:i])
            start = i
    units.append(line[start:])
    return units


def _cut(unit: str, fits: Callable[[str], bool]) -> list[str]:
    """A unit too wide for a line, in pieces that fit: as many characters as fit, one fewer
    when the next would start its line with closing punctuation (or a joiner, a mark)."""
    pieces, rest = [], unit
    while rest and not fits(rest):
        n = 1
        while n < len(rest) and fits(rest[:n + 1]):
            n += 1
        while 1 < n < len(rest) and not _can_cut(rest, n):
            n -= 1
        pieces.append(rest[:n].rstrip(" "))
        rest = rest[n:].lstrip(" ")
    if rest:
        pieces.append(rest)
    return pieces


def _can_cut(text: str, n: int) -> bool:
    cur = text[n]
    return not (cur in CLOSING or cur == "\u200d" or text[n - 1] == "\u200d" or unicodedata.category(cur)[0] == "M"
                or 0xFE00 <= ord(cur) <= 0xFE0F)


def wrap(text: str, width: float, measure: Callable[[str], float]) -> str:
    """``text`` with a newline wherever a line of ``width`` (in ``measure``'s unit) must end,
    by the rules above; its own newlines kept. Each line fits unless one unbreakable piece is
    wider than a line by itself (one character)."""
    def fits(s: str) -> bool:
        return measure(s.rstrip(" ")) <= width

    out: list[str] = []
    for paragraph in text.split("\n"):
        if fits(paragraph):  # the usual row: one line, one measure
            out.append(paragraph.rstrip(" "))
            continue
        line = ""
        for unit in _units(paragraph):
            if fits(line + unit):
                line += unit
                continue
            if line.strip():
                out.append(line.rstrip(" "))
                unit = unit.lstrip(" ")
            pieces = _cut(unit, fits) if not fits(unit) else [unit]
            out += [p.rstrip(" ") for p in pieces[:-1]]
            line = pieces[-1] if pieces else ""
        out.append(line.rstrip(" "))
    return "\n".join(out)


def columns(text: str) -> int:
    """Display width in columns: 2 for a wide character (hanzi), 1 for a narrow one, 0 for a mark."""
    total = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F:
            continue
        total += 2 if _wide(ch) or ord(ch) >= 0x1F000 else 1
    return total


def shorten(name: str, most: int = 24) -> str:
    """``name`` as a banner names it: whole when at most ``most`` columns (12 hanzi, 24 Latin
    letters), else cut to fit with … (never inside a character sequence: a mark, a joiner, a
    variation selector stays with its character). The record keeps the whole name."""
    name = name or ""
    if columns(name) <= most:
        return name
    cut = 0
    for i in range(1, len(name) + 1):
        if columns(name[:i]) > most - 1:
            break
        cut = i
    while 0 < cut < len(name) and not _can_cut(name, cut):
        cut -= 1
    return name[:cut].rstrip(" ·・.-") + "…"
