"""A database upgraded from ``0030_complaint_step_order`` whose corrections to another phone had
linked both phones as a household keeps its real household links and loses those after
``0031_correction_links`` (QA of issue 15, finding 2). Both backends.

The database: the store's schema at the head, a walk-in corrected from one phone to another and
a household walk-in naming a third phone, with the links the push made before (the household's,
and the correction's), stamped at 0030."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from sync_server.storage import open_store
from sync_server.storage.migrations import current, head_revision, upgrade
from sync_server.storage.sql.engine import make_admin_engine
from sync_server.storage.sql.tables import customer_links
from tests.storage.records import make_record, seed

MISTYPED, RIGHT, SPOUSE = "+8613800138000", "+8613912345678", "+8613700137000"


def _links(db_url: str) -> set[tuple[str, str]]:
    """The site's links as stored, read without opening the store (which would upgrade it)."""
    engine = make_admin_engine(db_url)
    try:
        with engine.connect() as conn:
            return {(k, o) for k, o in conn.execute(select(customer_links.c.phone_key, customer_links.c.linked_key)
                                                    .where(customer_links.c.site_id == "s1"))}
    finally:
        engine.dispose()


def _as_0030_left_it(db_url: str) -> None:
    store = open_store(db_url)
    try:
        seed(store)
        first = make_record(seq=1, id="u31-first", phone_key=MISTYPED, name="李娜")
        fixed = make_record(seq=2, id="u31-fixed", phone_key=RIGHT, name="李娜", supersedes=first.id,
                            estimated_at="2026-11-20T11:00:00.000+08:00")
        spouse = make_record(seq=3, id="u31-spouse", phone_key=SPOUSE, household_key=RIGHT, name="王强",
                             rep="chen.jie", estimated_at="2026-11-20T12:00:00.000+08:00")
        with store.write("s1"):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in (first, fixed, spouse)])
            store.add_links("s1", [(MISTYPED, None), (RIGHT, None), (RIGHT, MISTYPED), (SPOUSE, RIGHT)])
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0030_complaint_step_order'")
    finally:
        store.close()


def test_upgrade_0031_drops_the_links_corrections_made_and_keeps_the_households(db_url):
    _as_0030_left_it(db_url)
    assert (RIGHT, MISTYPED) in _links(db_url)
    assert upgrade(db_url) == ["0031_correction_links", "0032_cancelled_units"] and current(db_url) == head_revision()
    assert _links(db_url) == {(MISTYPED, ""), (RIGHT, ""), (SPOUSE, RIGHT)}
