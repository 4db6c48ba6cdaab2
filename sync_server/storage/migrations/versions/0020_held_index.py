"""The console's 待确认归属 page (issue 14 follow-up) lists a site's held records a page at a
time, the longest waiting first and a push's records by phone: ``held_records_site_time``
answers it as a range of the site in that order, without sorting every held row of the site (an enumerating user leaves hundreds
a day).

Revision ID: 0020_held_index
Revises: 0019_visitor_days
"""

from __future__ import annotations

from alembic import op

revision = "0020_held_index"
down_revision = "0019_visitor_days"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("held_records_site_time", "held_records", ["site_id", "held_at", "phone_key", "record_id"])


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
