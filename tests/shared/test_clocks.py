"""Capture-time estimation (protocol.md "Clocks"): elapsed clocks beat wall clocks."""

from datetime import timedelta

from shared.clocks import (
    TRANSIT_UNCERTAINTY_MS,
    ClockAnchor,
    DeviceClock,
    estimate_capture_time,
    wall_clock_offset_ms,
)
from tests.builders import T0

RECEIVED = T0 + timedelta(hours=3)


def test_same_boot_estimate_ignores_a_wall_clock_two_hours_fast():
    fast_wall = T0 + timedelta(hours=2)
    estimate = estimate_capture_time(DeviceClock("b1", 1_000_000), fast_wall, DeviceClock("b1", 1_000_000 + 3 * 3_600_000),
                                     RECEIVED)
    assert estimate.at == T0 and estimate.method == "same_boot" and estimate.verified
    assert TRANSIT_UNCERTAINTY_MS <= estimate.uncertainty_ms < TRANSIT_UNCERTAINTY_MS + 2_000


def test_reboot_between_capture_and_sync_uses_the_earlier_anchor_of_that_boot():
    # Captured on boot b1 at elapsed 5 s; the tablet synced on b1 at elapsed 65 s (anchor),
    # then rebooted; the record is pushed later on boot b2.
    anchor = ClockAnchor("b1", 65_000, T0 + timedelta(seconds=60))
    estimate = estimate_capture_time(DeviceClock("b1", 5_000), T0 - timedelta(days=3), DeviceClock("b2", 10_000),
                                     RECEIVED, anchors=[ClockAnchor("b0", 1, T0 - timedelta(days=9)), anchor])
    assert estimate.at == T0 and estimate.method == "anchor"


def test_anchor_nearest_in_elapsed_time_is_used():
    far = ClockAnchor("b1", 10_000_000, T0 + timedelta(seconds=9_995))
    near = ClockAnchor("b1", 6_000, T0 + timedelta(seconds=1))
    estimate = estimate_capture_time(DeviceClock("b1", 5_000), T0, DeviceClock("b2", 1), RECEIVED, anchors=[far, near])
    assert estimate.at == T0


def test_no_anchor_for_the_boot_falls_back_to_corrected_wall_clock_marked_unverified():
    estimate = estimate_capture_time(DeviceClock("b-lost", 5_000), T0 + timedelta(minutes=7), DeviceClock("b2", 1),
                                     RECEIVED, last_offset_ms=7 * 60_000)
    assert estimate.at == T0 and estimate.method == "unverified" and not estimate.verified


def test_record_without_clock_is_unverified_wall_clock():
    estimate = estimate_capture_time(None, T0, None, RECEIVED)
    assert (estimate.at, estimate.method) == (T0, "unverified")


def test_elapsed_reading_after_the_push_on_the_same_boot_is_not_trusted():
    estimate = estimate_capture_time(DeviceClock("b1", 9_000), T0, DeviceClock("b1", 5_000), RECEIVED)
    assert estimate.method == "unverified"


def test_wall_clock_offset_is_device_minus_server():
    assert wall_clock_offset_ms(T0 + timedelta(minutes=2), T0) == 120_000
