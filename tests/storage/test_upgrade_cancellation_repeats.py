"""QA15 A: a database upgraded from ``0028_fork_tips`` whose funnel counted both 退订 of one deal
(two tablets' records of 张伟's 退订: 退订 2, 退订金额 35,000) counts it once after
``0029_cancellation_repeats`` — the first captured, its amount — and the kept rollups equal the
ones counted afresh. Both backends.

The database: the store's schema at the head, its repeated 退订's facts set back to
``cancellation`` and their days counted as 0028 counted them, stamped at 0028."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import text

from sync_server.storage import open_reporting, open_store
from sync_server.storage.migrations import current, head_revision, upgrade
from sync_server.storage.sql.rollups import count_fact_days, count_funnel_days, rebuild_rollups
from tests.storage.records import make_record, seed
from tests.storage.upgrade_rollups import funnel_sums, kept_rollups

ZHANG = "+8613800138000"


def _deal(seq: int, at: str, rep: str, amount: int, **data):
    return make_record(seq=seq, id=f"u29-{seq}", type="deal", phone_key=ZHANG, rep=rep, estimated_at=at,
                       data={"stage": "small_deposit", "unit": "3-1201", "amount": amount, **data})


def _as_0028_left_it(db_url: str) -> None:
    store = open_store(db_url)
    try:
        seed(store)
        deals = [_deal(1, "2026-12-02T12:00:00.000+08:00", "wang.li", 20000),
                 _deal(2, "2026-12-04T10:00:00.000+08:00", "wang.li", 20000, event="cancellation",
                       refers_to="u29-1", reason="客户放弃"),
                 _deal(3, "2026-12-03T18:00:00.000+08:00", "chen.jie", 15000, event="cancellation",
                       refers_to="u29-1", reason="客户放弃")]
        with store.write("s1"):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in deals])
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE record_facts SET event = 'cancellation' WHERE event = 'repeat'"))
            count_fact_days(conn, "s1", ["2026-12-02", "2026-12-03", "2026-12-04"])
            count_funnel_days(conn, "s1", ["2026-12-02", "2026-12-03", "2026-12-04"])
            conn.execute(text("UPDATE alembic_version SET version_num = '0028_fork_tips'"))
    finally:
        store.close()


def test_upgrade_0029_counts_a_deals_cancellation_once(db_url):
    _as_0028_left_it(db_url)
    assert funnel_sums(db_url, "cancellations", "cancelled_amount") == (2, 35000.0)  # as 0028 counted
    assert upgrade(db_url) == ["0029_cancellation_repeats", "0030_complaint_step_order", "0031_correction_links", "0032_cancelled_units"]
    assert current(db_url) == head_revision()
    store = open_store(db_url)
    try:
        [total] = open_reporting(store).funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
        assert (total.cancellations, total.cancelled_amount, total.small_deposits) == (1, 15000.0, 1)  # 陈杰's, first
        kept = kept_rollups(store)
        with store.engine.begin() as conn:
            rebuild_rollups(conn, "s1")
        assert kept_rollups(store) == kept
    finally:
        store.close()
