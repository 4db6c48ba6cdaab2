"""Each user's periods on the duty list (``users.duty_periods``, JSON ``[[from, to], …]``, UTC
ISO 8601, ``null`` for "always" / "still"): added (or listed from an earlier day), deactivated,
reactivated. The rotation board lists a rep on a day by these periods
(``shared.rotation_duty.duty_spans``): a rep added in the afternoon does not make the morning's
turns look out of order, and reactivating a rep does not rewrite the days before. Users stored
before: active ``[[null, null]]``; inactive ``[[null, deactivated_at]]``.

Revision ID: 0012_user_duty_periods
Revises: 0011_rollups
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_user_duty_periods"
down_revision = "0011_rollups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json_type = sa.JSON(none_as_null=True).with_variant(sa.dialects.postgresql.JSONB(none_as_null=True), "postgresql")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("duty_periods", json_type, nullable=True))
    users = sa.table("users", sa.column("username", sa.Text), sa.column("active", sa.Boolean),
                     sa.column("deactivated_at", sa.Text), sa.column("duty_periods", json_type))
    conn = op.get_bind()
    for username, active, deactivated_at in conn.execute(sa.select(users.c.username, users.c.active,
                                                                   users.c.deactivated_at)).all():
        periods = [[None, None if active else deactivated_at]]
        conn.execute(sa.update(users).where(users.c.username == username).values(duty_periods=periods))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
