"""Complaint deadlines after a calendar update (issue 11): which sites' kept deadlines were
computed with another working calendar than the installed one, and ``care rebuild``.

The kept rows (``complaint_cases``) hold deadlines counted in working days with the official
schedule of ``chinesecalendar`` (``shared.working_calendar``). A new release of the package
(next year's holidays and 调休, published around November) or an edited one makes them stale;
the server warns at start (log) and on every console page of that site's managers (a banner)
until ``fieldsync-server care rebuild`` has computed them again. A change of the site's own
closed days computes them again in the same write (``storage/sql/care.py``).
Procedure: docs/working_calendar.md, "How it is updated".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from shared.working_calendar import calendar_version

from ..storage.base import Store
from .audit import Origin, log

__all__ = ["RebuildResult", "Stale", "rebuild", "stale", "stale_sites", "warn_stale"]

_log = logging.getLogger("fieldsync.server")
BATCH = 500
"""Cases per batch (one write each: pushes of the site wait at most one batch)."""


@dataclass(frozen=True)
class Stale:
    """A site whose kept deadlines were computed with ``recorded`` (None: unknown) while
    ``installed`` is installed."""

    site_id: str
    recorded: str | None
    installed: str


@dataclass(frozen=True)
class RebuildResult:
    """One site's ``rebuild``: cases computed in this run and how many of their kept next
    deadlines changed, the version before and after, whether it continued an interrupted run,
    and whether it finished."""

    site_id: str
    cases: int
    changed: int
    before: str | None
    version: str
    resumed: bool
    finished: bool


def stale(store: Store, site_id: str) -> Stale | None:
    """The site's ``Stale`` when its kept deadlines may differ from the installed calendar's;
    None when they follow it (or the site has no row: an unknown site)."""
    row = store.care_calendar(site_id)
    installed = calendar_version()
    if row is None or row.version == installed:
        return None
    return Stale(site_id, row.version, installed)


def stale_sites(store: Store) -> list[Stale]:
    """``stale`` of every site, by site id."""
    return [found for site in sorted(store.list_sites(), key=lambda s: s.id) if (found := stale(store, site.id))]


def warn_stale(store: Store) -> list[Stale]:
    """*(at server start)* Log a warning per stale site, saying what to run; returns them."""
    found = stale_sites(store)
    for s in found:
        _log.warning("site %s: complaint deadlines were computed with %s, the installed calendar is %s; run "
                     "'fieldsync-server care rebuild --site %s' (docs/working_calendar.md)",
                     s.site_id, s.recorded or "an unrecorded calendar", s.installed, s.site_id)
    return found


def rebuild(store: Store, site_id: str, origin: Origin, batch: int = BATCH, max_batches: int | None = None,
            progress: Callable[[int], None] | None = None) -> RebuildResult:
    """Compute every kept complaint case of ``site_id`` again with the installed calendar,
    ``batch`` cases a write (``Store.rebuild_care_cases``), continuing an interrupted run of the
    same calendar; ``max_batches`` stops early (the run can be continued). ``progress`` gets the
    cases done so far after each batch. When it finishes, one audit row ``care.rebuilt``
    (details: ``before``, ``version``, ``cases``, ``changed``, ``resumed``; a resumed run
    counts its own batches only). Idempotent: run again, it
    computes the same rows. ``UnknownSite`` for a site that does not exist."""
    version = calendar_version()
    row = store.care_calendar(site_id)
    before = row.version if row else None
    resumed = bool(row and row.rebuild_version == version and row.rebuild_after)
    done, changed, batches, finished = 0, 0, 0, False
    while not finished and (max_batches is None or batches < max_batches):
        n, moved, finished = store.rebuild_care_cases(site_id, version, batch)
        done, changed, batches = done + n, changed + moved, batches + 1
        if progress:
            progress(done)
    if finished:
        with store.write(site_id):
            log(store, site_id, origin, "care.rebuilt", "", before=before or "", version=version, cases=done,
                changed=changed, resumed=resumed)
    return RebuildResult(site_id, done, changed, before, version, resumed, finished)
