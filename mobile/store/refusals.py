"""What the tablet's store refuses, and how it says so in the user's language.

Hierarchy::

    StoreError                                   the store cannot do what was asked
    └── RecordRefused (also a shared RecordInvalid)
                                                 a record the server would refuse for its shape
"""

from __future__ import annotations

import sqlite3

from shared.errors import Problem, RecordInvalid

from ..i18n import tr

__all__ = ["StoreError", "RecordRefused", "mark_superseded"]


class StoreError(Exception):
    """The local store cannot do what was asked (e.g. correcting a record it does not hold)."""


class ReplicaUserChanged(StoreError):
    """A pull's page or snapshot came for a token this tablet no longer signs in with (切换用户
    while a sync ran): not applied, the next sync loads the new user's replica."""


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
            reason = (problem.params or {}).get("reason")
            shape = reason in ("time_shape", "date_shape")  # the shape and an example (QA of issue 15)
            text = tr(f"msg.{reason}_unlabelled" if shape else "err." + problem.code, lang)
            if text.startswith("err."):  # no translation: the server's English sentence
                parts.append(problem.message)
            elif not problem.field:
                parts.append(text.rstrip("。."))
            else:
                text = text.rstrip("。.")
                parts.append(f"{text}（{problem.field}）" if chinese else f"{text} ({problem.field})")
        return tr("store.refused", lang, reasons=("；" if chinese else "; ").join(parts))


def mark_superseded(conn: sqlite3.Connection, record_id: str, by: str) -> None:
    """*(in a transaction)* Mark own record ``record_id`` as replaced by ``by`` (its correction
    or withdrawal). A record already corrected or withdrawn is never replaced a second time —
    two versions of one record would both stand (a second tap on 撤回 arriving after the first
    was saved, QA of issue 12 F2): RecordRefused ``already_superseded`` and the caller's
    transaction rolls back."""
    marked = conn.execute("update outbox set superseded_by = ? where id = ? and superseded_by is null",
                          (by, record_id)).rowcount
    if not marked:
        raise RecordRefused([Problem("already_superseded",
                                     "this record was already corrected or withdrawn; act on its newest version")])
