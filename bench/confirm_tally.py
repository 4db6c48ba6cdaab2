"""The confirm page's counts at scale (issue 11): the plain computation against the SQL, same run.

    python bench/confirm_tally.py --sqlite /var/tmp/…/console-1000000-….db
    python bench/confirm_tally.py --postgres-dir /var/tmp/…/postgres --database console_1000000_…

On a database ``bench/console.py`` built (its cache; opened without migrating, so a cached
database at another branch's revision can be read as it is), for the promotion day and an
ordinary day: the page's counts as before (``tally_of_views`` over ``day_records`` of the whole
day: the baseline) and as now (``day_overview``: the counts and the chain ends in one
statement), alternating, ``--repeat`` times after one warm-up each (which also checks that the
two agree). Prints a table of medians in ms, the ratio, and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from sync_server.storage import open_reporting  # noqa: E402
from sync_server.storage.day_tally import merge_tally, tally_of_views  # noqa: E402
from sync_server.storage.sql.store import SqlStore  # noqa: E402

CST = timezone(timedelta(hours=8))
TYPES = ("walkin", "call")


def measure(url: str, site: str, days: list[date], repeat: int) -> list[tuple[str, int, float, float]]:
    store = SqlStore(url, migrate=False)
    reporting = open_reporting(store)
    rows = []
    try:
        for day in days:
            start = datetime(day.year, day.month, day.day, tzinfo=CST)

            def plain(start=start):
                return tally_of_views(reporting.day_records(site, TYPES, start, start + timedelta(days=1)))

            def sql(day=day):
                return reporting.day_overview(site, TYPES, day)

            tally, ends = sql()
            if merge_tally(plain()) != merge_tally(tally):
                raise SystemExit(f"{day}: the SQL counts differ from the plain computation")
            times: dict[str, list[float]] = {"plain": [], "sql": []}
            for _ in range(repeat):
                for name, run in (("plain", plain), ("sql", sql)):
                    started = time.perf_counter()
                    run()
                    times[name].append((time.perf_counter() - started) * 1000)
            rows.append((day.isoformat(), len(ends), statistics.median(times["plain"]), statistics.median(times["sql"])))
    finally:
        store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", type=Path, help="the SQLite database file")
    parser.add_argument("--postgres-dir", type=Path, help="bench/console.py's cached PostgreSQL directory")
    parser.add_argument("--database", default="console_1000000_2265c626aa", help="the PostgreSQL database name")
    parser.add_argument("--site", default="s1")
    parser.add_argument("--busy-day", default="2026-11-28", help="the promotion day (bench/console_data.py)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    busy = date.fromisoformat(args.busy_day)
    days = [busy, busy - timedelta(days=30)]
    backends = []
    if args.sqlite:
        backends.append(("sqlite", f"sqlite:///{args.sqlite}", None))
    if args.postgres_dir:
        from console import CachedPostgres

        server = CachedPostgres.open(args.postgres_dir)
        backends.append(("postgres", server.url(args.database), server))
    if not backends:
        raise SystemExit("name --sqlite and/or --postgres-dir")
    load = os.getloadavg()
    print(f"load average before: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    print("| backend | day | chain ends | plain (day_records) ms | SQL (day_overview) ms | plain / SQL |")
    print("|---|---|---|---|---|---|")
    for name, url, server in backends:
        try:
            for day, ends, plain, sql in measure(url, args.site, days, args.repeat):
                print(f"| {name} | {day} | {ends:,} | {plain:.0f} | {sql:.0f} | {plain / sql:.1f} |", flush=True)
        finally:
            if server is not None:
                server.stop()
    load = os.getloadavg()
    print(f"load average after: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")


if __name__ == "__main__":
    main()
