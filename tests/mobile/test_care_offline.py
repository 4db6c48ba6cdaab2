"""Issue 11 on the tablet's own store (a real SQLite file, no server): the due list and the
open complaints come from what the tablet holds, and change the moment a record is saved."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mobile.services import CareList, MyCustomers, RecordCapture
from shared.errors import RecordInvalid
from tests.mobile.offline_desk import Clock
from tests.mobile.test_store import make_store

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=CST)


@pytest.fixture
def tablet(tmp_path):
    store = make_store(tmp_path)
    clock = Clock(NOW - timedelta(days=20))
    capture = RecordCapture(store, now=clock)
    customers = MyCustomers(store, now=clock)
    return store, clock, capture, CareList(store, customers, now=clock)


def test_the_demos_follow_up_date_sets_the_due_day_before_any_sync(tablet):
    store, clock, capture, care = tablet
    capture.capture("walkin", name="王芳", phone="137 0000 1111", rep="wang.li",
                    data={"visit": "first", "intent": "C"})  # 11-10: monthly, due 12-10
    clock.at = NOW - timedelta(days=2)  # 11-28
    assert [c.due.isoformat() for c in care.customers.due_list("wang.li")] == ["2026-12-10"]
    capture.capture("follow_up", name="王芳", phone="137 0000 1111", rep="wang.li",
                    data={"method": "phone", "content": "约看样板间", "next_action_on": "2026-11-29"})
    clock.at = NOW
    due = care.due_today("wang.li")
    assert [(c.name, c.due.isoformat(), c.reason, c.days_overdue(due.today.date())) for c in due.customers] == [
        ("王芳", "2026-11-29", "follow_up_date", 1)]


def test_a_next_date_in_the_past_is_refused_before_it_is_kept(tablet):
    store, clock, capture, care = tablet
    clock.at = NOW
    with pytest.raises(RecordInvalid) as refused:
        capture.capture("follow_up", name="王芳", phone="137 0000 1111", rep="wang.li",
                        data={"method": "phone", "content": "回访", "next_action_on": "2026-11-29"})
    assert [(p.code, p.field) for p in refused.value.problems] == [("date_in_past", "data.next_action_on")]
    assert store.counts()["total"] == 0


def test_a_regrade_at_a_follow_up_changes_the_cadence_and_most_overdue_comes_first(tablet):
    store, clock, capture, care = tablet
    for name, phone, intent in (("张伟", "138 0013 8000", "B"), ("李娜", "139 0013 9000", "C")):
        capture.capture("walkin", name=name, phone=phone, rep="wang.li", data={"visit": "first", "intent": intent})
    clock.at = NOW - timedelta(days=16)  # 11-14: 李娜 is now grade A, weekly
    capture.capture("follow_up", name="李娜", phone="139 0013 9000", rep="wang.li",
                    data={"method": "visit", "content": "看了两套房", "grade": "A"})
    clock.at = NOW
    due = care.due_today("wang.li")
    assert [(c.name, c.grade, c.days_overdue(NOW.date())) for c in due.customers] == [("李娜", "A", 9), ("张伟", "B", 6)]


def test_open_complaints_come_with_their_next_deadline_and_leave_when_finished(tablet):
    store, clock, capture, care = tablet
    clock.at = NOW - timedelta(hours=2)
    opened = capture.capture("complaint", name="张伟", phone="138 0013 8000", rep=None,
                             data={"status": "open", "content": "样板间漏水", "severity": "major", "handler": "王丽"})
    clock.at = NOW
    [case] = care.open_complaints()
    assert (case.id, case.next_deadline().step, case.overdue(NOW)) == (opened["id"], "respond", True)
    for status in ("responded", "solution_offered", "resolved", "satisfaction_checked"):
        capture.capture("complaint", name="张伟", phone="138 0013 8000", rep=None,
                        data={"status": status, "refers_to": opened["id"]})
    assert care.open_complaints() == []


def test_the_sites_closed_days_pulled_with_the_site_move_the_close_by_limit(tablet):
    """Issue 11: the tablet counts working days as the console does, the site's own closed days
    included (pulled with the site), so a desk and a manager see one close-by time."""
    store, clock, capture, care = tablet
    clock.at = NOW  # Monday 11-30 10:00: a general complaint closes within 1 working day
    capture.capture("complaint", name="张伟", phone="138 0013 8000", rep=None,
                    data={"status": "open", "content": "车位划线不清", "severity": "general", "handler": "王丽"})

    def close_by() -> str:
        [case] = care.open_complaints()
        return next(d.due for d in case.deadlines if d.step == "close").isoformat()

    assert close_by() == "2026-12-01T10:00:00+08:00"
    store.apply_changes([{"change_id": 40, "kind": "site", "site": {
        "id": "s1", "name": "星河湾销售中心", "validity_days": 30, "household": "split", "region": "CN",
        "utc_offset_minutes": 480, "closed_days": ["2026-12-01", "not a day"]}}], cursor="40")
    assert close_by() == "2026-12-02T10:00:00+08:00"  # the closed Tuesday does not count; the bad entry is ignored


def test_a_visit_just_after_midnight_in_beijing_counts_on_its_beijing_day(tablet):
    """CI at 01:17 Beijing: a visit 20 days back at that hour was read on its UTC day (the day
    before), so the due list said 逾期 7 天 where the rep's calendar says 6."""
    store, clock, capture, care = tablet
    clock.at = datetime(2026, 11, 10, 1, 17, tzinfo=CST)  # 11-09 17:17 UTC
    capture.capture("walkin", name="李娜", phone="139 0013 9000", rep="wang.li", data={"visit": "first", "intent": "A"})
    clock.at = datetime(2026, 11, 17, 1, 30, tzinfo=CST)  # weekly: due today in Beijing
    due = care.due_today("wang.li")
    assert [(c.name, c.due.isoformat(), c.days_overdue(due.today.date())) for c in due.customers] == [
        ("李娜", "2026-11-17", 0)]


def test_qa11_f1_a_corrected_complaint_keeps_its_case_and_steps_on_the_tablet(tablet):
    """The opening corrected after it was answered and raised to 较大: the tablet's open
    complaint is still the one case, with its steps; a step naming the original still counts."""
    store, clock, capture, care = tablet
    clock.at = NOW - timedelta(hours=3)
    opened = capture.capture("complaint", name="张伟", phone="138 0013 8000", rep=None,
                             data={"status": "open", "content": "漏水", "severity": "general", "handler": "王丽"})
    for minutes, data in ((120, {"status": "responded"}), (110, {"status": "severity_changed", "severity": "major"})):
        clock.at = NOW - timedelta(minutes=minutes)  # steps minutes apart: a tie would be ordered by id
        capture.capture("complaint", name="张伟", phone="138 0013 8000", rep=None,
                        data={**data, "refers_to": opened["id"]})
    clock.at = NOW - timedelta(minutes=100)
    fixed = capture.correct(opened["id"], data={**opened["data"], "content": "样板间漏水（已核实）"})
    clock.at = NOW - timedelta(minutes=90)
    capture.capture("complaint", name="张伟", phone="138 0013 8000", rep=None,
                    data={"status": "solution_offered", "refers_to": opened["id"]})
    clock.at = NOW
    [case] = care.open_complaints()
    assert fixed["id"] != opened["id"]
    assert (case.id, case.content, case.severity, case.status) == (
        opened["id"], "样板间漏水（已核实）", "major", "solution_offered")
    assert case.next_deadline().step == "result"
    assert case.opened_at == NOW - timedelta(hours=3)  # the correction (100 minutes ago) moves no deadline


def test_qa11_f11_a_list_day_shows_its_year_when_not_this_years():
    from mobile.screens.base import FieldsyncScreen

    today = NOW.date()
    assert FieldsyncScreen.day_text(today, today) == "11-30"
    assert FieldsyncScreen.day_text(datetime(2027, 12, 31).date(), today) == "2027-12-31"
    assert FieldsyncScreen.day_text(datetime(2025, 12, 1).date(), today, "09:30") == "2025-12-01 09:30"


def test_qa11_second_pass_a_synced_complaints_close_by_limit_counts_the_sites_working_days(tablet):
    """A complaint pulled from the server carries its time as UTC (the server's estimate): a
    较大 complaint of Saturday 07:30 Beijing time is Friday 23:30 UTC, and counted in UTC its
    three working days ended on Thursday 07:30 — the console says Thursday 00:00 (the clock
    starts on Monday, the site's next working day)."""
    store, clock, capture, care = tablet
    wire = {"id": "5b9c1d2e-0000-4000-8000-000000000001", "seq": 1, "type": "complaint",
            "captured_at": "2026-11-28T07:30:00.000+08:00", "clock": {"boot_id": "b", "elapsed_ms": 1},
            "rep": None, "customer": {"name": "周六投诉", "phone": "138 0013 8000"},
            "data": {"status": "open", "content": "样板间漏水", "severity": "major"}}
    record = {**wire, "device_id": "d-desk", "estimated_at": "2026-11-27T23:30:00.000+00:00",
              "clock_method": "same_boot", "received_at": "2026-11-27T23:30:01.000+00:00"}
    store.apply_changes([{"change_id": 1, "kind": "site", "site": {
        "id": "s1", "name": "星河湾销售中心", "validity_days": 30, "household": "split", "region": "CN",
        "utc_offset_minutes": 480, "closed_days": []}},
        {"change_id": 2, "kind": "record", "record": record}], cursor="2")
    clock.at = NOW
    [case] = care.open_complaints()
    close = next(d.due for d in case.deadlines if d.step == "close")
    assert close == datetime(2026, 12, 3, 0, 0, tzinfo=CST)


def test_qa11_second_pass_a_corrected_follow_up_keeps_its_day_on_the_tablet(tablet):
    """A follow-up of 11-14 (grade B: due 11-28) with a typo fixed on 11-29 still counts on 11-14:
    the customer stays overdue instead of moving to 12-13."""
    store, clock, capture, care = tablet
    capture.capture("walkin", name="李娜", phone="139 0013 9000", rep="wang.li", data={"visit": "first", "intent": "B"})
    clock.at = NOW - timedelta(days=16)  # 11-14
    follow = capture.capture("follow_up", name="李娜", phone="139 0013 9000", rep="wang.li",
                             data={"method": "visit", "content": "看了两套方", "grade": "B"})
    clock.at = NOW - timedelta(days=1)  # 11-29: the typo fixed
    capture.correct(follow["id"], data={**follow["data"], "content": "看了两套房"})
    clock.at = NOW
    [due] = care.customers.due_list("wang.li")
    assert (due.due.isoformat(), due.reason) == ("2026-11-28", "grade")
