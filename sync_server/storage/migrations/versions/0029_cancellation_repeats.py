"""A deal's 退订 counted once (QA15 A: two tablets' 退订 of one deal both counted in 退订 and
退订金额): the fact of a 退订 repeating one already counted for the same deal reads ``event``
``repeat`` (``storage/sql/deal_repeats.py``, ``shared.deals.repeats``), so the funnel counts a
deal's cancellation once. No column changes; the upgrade marks every site's repeats again (the
same function the push calls) and counts the changed days' ``fact_days`` and ``funnel_days``
again.

Revision ID: 0029_cancellation_repeats
Revises: 0028_fork_tips
"""

from __future__ import annotations

from alembic import op

revision = "0029_cancellation_repeats"
down_revision = "0028_fork_tips"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sync_server.storage.sql.deal_repeats import mark_every_site

    mark_every_site(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
