"""A 退订 ends the stage of the deal it names (QA of issue 15, finding 6): a 退订 naming a deal
but no unit, or another unit, ended nothing, so the unit's next 小定 (a new sale) read as a
repeat and was left out of the funnel (``shared.deals.repeats``). No column changes; the
upgrade marks every site's deal repeats again (the same function the push calls) and counts the
changed days' ``fact_days`` and ``funnel_days`` again.

Revision ID: 0032_cancelled_units
Revises: 0031_correction_links
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032_cancelled_units"
down_revision = "0031_correction_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sync_server.storage.sql.deal_repeats import mark_deal_repeats
    from sync_server.storage.sql.rollups import count_fact_days, count_funnel_days

    bind = op.get_bind()
    for (site_id,) in bind.execute(sa.text("SELECT id FROM sites ORDER BY id")).all():
        days = {day for day, _ in mark_deal_repeats(bind, site_id).values()}
        if days:
            count_fact_days(bind, site_id, days)
            count_funnel_days(bind, site_id, days)


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
