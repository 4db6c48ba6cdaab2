"""Chinese that renders (never boxes): make a CJK font Kivy's default.

Searched in order: fonts on the system (Debian fonts-wqy-microhei / Noto CJK, Android's Noto
CJK or Droid Sans Fallback), then any font shipped in ``mobile/fonts/``.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

__all__ = ["find_cjk_font", "register_cjk_font", "CANDIDATES"]

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
