"""The 待确认归属 page's storage reads at scale (issue 14 follow-up), with and without the index.

    python bench/held_page.py [--held 50000] [--repeat 15]

Builds one SQLite database (a temporary directory) whose site ``s1`` has ``--held`` held
records (a push of 100 phones every second, three records a phone) and whose site ``s2`` has
as many, then a copy without ``held_records_site_time`` (migration 0019): the baseline,
measured in the same run. Times, median of ``--repeat`` after one warm-up: the navigation's
count (``held_count``), the first and the last page of 100 (``held_page``), and the page's
phones' held records (``held_of_phones``, 100 keys). Prints a table in ms and each median
against the baseline.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from sync_server.storage import open_store  # noqa: E402
from sync_server.storage.base import HeldRecord, Site  # noqa: E402


def build(path: Path, held: int) -> None:
    store = open_store(f"sqlite:///{path}")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for site in ("s1", "s2"):
        store.add_site(Site(site, site))
        rows = [HeldRecord(site, f"{site}-{n:08d}", "wang.li", f"+86137{(n // 3) % 10**8:08d}",
                           (start + timedelta(seconds=n // 300)).isoformat(timespec="milliseconds"))
                for n in range(held)]
        for chunk in range(0, len(rows), 5000):
            with store.write(site):
                store.hold_records(rows[chunk:chunk + 5000])
    store.close()


def timed(store, repeat: int, held: int) -> dict[str, float]:
    last = (held - 1) // 100 * 100
    cases = {"count (badge)": lambda: store.held_count("s1"),
             "first page": lambda: store.held_page("s1", 0, 100),
             "last page": lambda: store.held_page("s1", last, 100),
             "a page's phones": lambda: store.held_of_phones("s1", {h.phone_key for h in store.held_page("s1", last, 100)})}
    out = {}
    for name, run in cases.items():
        run()
        times = []
        for _ in range(repeat):
            began = time.perf_counter()
            run()
            times.append((time.perf_counter() - began) * 1000)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        indexed, plain = Path(tmp) / "indexed.db", Path(tmp) / "plain.db"
        build(indexed, args.held)
        shutil.copy(indexed, plain)
        with sqlite3.connect(plain) as conn:
            conn.execute("DROP INDEX held_records_site_time")
        results = {}
        for label, path in (("without index (baseline)", plain), ("with 0019's index", indexed)):
            store = open_store(f"sqlite:///{path}")
            results[label] = timed(store, args.repeat, args.held)
            store.close()
    base, new = results["without index (baseline)"], results["with 0019's index"]
    print(f"held records per site: {args.held:,} (two sites), median of {args.repeat}, SQLite")
    print(f"{'read':<18} {'baseline ms':>12} {'indexed ms':>11} {'ratio':>7}")
    for name in base:
        print(f"{name:<18} {base[name]:>12.2f} {new[name]:>11.2f} {new[name] / base[name]:>7.2f}")


if __name__ == "__main__":
    main()
