"""Which working calendar a site's kept complaint deadlines were computed with (issue 11).

``complaint_cases`` (``storage/care.py``) keeps each unfinished case's next deadline, and the
close-by limits count working days (``shared.working_calendar``: the official holidays and 调休
of ``chinesecalendar``, plus the site's closed days). A new ``chinesecalendar`` release (next
year's schedule, published around November) changes those answers, so the kept rows go stale.
``care_calendar`` records, per site, the calendar (``calendar_version()``) every kept case row
was computed with; ``rebuild_care_cases`` computes them again a batch at a time (resumable:
each batch commits with its cursor) and records the version when the last batch is done.
A change of the site's closed days computes every case again in its own write and records
the installed version too (``sql/care.py``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import StoredRecord

__all__ = ["CareCalendar", "CareCalendarStore"]


@dataclass(frozen=True)
class CareCalendar:
    """A site's ``care_calendar`` row: ``version`` — the calendar its kept case rows were
    computed with (None: unknown, rows kept before ``0018_care_calendar``); a rebuild under way
    — ``rebuild_version`` it computes with and ``rebuild_after``, the last case id done (both
    None when none is); ``updated_at`` (UTC ISO 8601)."""

    site_id: str
    version: str | None
    rebuild_version: str | None
    rebuild_after: str | None
    updated_at: str


class CareCalendarStore(ABC):
    """Part of ``Store``: the calendar of the kept complaint deadlines."""

    @abstractmethod
    def care_calendar(self, site_id: str) -> CareCalendar | None:
        """The site's row; None for a site without one (an unknown site)."""

    @abstractmethod
    def complaint_case_phones(self, site_id: str, record_ids: Iterable[str]) -> dict[str, set[str]]:
        """``record id (lower case) -> the phone keys of every stored record of the complaint case
        it belongs to`` (``complaint_steps``: the opening, its corrections, its steps), for those of
        ``record_ids`` (any case of their letters) that belong to one. In a write it reads that
        write's rows (QA of issue 11, F2: a step must be about the complaint's customer)."""

    @abstractmethod
    def complaint_case_records(self, site_id: str, record_ids: Iterable[str]) -> dict[str, list[tuple[StoredRecord, bool]]]:
        """``record id (lower case) -> every stored record of the complaint case it belongs to``
        (``complaint_steps``: the opening, its corrections, the steps and their corrections), each
        with whether it is live (nothing supersedes it), and the withdrawals of any of them (live),
        for those of ``record_ids`` (any case of their letters) that belong to one. In a write it
        reads that write's rows (QA15 A: a step on a withdrawn or closed complaint is refused)."""

    @abstractmethod
    def rebuild_care_cases(self, site_id: str, version: str, limit: int) -> tuple[int, int, bool]:
        """*(its own write of ``site_id``)* Compute the next ``limit`` (≥ 1) kept case rows of
        the site again, in case id order after the row's ``rebuild_after`` (from the start when
        no rebuild with ``version`` is under way), with the installed calendar, which must be
        ``version`` (the caller's ``calendar_version()``; ValueError otherwise), and move the
        cursor. Returns ``(cases computed, rows whose next deadline changed, finished)``; the batch that finds no more cases records ``version``
        as the site's and clears the cursor. Idempotent: a batch run twice gives the same rows.
        ``UnknownSite`` for a site that does not exist."""
