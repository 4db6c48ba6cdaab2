"""A private replica (issue 14): each site gets a random ``replica_key`` (the secret of its
customers' phone tags, given only to enrolled devices) and the setting ``replica_keys``
(``private`` for every site, new or upgraded; ``legacy`` only when an office still runs
tablets from before this release, docs/privacy.md); each customer a ``phone_tag`` column,
empty here and filled off the push path by the server's tagger (``services.tagging``), which
finds the untagged rows by the partial index ``customers_untagged``. Each site's row gets a
new change id so tablets pull the site again.

Revision ID: 0014_replica_keys
Revises: 0013_console_reveal
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.phones import new_replica_key

revision = "0014_replica_keys"
down_revision = "0013_console_reveal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("replica_keys", sa.Text, nullable=False, server_default="private"))
        batch.add_column(sa.Column("replica_key", sa.Text, nullable=False, server_default=""))
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("phone_tag", sa.Text))
    op.create_index("customers_untagged", "customers", ["site_id", "id"], sqlite_where=sa.text("phone_tag IS NULL"),
                    postgresql_where=sa.text("phone_tag IS NULL"))
    conn = op.get_bind()
    sites = sa.table("sites", sa.column("id", sa.Text), sa.column("replica_key", sa.Text),
                     sa.column("change_id", sa.BigInteger))
    heads = sa.table("site_heads", sa.column("site_id", sa.Text), sa.column("head", sa.BigInteger))
    for (site_id,) in conn.execute(sa.select(sites.c.id).order_by(sites.c.id)).all():
        head = conn.execute(sa.select(heads.c.head).where(heads.c.site_id == site_id)).scalar()
        if head is None:
            head = conn.execute(sa.select(sites.c.change_id).where(sites.c.id == site_id)).scalar() or 0
            conn.execute(heads.insert().values(site_id=site_id, head=head + 1))
        else:
            conn.execute(heads.update().where(heads.c.site_id == site_id).values(head=head + 1))
        conn.execute(sites.update().where(sites.c.id == site_id).values(replica_key=new_replica_key(),
                                                                       change_id=head + 1))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
