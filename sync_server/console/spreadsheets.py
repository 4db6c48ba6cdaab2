"""Spreadsheet files for managers: CSV that Excel opens with Chinese intact, and XLSX.

Excel guesses a CSV's encoding from a byte-order mark; without one it reads UTF-8 Chinese as
mojibake. So CSV is written as ``utf-8-sig``, with CRLF line ends as RFC 4180 says.
A cell starting with ``= + - @`` would run as a formula when opened; such text is prefixed
with an apostrophe (free text typed on a tablet must never execute).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

__all__ = ["Sheet", "csv_bytes", "xlsx_bytes"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    """One table to export: its name (a sheet title), column headings and rows of cells."""

    name: str
    headings: Sequence[str]
    rows: Sequence[Sequence[object]]


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


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV bytes: UTF-8 with BOM, CRLF, every cell quoted when needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headings)
    for row in sheet.rows:
        writer.writerow([_safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """One workbook, one worksheet per sheet, bold frozen headings, readable column widths."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.name[:31])
        ws.append(list(sheet.headings))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        widths = [_width(h) for h in sheet.headings]
        for row in sheet.rows:
            cells = [_safe(v) for v in row]
            ws.append(cells)
            for i, value in enumerate(cells[:len(widths)]):
                widths[i] = max(widths[i], _width(value))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    if not book.worksheets:
        book.create_sheet("empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _width(value: object) -> int:
    text = str(value or "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK glyphs are two columns wide
