"""When each tablet last pulled (``device_sync.last_pull_at``, UTC ISO 8601, issue 12 QA): a
rep's tablet that only pulls showed 从未同步 on 设备 and — on 人员, so after a hand-over the
manager could not tell whether the new owner's tablet had the customers. A pull writes it at
most once a minute per device (``services.pull``). Rows stored before have none.

Revision ID: 0016_device_pulls
Revises: 0015_care
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_device_pulls"
down_revision = "0015_care"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device_sync") as batch:
        batch.add_column(sa.Column("last_pull_at", sa.Text(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
