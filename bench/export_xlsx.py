"""Where the registrations XLSX of a busy week goes at a million records (issue 11): in-process
on a built database (``bench/console.py``'s cache; open a copy: opening upgrades its schema).

    python bench/export_xlsx.py --db sqlite:////var/tmp/…/console-1000000-….db [--site s1]
        [--start 2026-11-23 --end 2026-11-29] [--kind registrations] [--repeat 3] [--profile]

Times (median of ``--repeat``, ms), the same rows each: reading the rows alone (``build_sheet``'s
generator drained: ``day_records`` a day at a time and the cells in Python), the CSV (rows +
``csv.writer``: the baseline, what the console streams), the XLSX (rows + openpyxl's
write-only workbook, what the console sends) and the XLSX writer alone over rows already
read; ratios against the CSV. ``--profile`` prints cProfile's top functions of one XLSX.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync_server.console.days import range_bounds  # noqa: E402
from sync_server.console.export_sheets import build_sheet  # noqa: E402
from sync_server.console.spreadsheets import Sheet, csv_bytes, xlsx_bytes  # noqa: E402
from sync_server.storage import open_reporting, open_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--site", default="s1")
    parser.add_argument("--start", default="2026-11-23")
    parser.add_argument("--end", default="2026-11-29")
    parser.add_argument("--kind", default="registrations")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    store = open_store(args.db)
    reporting = open_reporting(store)
    tz = store.get_site(args.site).utc_offset_minutes
    bounds = range_bounds(date.fromisoformat(args.start), date.fromisoformat(args.end), tz)
    assert bounds is not None

    def sheet() -> Sheet:
        return build_sheet(reporting, args.site, args.kind, *bounds, "zh", tz)

    read = sheet()
    rows = [list(r) for r in read.rows]
    ready = Sheet(read.name, read.headings, rows)

    def timed(call) -> tuple[float, int]:
        times, size = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            size = call()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), size

    results = [("CSV (rows + csv.writer; baseline)", *timed(lambda: len(csv_bytes(sheet()))))]
    results.append(("rows read alone", *timed(lambda: sum(1 for _ in sheet().rows))))
    results.append(("XLSX (rows + openpyxl write-only)", *timed(lambda: len(xlsx_bytes([sheet()])))))
    results.append(("XLSX writer alone (rows already read)", *timed(lambda: len(xlsx_bytes([ready])))))
    base = results[0][1]
    print(f"{args.kind} {args.start}..{args.end}: {len(rows):,} rows × {len(read.headings)} columns; "
          f"median of {args.repeat}")
    print(f"{'what':42} {'ms':>9} {'× CSV':>7} {'size':>12}")
    for name, ms, size in results:
        print(f"{name:42} {ms:9.0f} {ms / base:7.2f} {size:12,}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        xlsx_bytes([sheet()])
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
    store.close()


if __name__ == "__main__":
    main()
