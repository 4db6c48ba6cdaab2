"""Issue 8 on the tablet: the store and the capture service check the same bounds as the server
(``shared.boundary``) before saving, and refuse with a message in the user's language instead
of crashing on a time or number the tablet cannot represent. Real SQLite files, no mocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mobile.services import RecordCapture
from mobile.store import RecordRefused
from shared.boundary import MAX_SAFE_INTEGER
from shared.errors import RecordInvalid
from tests.mobile.test_store import make_store


def _walkin(capture: RecordCapture, **changes) -> dict:
    wire = capture.build("walkin", name="张伟", phone="138 0013 8000", rep="wang.li",
                         data={"visit": "first", "party_size": 2})
    for key, value in changes.items():
        target = wire
        *outer, last = key.split(".")
        for part in outer:
            target = target[part]
        target[last] = value
    return wire


@pytest.mark.parametrize("field,value,code", [
    ("captured_at", "9999-12-31T23:59:59.000-12:00", "invalid_time"),  # past year 9999 in UTC (the widest west offset)
    ("captured_at", "0001-01-01T00:00:00.000+14:00", "invalid_time"),  # before year 1 in UTC
    ("captured_at", "1969-12-31T23:59:59.000Z", "invalid_time"),
    ("clock.elapsed_ms", 2**63, "invalid_value"),
    ("data.party_size", 2**63, "invalid_value"),
    ("customer.name", "王\ud83d", "invalid_value"),
    ("data.notes", float("nan"), "invalid_value"),
])
def test_local_store_refuses_what_the_server_would_refuse_with_a_message_and_saves_nothing(
        tmp_path, field, value, code):
    store = make_store(tmp_path)
    wire = _walkin(RecordCapture(store), **{field: value})
    with pytest.raises(RecordRefused) as refused:
        store.add_record(wire, phone_hash_=None)
    assert [(p.code, p.field) for p in refused.value.problems] == [(code, field)]
    zh, en = refused.value.message("zh"), refused.value.message("en")
    assert zh.startswith("未保存：") and field in zh and en.startswith("Not saved: ") and field in en
    if code == "invalid_time":
        assert "校准日期和时间" in zh and "settings" in en
    assert store.counts()["total"] == 0


def test_a_tablet_clock_before_1970_is_shown_to_the_user_not_saved(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store, now=lambda: datetime(1969, 12, 31, 10, 0, tzinfo=timezone(timedelta(hours=-8))))
    with pytest.raises(RecordInvalid) as invalid:
        capture.capture("walkin", name="张伟", phone="138 0013 8000", rep="wang.li", data={"visit": "first"})
    assert [p.code for p in invalid.value.problems] == ["invalid_time"]
    assert store.counts()["total"] == 0


def test_a_reset_clock_at_the_epoch_still_saves(tmp_path):
    """1970-01-01 is the floor: the desk whose clock was reset keeps its registration."""
    store = make_store(tmp_path)
    capture = RecordCapture(store, now=lambda: datetime(1970, 1, 1, 8, 5, tzinfo=timezone(timedelta(hours=8))))
    capture.capture("walkin", name="张伟", phone="138 0013 8000", rep="wang.li", data={"visit": "first"})
    assert store.counts()["total"] == 1


def test_bounds_on_the_tablet_are_the_servers(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    ok = _walkin(capture, **{"clock.elapsed_ms": MAX_SAFE_INTEGER})
    store.add_record(ok, phone_hash_=None)
    fast = (datetime.now(UTC) + timedelta(days=2)).isoformat(timespec="milliseconds")
    store.add_record(_walkin(capture, captured_at=fast), phone_hash_=None)  # a fast clock still saves
    absurd = (datetime.now(UTC) + timedelta(days=3660)).isoformat(timespec="milliseconds")
    with pytest.raises(RecordRefused):
        store.add_record(_walkin(capture, captured_at=absurd), phone_hash_=None)
    assert store.counts()["total"] == 2
