"""Chinese that renders (never boxes): make a CJK font Kivy's default.

Searched in order: fonts on the system (Debian fonts-wqy-microhei / Noto CJK, Android's Noto
CJK or Droid Sans Fallback), then any font shipped in ``mobile/fonts/``.

Kivy's SDL2 text renderer has no per-glyph fallback: a character the font lacks is drawn as a
box. Emoji and pictographs (a name like "张伟🙂", issue 14) are what a CJK font lacks; every
label draws them in a symbol font (Debian's fonts-symbola; Android's NotoEmoji) via Kivy markup
(``readable``, ``wrap_symbols``; installed for every Label by ``symbol_labels.install``), or
writes a replacement when there is none.
A TextInput has no markup: ``FormInput`` (``mobile/widgets.py``) draws a line holding
pictographs through ``readable`` itself and measures it run by run (``symbol_runs``), so the
cursor and selection stay where the glyphs are.
"""

from __future__ import annotations

import glob
import os
import re
from pathlib import Path

__all__ = ["find_cjk_font", "register_cjk_font", "find_symbol_font", "readable", "symbol_runs", "symbol_font",
           "has_symbols", "wrap_symbols", "CANDIDATES", "SYMBOL_FONT"]

CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/system/fonts/NotoSansCJK-Regular.ttc",  # Android
    "/system/fonts/NotoSansSC-Regular.otf",
    "/system/fonts/DroidSansFallback.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
]
SHIPPED = Path(__file__).parent / "fonts"
SYMBOL_CANDIDATES = [
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",  # Debian fonts-symbola
    "/usr/share/fonts/truetype/symbola/Symbola.ttf",
    "/system/fonts/NotoEmoji-Regular.ttf",  # Android (outline emoji)
]
SYMBOL_FONT = "FieldsyncSymbols"  # the name ``readable`` asks Kivy markup for
REPLACEMENT = "\u25c7"  # ◇ (in every CJK font): drawn for a pictograph when no symbol font exists

# pictographs, emoji, dingbats and the joiners/selectors that build emoji sequences
_SYMBOLS = re.compile("([\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
                      "\U0001f000-\U0001faff\u200d\ufe0f\ufe0e\U0001f3fb-\U0001f3ff]+)")
_symbol_font: list[str | None] = [None]


def find_cjk_font() -> str | None:
    """The first CJK font found, or None."""
    override = os.environ.get("FIELDSYNC_CJK_FONT")
    for path in ([override] if override else []) + CANDIDATES:
        if path and os.path.exists(path):
            return path
    for pattern in ("/usr/share/fonts/**/*CJK*", "/usr/share/fonts/**/wqy*"):
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    shipped = sorted(p for p in SHIPPED.glob("*") if p.suffix.lower() in (".ttf", ".otf", ".ttc"))
    return str(shipped[0]) if shipped else None


def register_cjk_font() -> str | None:
    """Register the CJK font as Kivy's default font (call before building widgets)."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    path = find_cjk_font()
    if path:
        LabelBase.register(DEFAULT_FONT, path)
    return path


def find_symbol_font() -> str | None:
    override = os.environ.get("FIELDSYNC_SYMBOL_FONT")
    for path in ([override] if override else []) + SYMBOL_CANDIDATES:
        if path and os.path.exists(path):
            return path
    return None


def register_symbol_font() -> str | None:
    """Register the symbol font under ``SYMBOL_FONT`` for ``readable`` (None: replacements)."""
    from kivy.core.text import LabelBase

    path = find_symbol_font()
    if path:
        LabelBase.register(SYMBOL_FONT, path)
    _symbol_font[0] = path
    return path


def readable(text: str) -> str:
    """``text`` as Kivy markup (for a label with ``markup: True``) that never draws a box:
    pictographs in the symbol font, or a replacement when there is none; the rest escaped."""
    from kivy.utils import escape_markup

    parts = []
    for i, part in enumerate(_SYMBOLS.split(text or "")):
        if i % 2 == 0:
            parts.append(escape_markup(part))
        else:
            shown = part.replace("\u200d", "").replace("\ufe0f", "").replace("\ufe0e", "")
            if _symbol_font[0]:
                parts.append(f"[font={SYMBOL_FONT}]{escape_markup(shown)}[/font]")
            elif shown:
                parts.append(REPLACEMENT)
    return "".join(parts)


def has_symbols(text: str) -> bool:
    """True when ``text`` holds a pictograph (what a CJK font draws as a box)."""
    return bool(text) and _SYMBOLS.search(text) is not None


def wrap_symbols(markup: str) -> str:
    """Kivy markup with every pictograph run put in the symbol font (or replaced when there
    is none); the markup's own tags are left as they are (``symbol_labels``)."""
    if not has_symbols(markup):
        return markup

    def wrap(match: re.Match) -> str:
        shown = match.group(1).replace("\u200d", "").replace("\ufe0f", "").replace("\ufe0e", "")
        if _symbol_font[0]:
            return f"[font={SYMBOL_FONT}]{shown}[/font]"
        return REPLACEMENT if shown else ""

    return _SYMBOLS.sub(wrap, markup)


def symbol_font() -> str | None:
    """The symbol font's path once registered (``register_symbol_font``), else None."""
    return _symbol_font[0]


def symbol_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into runs ``(shown, pictographs?)`` as ``readable`` draws them (joiners and
    variation selectors dropped from pictograph runs); [] when ``text`` has no pictograph."""
    parts = _SYMBOLS.split(text or "")
    if len(parts) == 1:
        return []
    runs = []
    for i, part in enumerate(parts):
        if i % 2:
            part = part.replace("\u200d", "").replace("\ufe0f", "").replace("\ufe0e", "")
        if part:
            runs.append((part, bool(i % 2)))
    return runs
