"""The care page at a million records (issue 11): ``customer_care`` (per customer: owner and
next due for contact by ``shared.cadence``; the name in code point order on PostgreSQL, as
the services sort), ``complaint_steps`` (each complaint record's case)
and ``complaint_cases`` (unfinished cases with their next deadline by ``shared.complaints``),
kept in the write that changes their inputs (``storage/sql/care.py``) and filled here from the
records and customers stored.

Revision ID: 0015_care
Revises: 0014_replica_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015_care"
down_revision = "0014_replica_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_care",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("phone_key", sa.Text, nullable=False),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql"), nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("due_on", sa.Text),
        sa.Column("last_contact", sa.Text),
        sa.Column("grade", sa.Text),
        sa.Column("tier", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("revisit_from", sa.Text),
        sa.PrimaryKeyConstraint("site_id", "phone_key"))
    op.create_index("customer_care_due", "customer_care", ["site_id", "owner", "due_on", "name"])
    op.create_table(
        "complaint_steps",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "record_id"))
    op.create_index("complaint_steps_case", "complaint_steps", ["site_id", "case_id"])
    op.create_table(
        "complaint_cases",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("next_due", sa.Text, nullable=False),
        sa.Column("opened_at", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "case_id"))
    op.create_index("complaint_cases_due", "complaint_cases", ["site_id", "next_due", "opened_at", "case_id"])
    # the store's own computation, so a backfilled site reads as one kept push by push
    from sync_server.storage.sql.care import rebuild_care

    bind = op.get_bind()
    sites = sa.Table("sites", sa.MetaData(), autoload_with=bind)
    for (site_id,) in bind.execute(sa.select(sites.c.id).order_by(sites.c.id)).all():
        rebuild_care(bind, site_id)
    if bind.dialect.name == "postgresql":  # the planner's statistics of the filled tables, as autovacuum would leave
        for table in ("customer_care", "complaint_steps", "complaint_cases"):
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
