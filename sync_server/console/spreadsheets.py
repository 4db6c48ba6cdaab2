"""Spreadsheet files for managers: CSV that Excel opens with Chinese intact, and XLSX with
typed cells.

Excel guesses a CSV's encoding from a byte-order mark; without one it reads UTF-8 Chinese as
mojibake. So CSV is written as ``utf-8-sig``, with CRLF line ends as RFC 4180 says.

Cells are typed (issue 11): a ``datetime`` (site-local, naive) is a real date-time cell
(``yyyy-mm-dd hh:mm``), a ``date`` a date cell, ``int``/``float`` numbers (``float``: amounts,
``#,##0.00``; in CSV written with two decimals, ``20000.00``), ``Percent`` a percentage (``0.0%``; None is an empty cell), and every ``str`` a
text cell, so a phone number is never turned into a number. Formula injection: text starting
with ``= + - @`` (free text typed on a tablet) must never run. In XLSX it is stored as a text
cell with the ``quotePrefix`` style (Excel shows it as typed, no apostrophe); in CSV, which
has no types, it is prefixed with an apostrophe (OWASP's advice) unless it reads as a number
(``-5``). Phone numbers go out as people write them (``138 0013 8000``), text either way.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter

__all__ = ["Sheet", "Percent", "csv_chunks", "csv_bytes", "xlsx_bytes"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Percent:
    """A fraction shown as a percentage (0.25 → 25.0%); None: nothing to divide by."""

    value: float | None

    def __str__(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass(frozen=True)
class Sheet:
    """One table to export: its name (a sheet title), column headings and rows of cells.
    ``rows`` may be a generator (read once): a long range is then written as it is read."""

    name: str
    headings: Sequence[str]
    rows: Iterable[Sequence[object]]


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Percent):
        return "" if value.value is None else str(value)
    if isinstance(value, float):  # an amount (yuan): two decimals as the XLSX shows it, never "-0.0" or "1e+12"
        return f"{value + 0.0:.2f}"
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def csv_chunks(sheet: Sheet, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The sheet as CSV (UTF-8 with BOM, CRLF, every cell quoted when needed) in pieces of
    ``rows_per_chunk`` rows, the headings with the first: a response sends the first rows
    while the rest are still being read."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headings)
    encoding, pending = "utf-8-sig", 0
    for row in sheet.rows:
        writer.writerow([_csv_cell(v) for v in row])
        pending += 1
        if pending == rows_per_chunk:
            yield buffer.getvalue().encode(encoding)
            buffer.seek(0)
            buffer.truncate()
            encoding, pending = "utf-8", 0
    if pending or encoding == "utf-8-sig":  # the last rows, or the headings of an empty sheet
        yield buffer.getvalue().encode(encoding)


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV bytes (``csv_chunks`` joined)."""
    return b"".join(csv_chunks(sheet))


# control characters an XLSX cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``, the XML 1.0 rule)
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_WIDTH_SAMPLE = 1000
"""Rows whose cells set the column widths (with the headings): the first of a long sheet, not
every cell (issue 11: the pass over 8,644 rows × 21 cells was a tenth of the writer's time)."""


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """One workbook, one worksheet per sheet, bold frozen headings, readable column widths
    (from the headings and the first ``_WIDTH_SAMPLE`` rows). XlsxWriter's ``constant_memory``
    mode: each row is written as XML as it is read (a generator's rows are never all held)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    formats = _Formats(book)
    for sheet in sheets:
        ws = book.add_worksheet(_title(sheet.name))
        ws.freeze_panes(1, 0)
        widths = [_width(h) for h in sheet.headings]
        for col, heading in enumerate(sheet.headings):
            _write(ws, formats, 0, col, heading, bold=True)
        for index, row in enumerate(sheet.rows, start=1):
            for col, value in enumerate(row):
                _write(ws, formats, index, col, value)
            if index <= _WIDTH_SAMPLE:
                for col, value in enumerate(row[:len(widths)]):
                    widths[col] = max(widths[col], _width(_csv_cell(value)))
        for col, width in enumerate(widths):
            ws.set_column(col, col, min(60, width + 2))
    if not book.worksheets():
        book.add_worksheet("empty")
    book.close()
    return out.getvalue()


class _Formats:
    """The workbook's cell formats, made once (XlsxWriter keeps one per distinct style)."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.datetime = book.add_format({"num_format": DATETIME_FORMAT})
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.amount = book.add_format({"num_format": AMOUNT_FORMAT})
        self.percent = book.add_format({"num_format": PERCENT_FORMAT})
        self.quoted = book.add_format({"quote_prefix": True})
        self.bold = book.add_format({"bold": True})
        self.bold_quoted = book.add_format({"bold": True, "quote_prefix": True})


def _write(ws, formats: _Formats, row: int, col: int, value: object, bold: bool = False) -> None:
    """One typed cell of ``value`` (see the module's docstring); None (and ``Percent(None)``)
    leaves the cell empty, and so does an empty text (no inline string: a third of a
    registrations sheet's cells are empty texts, and each cost XlsxWriter as much as a filled one)."""
    if value is None or (value == "" and not bold):
        return
    if isinstance(value, Percent):
        if value.value is not None:
            ws.write_number(row, col, value.value, formats.percent)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, value.replace(tzinfo=None), formats.datetime)
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, formats.date)
    elif isinstance(value, bool) or not isinstance(value, int | float | str):
        _write(ws, formats, row, col, str(value), bold)
    elif isinstance(value, float):
        ws.write_number(row, col, value, formats.amount)
    elif isinstance(value, int):
        ws.write_number(row, col, value)
    else:
        # control characters an XLSX cannot hold (rows stored before they were refused): dropped,
        # never a failed export (QA: one NUL in a reason made every audit XLSX a 500); always a
        # text cell (``write_string``: "=…" is never a formula), "=…" with Excel's quote prefix
        quoted = value.startswith(_FORMULA_START)
        style = (formats.bold_quoted if quoted else formats.bold) if bold else (formats.quoted if quoted else None)
        ws.write_string(row, col, value if value.isprintable() else _ILLEGAL.sub("", value), style)


def _title(name: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"


def _width(value: object) -> int:
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK glyphs are two columns wide
