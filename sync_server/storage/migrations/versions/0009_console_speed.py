"""Indexes for the console at a million records (issue 11, ``bench/console.py``).

- ``records_site_type_time (site_id, type, estimated_at)``: a day's or a range's records of
  some types (the day confirmation, the care queue, the exports) are read by a range of the
  stored UTC text instead of every record of the site;
- ``records_site_device_received (site_id, device_id, received_at)``: a tablet's last sync on
  the devices page is the top of this index, not a walk through the device's records;
- ``conflicts_site_status (site_id, status)``: the open disputes without every conflict ever;
- ``customers_site_name (site_id, name, id)``: the customer search walks this index in the
  order it lists (name, id) and stops at the 50th match instead of sorting every match (not
  covering phone_key on purpose: SQLite then took it, a scan, over the unique
  ``(site_id, phone_key)`` for look-ups by phone).

Revision ID: 0009_console_speed
Revises: 0008_audit_log
"""

from __future__ import annotations

from alembic import op

revision = "0009_console_speed"
down_revision = "0008_audit_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("records_site_type_time", "records", ["site_id", "type", "estimated_at"])
    op.create_index("records_site_device_received", "records", ["site_id", "device_id", "received_at"])
    op.create_index("conflicts_site_status", "conflicts", ["site_id", "status"])
    op.create_index("customers_site_name", "customers", ["site_id", "name", "id"])


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
