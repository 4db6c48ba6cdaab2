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
           "has_symbols", "wrap_symbols", "CANDIDATES", "SYMBOL_FONT", "SCRIPT_FONTS", "register_script_fonts",
           "run_font", "fallback_fonts", "registered_script_fonts", "flag_parts", "FLAG_SIGN"]

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
    str(SHIPPED / "Symbola_hint.ttf"),  # the APK's copy (android/build-apk.sh)
    "/system/fonts/NotoEmoji-Regular.ttf",  # Android (outline emoji)
]
SYMBOL_FONT = "FieldsyncSymbols"  # the name ``readable`` asks Kivy markup for
REPLACEMENT = "\u25c7"  # ◇ (in every CJK font): drawn for a run no font on the tablet has

NOTO = "/usr/share/fonts/truetype/noto/"  # Debian fonts-noto-core
HANAZONO = "/usr/share/fonts/truetype/hanazono/"  # Debian fonts-hanazono
SCRIPT_FONTS: list[tuple[str, str, list[str]]] = [
    # (the name markup asks for, the script's characters, where a font for it is found: Debian's
    # fonts-noto-core, the APK's copy in mobile/fonts/ (android/build-apk.sh), Android's own,
    # then a wider font that has them)
    ("FieldsyncHebrew", "\u0590-\u05ff\ufb1d-\ufb4f",
     [NOTO + "NotoSansHebrew-Regular.ttf", str(SHIPPED / "NotoSansHebrew-Regular.ttf"),
      "/system/fonts/NotoSansHebrew-Regular.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]),
    ("FieldsyncArabic", "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe",
     [NOTO + "NotoSansArabic-Regular.ttf", str(SHIPPED / "NotoSansArabic-Regular.ttf"),
      "/system/fonts/NotoNaskhArabic-Regular.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]),
    ("FieldsyncThai", "\u0e00-\u0e7f",
     [NOTO + "NotoSansThai-Regular.ttf", str(SHIPPED / "NotoSansThai-Regular.ttf"),
      "/system/fonts/NotoSansThai-Regular.ttf"]),
    ("FieldsyncDevanagari", "\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff",
     [NOTO + "NotoSansDevanagari-Regular.ttf", str(SHIPPED / "NotoSansDevanagari-Regular.ttf"),
      "/system/fonts/NotoSansDevanagari-Regular.otf"]),
    # rare Chinese characters in names (生僻字, QA of issue 14, M4: 𠀾𡈼龘 drew ▯▯龘): CJK extension A
    # (U+3400–4DBF, not in WenQuanYi Micro Hei) and extensions B–F (plane 2), Debian's
    # fonts-hanazono (HanaMin, Hanazono Font License or OFL-1.1; the APK carries them: android/build-apk.sh)
    ("FieldsyncHanA", "\u3400-\u4dbf",
     [HANAZONO + "HanaMinA.ttf", str(SHIPPED / "HanaMinA.ttf"), "/system/fonts/NotoSerifCJK-Regular.ttc"]),
    ("FieldsyncHanB", "\U00020000-\U0002fa1f",
     [HANAZONO + "HanaMinB.ttf", str(SHIPPED / "HanaMinB.ttf")]),
]
"""The scripts a CJK font lacks that names at a site are written in (issue 14 leftovers: דוד כהן,
Arabic, Thai, Devanagari drew as boxes), each with the font that draws it; markup puts every run
of a script in its font (``readable``, ``wrap_symbols``). Unicode blocks stand for a font's
coverage (each name drawn under Xvfb, tests/mobile/test_ui_script_fonts.py: no .notdef box)."""

# pictographs, emoji, dingbats and the marks that build emoji sequences (joiner, variation
# selectors, skin-tone modifiers, keycap, tags): drawn in the symbol font
_PICTOGRAPHS = ("\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
                "\U0001f000-\U0001f1e5\U0001f200-\U0001faff\u200d\ufe0f\ufe0e\u20e3\U000e0020-\U000e007f")
# regional indicators: a pair is a country's flag (🇨🇳). No font here draws flags (Symbola draws
# each indicator as a boxed letter: 🇨🇳 read as two boxes, QA5 F6g), so a pair is drawn as one
# flag sign in the symbol font and the country's code ("⚑CN"); a lone indicator as its letter
_INDICATORS = "\U0001f1e6-\U0001f1ff"
FLAG_SIGN = "\u2691"  # ⚑ (Symbola has it)
_RUNS = re.compile("(" + "|".join(f"[{chars}]+" for chars in [_INDICATORS, _PICTOGRAPHS] + [c for _, c, _ in SCRIPT_FONTS])
                   + ")")
_FLAGS = re.compile(f"[{_INDICATORS}]")
_SCRIPT_OF = [(name, re.compile(f"[{chars}]")) for name, chars, _ in SCRIPT_FONTS]
# dropped from what is drawn (kept in what is stored): the joiner and selectors have no glyph of
# their own, and no font here joins a skin tone to its emoji: Symbola draws the tone as a swatch
# beside it, read as a box (👍🏽); the thumb alone is shown instead
_NOT_DRAWN = re.compile("[\u200d\ufe0f\ufe0e\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
_symbol_font: list[str | None] = [None]
_script_fonts: dict[str, str] = {}  # registered name -> path


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
    others = {Path(c).name for _, _, candidates in SCRIPT_FONTS for c in candidates} | {
        Path(c).name for c in SYMBOL_CANDIDATES}  # the APK's script and symbol fonts are not CJK ones
    shipped = sorted(p for p in SHIPPED.glob("*") if p.suffix.lower() in (".ttf", ".otf", ".ttc") and p.name not in others)
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
    register_script_fonts()
    return path


def register_script_fonts() -> dict[str, str]:
    """Register a font for each of ``SCRIPT_FONTS`` found on this machine (its first candidate
    that exists); ``{name: path}`` of those registered. A script without one is drawn as
    ``REPLACEMENT``, never as boxes."""
    from kivy.core.text import LabelBase

    _script_fonts.clear()
    for name, _chars, candidates in SCRIPT_FONTS:
        path = next((p for p in candidates if os.path.exists(p)), None)
        if path:
            LabelBase.register(name, path)
            _script_fonts[name] = path
    return dict(_script_fonts)


def registered_script_fonts() -> dict[str, str]:
    """``{name: path}`` of the script fonts ``register_script_fonts`` registered."""
    return dict(_script_fonts)


def run_font(run: str) -> str | None:
    """The registered font name that draws ``run`` (one run ``_RUNS`` cut: one script, or
    pictographs), or None when this tablet has none for it."""
    for name, pattern in _SCRIPT_OF:
        if pattern.match(run):
            return name if name in _script_fonts else None
    return SYMBOL_FONT if _symbol_font[0] else None


def _shown(run: str) -> str:
    return _NOT_DRAWN.sub("", run)


def readable(text: str) -> str:
    """``text`` as Kivy markup (for a label with ``markup: True``) that never draws a box: each
    run of pictographs or of a script the CJK font lacks in a font that has it (``run_font``),
    or a replacement when there is none; the rest escaped."""
    from kivy.utils import escape_markup

    parts = []
    for i, part in enumerate(_RUNS.split(text or "")):
        if i % 2 == 0:
            parts.append(escape_markup(part))
        else:
            parts.append(_in_font(part, escape_markup))
    return "".join(parts)


def flag_parts(run: str) -> list[tuple[str, str | None]]:
    """A run of regional indicators as drawn: each pair (a flag, 🇨🇳) as ``FLAG_SIGN`` in the
    symbol font (when there is one) then its two letters ("CN") in the ordinary font; a lone
    indicator as its letter. ``(text, font)`` pieces as ``symbol_runs`` gives them."""
    letters = "".join(chr(ord(ch) - 0x1F1E6 + ord("A")) for ch in run)
    parts: list[tuple[str, str | None]] = []
    for i in range(0, len(letters), 2):
        code = letters[i:i + 2]
        if len(code) == 2 and _symbol_font[0]:
            parts.append((FLAG_SIGN, SYMBOL_FONT))
        parts.append((code, None))
    return parts


def _in_font(run: str, escape) -> str:
    if _FLAGS.match(run):
        return "".join(f"[font={font}]{escape(text)}[/font]" if font else escape(text) for text, font in flag_parts(run))
    shown, font = _shown(run), run_font(run)
    if not shown:
        return ""
    return f"[font={font}]{escape(shown)}[/font]" if font else REPLACEMENT


def has_symbols(text: str) -> bool:
    """True when ``text`` holds a pictograph or a character of a script the CJK font lacks
    (what it would draw as a box)."""
    return bool(text) and _RUNS.search(text) is not None


def wrap_symbols(markup: str) -> str:
    """Kivy markup with every run of pictographs or of another script put in its font (or
    replaced when there is none); the markup's own tags are left as they are (``symbol_labels``)."""
    if not has_symbols(markup):
        return markup
    return _RUNS.sub(lambda match: _in_font(match.group(1), lambda t: t), markup)


def symbol_font() -> str | None:
    """The symbol font's path once registered (``register_symbol_font``), else None."""
    return _symbol_font[0]


def fallback_fonts() -> bool:
    """True when any font besides the CJK one is registered (symbols or a script)."""
    return bool(_symbol_font[0] or _script_fonts)


def symbol_runs(text: str) -> list[tuple[str, str | None]]:
    """``text`` cut into runs ``(shown, font)`` as ``readable`` draws them: ``font`` the name of
    the font a pictograph or other-script run is drawn in (``REPLACEMENT`` shown where there is
    none, joiners, selectors and skin tones dropped), None for the rest; [] when ``text`` has no
    such run."""
    parts = _RUNS.split(text or "")
    if len(parts) == 1:
        return []
    runs: list[tuple[str, str | None]] = []
    for i, part in enumerate(parts):
        font = None
        if i % 2 and _FLAGS.match(part):
            runs.extend(flag_parts(part))
            continue
        if i % 2:
            font = run_font(part)
            part = _shown(part) if font else (REPLACEMENT if _shown(part) else "")
        if part:
            runs.append((part, font))
    return runs
