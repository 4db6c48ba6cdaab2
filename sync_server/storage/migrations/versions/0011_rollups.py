"""The numbers at a million records (issue 11): the rollups ``fact_days`` (live facts counted
per site, day, rep, type, source, visit, stage and event) and ``customer_days`` (per customer
and day with a live walk-in, over all reps and per rep, with the previous such day, so distinct
visitors of any range are a count; ``storage/rollups.py``), an index of the facts by customer
(the store rebuilds a customer's rows from it), and both filled from the facts stored.

Revision ID: 0011_rollups
Revises: 0010_director
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_rollups"
down_revision = "0010_director"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("record_facts_phone", "record_facts", ["site_id", "phone_key", "type"])
    op.create_table(
        "fact_days",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("local_day", sa.Text, nullable=False),
        sa.Column("local_week", sa.Text, nullable=False),
        sa.Column("rep", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("visit", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("event", sa.Text, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.Column("amount", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "local_day", "rep", "type", "source", "visit", "stage", "event"))
    op.create_table(
        "customer_days",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("phone_key", sa.Text, nullable=False),
        sa.Column("by_rep", sa.Integer, nullable=False),
        sa.Column("rep", sa.Text, nullable=False),
        sa.Column("local_day", sa.Text, nullable=False),
        sa.Column("local_week", sa.Text, nullable=False),
        sa.Column("walkins", sa.Integer, nullable=False),
        sa.Column("firsts", sa.Integer, nullable=False),
        sa.Column("party", sa.Integer, nullable=False),
        sa.Column("prev_day", sa.Text),
        sa.Column("prev_first", sa.Text),
        sa.PrimaryKeyConstraint("site_id", "phone_key", "by_rep", "rep", "local_day"))
    op.create_index("customer_days_day", "customer_days", ["site_id", "by_rep", "local_day", "rep", "local_week",
                                                           "prev_day", "prev_first", "firsts", "party"])
    # the store's own counting, so a backfilled site reads as one kept push by push
    from sync_server.storage.sql.rollups import rebuild_rollups

    bind = op.get_bind()
    sites = sa.Table("sites", sa.MetaData(), autoload_with=bind)
    for (site_id,) in bind.execute(sa.select(sites.c.id).order_by(sites.c.id)).all():
        rebuild_rollups(bind, site_id, derived=False)  # visitor_days, funnel_days: 0019_visitor_days


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
