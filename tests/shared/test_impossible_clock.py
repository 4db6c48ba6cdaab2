"""Issue 8, item 7, in the pure parts: which estimates are impossible, and how the engine shows
their claims to a manager instead of trusting them silently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.clocks import (
    CAPTURE_FLOOR,
    IMPOSSIBLE,
    PRE_ENROLMENT_GRACE,
    UNVERIFIED,
    DeviceClock,
    estimate_capture_time,
)
from shared.ownership import decide_ownership
from tests.builders import CST, T0, timed

RECEIVED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
ENROLLED = datetime(2026, 11, 1, tzinfo=UTC)


def _estimate(captured_at: datetime, enrolled_at: datetime | None = ENROLLED):
    # a record of a boot the server never anchored: only the wall clock is left
    return estimate_capture_time(DeviceClock("boot-x", 300_000), captured_at, DeviceClock("boot-y", 60_000),
                                 RECEIVED, (), 0, enrolled_at=enrolled_at)


def test_a_1970_wall_clock_is_impossible_and_placed_at_the_earliest_possible_time():
    estimate = _estimate(datetime(1970, 1, 1, 8, 5, tzinfo=CST))
    assert estimate.method == IMPOSSIBLE
    assert estimate.at == ENROLLED - PRE_ENROLMENT_GRACE and estimate.latest == RECEIVED


def test_below_the_floor_is_impossible_even_for_a_device_of_unknown_enrolment():
    estimate = _estimate(datetime(2019, 12, 31, tzinfo=UTC), enrolled_at=None)
    assert (estimate.method, estimate.at) == (IMPOSSIBLE, CAPTURE_FLOOR)


def test_after_the_push_was_received_is_impossible():
    assert _estimate(RECEIVED + timedelta(hours=1)).method == IMPOSSIBLE


def test_a_plausible_wall_clock_stays_unverified():
    assert _estimate(RECEIVED - timedelta(days=3)).method == UNVERIFIED
    assert _estimate(ENROLLED - timedelta(days=10)).method == UNVERIFIED  # re-enrolled tablet, within the grace


def _impossible(rep: str, earliest: datetime, latest: datetime, **kwargs):
    span = int((latest - earliest) / timedelta(milliseconds=1))
    return timed(rep=rep, at=earliest, uncertainty_ms=span, method=IMPOSSIBLE, **kwargs)


def test_a_lone_impossible_claim_is_disputed_for_the_manager():
    result = decide_ownership([_impossible("wang.li", T0 - timedelta(days=60), T0)], as_of=T0)
    assert (result.owner, result.status) == ("wang.li", "disputed")
    [conflict] = result.conflicts
    assert conflict.flags == ("impossible_clock",) and len(conflict.claims) == 1


def test_the_first_receiver_with_an_impossible_clock_does_not_lose_silently_to_a_later_desk():
    early = _impossible("wang.li", T0 - timedelta(days=60), T0)  # earliest possible: 60 days ago
    later = timed(rep="zhang.qiang", at=T0 + timedelta(minutes=5))
    result = decide_ownership([early, later], as_of=T0 + timedelta(minutes=6))
    assert (result.owner, result.status) == ("wang.li", "disputed")
    [conflict] = result.conflicts
    assert set(conflict.flags) >= {"impossible_clock"}
    assert {c.rep for c in conflict.claims} == {"wang.li", "zhang.qiang"}


def test_order_of_arrival_does_not_matter_with_an_impossible_claim():
    early = _impossible("wang.li", T0 - timedelta(days=60), T0)
    later = timed(rep="zhang.qiang", at=T0 + timedelta(minutes=5))
    one, two = decide_ownership([early, later]), decide_ownership([later, early])
    assert (one.owner, one.status, one.conflicts) == (two.owner, two.status, two.conflicts)
