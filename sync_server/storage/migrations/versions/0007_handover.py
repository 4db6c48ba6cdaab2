"""Hand-over of a leaving rep's customers (issue 12, 001 §14(五)3(12)): ``handovers`` (the
manager's act: who, when, why, the draw's seed, inputs and result, or the explicit choices)
and ``handover_items`` (the customers, by phone key, it moves), both keyed by site first.

Revision ID: 0007_handover
Revises: 0006_funnel
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_handover"
down_revision = "0006_funnel"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
    op.create_table(
        "handovers",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("from_rep", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("deals_too", sa.Boolean(create_constraint=False), nullable=False),
        sa.Column("seed", sa.Text),
        sa.Column("algorithm", sa.Text),
        sa.Column("receivers", json, nullable=False),
        sa.Column("drawn", json, nullable=False),
        sa.Column("result", json, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "id"))
    op.create_table(
        "handover_items",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("handover_id", sa.Text, nullable=False),
        sa.Column("phone_key", sa.Text, nullable=False),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("to_rep", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "handover_id", "phone_key"))
    op.create_index("handover_items_site_phone", "handover_items", ["site_id", "phone_key"])


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
