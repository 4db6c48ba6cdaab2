"""Records whose ownership is held for the manager (issue 14, the second phone oracle):
``held_records`` lists each accepted record that named a phone its author could not see after
the author's look-up budget was spent (``services/record_budget.py``). The record itself is
stored as ever; only its effect on the ownership index waits until a manager confirms it.

Revision ID: 0017_held_records
Revises: 0016_device_pulls
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_held_records"
down_revision = "0016_device_pulls"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_records",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("phone_key", sa.Text, nullable=False),
        sa.Column("held_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "record_id"))
    op.create_index("held_records_site_phone", "held_records", ["site_id", "phone_key", "author"])


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
