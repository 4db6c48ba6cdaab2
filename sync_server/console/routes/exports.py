"""Exports: CSV (UTF-8 with BOM) of one kind, or XLSX of one or every kind, for a date range."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse

from ..days import DayFields, range_bounds, today
from ..deps import ManagerDep
from ..export_cache import ExportKey
from ..export_sheets import EXPORT_KINDS, build_sheet, shows_customers
from ..spreadsheets import csv_chunks, xlsx_bytes

router = APIRouter()

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/exports")
def export_form(manager: ManagerDep) -> Response:
    tz = manager.site.utc_offset_minutes
    end = today(tz)
    return manager.page.render("exports.html", manager=manager, kinds=EXPORT_KINDS, start=end - timedelta(days=6),
                               end=end, error=None)


@router.get("/exports/download")
def download(manager: ManagerDep, kind: str = "registrations", format: str = "csv", start: str = "",
             end: str = "") -> Response:
    page, site = manager.page, manager.site
    tz = site.utc_offset_minutes
    fields = DayFields(page.t)  # a day that is not one: 422, said beside its field (QA of issue 15), never a file
    last = fields.day("end", end, today(tz))
    first = fields.day("start", start, last)
    first, last = fields.range(first, last, (last, last))  # reversed or over 366 days: said beside "end"
    bounds = range_bounds(first, last, tz)
    problem = page.t("error.in_field") if fields.errors else None
    if kind not in EXPORT_KINDS and kind != "all":
        problem = page.t("exports.err_kind")
    elif kind == "all" and format != "xlsx":
        problem = page.t("exports.err_all_xlsx")
    elif format not in ("csv", "xlsx"):
        problem = page.t("exports.err_format")
    if problem is not None or bounds is None:  # bounds: always, after fields.range
        return page.render("exports.html", status_code=422, manager=manager, kinds=EXPORT_KINDS, start=first, end=last,
                           error=problem, field_errors=fields.errors)
    reporting, cache = page.state.reporting, page.state.exports
    # the version before the rows: a write landing in between makes the kept file newer, never stale
    version = reporting.export_version(site.id, records_only=not shows_customers(kind))
    key = ExportKey(site.id, kind, format, first, last, page.lang, tz)
    stem = f"fieldsync-{site.id}-{kind}-{first.isoformat()}-{last.isoformat()}"
    media = _XLSX if format == "xlsx" else "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{stem}.{format}"', "Cache-Control": "no-store"}
    kept = cache.get(key, version)
    if kept is not None:  # the same file, built since the site's last change
        return Response(kept, media_type=media, headers=headers)
    kinds = EXPORT_KINDS if kind == "all" else (kind,)
    sheets = [build_sheet(reporting, site.id, k, *bounds, page.lang, tz) for k in kinds]
    if format == "xlsx":  # a zip: whole before it is sent
        data = xlsx_bytes(sheets)
        cache.put(key, version, data)
        return Response(data, media_type=media, headers=headers)
    # streamed: the first rows leave while later days are read (a range of a busy site is long)
    return StreamingResponse(cache.keeping(key, version, csv_chunks(sheets[0])), media_type=media, headers=headers)
