"""Spreadsheet files for managers: CSV that Excel opens with Chinese intact, and XLSX with
typed cells.

Excel guesses a CSV's encoding from a byte-order mark; without one it reads UTF-8 Chinese as
mojibake. So CSV is written as ``utf-8-sig``, with CRLF line ends as RFC 4180 says.

Cells are typed (issue 11): a ``datetime`` (site-local, naive) is a real date-time cell
(``yyyy-mm-dd hh:mm``), a ``date`` a date cell, ``int``/``float`` numbers (``float``: amounts,
``#,##0.00``), ``Percent`` a percentage (``0.0%``; None is an empty cell), and every ``str`` a
text cell, so a phone number is never turned into a number. Formula injection: text starting
with ``= + - @`` (free text typed on a tablet) must never run. In XLSX it is stored as a text
cell with the ``quotePrefix`` style (Excel shows it as typed, no apostrophe); in CSV, which
has no types, it is prefixed with an apostrophe (OWASP's advice) unless it reads as a number
(``-5``). Phone numbers go out as people write them (``138 0013 8000``), text either way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


def _cell(ws, value: object):
    """A typed write-only cell of ``value`` (see the module's docstring)."""
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
        # control characters an XLSX cannot hold (rows stored before they were refused): dropped,
        # never a failed export (QA: one NUL in a reason made every audit XLSX a 500)
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = TYPE_STRING  # openpyxl would store "=…" as a formula
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    return cell


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """One workbook, one worksheet per sheet, bold frozen headings, readable column widths
    (openpyxl's write-only mode: rows are written as XML, not kept as cell objects)."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        rows = [list(row) for row in sheet.rows]  # read once: the widths come before the rows
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
            cell = _cell(ws, h)
            cell.font = bold
            heading.append(cell)
        ws.append(heading)
        for row in rows:
            ws.append([_cell(ws, v) for v in row])
    if not book.worksheets:
        book.create_sheet("empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(name: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"


def _width(value: object) -> int:
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK glyphs are two columns wide
