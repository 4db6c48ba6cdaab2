"""People in the console (issue 12): the audit log, and a user's "must choose a new password".

- ``audit_log (site_id, id)``: who did what to people and tablets, when and from where,
  written in the same transaction as the act; keyed by site first like every per-site table,
  so one director's page could read several sites' rows later;
- ``users.must_change_password`` (default false): set when a manager resets a password; the
  console sign-in and the tablet enrolment ask for a new one before anything else.

Revision ID: 0008_audit_log
Revises: 0007_handover
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008_audit_log"
down_revision = "0007_handover"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
    op.create_table("audit_log",
                    sa.Column("site_id", sa.Text, nullable=False),
                    sa.Column("id", sa.Text, nullable=False),
                    sa.Column("at", sa.Text, nullable=False),
                    sa.Column("actor", sa.Text),
                    sa.Column("source", sa.Text, nullable=False),
                    sa.Column("address", sa.Text, nullable=False, server_default=""),
                    sa.Column("action", sa.Text, nullable=False),
                    sa.Column("target", sa.Text, nullable=False, server_default=""),
                    sa.Column("details", json, nullable=False, server_default="{}"),
                    sa.PrimaryKeyConstraint("site_id", "id"))
    op.create_index("audit_log_site_at", "audit_log", ["site_id", "at"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(create_constraint=False), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
