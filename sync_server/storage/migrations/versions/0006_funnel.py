"""The numbers as SQL (issue 11): ``record_facts``, one row per record with what the console
counts (site-local day and week of the chain's original, the chain's root, visit, source,
party size, a deal's stage, event and amount, and whether it still counts; ``storage/facts.py``),
indexed by site and day or week, and filled for the records already stored.

Revision ID: 0006_funnel
Revises: 0005_site_closed_days
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_funnel"
down_revision = "0005_site_closed_days"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    op.create_table(
        "record_facts",
        sa.Column("site_id", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("rep", sa.Text),
        sa.Column("phone_key", sa.Text, nullable=False),
        sa.Column("supersedes", sa.Text),
        sa.Column("root_id", sa.Text, nullable=False),
        sa.Column("local_day", sa.Text, nullable=False),
        sa.Column("local_week", sa.Text, nullable=False),
        sa.Column("visit", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("party_size", sa.Integer),
        sa.Column("stage", sa.Text),
        sa.Column("event", sa.Text),
        sa.Column("amount", sa.Float),
        sa.Column("live", sa.Boolean(create_constraint=False), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("site_id", "record_id"))
    op.create_index("record_facts_day", "record_facts", ["site_id", "local_day", "type"])
    op.create_index("record_facts_week", "record_facts", ["site_id", "local_week", "type"])
    op.create_index("record_facts_root", "record_facts", ["site_id", "root_id", "type"])
    _backfill()


def _backfill() -> None:
    """Facts of the stored records, site by site in change order (a superseded record was
    stored before, or in the same push as, the record that supersedes it)."""
    # the derivation the store uses for new records: one definition of what a fact is
    from sync_server.storage.base import StoredRecord
    from sync_server.storage.facts import FACT_COLUMNS, fact_rows
    from sync_server.storage.sql.engine import loads

    bind = op.get_bind()
    meta = sa.MetaData()
    records = sa.Table("records", meta, autoload_with=bind)
    sites = sa.Table("sites", meta, autoload_with=bind)
    facts = sa.Table("record_facts", meta, autoload_with=bind)
    columns = ["id", "site_id", "type", "rep", "phone_key", "supersedes", "estimated_at", "wire"]
    for site_id, offset in bind.execute(sa.select(sites.c.id, sites.c.utc_offset_minutes)).all():
        placed: dict[str, tuple[str, str, str]] = {}
        superseded = {sid for (sid,) in bind.execute(sa.select(records.c.supersedes).distinct().where(
            records.c.site_id == site_id, records.c.supersedes.is_not(None)))}  # only these need placing later
        after: tuple[int, str] = (-1, "")
        while True:  # pages by (change id, id), so no cursor stays open across the inserts
            chunk = bind.execute(sa.select(*[records.c[c] for c in columns], records.c.change_id).where(
                records.c.site_id == site_id, sa.tuple_(records.c.change_id, records.c.id) > sa.tuple_(*after))
                .order_by(records.c.change_id, records.c.id).limit(_BATCH)).all()
            if not chunk:
                break
            after = (chunk[-1].change_id, chunk[-1].id)
            stored = [StoredRecord(id=r.id, site_id=r.site_id, device_id="", author="", seq=0, type=r.type,
                                   rep=r.rep, phone_key=r.phone_key, household_key=None, supersedes=r.supersedes,
                                   captured_at="", estimated_at=r.estimated_at, uncertainty_ms=0, clock_method="",
                                   received_at="", digest="", wire=loads(r.wire) or {}) for r in chunk]
            rows = fact_rows(stored, offset, placed)
            placed.update((row["record_id"], (row["root_id"], row["local_day"], row["local_week"]))
                          for row in rows if row["record_id"] in superseded)
            bind.execute(facts.insert(), [{c: row[c] for c in FACT_COLUMNS} for row in rows])
        # what a later record superseded, and every version of a withdrawn chain, no longer counts
        gone = sa.select(facts.c.root_id).where(facts.c.site_id == site_id, facts.c.type == "withdrawal")
        later = sa.select(facts.c.supersedes).where(facts.c.site_id == site_id, facts.c.supersedes.is_not(None))
        bind.execute(facts.update().where(facts.c.site_id == site_id, facts.c.record_id.in_(later)).values(live=False))
        bind.execute(facts.update().where(facts.c.site_id == site_id, facts.c.root_id.in_(gone)).values(live=False))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
