"""A forked chain counts once (QA of this session's deal work: two corrections of one deal both
counted; two corrections of one walk-in were two registrations): of the live facts of one chain
only the latest version by ``(estimated_at, record id)`` stays ``live`` (``storage/sql/forks.py``,
what the push now does). No column changes; the upgrade settles every forked chain, marks the
deal repeats again and counts the rollups of each site that had one afresh.

Revision ID: 0028_fork_tips
Revises: 0027_deal_repeats
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_fork_tips"
down_revision = "0027_deal_repeats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sync_server.storage.sql.deal_repeats import mark_deal_repeats
    from sync_server.storage.sql.forks import forked_roots, settle_forks
    from sync_server.storage.sql.rollups import rebuild_rollups

    bind = op.get_bind()
    for (site_id,) in bind.execute(sa.text("SELECT id FROM sites ORDER BY id")).all():
        roots = forked_roots(bind, site_id)
        if roots and settle_forks(bind, site_id, roots):
            mark_deal_repeats(bind, site_id)
            rebuild_rollups(bind, site_id)


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
