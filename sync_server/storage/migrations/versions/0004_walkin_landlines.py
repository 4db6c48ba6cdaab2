"""A site setting: may a walk-in be registered by a landline (issue 14)? No by default.

Revision ID: 0004_walkin_landlines
Revises: 0003_site_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_walkin_landlines"
down_revision = "0003_site_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("walkin_landlines", sa.Boolean(create_constraint=False), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
