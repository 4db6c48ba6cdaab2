"""审计日志 (audit log, issue 12): who did what to people and tablets, when and from where;
filtered by dates, person and act, paged; exported as CSV or XLSX. Decisions keep their own ledger
(the disputes page); the page links there instead of copying them.

One page for both readers (``AuditScope``): a site's manager reads their site; a sales director
reads every site of their organisation (the organisation's own acts, a director's sign-in among
them, are logged at each of its sites and shown once), with the site named on each row (QA of
issue 12 M3: the director's log was the newest 200 rows, neither filtered nor exported)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from ...services.approval import director_names
from ...storage.base import Site
from ..audit_text import HEADINGS, describe, held_link
from ..days import DayFields, range_bounds, today
from ..deps import Manager, ManagerDep, Page
from ..spreadsheets import Sheet, csv_bytes, xlsx_bytes
from ..strings.audit import STRINGS as AUDIT_STRINGS

__all__ = ["router", "AuditScope", "audit_view", "audit_file", "ACTIONS", "PAGE_SIZE"]

router = APIRouter()

PAGE_SIZE = 50
MAX_EXPORT_ROWS = 100_000
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


ACTIONS = tuple(sorted(key.removeprefix("audit.action.") for key in AUDIT_STRINGS if key.startswith("audit.action.")))
"""The acts the log names (``action`` filter): one the page does not know is said beside the
field (QA of issue 12 N9.1: ``?action=bogus`` was silently ignored)."""


@dataclass(frozen=True)
class AuditScope:
    """Whose log a reader reads: ``sites`` (id -> Site, in the reader's order), the ``people``
    of them (username -> (name, role), directors included), their tablets' names, the page's
    ``base`` URL, the link to the decisions' own record, and the template's reader
    (``reader``: ``{"manager": m}`` or ``{"director": d}``). ``held_links``: the manager's
    待确认归属 links (a director has no such page)."""

    page: Page
    sites: Mapping[str, Site]
    people: Mapping[str, tuple[str, str]]
    devices: Mapping[str, str]
    base: str
    decisions_url: str
    stem: str
    reader: dict[str, Any] = field(default_factory=dict)
    held_links: bool = True

    @property
    def site_ids(self) -> list[str]:
        return list(self.sites)

    @property
    def tz(self) -> int:
        """The offset the date filter reads days in: the first site's (UTC+8 without sites)."""
        return next(iter(self.sites.values())).utc_offset_minutes if self.sites else 480

    @property
    def several(self) -> bool:
        return len(self.sites) > 1 or "director" in self.reader

    def row(self, r) -> list[str]:
        site = self.sites.get(r.site_id)
        cells = describe(r, self.people, self.devices, self.page.lang, site.utc_offset_minutes if site else self.tz)
        return [site.name if site else r.site_id, *cells] if self.several else cells


def manager_scope(manager: Manager) -> AuditScope:
    page, site = manager.page, manager.site
    people = {**director_names(page.state.store, [site.id]), **page.state.reporting.people(site.id)}
    devices = {r.device.id: r.device.name for r in page.state.reporting.devices(site.id)}
    return AuditScope(page, {site.id: site}, people, devices, "/console/audit", "/console/disputes?status=decided",
                      f"fieldsync-{site.id}-audit", {"manager": manager})


def _filters(scope: AuditScope, start: str, end: str, person: str, action: str = ""):
    """``(first, last, bounds, person, fields, action)`` of the query; the last 30 days by
    default; a bad day, a reversed or too long range, an unknown person or act gives the default
    and its message beside the field."""
    page, tz = scope.page, scope.tz
    fields = DayFields(page.t)
    last = fields.day("end", end, today(tz))
    first = fields.day("start", start, last - timedelta(days=29))
    first, last = fields.range(first, last, (today(tz) - timedelta(days=29), today(tz)))
    bounds = range_bounds(first, last, tz)
    assert bounds is not None
    person = fields.choice("person", person, tuple(sorted(scope.people)), "")
    return first, last, bounds, person, fields, fields.choice("action", action, ACTIONS, "")


def audit_view(scope: AuditScope, start: str = "", end: str = "", person: str = "", page_no: str = "1",
               action: str = "") -> Response:
    """The page: the filters, one page of ``PAGE_SIZE`` rows newest first, the pager, links to
    the CSV and XLSX of the same filters (422 with the message beside a bad field)."""
    page = scope.page
    first, last, bounds, person, fields, action = _filters(scope, start, end, person, action)

    def entries(number: int):
        return page.state.reporting.audit_entries(scope.site_ids, bounds[0], bounds[1], person=person or None,
                                                  offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE,
                                                  action=action or None)

    found = entries(1)  # its total bounds the page asked for (said beside the pager if out of range)
    page_no_ = fields.page_number("page_no", page_no, max(1, -(-found.total // PAGE_SIZE)))
    if page_no_ != 1:
        found = entries(page_no_)
    error = page.t("error.in_field") if fields.errors else None
    rows = [scope.row(r) for r in found.rows]
    links = [held_link(r) if scope.held_links else None for r in found.rows]  # a pusher's held records (issue 14 N3)
    headings = (("director.site",) if scope.several else ()) + HEADINGS
    pages = max(1, -(-found.total // PAGE_SIZE))
    return page.render("audit.html", status_code=fields.status, field_errors=fields.errors, rows=rows,
                       headings=headings, links=links, start=first, end=last, person=person,
                       people=sorted(scope.people.items()), action=action, actions=ACTIONS, base=scope.base,
                       decisions_url=scope.decisions_url, page_no=page_no_, pages=pages, total=found.total,
                       error=error, **scope.reader)


def audit_file(scope: AuditScope, start: str = "", end: str = "", person: str = "", format: str = "csv",
               action: str = "") -> Response:
    """The rows of the filters (at most ``MAX_EXPORT_ROWS``) as CSV (UTF-8 BOM) or XLSX; a bad
    filter gives the page with its message (never a file of days nobody asked for), a bad
    format the error page (422)."""
    page = scope.page
    first, last, bounds, chosen, fields, act = _filters(scope, start, end, person, action)
    if fields.errors:  # the page with what was asked, so it says what is wrong (a bad person or act too)
        return audit_view(scope, start, end, person, action=action)
    person, action = chosen, act
    if format not in ("csv", "xlsx"):
        return page.render("error.html", status_code=422, message=page.t("exports.err_format"), **scope.reader)
    found = page.state.reporting.audit_entries(scope.site_ids, bounds[0], bounds[1], person=person or None,
                                               limit=MAX_EXPORT_ROWS, action=action or None)
    headings = (("director.site",) if scope.several else ()) + HEADINGS
    sheet = Sheet(page.t("audit.title"), [page.t(h) for h in headings], [scope.row(r) for r in found.rows])
    stem = f"{scope.stem}-{first.isoformat()}-{last.isoformat()}"
    if format == "xlsx":
        body, media = xlsx_bytes([sheet]), _XLSX
    else:
        body, media = csv_bytes(sheet), "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{stem}.{format}"', "Cache-Control": "no-store"})


@router.get("/audit")
def audit_page(manager: ManagerDep, start: str = "", end: str = "", person: str = "", page_no: str = "1",
               action: str = "") -> Response:
    return audit_view(manager_scope(manager), start, end, person, page_no, action)


@router.get("/audit/export")
def export(manager: ManagerDep, start: str = "", end: str = "", person: str = "", format: str = "csv",
           action: str = "") -> Response:
    return audit_file(manager_scope(manager), start, end, person, format, action)
