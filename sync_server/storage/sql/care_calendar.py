"""``care_calendar`` (``storage/care_calendar.py``): the calendar a site's kept complaint
deadlines were computed with, and ``care rebuild``'s batches with their cursor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from shared.timeutil import format_time, utc_now
from shared.working_calendar import calendar_version

from ..base import UnknownSite
from ..care_calendar import CareCalendar
from . import dialects
from .tables import care_calendar, complaint_cases

__all__ = ["CareCalendarRows", "record_calendar"]


def record_calendar(conn: Connection, site_id: str, version: str | None, rebuild_after: str | None = None,
                    rebuild_version: str | None = None) -> None:
    """*(in write)* Set the site's row: every kept case computed with ``version`` (or, with
    ``rebuild_after``, a rebuild with ``rebuild_version`` done through that case id)."""
    values = {"rebuild_version": rebuild_version if rebuild_after else None, "rebuild_after": rebuild_after,
              "updated_at": format_time(utc_now())}
    if rebuild_after is None:
        values["version"] = version
    upsert = dialects.insert(conn.dialect.name, care_calendar).values(**{"site_id": site_id, "version": version, **values})
    conn.execute(upsert.on_conflict_do_update(index_elements=["site_id"], set_=values))


class CareCalendarRows:
    """Mixed into ``Care`` (needs ``write``, ``_in_write``, ``_all``, ``get_site``)."""

    _all: Any
    _in_write: Any
    write: Any
    get_site: Any

    def care_calendar(self, site_id: str) -> CareCalendar | None:
        rows = self._all(select(care_calendar).where(care_calendar.c.site_id == site_id))
        return CareCalendar(*rows[0]) if rows else None

    def rebuild_care_cases(self, site_id: str, version: str, limit: int) -> tuple[int, int, bool]:
        from .care import refresh_cases, site_calendar

        if limit < 1:
            raise ValueError(f"limit must be at least 1; got {limit}")
        installed = calendar_version()
        if version != installed:
            raise ValueError(f"the installed calendar is {installed!r}, not {version!r}; run the rebuild with it")
        with self.write(site_id):
            if self.get_site(site_id) is None:
                raise UnknownSite(site_id)
            conn = self._in_write()
            row = self.care_calendar(site_id)
            after = row.rebuild_after if row and row.rebuild_version == version and row.rebuild_after else ""
            c = complaint_cases.c
            ids = [k for (k,) in conn.execute(select(c.case_id).where(c.site_id == site_id, c.case_id > after)
                                              .order_by(c.case_id).limit(limit))]
            changed = 0
            if ids:
                zone, calendar = site_calendar(conn, site_id)
                kept = select(c.case_id, c.next_due, c.opened_at).where(c.site_id == site_id, c.case_id.in_(ids))
                before = set(conn.execute(kept).all())
                refresh_cases(conn, site_id, ids, zone, calendar)
                changed = len(before - set(conn.execute(kept).all()))
            finished = len(ids) < limit
            record_calendar(conn, site_id, version if finished else (row.version if row else None),
                            rebuild_after=None if finished else ids[-1], rebuild_version=version)
            return len(ids), changed, finished
