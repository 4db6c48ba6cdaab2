"""A 退订 ends the stage of the deal it names (QA of issue 15, finding 6): a 退订 naming a deal
but no unit, or another unit, ended nothing, so the unit's next 小定 (a new sale) read as a
repeat and was left out of the funnel (``shared.deals.repeats``). No column changes; the
upgrade marks every site's deal repeats again (the same function the push calls) and counts the
changed days' ``fact_days`` and ``funnel_days`` again.

Revision ID: 0032_cancelled_units
Revises: 0031_correction_links
"""

from __future__ import annotations

from alembic import op

revision = "0032_cancelled_units"
down_revision = "0031_correction_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sync_server.storage.sql.deal_repeats import mark_every_site

    mark_every_site(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
