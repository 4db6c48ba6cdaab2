"""The numbers over long ranges (issue 11, a million records): ``funnel_days``, the funnel's
columns (calls, registrations, deposits, contracts, amounts, 退订, 换房) of ``fact_days`` summed
per site, day and rep (a year is ~4,400 rows); and
``visitor_days``, ``customer_days`` pre-summed per site, scope (all reps / per rep), day and rep
by the customer's previous visit day (``kind`` ``v``) and previous first-visit day (``f``),
so the funnel's distinct visitors, first visitors and 来访人数 of any range are sums over these
rows instead of counts over every customer-day (``storage/rollups.py``, ``sql/funnel.py``).
Kept in the write that changes ``fact_days`` / rebuilds a customer's ``customer_days``
(``sql/rollups.py``); filled here from those with the same statements.

Revision ID: 0019_visitor_days
Revises: 0018_care_calendar
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_visitor_days"
down_revision = "0018_care_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visitor_days",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("by_rep", sa.Integer, nullable=False),
        sa.Column("local_day", sa.Text, nullable=False),
        sa.Column("rep", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("prev", sa.Text, nullable=False),
        sa.Column("local_week", sa.Text, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("party", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "by_rep", "local_day", "rep", "kind", "prev"))
    op.create_index("visitor_days_day", "visitor_days",
                    ["site_id", "by_rep", "local_day", "rep", "kind", "prev", "local_week", "n", "party"])
    money = [sa.Column(name, sa.Float, nullable=False) for name in ("small_deposit_amount", "large_deposit_amount",
                                                                    "contract_amount")]
    op.create_table(
        "funnel_days",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("local_day", sa.Text, nullable=False),
        sa.Column("rep", sa.Text, nullable=False),
        sa.Column("local_week", sa.Text, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        *[sa.Column(name, sa.BigInteger, nullable=False) for name in (
            "calls", "registrations", "first_registrations", "small_deposits", "large_deposits", "contracts")],
        *money,
        sa.Column("cancellations", sa.BigInteger, nullable=False),
        sa.Column("cancelled_amount", sa.Float, nullable=False),
        sa.Column("unit_changes", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "local_day", "rep"))
    from sync_server.storage.sql.rollups import count_funnel_days, count_visitor_days

    bind = op.get_bind()
    sites = sa.Table("sites", sa.MetaData(), autoload_with=bind)
    for (site_id,) in bind.execute(sa.select(sites.c.id).order_by(sites.c.id)).all():
        count_visitor_days(bind, site_id)
        count_funnel_days(bind, site_id)
    if bind.dialect.name == "postgresql":  # the planner's statistics of the filled tables, as autovacuum would leave
        op.execute("ANALYZE visitor_days")
        op.execute("ANALYZE funnel_days")


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
