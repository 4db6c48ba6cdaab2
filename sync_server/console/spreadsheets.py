"""Spreadsheet files for managers: CSV that Excel opens with Chinese intact, and XLSX.

Excel guesses a CSV's encoding from a byte-order mark; without one it reads UTF-8 Chinese as
mojibake. So CSV is written as ``utf-8-sig``, with CRLF line ends as RFC 4180 says.
A cell starting with ``= + - @`` would run as a formula when opened; such text is prefixed
with an apostrophe (free text typed on a tablet must never execute).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

__all__ = ["Sheet", "csv_chunks", "csv_bytes", "xlsx_bytes"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    """One table to export: its name (a sheet title), column headings and rows of cells.
    ``rows`` may be a generator (read once): a long range is then written as it is read."""

    name: str
    headings: Sequence[str]
    rows: Iterable[Sequence[object]]


def _safe(value: object) -> object:
    if value is None:
        return ""
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
        writer.writerow([_safe(v) for v in row])
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


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """One workbook, one worksheet per sheet, bold frozen headings, readable column widths
    (openpyxl's write-only mode: rows are written as XML, not kept as cell objects)."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        rows = [[_safe(v) for v in row] for row in sheet.rows]
        ws = book.create_sheet(title=sheet.name[:31])
        widths = [_width(h) for h in sheet.headings]
        for cells in rows:
            for i, value in enumerate(cells[:len(widths)]):
                width = _width(value)
                if width > widths[i]:
                    widths[i] = width
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
        ws.freeze_panes = "A2"
        bold = Font(bold=True)
        heading = []
        for h in sheet.headings:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = bold
            heading.append(cell)
        ws.append(heading)
        for cells in rows:
            ws.append(cells)
    if not book.worksheets:
        book.create_sheet("empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(value: object) -> int:
    text = str(value or "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK glyphs are two columns wide
