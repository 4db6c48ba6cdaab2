"""The console's 待确认归属 reads of held records (issue 14 follow-up) in the storage contract,
on SQLite and on PostgreSQL: a count for the navigation's badge, pages of 100 the longest
waiting first (``held_records_site_time``), every held record of a phone, the held records
captured in a range (the numbers page's line) — one site's only."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from sqlalchemy import text

from sync_server.storage.base import Device, HeldRecord, Site
from tests.storage.records import make_record, seed


def _id(n: int) -> str:
    return str(uuid.UUID(int=n))  # replayable ids


@pytest.fixture
def held(store) -> list[HeldRecord]:
    """250 records of 王丽 (device d1), held in reverse id order a second apart, naming five
    phones; a held record of another site; a record that is not held."""
    seed(store)
    store.add_site(Site("s2", "二号"))
    store.add_device(Device("d9", "s2", "zhao.min", "other desk", "2026-11-20T00:00:00.000Z"), "t9")
    types = ("walkin", "call", "follow_up", "visit_report", "complaint", "deal")
    rows = [make_record(seq=n, id=_id(n), author="wang.li", type=types[n % 6], phone_key=f"+861375555000{n % 5}",
                        estimated_at=f"2026-11-{20 + n % 3}T10:{n % 60:02d}:00.000+08:00") for n in range(1, 251)]
    rows.append(make_record(seq=251, id=_id(251), phone_key="+8613900000000"))
    other = make_record(seq=1, id=_id(999), site_id="s2", device_id="d9", author="zhao.min", phone_key="+8613755550001")
    marks = [HeldRecord("s1", r.id, "wang.li", r.phone_key, f"2026-11-20T02:{(250 - r.seq) // 60:02d}:"
                                                             f"{(250 - r.seq) % 60:02d}.000Z", r.estimated_at)
             for r in rows[:250]]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
        store.hold_records(marks)
    with store.write("s2"):
        store.insert_records([replace(other, change_id=store.next_change_id())])
        store.hold_records([HeldRecord("s2", other.id, "zhao.min", other.phone_key, "2026-11-19T00:00:00.000Z")])
    return marks


def test_held_records_count_and_page_the_longest_waiting_first(store, held):
    assert store.held_count("s1") == 250 and store.held_count("s2") == 1 and store.held_count("nowhere") == 0
    pages = [store.held_page("s1", offset, 100) for offset in (0, 100, 200, 300)]
    assert [len(p) for p in pages] == [100, 100, 50, 0]
    expected = sorted(held, key=lambda h: (h.held_at, h.captured_at, h.record_id))
    assert [h for page in pages for h in page] == expected
    assert pages[0][0].record_id == _id(250)  # held first (the push order reversed), waited longest


def test_every_held_record_of_a_phone_any_author(store, held):
    mine = store.held_of_phones("s1", ["+8613755550001"])
    assert {h.record_id for h in mine} == {_id(n) for n in range(1, 251) if n % 5 == 1}
    assert all(h.site_id == "s1" for h in mine)  # the other site's record of the same phone is not there
    assert store.held_of_phones("s1", ["+8613900000000"]) == []  # stored, never held


def test_held_records_captured_in_a_range_by_text_bounds(store, held):
    captured = store.held_captured("s1", "2026-11-21", "2026-11-22")
    assert sorted(rid for rid, _, _ in captured) == sorted(_id(n) for n in range(1, 251) if n % 3 == 1)
    assert {kind for _, kind, _ in captured} <= {"walkin", "call", "follow_up", "visit_report", "complaint", "deal"}


def test_a_release_takes_them_off_every_read(store, held):
    with store.write("s1"):
        released = store.release_held("s1", ["+8613755550001"])
    assert len(released) == 50
    assert store.held_count("s1") == 200 and store.held_of_phones("s1", ["+8613755550001"]) == []
    assert all(h.phone_key != "+8613755550001" for h in store.held_page("s1", 0, 300))
    assert store.held_count("s2") == 1


def test_sqlite_pages_held_records_through_their_index(store, held, db_url):
    """The page's query walks ``held_records_site_time`` (0019) and sorts nothing."""
    plan = _sqlite_plan(db_url, "WHERE site_id = 's1' ORDER BY held_at, captured_at, record_id LIMIT 100 OFFSET 100")
    assert "held_records_site_time" in plan and "TEMP B-TREE" not in plan, plan


def test_a_refusal_moves_them_off_the_page_and_keeps_them_held_for_ever(store, held):
    """不予确认 (issue 14 N3): the records leave the count, the page and the phone's held records,
    are not released by a release of their phone, keep their phone held for their author, get
    new change ids (their tablets pull them again), and say who refused them, when and why."""
    ids = [_id(n) for n in range(1, 251) if n % 5 == 2]  # the 50 of +8613755550002
    before = {r.id: r.change_id for r in store.records_by_ids("s1", ids)}
    with store.write("s1"):
        done = store.dismiss_held("s1", [*ids, _id(251), _id(999)], "zhao.min", "2026-11-21T01:00:00.000Z", "试号码")
    assert done == sorted(ids)  # not held (251) and another site's (999) are left alone
    assert store.held_count("s1") == 200 and store.held_count("s1", author="wang.li") == 200
    assert store.held_of_phones("s1", ["+8613755550002"]) == []
    assert all(h.record_id not in ids for h in store.held_page("s1", 0, 300))
    refused = store.dismissed("s1", [*ids, _id(1)])
    assert set(refused) == set(ids)
    assert {(d.dismissed_by, d.dismissed_at, d.reason, d.held.author) for d in refused.values()} == {
        ("zhao.min", "2026-11-21T01:00:00.000Z", "试号码", "wang.li")}
    assert len(store.dismissed_of_phones("s1", ["+8613755550002"])) == 50
    assert store.dismissed("s2", ids) == {}
    # QA5 F6d: the pusher's page says how many were refused
    assert store.dismissed_count("s1") == store.dismissed_count("s1", author="wang.li") == 50
    assert store.dismissed_count("s1", author="zhang.qiang") == 0 and store.dismissed_count("s2") == 0
    after = {r.id: r.change_id for r in store.records_by_ids("s1", ids)}
    assert all(after[i] > before[i] for i in ids)
    assert store.held_keys("s1", ["+8613755550002"], author="wang.li") == {"+8613755550002"}
    with store.write("s1"):
        assert store.release_held("s1", ["+8613755550002"]) == []
        assert store.dismiss_held("s1", ids, "zhao.min", "2026-11-22T00:00:00.000Z", "again") == []
    assert len(store.dismissed_of_phones("s1", ["+8613755550002"])) == 50
    assert store.dismissed("s1", ids[:1])[ids[0]].reason == "试号码"


def test_qa5_f6c_one_pushs_held_records_are_paged_in_capture_order_then_by_id(store):
    """QA5 F6c: a push's held records (one ``held_at``) came by phone key, not in the order they
    were captured; now by capture time, then record id (two of the same instant)."""
    seed(store)
    at = "2026-11-20T02:00:00.000Z"
    captured = ["2026-11-20T01:00:03.000Z", "2026-11-20T01:00:01.000Z", "2026-11-20T01:00:02.000Z",
                "2026-11-20T01:00:02.000Z"]
    phones = ["+8613755550001", "+8613755550009", "+8613755550005", "+8613755550002"]
    rows = [make_record(seq=n + 1, id=_id(500 + n), author="wang.li", phone_key=phones[n], estimated_at=captured[n])
            for n in range(4)]
    marks = [HeldRecord("s1", r.id, "wang.li", r.phone_key, at, r.estimated_at) for r in rows]
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
        store.hold_records(marks)
    order = [h.record_id for h in store.held_page("s1", 0, 100)]
    assert order == [_id(501), _id(502), _id(503), _id(500)], order
    assert [h.record_id for h in store.held_page("s1", 0, 100, author="wang.li")] == order
    assert store.held_page("s1", 0, 100)[0].captured_at == "2026-11-20T01:00:01.000Z"


def test_held_records_by_pusher_and_their_counts(store, held):
    assert store.held_pushers("s1") == [("wang.li", "d1", 250)]
    assert store.held_pushers("s2") == [("zhao.min", "d9", 1)]
    assert store.held_count("s1", author="zhang.qiang") == 0 and store.held_page("s1", author="zhang.qiang") == []
    mine = [h for offset in (0, 100, 200) for h in store.held_page("s1", offset, 100, author="wang.li")]
    assert mine == sorted(held, key=lambda h: (h.held_at, h.captured_at, h.record_id))


def test_sqlite_pages_one_pushers_held_records_through_their_index(store, held, db_url):
    """One pusher's page walks ``held_records_site_author`` (0021) and sorts nothing."""
    plan = _sqlite_plan(db_url, "WHERE site_id = 's1' AND author = 'wang.li' ORDER BY held_at, captured_at, record_id "
                        "LIMIT 100")
    assert "held_records_site_author" in plan and "TEMP B-TREE" not in plan, plan


def _sqlite_plan(db_url: str, where: str) -> str:
    """SQLite's plan of the held page's read with ``where`` (the test is skipped on PostgreSQL,
    which plans by its statistics)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's plan; PostgreSQL plans by its statistics")
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    with engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT site_id, record_id, author, phone_key, held_at FROM held_records " + where)))
    engine.dispose()
    return plan
