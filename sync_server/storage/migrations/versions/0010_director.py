"""The sales director and R10 approval (issue 12).

- ``organisations (id)``: a site belongs to at most one (``sites.org_id``, null: none);
- ``sites.approval`` (default ``none``: today's behaviour): which manager decisions wait for
  the director (``storage.organisations.APPROVAL_SETTINGS``);
- ``directors (username)``: a director belongs to an organisation, not a site, so they are
  not ``users`` (whose rows are a site's and pulled by its tablets);
- ``decision_proposals (site_id, id)``: decisions awaiting approval, approved or returned;
  keyed by site first like every per-site table.

Revision ID: 0010_director
Revises: 0009_console_speed
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010_director"
down_revision = "0009_console_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
    op.create_table("organisations",
                    sa.Column("id", sa.Text, primary_key=True),
                    sa.Column("name", sa.Text, nullable=False))
    op.create_table("directors",
                    sa.Column("username", sa.Text, primary_key=True),
                    sa.Column("org_id", sa.Text, sa.ForeignKey("organisations.id"), nullable=False),
                    sa.Column("name", sa.Text, nullable=False),
                    sa.Column("password_hash", sa.Text, nullable=False),
                    sa.Column("active", sa.Boolean(create_constraint=False), nullable=False, server_default="1"))
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("org_id", sa.Text))
        batch.add_column(sa.Column("approval", sa.Text, nullable=False, server_default="none"))
    op.create_table("decision_proposals",
                    sa.Column("site_id", sa.Text, nullable=False),
                    sa.Column("id", sa.Text, nullable=False),
                    sa.Column("conflict_id", sa.Text, nullable=False),
                    sa.Column("phone_key", sa.Text, nullable=False),
                    sa.Column("owner", sa.Text, nullable=False),
                    sa.Column("split", json),
                    sa.Column("reason", sa.Text, nullable=False),
                    sa.Column("proposed_at", sa.Text, nullable=False),
                    sa.Column("author", sa.Text, nullable=False),
                    sa.Column("covers", json, nullable=False),
                    sa.Column("status", sa.Text, nullable=False),
                    sa.Column("reviewer", sa.Text),
                    sa.Column("reviewed_at", sa.Text),
                    sa.Column("review_reason", sa.Text),
                    sa.Column("decision_id", sa.Text),
                    sa.PrimaryKeyConstraint("site_id", "id"))
    op.create_index("decision_proposals_site_conflict", "decision_proposals", ["site_id", "conflict_id"])
    op.create_index("decision_proposals_status", "decision_proposals", ["status", "proposed_at"])


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
