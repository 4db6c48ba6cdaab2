"""A site's own closed days (issue 11): complaint limits count working days, and a site may
close on days the official calendar works (a company outing, a site closure). Empty list by
default.

Revision ID: 0005_site_closed_days
Revises: 0004_walkin_landlines
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_site_closed_days"
down_revision = "0004_walkin_landlines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("closed_days", json, nullable=False, server_default="[]"))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
