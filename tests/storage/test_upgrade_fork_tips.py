"""A database upgraded from ``0027_deal_repeats`` whose forked chains counted every tip (a walk-in
corrected on two tablets read two registrations; two corrections of one 小定, two 小定) counts
each chain once after ``0028_fork_tips`` — by its later correction — and the rollups kept equal
the ones counted afresh. Both backends.

The database: the store's schema at the head, both tips of each fork set live again and the
rollups counted as 0027 counted them, stamped at 0027."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import text

from sync_server.storage import open_reporting, open_store
from sync_server.storage.migrations import current, head_revision, upgrade
from sync_server.storage.sql.rollups import rebuild_rollups
from tests.storage.records import make_record, seed
from tests.storage.upgrade_rollups import funnel_sums, kept_rollups

ZHANG = "+8613800138000"


def _records() -> list:
    walkin = make_record(seq=1, id="u28-walkin", phone_key=ZHANG, estimated_at="2026-12-02T10:00:00.000+08:00",
                         data={"source": "walk_in", "visit": "first", "party_size": 2})
    deal = make_record(seq=2, id="u28-deal", type="deal", phone_key=ZHANG, estimated_at="2026-12-02T11:00:00.000+08:00",
                       data={"stage": "small_deposit", "unit": "3-1201", "amount": 20000})
    forks = [replace(walkin, id=f"u28-walkin-{i}", seq=3 + i, supersedes=walkin.id, estimated_at=at,
                     wire={**walkin.wire, "id": f"u28-walkin-{i}", "data": {**walkin.wire["data"], "party_size": n}})
             for i, (at, n) in enumerate((("2026-12-02T12:00:00.000+08:00", 3), ("2026-12-02T13:00:00.000+08:00", 4)))]
    forks += [replace(deal, id=f"u28-deal-{i}", seq=5 + i, supersedes=deal.id, estimated_at=at,
                      wire={**deal.wire, "id": f"u28-deal-{i}", "data": {**deal.wire["data"], "unit": unit,
                                                                          "amount": amount}})
              for i, (at, unit, amount) in enumerate((("2026-12-02T12:00:00.000+08:00", "3-1202", 21000),
                                                      ("2026-12-02T13:00:00.000+08:00", "3-1203", 22000)))]
    return [walkin, deal, *forks]


def _as_0027_left_it(db_url: str) -> None:
    store = open_store(db_url)
    try:
        seed(store)
        with store.write("s1"):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in _records()])
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE record_facts SET live = :yes WHERE record_id IN"
                              " ('u28-walkin-0', 'u28-walkin-1', 'u28-deal-0', 'u28-deal-1')"), {"yes": True})
            rebuild_rollups(conn, "s1")
            conn.execute(text("UPDATE alembic_version SET version_num = '0027_deal_repeats'"))
    finally:
        store.close()


def test_upgrade_0028_counts_a_forked_chain_once_by_its_later_correction(db_url):
    _as_0027_left_it(db_url)
    assert funnel_sums(db_url, "registrations", "small_deposits", "small_deposit_amount") == (
        2, 2, 43000.0)  # as 0027 counted
    assert upgrade(db_url) == ["0028_fork_tips", "0029_cancellation_repeats",
         "0030_complaint_step_order", "0031_correction_links", "0032_cancelled_units"] and current(db_url) == head_revision()
    store = open_store(db_url)
    try:
        [total] = open_reporting(store).funnel("s1", date(2026, 11, 30), date(2026, 12, 6), "total")
        assert (total.registrations, total.people, total.small_deposits, total.small_deposit_amount) == (
            1, 4, 1, 22000.0)
        kept = kept_rollups(store)
        with store.engine.begin() as conn:
            rebuild_rollups(conn, "s1")
        assert kept_rollups(store) == kept
    finally:
        store.close()
