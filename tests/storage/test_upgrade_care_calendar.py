"""Issue 11: a database upgraded from the previous head (``0021_held_dismissals``) whose sites had
kept complaint cases when ``0018_care_calendar`` ran (``care_calendar.version`` None: "stale"
on every console page until ``care rebuild``) gets the installed calendar recorded by
``0022_care_calendar_known`` for each site whose kept rows a rebuild would not change; a site
where it would (a row kept by another calendar) stays stale, and a rebuild under way is left to
finish. Both backends.

The database: the store's schema at the head equals ``0021_held_dismissals``'s but for
``0023_held_capture_order`` (0022 changes data only), so the sites are seeded through the store,
their ``care_calendar`` rows set as 0018 leaves them, 0023's column and indexes put back as 0021
left them and the database stamped at ``0021_held_dismissals``; ``upgrade`` then runs 0022 (and
0023) as on a server upgraded from that release. Ids derive from the test (replayable)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, text, update

from shared.working_calendar import calendar_version
from sync_server.services import care_calendar
from sync_server.storage import open_store
from sync_server.storage.base import Site
from sync_server.storage.migrations import current, head_revision, upgrade
from sync_server.storage.sql.tables import care_calendar as care_calendar_table
from sync_server.storage.sql.tables import complaint_cases
from tests.storage.records import make_record

PREVIOUS = "0021_held_dismissals"
AFTER = ["0022_care_calendar_known", "0023_held_capture_order", "0024_records_by_user", "0025_phone_tag2",
         "0026_held_phone_tags", "0027_deal_repeats", "0028_fork_tips", "0029_cancellation_repeats",
         "0030_complaint_step_order", "0031_correction_links", "0032_cancelled_units"]
OLD = "chinesecalendar 1.10.0 (2004–2025)"


def _complaints(store, site_id: str, n: int) -> None:
    """``n`` general complaints opened on 2026-11-27 evening, the odd ones responded."""
    store.add_site(Site(site_id, f"案场{site_id}"))
    records = []
    for i in range(n):
        phone = f"+86139{len(site_id):02d}000{i:03d}"
        opened = make_record(seq=2 * i + 1, site_id=site_id, id=f"{site_id}-c{i:03d}", type="complaint",
                             phone_key=phone, estimated_at=f"2026-11-27T2{i % 4}:00:00.000+08:00",
                             data={"status": "open", "content": "漏水", "severity": "general", "handler": "王丽"})
        records.append(opened)
        if i % 2:
            records.append(make_record(seq=2 * i + 2, site_id=site_id, id=f"{site_id}-s{i:03d}", type="complaint",
                                       phone_key=phone, estimated_at=f"2026-11-27T23:{10 + i}:00.000+08:00",
                                       data={"status": "responded", "refers_to": opened.id}))
    if records:
        with store.write(site_id):
            store.ensure_customers(site_id, {r.phone_key: r.name for r in records})
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in records])


def _as_previous_release_left_it(db_url: str) -> None:
    """Sites ``kept`` (cases computed by the installed calendar), ``moved`` (one kept row as
    another calendar left it), ``busy`` (a rebuild under way), ``empty`` (no case: 0018 recorded
    the installed calendar); the first three at version None; stamped at ``PREVIOUS``."""
    store = open_store(db_url)
    try:
        for site_id, n in (("kept", 3), ("moved", 2), ("busy", 2), ("empty", 0)):
            _complaints(store, site_id, n)
        with store.engine.begin() as conn:
            t = care_calendar_table.c
            conn.execute(update(care_calendar_table).where(t.site_id.in_(["kept", "moved", "busy"]))
                         .values(version=None))
            conn.execute(update(care_calendar_table).where(t.site_id == "busy")
                         .values(rebuild_version=calendar_version(), rebuild_after="busy-c000"))
            c = complaint_cases.c
            conn.execute(update(complaint_cases).where(c.site_id == "moved", c.case_id == "moved-c001")
                         .values(next_due="2026-11-28T01:00:00.000Z"))
            _back_to_previous(conn)
    finally:
        store.close()


def _back_to_previous(conn) -> None:
    """The schema as ``PREVIOUS`` left it (without 0023's ``held_records.captured_at`` and its
    indexes, nor 0024's indexes of records by user, nor 0025's ``customers.phone_tag2``, its
    index and ``users.tag2_since``, nor 0026's ``held_phone_tags``), stamped at ``PREVIOUS``."""
    conn.execute(text("DROP TABLE held_phone_tags"))
    for index in ("held_records_site_time", "held_records_site_author", "records_site_author_phone",
                  "records_site_rep_phone", "customers_untagged2"):
        conn.execute(text(f"DROP INDEX {index}"))
    conn.execute(text("ALTER TABLE customers DROP COLUMN phone_tag2"))
    conn.execute(text("ALTER TABLE users DROP COLUMN tag2_since"))
    conn.execute(text("ALTER TABLE held_records DROP COLUMN captured_at"))
    conn.execute(text("CREATE INDEX held_records_site_time ON held_records (site_id, held_at, phone_key, record_id)"))
    conn.execute(text("CREATE INDEX held_records_site_author ON held_records (site_id, author, held_at, phone_key,"
                      " record_id)"))
    conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": PREVIOUS})


def test_upgrading_records_the_installed_calendar_where_a_rebuild_would_change_nothing(db_url):
    _as_previous_release_left_it(db_url)
    assert current(db_url) == PREVIOUS
    assert upgrade(db_url) == AFTER and current(db_url) == head_revision()
    store = open_store(db_url)
    try:
        installed = calendar_version()
        assert care_calendar.stale(store, "kept") is None  # no banner: nothing a rebuild would change
        assert store.care_calendar("kept").version == installed
        assert care_calendar.stale(store, "moved") == care_calendar.Stale("moved", None, installed)
        assert store.care_calendar("busy").version is None  # its rebuild records the version when done
        assert store.care_calendar("empty").version == installed
        with store.engine.connect() as conn:  # nothing kept was written
            moved = conn.execute(select(complaint_cases.c.next_due).where(
                complaint_cases.c.case_id == "moved-c001")).scalar_one()
        assert moved == "2026-11-28T01:00:00.000Z"
        assert upgrade(db_url) == []
    finally:
        store.close()


def test_a_site_left_at_another_recorded_calendar_is_not_touched(db_url):
    """0021 settles the unknown (None) only: a recorded older calendar is care rebuild's."""
    _as_previous_release_left_it(db_url)
    store = open_store(db_url)  # opening upgrades: 0021 runs here
    try:
        with store.engine.begin() as conn:
            conn.execute(update(care_calendar_table).where(care_calendar_table.c.site_id == "kept")
                         .values(version=OLD))
            _back_to_previous(conn)
        assert upgrade(db_url) == AFTER
        assert store.care_calendar("kept").version == OLD
    finally:
        store.close()


def test_qa5_f6c_upgrading_gives_held_records_their_capture_times(db_url):
    """0023_held_capture_order fills ``held_records.captured_at`` from the records' estimated
    capture times, so a page of held records upgraded from 0021 comes in capture order too."""
    from sync_server.storage.base import HeldRecord
    from tests.storage.records import seed

    store = open_store(db_url)
    try:
        seed(store)
        times = ["2026-11-20T01:00:03.000Z", "2026-11-20T01:00:01.000Z"]
        rows = [make_record(seq=n + 1, id=f"f6c-{n}", author="wang.li", phone_key=f"+86137555500{9 - n:02d}",
                            estimated_at=times[n]) for n in range(2)]
        with store.write("s1"):
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
            store.hold_records([HeldRecord("s1", r.id, "wang.li", r.phone_key, "2026-11-20T02:00:00.000Z")
                                for r in rows])  # as 0021 held them: no capture time
        with store.engine.begin() as conn:
            _back_to_previous(conn)
        assert upgrade(db_url) == AFTER
        page = store.held_page("s1", 0, 10)
        assert [(h.record_id, h.captured_at) for h in page] == [("f6c-1", times[1]), ("f6c-0", times[0])]
    finally:
        store.close()
