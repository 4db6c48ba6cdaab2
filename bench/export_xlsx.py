"""Where the registrations XLSX of a busy week goes at a million records (issue 11): in-process
on a built database (``bench/console.py``'s cache; open a copy: opening upgrades its schema).

    python bench/export_xlsx.py --db sqlite:////var/tmp/…/console-1000000-….db [--site s1]
        [--start 2026-11-23 --end 2026-11-29] [--kind registrations] [--repeat 3] [--profile]

Times (median of ``--repeat``, ms), the same rows each: the CSV (rows + ``csv.writer``: the
baseline, what the console streams), reading the rows alone (``build_sheet``'s generator
drained: ``range_chains`` and the cells in Python), the XLSX (rows + XlsxWriter, what the
console sends), each writer alone over rows already read — XlsxWriter's ``constant_memory``
mode (the console's) against openpyxl's write-only workbook (the writer before issue 11's
export work, kept here as ``openpyxl_bytes``) — and the two reads of the records themselves,
``day_records`` a day at a time (before) against ``range_chains`` of the range (now), checked
equal first, and ``export_version`` (what a kept file's look-up reads, ``console/export_cache.py``);
ratios against the CSV. The phone formatter's cache is emptied before every
timed call (a first export of the week). ``--profile`` prints cProfile's top functions of one
XLSX.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING  # noqa: E402
from openpyxl.styles import Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from sync_server.console.days import range_bounds  # noqa: E402
from sync_server.console.export_sheets import _RECORD_KINDS, build_sheet  # noqa: E402
from sync_server.console.formatting import export_phone  # noqa: E402
from sync_server.console.spreadsheets import (  # noqa: E402
    _FORMULA_START,
    AMOUNT_FORMAT,
    DATE_FORMAT,
    DATETIME_FORMAT,
    PERCENT_FORMAT,
    Percent,
    Sheet,
    _csv_cell,
    _title,
    _width,
    csv_bytes,
    xlsx_bytes,
)
from sync_server.storage import open_reporting, open_store  # noqa: E402


def _openpyxl_cell(ws, value: object):
    """The console's cell before issue 11's export work (openpyxl write-only), for comparison."""
    cell = WriteOnlyCell(ws)
    if value is None:
        return cell
    if isinstance(value, Percent):
        if value.value is not None:
            cell.value, cell.number_format = value.value, PERCENT_FORMAT
    elif isinstance(value, datetime):
        cell.value, cell.number_format = value.replace(tzinfo=None), DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value, cell.number_format = value, DATE_FORMAT
    elif isinstance(value, bool) or not isinstance(value, int | float | str):
        cell.value = str(value)
    elif isinstance(value, float):
        cell.value, cell.number_format = value, AMOUNT_FORMAT
    elif isinstance(value, int):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = TYPE_STRING
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    return cell


def openpyxl_bytes(sheets) -> bytes:
    """The console's ``xlsx_bytes`` before issue 11's export work: openpyxl write-only, widths
    from every cell (so every row held first)."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        rows = [list(row) for row in sheet.rows]
        ws = book.create_sheet(title=_title(sheet.name))
        widths = [_width(h) for h in sheet.headings]
        for row in rows:
            for i, value in enumerate(row[:len(widths)]):
                widths[i] = max(widths[i], _width(_csv_cell(value)))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
        ws.freeze_panes = "A2"
        bold = Font(bold=True)
        heading = []
        for h in sheet.headings:
            cell = _openpyxl_cell(ws, h)
            cell.font = bold
            heading.append(cell)
        ws.append(heading)
        for row in rows:
            ws.append([_openpyxl_cell(ws, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _native_writers() -> dict:
    """Writers on ``rust_xlsxwriter`` (PyPI), timed when importable (not project dependencies:
    ``pip install --target DIR rvgsrust-xlsxwriter rustpy-xlsxwriter`` and ``PYTHONPATH=DIR``)."""
    found = {}
    try:
        import rvgsrust_xlsxwriter  # type: ignore[import-not-found]

        found["rvgsrust"] = rvgsrust_xlsxwriter
    except ImportError:
        pass
    try:
        import rustpy_xlsxwriter  # type: ignore[import-not-found]

        found["rustpy"] = rustpy_xlsxwriter
    except ImportError:
        pass
    return found


def rvgsrust_bytes(module, sheets) -> bytes:
    """The console's cells through rvgsrust-xlsxwriter's per-cell API (the same types and
    formats as ``spreadsheets._write``: quote prefix only on formula-like text)."""
    book = module.Workbook()

    def fmt(number=None, bold=False, quoted=False):
        made = book.add_format()
        if number:
            made.set_num_format(number)
        if bold:
            made.set_bold()
        if quoted:
            made.set_quote_prefix()
        return made

    dt, day, amount, percent = fmt(DATETIME_FORMAT), fmt(DATE_FORMAT), fmt(AMOUNT_FORMAT), fmt(PERCENT_FORMAT)
    quoted, bold = fmt(quoted=True), fmt(bold=True)
    for sheet in sheets:
        ws = book.add_worksheet(_title(sheet.name), constant_memory=True)
        ws.freeze_panes(1, 0)
        widths = [_width(h) for h in sheet.headings]
        for col, heading in enumerate(sheet.headings):
            ws.write(0, col, heading, bold)
        write, write_dt, write_day = ws.write, ws.write_datetime_py, ws.write_date_py
        for r, row in enumerate(sheet.rows, start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    write(r, c, v, quoted) if v.startswith(_FORMULA_START) else write(r, c, v)
                elif isinstance(v, datetime):
                    write_dt(r, c, v.replace(tzinfo=None), dt)
                elif isinstance(v, date):
                    write_day(r, c, v, day)
                elif isinstance(v, float):
                    write(r, c, v, amount)
                elif isinstance(v, Percent):
                    if v.value is not None:
                        write(r, c, v.value, percent)
                else:
                    write(r, c, v if isinstance(v, int) and not isinstance(v, bool) else str(v))
            if r <= 1000:
                for c, v in enumerate(row[:len(widths)]):
                    widths[c] = max(widths[c], _width(_csv_cell(v)))
        for c, w in enumerate(widths):
            ws.set_column_width(c, min(60, w + 2))
    return bytes(book.save_to_buffer())


def rustpy_bytes(module, sheets) -> bytes:
    """rustpy-xlsxwriter's records API (formats per column, not per cell: no quote prefix on
    one formula-like cell, one date format for every date — not the console's cells; timed to
    show the floor of a native writer fed from Python)."""
    out = io.BytesIO()
    entries = [(_title(s.name), [dict(zip(s.headings, row, strict=False)) for row in s.rows]) for s in sheets]
    module.write_worksheets(entries, out, freeze_panes={"general": {"row": 1, "col": 0}},
                            datetime_format=DATETIME_FORMAT)
    return out.getvalue()


def _same_cells(ours: bytes, theirs: bytes, rows: int = 301) -> bool:
    """The first ``rows`` rows of the first sheet read back alike (openpyxl): values, types,
    number formats, quote prefixes, bold; the frozen pane. An empty text cell counts as no cell
    (XlsxWriter writes ``""`` as an empty string cell, rust_xlsxwriter leaves the cell out)."""
    from openpyxl import load_workbook

    def cells(data: bytes) -> tuple:
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        return sheet.freeze_panes, [[(c.value, c.data_type, c.number_format, c.quotePrefix, c.font.b)
                                     for c in row if c.value not in (None, "")]
                                    for row in sheet.iter_rows(max_row=rows)]

    return cells(ours) == cells(theirs)


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

    export_phone.cache_clear()
    read = sheet()
    rows = [list(r) for r in read.rows]
    ready = Sheet(read.name, read.headings, rows)

    types = _RECORD_KINDS.get(args.kind)  # None: conflicts / decisions (no record chains to compare)

    def by_day() -> list:
        found, cursor = [], bounds[0]
        while cursor < bounds[1]:
            stop = min(cursor + timedelta(days=1), bounds[1])
            found += reporting.day_records(args.site, types or (), cursor, stop)
            cursor = stop
        return found

    if types:
        assert by_day() == reporting.range_chains(args.site, types, *bounds), "range_chains differs from day_records"

    def timed(call) -> tuple[float, int]:
        times, size = [], 0
        for _ in range(args.repeat):
            export_phone.cache_clear()
            started = time.perf_counter()
            size = call()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), size

    results = [("CSV (rows + csv.writer; baseline)", *timed(lambda: len(csv_bytes(sheet()))))]
    results.append(("rows read alone", *timed(lambda: sum(1 for _ in sheet().rows))))
    results.append(("XLSX (rows + XlsxWriter, the console's)", *timed(lambda: len(xlsx_bytes([sheet()])))))
    results.append(("XlsxWriter alone (rows already read)", *timed(lambda: len(xlsx_bytes([ready])))))
    results.append(("openpyxl write-only alone (before)", *timed(lambda: len(openpyxl_bytes([ready])))))
    for name, module in _native_writers().items():
        write = rvgsrust_bytes if name == "rvgsrust" else rustpy_bytes
        print(f"{name}: the console's cells (first 300 rows: value, type, format, quote prefix, bold heading) "
              f"{'the same' if _same_cells(xlsx_bytes([ready]), write(module, [ready])) else 'DIFFER'}")
        results.append((f"{name} alone (rows already read)",
                        *timed(lambda write=write, module=module: len(write(module, [ready])))))
    if types:
        results.append(("records: day_records a day at a time (before)", *timed(lambda: len(by_day()))))
        results.append(("records: range_chains of the range (now)",
                        *timed(lambda: len(reporting.range_chains(args.site, types, *bounds)))))
    results.append(("a kept file's check: export_version (record sheet)",
                    *timed(lambda: len(reporting.export_version(args.site, True)))))
    results.append(("a kept file's check: export_version (all sheets)",
                    *timed(lambda: len(reporting.export_version(args.site)))))
    base = results[0][1]
    print(f"{args.kind} {args.start}..{args.end}: {len(rows):,} rows × {len(read.headings)} columns; "
          f"median of {args.repeat}")
    print(f"{'what':48} {'ms':>9} {'× CSV':>7} {'size':>12}")
    for name, ms, size in results:
        print(f"{name:48} {ms:9.0f} {ms / base:7.2f} {size:12,}")
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
