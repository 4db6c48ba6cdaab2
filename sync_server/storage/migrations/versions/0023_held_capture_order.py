"""The console's 待确认归属 page listed a push's held records (one ``held_at``) by phone key,
not in the order they were captured (QA5 F6c: rows of the same second out of capture order).
``held_records.captured_at`` keeps each held record's estimated capture time (as
``records.estimated_at``, filled from it here) and the page's two indexes order by it after
``held_at``, so the page still reads a range of the site without sorting it.

Revision ID: 0023_held_capture_order
Revises: 0022_care_calendar_known
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_held_capture_order"
down_revision = "0022_care_calendar_known"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("held_records", sa.Column("captured_at", sa.Text, nullable=False, server_default=""))
    op.execute("UPDATE held_records SET captured_at = COALESCE((SELECT records.estimated_at FROM records"
               " WHERE records.site_id = held_records.site_id AND records.id = held_records.record_id), '')")
    op.drop_index("held_records_site_time", table_name="held_records")
    op.drop_index("held_records_site_author", table_name="held_records")
    op.create_index("held_records_site_time", "held_records", ["site_id", "held_at", "captured_at", "record_id"])
    op.create_index("held_records_site_author", "held_records", ["site_id", "author", "held_at", "captured_at",
                                                                 "record_id"])


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
