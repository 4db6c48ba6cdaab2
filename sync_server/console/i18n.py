"""Every string the console shows, in 简体中文 and English: one table (assembled from
``strings/``, one module per page), one lookup.

Templates call ``t("key")`` (bound to the session's language); Python code calls
``text(key, lang, **values)``. A missing key is a bug the tests catch (``KeyError``), not a
blank on a manager's screen. Ownership explanations come from ``shared.explain.render``.
"""

from __future__ import annotations

from .strings import STRINGS

__all__ = ["LANGS", "STRINGS", "text", "normalise_lang", "label"]

LANGS = ("zh", "en")


def normalise_lang(lang: str | None) -> str:
    return "en" if (lang or "").lower().startswith("en") else "zh"


def text(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``values`` filled in."""
    zh, en = STRINGS[key]
    template = en if normalise_lang(lang) == "en" else zh
    return template.format(**values) if values else template


def label(prefix: str, value: str | None, lang: str) -> str:
    """A code's label (``status.deal`` → 已成交), or the code itself when the table has none."""
    if value is None:
        return ""
    key = f"{prefix}.{value}"
    return text(key, lang) if key in STRINGS else value
