"""``fieldsync-server care rebuild [--site S]``: compute the kept complaint deadlines again
with the installed working calendar (after a ``chinesecalendar`` update: next year's holidays
and 调休), ``--batch`` cases a write, resumable (an interrupted run continues where it
stopped), idempotent, audited (``care.rebuilt``). ``care status`` lists which sites' kept
deadlines follow the installed calendar. See ``services/care_calendar.py`` and
docs/working_calendar.md."""

from __future__ import annotations

import argparse

from shared.working_calendar import calendar_version

from .services import admin, care_calendar
from .services.audit import Origin
from .storage.base import Store

__all__ = ["add_parser", "run"]


def _batch(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; write how many cases a batch, e.g. 500") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} cases a batch is too few; write 1 or more, e.g. 500")
    return n


def add_parser(sub, db_after: argparse.ArgumentParser) -> None:
    """The ``care`` command and its actions under ``sub`` (the main parser's subparsers)."""
    actions = sub.add_parser("care", help="the kept follow-up and complaint rows").add_subparsers(
        dest="action", required=True)
    rebuild = actions.add_parser("rebuild", parents=[db_after],
                                 help="compute the complaint deadlines again with the installed working calendar")
    rebuild.add_argument("--site", help="one site (default: every site)")
    rebuild.add_argument("--batch", type=_batch, default=care_calendar.BATCH,
                         help=f"cases per write (default {care_calendar.BATCH})")
    status = actions.add_parser("status", parents=[db_after],
                                help="which calendar each site's complaint deadlines were computed with")
    status.add_argument("--site", help="one site (default: every site)")


def _site_ids(store: Store, site: str | None) -> list[str]:
    if site is None:
        return sorted(s.id for s in store.list_sites())
    if store.get_site(site) is None:
        raise admin.AdminError(f"No site {site!r}; list them with 'sites list'.")
    return [site]


def run(store: Store, args: argparse.Namespace) -> int:
    """Run one ``care`` action; ``admin.AdminError`` (exit 1) for an unknown site."""
    for site_id in _site_ids(store, args.site):
        if args.action == "status":
            row = store.care_calendar(site_id)
            found = care_calendar.stale(store, site_id)
            state = "stale: run 'care rebuild'" if found else "up to date"
            under_way = f"; a rebuild under way ({row.rebuild_version}, after {row.rebuild_after})" if (
                row and row.rebuild_after) else ""
            print(f"{site_id}\tcomputed with {(row.version if row else None) or 'an unrecorded calendar'}\t"
                  f"installed {calendar_version()}\t{state}{under_way}")
            continue
        result = care_calendar.rebuild(store, site_id, Origin.cli(), batch=args.batch)
        print(f"site {site_id}: {result.cases} complaint case(s) computed again with {result.version}, "
              f"{result.changed} next deadline(s) changed"
              f"{' (continued an interrupted run)' if result.resumed else ''}; before: "
              f"{result.before or 'an unrecorded calendar'}")
    return 0
