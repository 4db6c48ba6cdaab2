"""QA of issue 11, F5: a database upgraded from ``0026_held_phone_tags`` whose funnel counted
every 小定 of one unit (three tablets' records of 张伟's 小定 on 3-1201 read 3) counts it once
after ``0027_deal_repeats`` — the first captured, its rep and amount — and the kept rollups
equal the ones counted afresh. Both backends.

The database: the store's schema at the head, its repeats' facts set back to ``stage`` and
their days counted as 0026 counted them, stamped at 0026."""

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


def _deal(seq: int, at: str, rep: str, amount: int, unit: str = "3-1201"):
    return make_record(seq=seq, id=f"u27-{seq}", type="deal", phone_key=ZHANG, rep=rep, estimated_at=at,
                       data={"stage": "small_deposit", "unit": unit, "amount": amount})


def _as_0026_left_it(db_url: str) -> None:
    store = open_store(db_url)
    try:
        seed(store)
        deals = [_deal(1, "2026-12-02T12:00:00.000+08:00", "wang.li", 20000),
                 _deal(2, "2026-12-02T12:30:00.000+08:00", "chen.jie", 30000),
                 _deal(3, "2026-12-03T09:00:00.000+08:00", "wang.li", 20000),
                 _deal(4, "2026-12-03T10:00:00.000+08:00", "wang.li", 8000, unit="3-1202")]
        with store.write("s1"):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in deals])
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE record_facts SET event = 'stage' WHERE event = 'repeat'"))
            count_fact_days(conn, "s1", ["2026-12-02", "2026-12-03"])
            count_funnel_days(conn, "s1", ["2026-12-02", "2026-12-03"])
            conn.execute(text("UPDATE alembic_version SET version_num = '0026_held_phone_tags'"))
    finally:
        store.close()


def _small_deposits(store) -> tuple[int, float, dict[str, int]]:
    reporting = open_reporting(store)
    [total] = reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
    reps = {r.key: r.small_deposits for r in reporting.funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "rep")}
    return total.small_deposits, total.small_deposit_amount, reps


def test_upgrade_0027_counts_a_units_stage_once(db_url):
    _as_0026_left_it(db_url)
    assert funnel_sums(db_url, "small_deposits", "small_deposit_amount") == (4, 78000.0)  # as 0026 counted
    assert upgrade(db_url) == ["0027_deal_repeats", "0028_fork_tips", "0029_cancellation_repeats",
         "0030_complaint_step_order", "0031_correction_links", "0032_cancelled_units"] and current(db_url) == head_revision()
    store = open_store(db_url)
    try:
        assert _small_deposits(store) == (2, 28000.0, {"chen.jie": 0, "wang.li": 2})
        kept = kept_rollups(store)
        with store.engine.begin() as conn:
            rebuild_rollups(conn, "s1")
        assert kept_rollups(store) == kept
    finally:
        store.close()
