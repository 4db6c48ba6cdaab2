"""When each user was added or last reactivated (``users.activated_at``, UTC ISO 8601): the
rotation board lists a rep from that moment on (``shared.rotation_log.duty_list``; a rep added
in the afternoon does not make the morning's turns look out of order). Users stored before have
none: they count as always listed.

Revision ID: 0012_user_activated_at
Revises: 0011_rollups
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_user_activated_at"
down_revision = "0011_rollups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("activated_at", sa.Text(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
