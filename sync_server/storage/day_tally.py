"""The day confirmation's summary (审核确认, R4; issue 11) as counts, not rows.

The confirm page shows one page of a day's registrations but counts all of them: 共 N 条，
未确认 M 条, 另有 N 条已撤回, withdrawals to acknowledge, per desk and per rep. What counts is
the *live end* of each chain that starts on the day (``ReportingStore.day_records`` without the
versions a later correction supersedes): a correction stays on its original's day, a
withdrawal of a version takes it and every later version out (shown, counted apart).

``ReportingStore.day_tally`` answers with SQL (``sql/day_tally.py``: a recursive CTE down the
chains from the day's originals), grouped by desk and rep: ``TallyRow``. ``tally_of_views`` is
the plain computation over ``day_records`` the page ran before (the tests' oracle; the property
test ``tests/storage/test_day_tally_contract.py`` holds them equal on both backends).
``day_ends`` gives the same chain ends as light rows (ids and times), from which the page
orders and cuts its 100 rows without building a ``RecordView`` for the whole day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared.timeutil import parse_time

from .reporting import RecordView

__all__ = ["TallyRow", "DayEnd", "tally_of_views", "merge_tally", "time_order", "ordered_ends"]


@dataclass(frozen=True)
class TallyRow:
    """The live ends of a day's chains with one desk (``desk``: the device's name, its id
    when the device is unknown) and one rep (``rep``: the display name, the username when it
    is no user of the site, ``""`` for none): ``live`` not withdrawn, ``confirmed`` of those
    confirmed themselves (a correction of a confirmed version is not), ``withdrawn`` (taken
    out by a withdrawal of it or of a version it corrects), ``acknowledge`` of those withdrawn
    after a confirmation of theirs or of a version they correct, the withdrawal itself not
    confirmed (the manager has not acknowledged it). 未确认 is ``live - confirmed``."""

    desk: str
    rep: str
    live: int = 0
    confirmed: int = 0
    withdrawn: int = 0
    acknowledge: int = 0


@dataclass(frozen=True)
class DayEnd:
    """A chain end of the day as the page orders it: its ``id``, its chain's original
    (``root_id``) and that one's capture estimate ``root_at`` (the day it counts on), its own
    estimate ``at`` (ISO 8601 with offset), ``desk`` and ``rep`` as in ``TallyRow``;
    ``withdrawal_id`` (the withdrawal that took it out, None when live), ``open`` (live and
    not confirmed) and ``acknowledge`` (as in ``TallyRow``): what 'confirm all' confirms."""

    id: str
    root_id: str
    root_at: str
    at: str
    desk: str
    rep: str
    withdrawal_id: str | None
    open: bool
    acknowledge: bool


def tally_of_views(views: Iterable[RecordView]) -> list[TallyRow]:
    """The plain computation: ``TallyRow`` per (desk, rep) of ``day_records`` views (every
    version; the corrected ones left out here), in no particular order."""
    rows: dict[tuple[str, str], list[int]] = {}
    for v in views:
        if v.corrected:
            continue
        row = rows.setdefault((v.device_name, v.rep_name), [0, 0, 0, 0])
        row[0] += not v.withdrawn
        row[1] += not v.withdrawn and v.confirmation is not None
        row[2] += v.withdrawn
        row[3] += v.needs_acknowledgement
    return [TallyRow(desk, rep, *counts) for (desk, rep), counts in rows.items()]


def merge_tally(rows: Iterable[TallyRow]) -> list[TallyRow]:
    """``rows`` with one row per (desk, rep), summed (two devices or users of one name are one
    desk or rep on the page), sorted by desk then rep."""
    merged: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        total = merged.setdefault((r.desk, r.rep), [0, 0, 0, 0])
        for i, n in enumerate((r.live, r.confirmed, r.withdrawn, r.acknowledge)):
            total[i] += n
    return [TallyRow(desk, rep, *counts) for (desk, rep), counts in sorted(merged.items())]


def time_order(ends: Iterable[DayEnd]) -> list[DayEnd]:
    """``ends`` by the original's capture time, then the version's own, then id
    (``day_records``' order: real instants, the texts may carry any offset)."""
    return sorted(ends, key=lambda e: (parse_time(e.root_at), parse_time(e.at), e.id))


def ordered_ends(ends: Iterable[DayEnd], timed: bool = False) -> list[DayEnd]:
    """The page's order of the day's rows: by desk, the desks in the order of their first row,
    and within a desk by ``time_order`` (``timed``: ``ends`` are in that order already)."""
    desks: dict[str, list[DayEnd]] = {}
    for end in (ends if timed else time_order(ends)):
        desks.setdefault(end.desk, []).append(end)
    return [end for rows in desks.values() for end in rows]
