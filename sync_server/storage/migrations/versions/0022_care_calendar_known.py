"""A site whose kept complaint deadlines are what the installed working calendar computes gets
that calendar recorded (issue 11): ``0018_care_calendar`` left ``care_calendar.version`` None
for every site with kept ``complaint_cases``, so the console showed "care calendar is stale"
until ``care rebuild`` ran, although with today's rules nothing kept depends on the calendar
(the kept next deadline is an hour step: docs/working_calendar.md).

For each site still at None with no rebuild under way, every kept case is computed again from
its live records with the installed calendar and the site's closed days — what ``care rebuild``
would write — without writing (``sql/care.kept_cases_follow``). When every row comes out the
same, the installed version is recorded: the banner and the start-up warning stay only for a
site where a rebuild would change something. ~22,000 kept cases at a million records: about as
long as ``care rebuild`` (15–18 s on SQLite under load, docs/benchmarks.md).

Revision ID: 0022_care_calendar_known
Revises: 0021_held_dismissals
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_care_calendar_known"
down_revision = "0021_held_dismissals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from shared.timeutil import format_time, utc_now
    from shared.working_calendar import calendar_version
    from sync_server.storage.sql.care import kept_cases_follow

    bind = op.get_bind()
    rows = sa.Table("care_calendar", sa.MetaData(), autoload_with=bind)
    unknown = [s for (s,) in bind.execute(sa.select(rows.c.site_id).where(
        rows.c.version.is_(None), rows.c.rebuild_after.is_(None)).order_by(rows.c.site_id))]
    installed = calendar_version()
    for site_id in unknown:
        if kept_cases_follow(bind, site_id):
            bind.execute(sa.update(rows).where(rows.c.site_id == site_id, rows.c.version.is_(None))
                         .values(version=installed, updated_at=format_time(utc_now())))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
