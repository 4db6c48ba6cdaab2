"""Held phones' tags (issue 13 / issue 14): a table ``held_phone_tags`` keyed by
``(site_id, phone_key)`` holding both tags (``phone_tag``, ``phone_tag2``) of every phone a held
or refused record names (``services/record_budget.py``). Such a phone has no customer row until
a manager releases it (a refused one never has), so the tagger never tagged it and every
manager's tablet computed one scrypt per held record at each first sync and resync.

The upgrade adds one row per held or refused phone, **untagged**: the background tagger
computes the tags after the upgrade (the backfill; no scrypt inside the migration). Two partial
indexes find the untagged rows, as ``customers_untagged``/``_untagged2`` do for customers.

Revision ID: 0026_held_phone_tags
Revises: 0025_phone_tag2
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_held_phone_tags"
down_revision = "0025_phone_tag2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_phone_tags",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("phone_key", sa.Text, nullable=False),
        sa.Column("phone_tag", sa.Text),
        sa.Column("phone_tag2", sa.Text),
        sa.PrimaryKeyConstraint("site_id", "phone_key"))
    for name, column in (("held_phone_tags_untagged", "phone_tag"), ("held_phone_tags_untagged2", "phone_tag2")):
        op.create_index(name, "held_phone_tags", ["site_id", "phone_key"], sqlite_where=sa.text(f"{column} IS NULL"),
                        postgresql_where=sa.text(f"{column} IS NULL"))
    op.execute("INSERT INTO held_phone_tags (site_id, phone_key) SELECT site_id, phone_key FROM held_records"
               " UNION SELECT site_id, phone_key FROM dismissed_records")


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
