"""Baseline: the schema the pre-Alembic code built (its migrations 0001..0006, ``legacy.py``).

Revision ID: 0001_baseline
Revises:
"""

from __future__ import annotations

from alembic import op

from sync_server.storage.migrations import legacy

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    legacy.complete(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
