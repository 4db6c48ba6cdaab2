"""Every per-site table keyed by site first (issue 10, shardable by site).

- primary keys ``(site_id, id)`` for ``records``, ``customers``, ``conflicts``, ``decisions``
  and ``confirmations``; a device's seqs unique per ``(site_id, device_id, seq)``;
- ``anchors`` and ``refused_seqs`` gain ``site_id`` (their device's site) at the head of
  their keys; rows of a device that no longer exists are dropped (nothing reads them);
- what a push changes on a device (``last_offset_ms``, ``contiguous_seq``) moves out of
  ``devices`` into ``device_sync (site_id, device_id)``, so ``devices`` holds identity only
  and can be a reference table: the bearer-token look-up finds a device before its site is
  known.

Record ids stay client UUIDs; from here on they are unique per site (docs/storage.md).
On SQLite each changed table is rebuilt (batch mode, one copy of its rows); on PostgreSQL
the keys are swapped in place.

Revision ID: 0003_site_keys
Revises: 0002_site_heads
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_site_keys"
down_revision = "0002_site_heads"
branch_labels = None
depends_on = None

_SITE_FIRST = {"records": ["site_id", "id"], "customers": ["site_id", "id"], "conflicts": ["site_id", "id"],
               "decisions": ["site_id", "id"], "confirmations": ["site_id", "id"],
               "anchors": ["site_id", "device_id", "boot_id"], "refused_seqs": ["site_id", "device_id", "seq"]}


def upgrade() -> None:
    op.create_table("device_sync", sa.Column("site_id", sa.Text, nullable=False),
                    sa.Column("device_id", sa.Text, nullable=False), sa.Column("last_offset_ms", sa.BigInteger),
                    sa.Column("contiguous_seq", sa.BigInteger, nullable=False, server_default="0"),
                    sa.PrimaryKeyConstraint("site_id", "device_id"))
    op.execute("INSERT INTO device_sync (site_id, device_id, last_offset_ms, contiguous_seq) "
               "SELECT site_id, id, last_offset_ms, contiguous_seq FROM devices")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("last_offset_ms")
        batch.drop_column("contiguous_seq")

    for table in ("anchors", "refused_seqs"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("site_id", sa.Text))
        op.execute(f"UPDATE {table} SET site_id = (SELECT d.site_id FROM devices d WHERE d.id = {table}.device_id)")
        op.execute(f"DELETE FROM {table} WHERE site_id IS NULL")

    op.drop_index("records_device_seq", "records")
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, key in _SITE_FIRST.items():
        if postgres:
            if table in ("anchors", "refused_seqs"):
                op.execute(f"ALTER TABLE {table} ALTER COLUMN site_id SET NOT NULL")
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, "
                       f"ADD CONSTRAINT {table}_pkey PRIMARY KEY ({', '.join(key)})")
        else:
            bind = op.get_bind()
            with op.batch_alter_table(table, recreate="always", copy_from=_site_first(bind, table, key)):
                pass
    op.create_index("records_device_seq", "records", ["site_id", "device_id", "seq"], unique=True)


def _site_first(bind: sa.engine.Connection, name: str, key: list[str]) -> sa.Table:
    """The table as it is on SQLite, keyed by ``key`` instead (batch mode's ``copy_from``: the
    table rebuilt from it has the new key only, its indexes and unique constraints kept)."""
    reflected = sa.Table(name, sa.MetaData(), autoload_with=bind)
    columns = [sa.Column(c.name, c.type, nullable=c.nullable and c.name not in key,
                         server_default=_default(c.server_default)) for c in reflected.columns]
    uniques = [sa.UniqueConstraint(*[c.name for c in u.columns], name=u.name)
               for u in reflected.constraints if isinstance(u, sa.UniqueConstraint)]
    indexes = [sa.Index(i.name, *[c.name for c in i.columns], unique=i.unique) for i in reflected.indexes]
    return sa.Table(name, sa.MetaData(), *columns, sa.PrimaryKeyConstraint(*key, name=f"{name}_pkey"),
                    *uniques, *indexes)


def _default(default: sa.schema.FetchedValue | None) -> sa.TextClause | None:
    """A reflected column's server default as SQL text (SQLite reflects ``DEFAULT 0`` as ``'0'``)."""
    if not isinstance(default, sa.DefaultClause):
        return None
    return default.arg if isinstance(default.arg, sa.TextClause) else sa.text(str(default.arg))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
