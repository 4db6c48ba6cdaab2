"""A manager may refuse a held record (不予确认, issue 14 N3) instead of releasing it: releasing
answers the pusher's look-up (a customer, and the tag of the real one), which is wrong for an
obvious enumeration. ``dismissed_records`` keeps each refused record's hold with who refused it,
when and why; the record itself stays stored (nothing a user entered is deleted) and never
settles. ``held_records_site_author`` answers the 待确认归属 page filtered by pusher and its
counts by pusher.

Revision ID: 0021_held_dismissals
Revises: 0020_held_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_held_dismissals"
down_revision = "0020_held_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dismissed_records",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("phone_key", sa.Text, nullable=False),
        sa.Column("held_at", sa.Text, nullable=False),
        sa.Column("dismissed_at", sa.Text, nullable=False),
        sa.Column("dismissed_by", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "record_id"))
    op.create_index("dismissed_records_site_phone", "dismissed_records", ["site_id", "phone_key", "author"])
    op.create_index("held_records_site_author", "held_records", ["site_id", "author", "held_at", "phone_key",
                                                                 "record_id"])


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
