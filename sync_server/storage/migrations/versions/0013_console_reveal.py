"""A one-time answer kept for one console sign-in (issue 12 QA): ``console_sessions.reveal``.

A temporary password a manager made (reset, or a new user) is no longer shown in the POST's
answer, which a reload would post again (and reset again): the POST keeps it here, for that
sign-in only, and redirects; the next page shows it once and clears it. What is kept is the
password sealed with a key only that sign-in's cookie holds (``console/reveal.py``), never
the plain password.

Revision ID: 0013_console_reveal
Revises: 0012_user_duty_periods
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_console_reveal"
down_revision = "0012_user_duty_periods"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("console_sessions") as batch:
        batch.add_column(sa.Column("reveal", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("console_sessions") as batch:
        batch.drop_column("reveal")
