"""Kept complaint deadlines after a working-calendar update (issue 11): every site records the
calendar (``chinesecalendar`` release and the years it covers) its kept ``complaint_cases``
were computed with; a new release makes the site stale until ``care rebuild`` (batched,
resumable, idempotent, audited) computes them again; a change of the site's closed days
computes them in its own write and records the installed calendar. Both backends.

A "new release" is ``chinesecalendar``'s own data as the 2027 release will install it: the
package's table of holidays with 2027-01-01 (元旦) in it and a new ``__version__`` (the real
1.11.0 has no 2027: Monday–Friday without the statutory days). Ids derive from the test
(replayable)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import chinese_calendar
import pytest
from sqlalchemy import select, update

from shared.working_calendar import calendar_version
from sync_server.services import care_calendar
from sync_server.services.audit import Origin
from sync_server.storage import open_reporting
from sync_server.storage.base import Site, UnknownSite
from sync_server.storage.sql.care import rebuild_care
from sync_server.storage.sql.tables import care_calendar as care_calendar_table
from sync_server.storage.sql.tables import complaint_cases
from tests.storage.records import make_record

SITE = "cal1"
CASES = 5
ORIGIN = Origin("zhao.min", "cli", "ops@host")


@pytest.fixture
def new_release(monkeypatch):
    """Install "chinesecalendar 1.12.0" with 2027's 元旦: returns the version text it gives."""
    def install() -> str:
        monkeypatch.setitem(chinese_calendar.holidays, date(2027, 1, 1), "New Year's Day")
        monkeypatch.setattr(chinese_calendar, "__version__", "1.12.0", raising=False)
        return calendar_version()
    return install


def _seed(store, cases: int = CASES) -> list[str]:
    """Site ``SITE`` with ``cases`` general complaints opened on the evening of 2026-12-31 (one
    working day to close: 2027-01-04, 元旦 left out by the statutory fallback and by the release), the odd
    ones responded; returns the case ids."""
    store.add_site(Site(SITE, "日历测试案场"))
    records = []
    for i in range(cases):
        phone = f"+8613900000{i:03d}"
        opened = make_record(seq=2 * i + 1, site_id=SITE, id=f"{SITE}-c{i:03d}", type="complaint", phone_key=phone,
                             estimated_at=f"2026-12-31T2{i % 4}:00:00.000+08:00",
                             data={"status": "open", "content": "漏水", "severity": "general", "handler": "王丽"})
        records.append(opened)
        if i % 2:
            records.append(make_record(seq=2 * i + 2, site_id=SITE, id=f"{SITE}-s{i:03d}", type="complaint",
                                       phone_key=phone, estimated_at=f"2026-12-31T23:{10 + i}:00.000+08:00",
                                       data={"status": "responded", "refers_to": opened.id}))
    with store.write(SITE):
        store.ensure_customers(SITE, {r.phone_key: r.name for r in records})
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in records])
    return sorted(r.id for r in records if r.wire["data"]["status"] == "open")


def _kept(store) -> list[tuple]:
    with store.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(complaint_cases).where(complaint_cases.c.site_id == SITE)))


def _afresh(store) -> list[tuple]:
    """The rows the migration's backfill computes from the records (then restored as they were)."""
    before = _kept(store)
    with store.engine.begin() as conn:
        rebuild_care(conn, SITE)
    fresh = _kept(store)
    with store.engine.begin() as conn:
        conn.execute(complaint_cases.delete().where(complaint_cases.c.site_id == SITE))
        conn.execute(complaint_cases.insert(), [dict(zip(complaint_cases.c.keys(), r, strict=True)) for r in before])
    return fresh


def _rebuilt_audit(store) -> list:
    return [r for r in open_reporting(store).audit_entries([SITE], limit=100).rows if r.action == "care.rebuilt"]


def test_a_new_site_records_the_installed_calendar(store):
    _seed(store)
    row = store.care_calendar(SITE)
    assert (row.version, row.rebuild_version, row.rebuild_after) == (calendar_version(), None, None)
    assert care_calendar.stale(store, SITE) is None
    assert store.care_calendar("no-such-site") is None


def test_a_calendar_release_makes_the_site_stale_until_care_rebuild(store, new_release):
    cases = _seed(store)
    old = calendar_version()
    installed = new_release()
    assert installed != old and "2027" in installed
    assert care_calendar.stale(store, SITE) == care_calendar.Stale(SITE, old, installed)
    assert [s.site_id for s in care_calendar.stale_sites(store)] == [SITE]

    result = care_calendar.rebuild(store, SITE, ORIGIN, batch=2)
    assert (result.cases, result.before, result.version, result.resumed, result.finished) == (
        CASES, old, installed, False, True)
    assert care_calendar.stale(store, SITE) is None
    assert store.care_calendar(SITE).rebuild_after is None
    assert [r[1] for r in _kept(store)] == cases  # every case still unfinished, one row each
    # the kept next deadline is the soonest unmet one: with today's rules an hour step (≤ 24 h),
    # never the working-day close-by limit (≥ 24 h), so no row changes (docs/working_calendar.md)
    assert result.changed == 0
    assert _kept(store) == _afresh(store)  # what the installed calendar computes from the records
    [audit] = _rebuilt_audit(store)
    assert (audit.actor, audit.source, audit.details) == ("zhao.min", "cli", {
        "before": old, "version": installed, "cases": CASES, "changed": result.changed, "resumed": False})


def test_an_interrupted_care_rebuild_continues_where_it_stopped(store, new_release):
    cases = _seed(store)
    old, installed = calendar_version(), new_release()
    first = care_calendar.rebuild(store, SITE, ORIGIN, batch=2, max_batches=1)
    assert (first.cases, first.finished) == (2, False)
    row = store.care_calendar(SITE)
    assert (row.version, row.rebuild_version, row.rebuild_after) == (old, installed, cases[1])
    assert care_calendar.stale(store, SITE) is not None  # not done: still stale
    assert _rebuilt_audit(store) == []  # audited when it finishes

    second = care_calendar.rebuild(store, SITE, ORIGIN, batch=2)
    assert (second.cases, second.resumed, second.finished, second.before) == (CASES - 2, True, True, old)
    assert care_calendar.stale(store, SITE) is None
    assert [a.details["resumed"] for a in _rebuilt_audit(store)] == [True]


def test_care_rebuild_is_idempotent(store, new_release):
    _seed(store)
    new_release()
    care_calendar.rebuild(store, SITE, ORIGIN, batch=3)
    once = _kept(store)
    again = care_calendar.rebuild(store, SITE, ORIGIN, batch=3)
    assert (again.cases, again.changed, again.finished) == (CASES, 0, True)
    assert _kept(store) == once


def test_a_rebuild_with_another_calendar_than_the_installed_one_is_refused(store):
    _seed(store)
    with pytest.raises(ValueError, match="installed calendar"):
        store.rebuild_care_cases(SITE, "chinesecalendar 0.1 (2004–2019)", 10)
    with pytest.raises(UnknownSite):
        care_calendar.rebuild(store, "no-such-site", ORIGIN)


def test_changing_the_closed_days_computes_the_cases_again_with_the_installed_calendar(store, new_release):
    _seed(store)
    installed = new_release()
    assert care_calendar.stale(store, SITE) is not None
    store.update_site(SITE, closed_days=["2027-01-05"])
    assert store.care_calendar(SITE).version == installed
    assert care_calendar.stale(store, SITE) is None
    assert _kept(store) == _afresh(store)


def test_rows_kept_before_the_calendar_was_recorded_show_as_stale(store):
    _seed(store)
    with store.engine.begin() as conn:  # as 0018_care_calendar leaves a site that had kept cases
        conn.execute(update(care_calendar_table).where(care_calendar_table.c.site_id == SITE).values(version=None))
    assert care_calendar.stale(store, SITE) == care_calendar.Stale(SITE, None, calendar_version())
    assert care_calendar.rebuild(store, SITE, ORIGIN).finished
    assert care_calendar.stale(store, SITE) is None
