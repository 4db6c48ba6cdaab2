"""A correction to another phone links no household (QA of issue 15, finding 2): until now a
correction whose phone differed from the record it superseded (a mistyped number fixed) linked
both phones in ``customer_links`` as one household unit, so a stranger later registered on the
mistyped number shared the customer 50/50. A unit now reads the other versions of its records'
chains wherever their phones are (``Store.with_chains``). The upgrade removes the links no
record's ``household_key`` stands for (either way round; a key's own entry stays), and decides
again no customer: the customers of the phones unlinked read as before until their next push,
decision or hand-over decides them.

Revision ID: 0031_correction_links
Revises: 0030_complaint_step_order
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031_correction_links"
down_revision = "0030_complaint_step_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().execute(sa.text(
        "DELETE FROM customer_links WHERE linked_key <> '' AND linked_key <> phone_key AND NOT EXISTS ("
        " SELECT 1 FROM records r WHERE r.site_id = customer_links.site_id AND ("
        "  (r.phone_key = customer_links.phone_key AND r.household_key = customer_links.linked_key)"
        "  OR (r.phone_key = customer_links.linked_key AND r.household_key = customer_links.phone_key)))"))


def downgrade() -> None:
    raise NotImplementedError("fieldsync migrations go forward only")
