"""What the tablet's store refuses, and how it says so in the user's language.

Hierarchy::

    StoreError                                   the store cannot do what was asked
    └── RecordRefused (also a shared RecordInvalid)
                                                 a record the server would refuse for its shape
"""

from __future__ import annotations

from shared.errors import Problem, RecordInvalid

from ..i18n import tr

__all__ = ["StoreError", "RecordRefused"]


class StoreError(Exception):
    """The local store cannot do what was asked (e.g. correcting a record it does not hold)."""


class RecordRefused(StoreError, RecordInvalid):
    """The tablet will not save a record the server would refuse for its shape: the bounds of
    ``shared.boundary`` (a time before 1970 or past what the clock allows, a number beyond its
    range, half a character, …) and every other check of ``validate_record``. ``problems``
    lists them (screens show them as for any RecordInvalid); ``message(lang)`` says what to do
    in the user's language (``zh`` or ``en``)."""

    def __init__(self, problems: list[Problem]):
        RecordInvalid.__init__(self, problems)

    def message(self, lang: str = "zh") -> str:
        chinese = lang.startswith("zh")
        parts = []
        for problem in self.problems:
            text = tr("err." + problem.code, lang)
            if text.startswith("err."):  # no translation: the server's English sentence
                parts.append(problem.message)
            else:
                parts.append(f"{text}（{problem.field}）" if chinese else f"{text} ({problem.field})")
        return tr("store.refused", lang, reasons=("；" if chinese else "; ").join(parts))
