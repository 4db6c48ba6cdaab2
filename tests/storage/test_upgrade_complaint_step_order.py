"""QA15 A: a database upgraded from ``0029_cancellation_repeats`` whose care page kept a closed
complaint as open (a 已回应 captured after its 结案 made the case's status the latest step's) reads
it finished after ``0030_complaint_step_order``; an open case stays as it was. Both backends.

The database: the store's schema at the head with the row 0029 kept for the closed case put
back, stamped at 0029."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from sync_server.storage import open_reporting, open_store
from sync_server.storage.migrations import current, head_revision, upgrade
from tests.storage.records import make_record, seed

LI = "+8613912345678"
CST = timezone(timedelta(hours=8))


def _complaint(seq: int, at: str, status: str, case: str = "u30-1", **data):
    body = {"status": status, **({"refers_to": case} if status != "open" else {"content": "漏水"}), **data}
    return make_record(seq=seq, id=f"u30-{seq}", type="complaint", phone_key=LI, rep="wang.li", estimated_at=at,
                       data=body)


def test_upgrade_0030_reads_a_case_closed_before_its_last_step_finished(db_url):
    store = open_store(db_url)
    try:
        seed(store)
        records = [_complaint(1, "2026-12-01T09:00:00.000+08:00", "open"),
                   _complaint(2, "2026-12-01T10:00:00.000+08:00", "closed"),
                   _complaint(3, "2026-12-01T11:00:00.000+08:00", "responded"),
                   _complaint(4, "2026-12-02T09:00:00.000+08:00", "open", case=""),
                   _complaint(5, "2026-12-02T09:30:00.000+08:00", "responded", case="u30-4")]
        with store.write("s1"):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in records])
        with store.engine.begin() as conn:
            kept = conn.execute(text("SELECT next_due, opened_at FROM complaint_cases WHERE case_id = 'u30-4'")).one()
            conn.execute(text("INSERT INTO complaint_cases (site_id, case_id, next_due, opened_at) "
                              "VALUES ('s1', 'u30-1', :due, :opened)"), {"due": kept[0], "opened": kept[1]})
            conn.execute(text("UPDATE alembic_version SET version_num = '0029_cancellation_repeats'"))
    finally:
        store.close()
    assert upgrade(db_url) == ["0030_complaint_step_order", "0031_correction_links", "0032_cancelled_units"] and current(db_url) == head_revision()
    store = open_store(db_url)
    try:
        total, _, _, page = open_reporting(store).open_cases("s1", datetime(2026, 12, 3, tzinfo=CST))
        assert (total, page) == (1, ["u30-4"])
    finally:
        store.close()
