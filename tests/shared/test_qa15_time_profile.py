"""QA of issue 15: the wire's one time shape (``shared.timeutil.parse_wire_time`` /
``parse_wire_date``, docs/protocol.md "Times"), what the tablet writes (``format_time``), and a
record stored before the shape was enforced read again (``shared.wire_shapes``)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import RecordInvalid
from shared.records import parse_record, validate_record
from shared.timeutil import (
    MAX_OFFSET,
    MIN_OFFSET,
    format_time,
    parse_time,
    parse_wire_date,
    parse_wire_time,
)
from shared.wire_shapes import restated_times
from tests.builders import wire

SETTINGS = settings(max_examples=400, deadline=None, derandomize=True, database=None)
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})")
NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("text,instant", [
    ("2026-12-02T10:00:00Z", datetime(2026, 12, 2, 10, tzinfo=UTC)),
    ("2026-12-02T10:00:00.000+08:00", datetime(2026, 12, 2, 2, tzinfo=UTC)),
    ("2026-12-02T10:00:00.5-12:00", datetime(2026, 12, 2, 22, 0, 0, 500_000, tzinfo=UTC)),
    ("2026-12-02T10:00:00.123456+14:00", datetime(2026, 12, 1, 20, 0, 0, 123_456, tzinfo=UTC)),
    ("2026-12-02T10:00:00+05:45", datetime(2026, 12, 2, 4, 15, tzinfo=UTC)),
    ("2026-12-02T10:00:00-00:00", datetime(2026, 12, 2, 10, tzinfo=UTC)),
])
def test_qa15_the_profiles_times_are_read_to_the_instant(text, instant):
    assert parse_wire_time(text) == instant and parse_wire_time(text) == parse_time(text)


@pytest.mark.parametrize("text", [
    "2026-12-02 10:00:00+08:00", "20261202T100000+0800", "2026-W49-3T10:00:00+08:00", "2026-336T10:00:00+08:00",
    "2026-12-02T10:00:00+1400", "2026-12-02T10:00:00.1234567+08:00", "２０２６-12-02T10:00:00+08:00",
    "2026-12-02T10:00:00+08:00:30", "2026-12-02t10:00:00z", "2026-12-02T10:00:00z", "2026-12-02T10:00:00+14:01",
    "2026-12-02T10:00:00-12:01", "2026-12-02T10:00:00+08:60", "2026-12-02T24:00:00Z", "2026-12-02T10:00:60Z",
    "2026-02-30T10:00:00Z", "2026-12-02T10:00Z", "2026-12-02T10:00:00", "2026-12-02T10:00:00Z\n",
    " 2026-12-02T10:00:00Z", "2026-12-02T10:00:00.Z", "", None, 20261202, "2026-12-02T10:00:00٫5Z",
    "2026-12-02T10:00:00+08:00\u200b",
])
def test_qa15_every_other_shape_is_refused(text):
    with pytest.raises(ValueError):
        parse_wire_time(text)


@pytest.mark.parametrize("text", ["20261202", "2026-W49-3", "2026-336", "２０２６-12-02", "2026-12-02\n", "2026-12-2",
                                  "2026-02-30", "2026-12-02T00:00:00Z", "", None, "٢٠٢٦-12-02"])
def test_qa15_a_date_is_yyyy_mm_dd_exactly(text):
    with pytest.raises(ValueError):
        parse_wire_date(text)
    assert parse_wire_date("2026-12-02") == date(2026, 12, 2)


_offsets = st.integers(min_value=-12 * 3600, max_value=14 * 3600).map(lambda s: timezone(timedelta(seconds=s)))


@SETTINGS
@given(moment=st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2099, 12, 30), timezones=_offsets))
def test_qa15_what_the_tablet_writes_is_in_the_shape_and_the_same_instant(moment):
    """``format_time`` (every time a tablet writes: ``captured_at``, ``sent_at``) gives the one
    shape whatever the zone — an offset with seconds (a zone's local mean time) is written as UTC —
    and reads back as the instant, to the millisecond."""
    text = format_time(moment)
    assert TIME.fullmatch(text), text
    back = parse_wire_time(text)
    assert back == moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    offset = moment.utcoffset()
    assert offset is not None
    whole = not offset % timedelta(minutes=1) and MIN_OFFSET <= offset <= MAX_OFFSET
    assert back.utcoffset() == (offset if whole else timedelta(0))


_pieces = st.sampled_from(["2026", "12", "02", "-", ":", "T", "t", "Z", "z", "+", "-", " ", ".", "0", "5", "08",
                           "00", "14", "30", "W49", "336", "２", "123456", "1234567", ",", "\n"])


@SETTINGS
@given(text=st.lists(_pieces, max_size=14).map("".join) | st.builds(
    lambda a, b: f"2026-12-02T10:{a}:00{b}", st.sampled_from(["00", "0", "60", "5９"]),
    st.sampled_from(["Z", "+08:00", "+0800", "-12:00", "-12:30", "+14:00", "+14:01", ".5Z", "z", ""])))
def test_qa15_a_time_the_profile_takes_is_one_every_reader_reads_alike(text):
    """Whatever text the strict reader takes is ASCII in the one shape, and the lenient reader
    (stored data, older tablets) reads the same instant from it."""
    try:
        strict = parse_wire_time(text)
    except ValueError:
        return
    assert text.isascii() and TIME.fullmatch(text) and parse_time(text) == strict


def test_qa15_the_tablets_own_check_refuses_the_qa_shapes_saying_the_shape():
    record = wire("visit_report", at=NOW - timedelta(hours=1), data={"visited_on": "20261202"})
    record["captured_at"] = "2026-12-03 13:00:00+08:00"
    problems = validate_record(record, now=NOW)
    assert [(p.code, p.field, p.params) for p in problems] == [
        ("invalid_time", "captured_at", {"reason": "time_shape"}),
        ("invalid_value", "data.visited_on", {"reason": "date_shape"})]
    assert "2026-11-22T10:00:00.000+08:00" in problems[0].message and "2026-11-22" in problems[1].message


@pytest.mark.parametrize("loose", ["2026-12-03 13:00:00+08:00", "20261203T130000+0800", "2026-12-03T13:00:00+0800",
                                   "2026-12-03T13:00:00.1234567+08:00", "2026-12-03T13:00:00+08:00:30"])
def test_qa15_a_record_stored_before_the_shape_is_read_again(loose):
    """A legacy record a server relays (stored as sent before the fix) still parses on a tablet
    once restated; its instant is the one the lenient reader gives; nothing else changes."""
    legacy = wire("follow_up", at=NOW - timedelta(hours=1), data={"next_action_on": "20261203"})
    legacy["captured_at"] = loose
    with pytest.raises(RecordInvalid):
        parse_record(legacy, now=NOW)
    restated = restated_times(legacy)
    record = parse_record(restated, now=NOW)
    assert abs(record.captured_at - parse_time(loose)) < timedelta(milliseconds=1)
    assert restated["data"]["next_action_on"] == "2026-12-03"
    assert {k: v for k, v in restated.items() if k not in ("captured_at", "data")} == \
        {k: v for k, v in legacy.items() if k not in ("captured_at", "data")}
    assert restated_times(restated) == restated  # the shape's text is left as it is


def test_qa15_a_value_no_reader_reads_is_left_for_validation_to_refuse():
    legacy = wire("visit_report", at=NOW, data={"visited_on": "not a day"})
    legacy["captured_at"] = "yesterday"
    assert restated_times(legacy)["captured_at"] == "yesterday"
    assert restated_times(legacy)["data"]["visited_on"] == "not a day"
