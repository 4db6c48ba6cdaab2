"""审计日志 (audit log, issue 12): who did what to people and tablets, when and from where;
filtered by dates and person, paged; exported as CSV or XLSX. Decisions keep their own ledger
(the disputes page); the page links there instead of copying them."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from ...services.approval import director_names
from ..audit_text import HEADINGS, describe, held_link
from ..days import DayFields, range_bounds, today
from ..deps import Manager, ManagerDep
from ..spreadsheets import Sheet, csv_bytes, xlsx_bytes
from ..strings.audit import STRINGS as AUDIT_STRINGS

router = APIRouter()

PAGE_SIZE = 50
MAX_EXPORT_ROWS = 100_000
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


ACTIONS = tuple(sorted(key.removeprefix("audit.action.") for key in AUDIT_STRINGS if key.startswith("audit.action.")))
"""The acts the log names (``action`` filter): one the page does not know is said beside the
field (QA of issue 12 N9.1: ``?action=bogus`` was silently ignored)."""


def _filters(manager: Manager, start: str, end: str, person: str, action: str = ""):
    """``(first, last, bounds, person, fields, action)`` of the query; the last 30 days by
    default; a bad day, a reversed or too long range, an unknown person or act gives the default
    and its message beside the field."""
    page, tz = manager.page, manager.site.utc_offset_minutes
    fields = DayFields(page.t)
    last = fields.day("end", end, today(tz))
    first = fields.day("start", start, last - timedelta(days=29))
    first, last = fields.range(first, last, (today(tz) - timedelta(days=29), today(tz)))
    bounds = range_bounds(first, last, tz)
    assert bounds is not None
    known = {u.username for u in page.state.store.list_users(manager.site.id)} | set(
        director_names(page.state.store, [manager.site.id]))
    person = fields.choice("person", person, tuple(sorted(known)), "")
    return first, last, bounds, person, fields, fields.choice("action", action, ACTIONS, "")


@router.get("/audit")
def audit_page(manager: ManagerDep, start: str = "", end: str = "", person: str = "", page_no: str = "1",
               action: str = "") -> Response:
    page, site = manager.page, manager.site
    first, last, bounds, person, fields, action = _filters(manager, start, end, person, action)
    def entries(number: int):
        return page.state.reporting.audit_entries([site.id], bounds[0], bounds[1], person=person or None,
                                                  offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE,
                                                  action=action or None)

    found = entries(1)  # its total bounds the page asked for (said beside the pager if out of range)
    page_no_ = fields.page_number("page_no", page_no, max(1, -(-found.total // PAGE_SIZE)))
    if page_no_ != 1:
        found = entries(page_no_)
    error = page.t("error.in_field") if fields.errors else None
    people = {**director_names(page.state.store, [site.id]), **page.state.reporting.people(site.id)}
    devices = {r.device.id: r.device.name for r in page.state.reporting.devices(site.id)}
    rows = [describe(r, people, devices, page.lang, site.utc_offset_minutes) for r in found.rows]
    links = [held_link(r) for r in found.rows]  # a pusher's held records (issue 14 N3)
    pages = max(1, -(-found.total // PAGE_SIZE))
    return page.render("audit.html", status_code=fields.status, field_errors=fields.errors, manager=manager, rows=rows,
                       headings=HEADINGS, links=links, start=first, end=last, person=person, people=sorted(people.items()),
                       action=action, actions=ACTIONS,
                       page_no=page_no_, pages=pages, total=found.total, error=error)


@router.get("/audit/export")
def export(manager: ManagerDep, start: str = "", end: str = "", person: str = "", format: str = "csv",
           action: str = "") -> Response:
    page, site = manager.page, manager.site
    first, last, bounds, person, fields, action = _filters(manager, start, end, person, action)
    if fields.errors:  # never a file of days nobody asked for: the page says what is wrong
        return audit_page(manager, start, end, person, action=action)
    if format not in ("csv", "xlsx"):
        return page.render("error.html", status_code=422, manager=manager, message=page.t("exports.err_format"))
    found = page.state.reporting.audit_entries([site.id], bounds[0], bounds[1], person=person or None,
                                               limit=MAX_EXPORT_ROWS, action=action or None)
    people = {**director_names(page.state.store, [site.id]), **page.state.reporting.people(site.id)}
    devices = {r.device.id: r.device.name for r in page.state.reporting.devices(site.id)}
    sheet = Sheet(page.t("audit.title"), [page.t(h) for h in HEADINGS],
                  [describe(r, people, devices, page.lang, site.utc_offset_minutes) for r in found.rows])
    stem = f"fieldsync-{site.id}-audit-{first.isoformat()}-{last.isoformat()}"
    if format == "xlsx":
        body, media = xlsx_bytes([sheet]), _XLSX
    else:
        body, media = csv_bytes(sheet), "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{stem}.{format}"', "Cache-Control": "no-store"})
