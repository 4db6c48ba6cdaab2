"""周/月来人来电统计成交状况分析表 (001 §14(三) 7–8): the weekly or monthly table, on the
page and as an XLSX download."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from ..days import DayFields, today
from ..deps import ManagerDep
from ..funnel import COLUMNS, analysis, analysis_sheets
from ..spreadsheets import xlsx_bytes

router = APIRouter()

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/numbers/analysis")
def analysis_table(manager: ManagerDep, period: str = "week", day: str = "", format: str = "html") -> Response:
    page, site = manager.page, manager.site
    tz = site.utc_offset_minutes
    fields = DayFields(page.t)  # each problem beside its field (422), its default shown
    chosen = fields.day("day", day, today(tz))
    if period not in ("week", "month"):
        period, fields.errors["period"] = "week", page.t("funnel.err_period")
    error, status = (page.t("error.in_field") if fields.errors else None), fields.status
    if format not in ("html", "xlsx"):
        format, error, status = "html", page.t("exports.err_format"), 422
    people = page.state.reporting.people(site.id)
    table = analysis(page.state.reporting, site.id, period, chosen, page.lang, people)
    if format == "xlsx" and error is None:
        stem = f"fieldsync-{site.id}-{period}-{table.first.isoformat()}-{table.last.isoformat()}"
        return Response(xlsx_bytes(analysis_sheets(table, page.lang)), media_type=_XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"',
                                 "Cache-Control": "no-store"})
    before = table.first - timedelta(days=1)
    after = table.last + timedelta(days=1)
    return page.render("analysis.html", status_code=status, manager=manager, table=table, period=period,
                       day=chosen, before=before, after=after, columns=COLUMNS, error=error,
                       field_errors=fields.errors)
