"""Complaint cases in the office's order (QA15 A): a case ignores steps captured after its first
结案 and satisfaction checks captured before its first resolution, and its status is the furthest
step reached (``shared.complaints.build_case``). No column changes; the upgrade computes again
the cases the new order can change — those with a 结案 or a satisfaction check (a case with a step
after its closing read unfinished) —, as the push does for the cases it touches; the others keep
the rows their working calendar made (``care_calendar``).

Revision ID: 0030_complaint_step_order
Revises: 0029_cancellation_repeats
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_complaint_step_order"
down_revision = "0029_cancellation_repeats"
branch_labels = None
depends_on = None


_STEPS = sa.text("SELECT s.case_id, r.wire FROM complaint_steps s JOIN records r "
                 "ON r.site_id = s.site_id AND r.id = s.record_id WHERE s.site_id = :site AND r.type = 'complaint'")


def upgrade() -> None:
    from sync_server.storage.sql.care import refresh_cases, site_calendar
    from sync_server.storage.sql.engine import loads

    bind = op.get_bind()
    for (site_id,) in bind.execute(sa.text("SELECT id FROM sites ORDER BY id")).all():
        # only the cases the new order can change: those with a closing or a satisfaction check
        # (the others keep the rows their calendar made: care_calendar records which, 0018)
        cases = sorted({case for case, wire in bind.execute(_STEPS, {"site": site_id})
                        if ((loads(wire) or {}).get("data") or {}).get("status") in ("closed", "satisfaction_checked")})
        if cases:
            zone, calendar = site_calendar(bind, site_id)
            refresh_cases(bind, site_id, cases, zone, calendar)


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
