"""The whole replica years (issue 14): each customer gets a second, costlier tag
``phone_tag2`` (``shared.phones.phone_tag2``, scrypt n = 2^13, protocol ``keys=tag2``) beside
``phone_tag`` (n = 2^11, still served to tablets asking ``keys=tag``), and a partial index
``customers_untagged2`` for the tagger's work list. Existing customers start untagged: the
background tagger fills the column in (the backfill, docs/privacy.md "The server"). The site
setting ``replica_keys`` gains the value ``tag2`` (a text column: no schema change). Each user
gets ``tag2_since``: when one of their tablets first pulled ``keys=tag2`` — from then on their
``keys=tag`` pulls carry no tags (docs/privacy.md "Old tablets and the cheap tags").

Revision ID: 0025_phone_tag2
Revises: 0024_records_by_user
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_phone_tag2"
down_revision = "0024_records_by_user"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("phone_tag2", sa.Text))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("tag2_since", sa.Text))
    op.create_index("customers_untagged2", "customers", ["site_id", "id"], sqlite_where=sa.text("phone_tag2 IS NULL"),
                    postgresql_where=sa.text("phone_tag2 IS NULL"))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
