"""A rep's tablet holds the phone tags of its own customers and of the phones its own records
named, no other (issue 14, docs/privacy.md "What a rep's tablet holds"): a pull finds the
phones a user's records named by ``records_site_author_phone`` and ``records_site_rep_phone``
(index-only: a few thousand rows a rep, not a scan of the site's records).

Revision ID: 0024_records_by_user
Revises: 0023_held_capture_order
"""

from __future__ import annotations

from alembic import op

revision = "0024_records_by_user"
down_revision = "0023_held_capture_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("records_site_author_phone", "records", ["site_id", "author", "phone_key", "household_key"])
    op.create_index("records_site_rep_phone", "records", ["site_id", "rep", "phone_key", "household_key"])


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
