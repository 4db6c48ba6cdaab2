"""Capture times are estimated from the elapsed-since-boot clock, never the wall clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.server.helpers import Tablet, now_cst


@pytest.fixture(scope="module")
def manager(live_server):
    return Tablet(live_server, "zhao.min")


def _stored(manager, record_id: str) -> dict:
    customer = manager.get("/customers/lookup", phone=_phone_of[record_id]).json()
    detail = manager.get(f"/customers/{customer['customer_id']}").json()
    return next(r for r in detail["records"] if r["id"] == record_id)


_phone_of: dict[str, str] = {}


def _push(tablet: Tablet, rep: str, phone: str, ago: timedelta) -> dict:
    record = tablet.record(rep=rep, phone=phone, ago=ago)
    _phone_of[record["id"]] = phone
    assert tablet.statuses(record) == ["accepted"]
    return record


def _conflict_of(manager, phone: str) -> dict:
    """The conflict of the customer with ``phone``, as the manager lists it."""
    customer_id = manager.get("/customers/lookup", phone=phone).json()["customer_id"]
    return next(c for c in manager.get("/conflicts").json() if c["customer_id"] == customer_id)


def _close(a: str, b: datetime, within: timedelta = timedelta(seconds=5)) -> bool:
    return abs(datetime.fromisoformat(a) - b) <= within


def test_tablet_with_wall_clock_two_hours_fast_still_wins_when_it_registered_first(live_server, manager):
    fast = Tablet(live_server, "desk.li", "fast clock", wall_skew=timedelta(hours=2))
    honest = Tablet(live_server, "desk.li", "honest clock")
    phone = "136 2222 3301"
    early = _push(fast, "wang.li", phone, timedelta(minutes=30))  # its wall clock says 1 h 30 min from now
    _push(honest, "zhang.qiang", phone, timedelta(minutes=10))
    lookup = manager.get("/customers/lookup", phone=phone).json()
    assert lookup["owner"] == "wang.li"
    stored = _stored(manager, early["id"])
    assert stored["clock_method"] == "same_boot"
    assert _close(stored["estimated_at"], now_cst() - timedelta(minutes=30))


def test_reboot_between_capture_and_sync_uses_the_anchor_of_an_earlier_push(live_server, manager):
    tablet = Tablet(live_server, "desk.li", "rebooting tablet")
    tablet.push()  # an empty push leaves an anchor for this boot
    captured = now_cst()
    record = tablet.record(rep="wang.li", phone="136 2222 3302", ago=timedelta(0))
    _phone_of[record["id"]] = "136 2222 3302"
    record["captured_at"] = "2020-01-01T00:00:00.000+08:00"  # the reboot reset the wall clock as well
    tablet.reboot("boot-after-battery-died")
    tablet.wall_skew = datetime(2020, 1, 1, tzinfo=captured.tzinfo) - captured
    assert tablet.statuses(record) == ["accepted"]
    stored = _stored(manager, record["id"])
    assert stored["clock_method"] == "anchor"
    assert _close(stored["estimated_at"], captured)


def test_record_from_a_boot_the_server_never_saw_is_unverified_and_flagged(live_server, manager):
    offline = Tablet(live_server, "desk.li", "never synced boot")
    other = Tablet(live_server, "desk.li", "other desk")
    phone = "136 2222 3303"
    unanchored = offline.record(rep="wang.li", phone=phone, ago=timedelta(minutes=20))
    _phone_of[unanchored["id"]] = phone
    offline.reboot("new-boot")  # the record's boot is neither the push's nor anchored
    assert offline.statuses(unanchored) == ["accepted"]
    _push(other, "zhang.qiang", phone, timedelta(minutes=10))
    stored = _stored(manager, unanchored["id"])
    assert stored["clock_method"] == "unverified"
    assert _close(stored["estimated_at"], now_cst() - timedelta(minutes=20), timedelta(seconds=10))
    conflict = _conflict_of(manager, phone)
    assert "unverified_clock" in conflict["flags"] and conflict["owner"] == "wang.li"


def test_unverified_record_is_corrected_by_the_devices_wall_clock_offset(live_server, manager):
    slow = Tablet(live_server, "desk.li", "slow and rebooted", wall_skew=-timedelta(hours=3))
    record = slow.record(rep="wang.li", phone="136 2222 3304", ago=timedelta(minutes=15))
    _phone_of[record["id"]] = "136 2222 3304"
    slow.reboot("fresh-boot")
    assert slow.statuses(record) == ["accepted"]
    stored = _stored(manager, record["id"])
    assert stored["clock_method"] == "unverified"
    assert _close(stored["estimated_at"], now_cst() - timedelta(minutes=15), timedelta(seconds=10))


def test_record_clock_ahead_of_the_push_on_the_same_boot_is_rejected(live_server):
    tablet = Tablet(live_server, "desk.li", "broken clock")
    record = tablet.record(rep="wang.li", phone="136 2222 3305", ago=-timedelta(hours=1))
    assert tablet.statuses(record) == ["clock_inconsistent"]


def test_claims_within_the_clock_uncertainty_are_flagged_close_call(live_server, manager):
    a = Tablet(live_server, "desk.li", "desk a")
    b = Tablet(live_server, "desk.li", "desk b")
    phone = "136 2222 3306"
    _push(a, "wang.li", phone, timedelta(seconds=31))
    _push(b, "zhang.qiang", phone, timedelta(seconds=30))
    conflict = _conflict_of(manager, phone)
    assert "close_call" in conflict["flags"] and conflict["owner"] == "wang.li"


def test_qa15_an_uptime_reading_far_from_the_tablets_own_clock_is_taken_and_flagged(live_server, manager):
    """QA of issue 15, finding 4: a tablet's record whose uptime reading lies 20 days back while
    its own wall clock says five minutes ago was taken as ``same_boot`` 20 days back, took the
    customer from 张强's registration two days ago, and the conflict had no flag."""
    desk = Tablet(live_server, "desk.li", "QA15 desk")
    desk.boot_started -= timedelta(days=3)
    wang = Tablet(live_server, "wang.li", "QA15 王丽")
    wang.boot_started -= timedelta(days=30)
    phone = "136 2222 3399"
    _push(desk, "zhang.qiang", phone, timedelta(days=2))
    record = wang.record(rep="wang.li", phone=phone, ago=timedelta(days=20))
    record["captured_at"] = (now_cst() - timedelta(minutes=5)).isoformat(timespec="milliseconds")
    _phone_of[record["id"]] = phone
    assert wang.statuses(record) == ["accepted"]
    stored = _stored(manager, record["id"])
    assert stored["clock_method"] == "same_boot"
    assert _close(stored["estimated_at"], now_cst() - timedelta(days=20), timedelta(seconds=10))
    conflict = _conflict_of(manager, phone)
    assert "clock_disagrees" in conflict["flags"] and conflict["owner"] == "wang.li"
