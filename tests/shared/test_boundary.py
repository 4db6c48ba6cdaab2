"""The shared boundary (issue 8): bounds for every field of every record type, strict JSON,
estimates that cannot overflow. Pure functions, so the property runs many examples fast."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.boundary import (
    EARLIEST_TIME,
    MAX_NESTING,
    MAX_SAFE_INTEGER,
    StrictJsonError,
    Unrepresentable,
    loads_strict,
    printable,
    value_problem,
)
from shared.clocks import ClockAnchor, DeviceClock, estimate_capture_time
from shared.fields import Field
from shared.records import CLOCK_FIELDS, RECORD_TYPES, content_digest, parse_record, validate_record
from tests.builders import wire


def _all_fields(fields, prefix=""):
    for name, spec in fields.items():
        yield prefix + name, spec
        yield from _all_fields(spec.fields, prefix + name + ".")


@pytest.mark.parametrize("type_", [*RECORD_TYPES, "clock"])
def test_every_number_and_text_field_has_a_documented_bound(type_):
    fields = CLOCK_FIELDS if type_ == "clock" else RECORD_TYPES[type_].data
    for path, spec in _all_fields(fields):
        if spec.kind in ("int", "number"):
            assert spec.minimum is not None and spec.maximum is not None, path
            assert -MAX_SAFE_INTEGER <= spec.minimum <= spec.maximum <= MAX_SAFE_INTEGER, path
        if spec.kind in ("text", "base64", "png", "phone"):
            assert 0 < spec.max_len <= 400_000, path


def test_strict_json_reads_nan_infinity_and_huge_numbers_as_markers():
    value = loads_strict('{"a": NaN, "b": -Infinity, "c": 1e400, "d": ' + "9" * 30 + ', "e": 2.5, "f": 12}')
    assert [type(value[k]) for k in "abcd"] == [Unrepresentable] * 4
    assert value["e"] == 2.5 and value["f"] == 12
    assert value_problem({"data": {"amount": value["a"]}}).field == "data.amount"


def test_strict_json_refuses_deep_nesting_at_the_limit():
    assert loads_strict("[" * MAX_NESTING + "]" * MAX_NESTING)
    for depth in (MAX_NESTING + 1, 100_000):
        with pytest.raises(StrictJsonError, match=str(MAX_NESTING)):
            loads_strict("[" * depth + "]" * depth)
    with pytest.raises(StrictJsonError):
        loads_strict(b"\xff{")


def test_value_problem_finds_lone_surrogates_in_values_and_keys_and_printable_masks_them():
    assert value_problem({"customer": {"name": "王\ud83d"}}).field == "customer.name"
    assert value_problem({"data": {"x\udfff": 1}}).field == "data.x\ufffd"
    assert value_problem({"list": [1, 2, float("inf")]}).field == "list[2]"
    assert value_problem({"ok": ["王😀", 1.5, None, True]}) is None
    assert printable("a\ud800b") == "a\ufffdb" and len(printable("x" * 500)) == 80


def test_an_elapsed_estimate_that_cannot_be_a_time_is_impossible_never_an_overflow():
    """Issue 8 items 1 and 7: absurd elapsed readings (up to 2^53-1 ms) leave datetime's range;
    the estimate is then marked impossible for a manager, and nothing raises."""
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    captured = now - timedelta(minutes=5)
    far = estimate_capture_time(DeviceClock("b", 0), captured, DeviceClock("b", MAX_SAFE_INTEGER), now)
    assert far.method == "impossible"
    ahead = estimate_capture_time(DeviceClock("b", MAX_SAFE_INTEGER), captured, DeviceClock("c", 1), now,
                                  [ClockAnchor("b", 0, now)])
    assert ahead.method == "impossible"
    normal = estimate_capture_time(DeviceClock("b", 1_000), captured, DeviceClock("b", 61_000), now)
    assert normal.method == "same_boot" and normal.at == now - timedelta(minutes=1)
    assert estimate_capture_time(None, EARLIEST_TIME, None, now, (), 3_600_000).method == "impossible"


_extremes = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([2**53, 2**63, -(2**63), 10**30]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["王\ud83d", "\x00", "9999-12-31", "0001-01-01", "9999-12-31T23:59:59-23:59", "x" * 3000,
                     Unrepresentable("NaN")]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _paths(type_):
    yield ("id",), ("seq",), ("type",), ("captured_at",), ("clock",), ("clock", "boot_id"), \
        ("clock", "elapsed_ms"), ("rep",), ("customer",), ("customer", "name"), ("customer", "phone"), \
        ("supersedes",), ("data",), ("extra",)
    for path, _ in _all_fields(RECORD_TYPES[type_].data):
        yield ("data", *path.split("."))


_PATHS = [(t, p) for t in RECORD_TYPES for group in _paths(t) for p in group]


@settings(max_examples=600, derandomize=True, deadline=None)
@given(target=st.sampled_from(_PATHS), value=_extremes)
def test_any_value_in_any_field_of_any_type_is_a_problem_or_a_record_never_a_crash(target, value):
    type_, path = target
    record = wire(type_, id="5f0c2a8e-1d2b-4c3a-9e4f-0a1b2c3d4e5f", seq=7,
                  supersedes="2b8e8d3c-5a51-4e8b-9a53-0d3e8e2f3a10" if type_ == "withdrawal" else None)
    node = record
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    problems = validate_record(record, "CN", now)
    if problems:
        assert all(p.code and isinstance(p.field, str) for p in problems)
        json.dumps([p.as_dict() for p in problems], ensure_ascii=False).encode("utf-8")  # always writable
        return
    parsed = parse_record(record, "CN", now)  # what the server stores: digest and JSON must be writable
    content_digest(parsed.wire)
    assert EARLIEST_TIME <= parsed.captured_at <= now + timedelta(days=1)
    assert parsed.clock is None or 0 <= parsed.clock.elapsed_ms <= MAX_SAFE_INTEGER


def test_field_defaults_bound_an_unbounded_integer():
    from shared.fields import check_fields

    problems = check_fields({"n": Field("int")}, {"n": 2**60}, "CN")
    assert [p.code for p in problems] == ["invalid_value"]
