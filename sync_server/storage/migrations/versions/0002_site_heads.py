"""Change ids per site, and the same indexes on both databases.

- ``site_heads``: each site's latest change id; a write locks its site's row only, so sites
  write in parallel. Each existing site starts at the old database-wide head, so every cursor
  a tablet holds (epoch + change id <= that head) stays valid and ids keep growing;
- the indexes only PostgreSQL had (``devices_site``, ``records_site_household``,
  ``records_supersedes``) are made on SQLite too;
- the pre-Alembic bookkeeping (``_migrations``) and the global head (``meta.head``) go.

Revision ID: 0002_site_heads
Revises: 0001_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_site_heads"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("site_heads", sa.Column("site_id", sa.Text, primary_key=True),
                    sa.Column("head", sa.BigInteger, nullable=False))
    op.execute("INSERT INTO site_heads (site_id, head) SELECT s.id, "
               "coalesce((SELECT CAST(m.value AS BIGINT) FROM meta m WHERE m.key = 'head'), 0) FROM sites s")
    op.execute("DELETE FROM meta WHERE key = 'head'")
    bind = op.get_bind()
    existing = {index["name"] for table in ("devices", "records") for index in sa.inspect(bind).get_indexes(table)}
    for name, table, columns in (("devices_site", "devices", ["site_id"]),
                                 ("records_site_household", "records", ["site_id", "household_key"]),
                                 ("records_supersedes", "records", ["site_id", "supersedes"])):
        if name not in existing:
            op.create_index(name, table, columns)
    op.execute("DROP TABLE IF EXISTS _migrations")


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
