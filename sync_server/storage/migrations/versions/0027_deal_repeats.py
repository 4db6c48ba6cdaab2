"""A unit's stage counted once (QA of issue 11, F5: five 小定 of one unit read 小定率 500 %):
the fact of a ``stage`` deal repeating one already counted reads ``event`` ``repeat``
(``storage/sql/deal_repeats.py``), so the funnel counts each reached stage of a unit once. No
column changes; the upgrade marks the repeats among every site's live deals (the same function
the push calls) and counts the changed days' ``fact_days`` and ``funnel_days`` again.

Revision ID: 0027_deal_repeats
Revises: 0026_held_phone_tags
"""

from __future__ import annotations

from alembic import op

revision = "0027_deal_repeats"
down_revision = "0026_held_phone_tags"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sync_server.storage.sql.deal_repeats import mark_every_site

    mark_every_site(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
