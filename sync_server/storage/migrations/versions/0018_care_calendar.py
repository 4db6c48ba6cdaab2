"""Which working calendar the kept complaint deadlines were computed with (issue 11):
``care_calendar``, one row per site (``storage/care_calendar.py``). A new ``chinesecalendar``
release (next year's holidays and 调休) makes the kept ``complaint_cases`` stale;
``fieldsync-server care rebuild`` computes them again and records the version, and the server
warns at start (log, and a banner on the console for managers) while they differ.

Rows kept before this revision were computed with a calendar nobody recorded: a site with kept
cases gets ``version`` None (the server warns until ``care rebuild`` runs); a site without any
gets the installed version (there is nothing stale to compute again).

Revision ID: 0018_care_calendar
Revises: 0017_held_records
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_care_calendar"
down_revision = "0017_held_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from shared.timeutil import format_time, utc_now
    from shared.working_calendar import calendar_version

    table = op.create_table(
        "care_calendar",
        sa.Column("site_id", sa.Text, primary_key=True),
        sa.Column("version", sa.Text),
        sa.Column("rebuild_version", sa.Text),
        sa.Column("rebuild_after", sa.Text),
        sa.Column("updated_at", sa.Text, nullable=False))
    bind = op.get_bind()
    meta = sa.MetaData()
    sites = sa.Table("sites", meta, autoload_with=bind)
    cases = sa.Table("complaint_cases", meta, autoload_with=bind)
    kept = {s for (s,) in bind.execute(sa.select(cases.c.site_id).distinct())}
    now, installed = format_time(utc_now()), calendar_version()
    rows = [{"site_id": s, "version": None if s in kept else installed, "rebuild_version": None,
             "rebuild_after": None, "updated_at": now}
            for (s,) in bind.execute(sa.select(sites.c.id).order_by(sites.c.id))]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
