"""When was a record really captured? (protocol.md, "Clocks")

Tablet wall clocks lie; the elapsed-since-boot clock does not jump. The server pins a
boot's elapsed clock to its own time at each push (an *anchor*), and converts a record's
elapsed reading into server time through the best anchor it has:

1. ``same_boot``   the record's boot is the push's boot: the push itself is the anchor;
2. ``anchor``      an earlier push of that boot left an anchor (device rebooted since);
3. ``unverified``  no anchor for that boot: the wall clock, corrected by the device's last
                   known offset from server time. Decided by the rule, flagged for a manager.

An estimate that cannot be true — before ``CAPTURE_FLOOR``, after the push carrying it was
received, or, read from the wall clock alone (``unverified``), before the device was enrolled
(less ``PRE_ENROLMENT_GRACE``) — is never used as it is (issue 8 item 7: a tablet reset to 1970
captured a walk-in, rebooted and pushed; its claim read as lapsed in 1970). An elapsed-clock
estimate before the enrolment is measured, not guessed: the tablet ran before this enrolment
(enrolled again), so it stands. It
becomes method ``impossible``: placed at the earliest time the record could have been captured
(the later of the floor and the enrolment less the grace), with the whole span up to the push's receipt as its
uncertainty. The ownership engine flags its claim ``impossible_clock`` for a manager.

Each estimate carries an uncertainty: request transit (the push's elapsed reading is taken
before the server receives it) plus the drift of the elapsed clock over the interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "DeviceClock",
    "ClockAnchor",
    "CaptureEstimate",
    "estimate_capture_time",
    "anchor_from_push",
    "wall_clock_offset_ms",
    "TRANSIT_UNCERTAINTY_MS",
    "DRIFT_PPM",
    "UNVERIFIED_UNCERTAINTY_MS",
    "CAPTURE_FLOOR",
    "PRE_ENROLMENT_GRACE",
    "SAME_BOOT",
    "ANCHOR",
    "UNVERIFIED",
    "IMPOSSIBLE",
]

TRANSIT_UNCERTAINTY_MS = 2_000
"""A push's elapsed reading precedes its arrival by the request's transit; bound it at 2 s."""
DRIFT_PPM = 100
"""Crystal clocks drift well under 100 parts per million; we assume the worst of that."""
UNVERIFIED_UNCERTAINTY_MS = 15 * 60_000
"""A corrected wall clock may still be off by whatever the user changed since: call it 15 min."""

CAPTURE_FLOOR = datetime(2020, 1, 1, tzinfo=UTC)
"""No fieldsync record was captured before 2020-01-01 UTC: an estimate earlier than this is a
wall clock that was reset (1970, 2000), never a real capture time (docs/protocol.md)."""

PRE_ENROLMENT_GRACE = timedelta(days=31)
"""A tablet enrolled again (a new device id after a revoked token or a change of user) still
pushes what it captured under its earlier enrolment: records up to one validity window (31
days) older than the device's enrolment are possible; older ones are not."""

SAME_BOOT, ANCHOR, UNVERIFIED, IMPOSSIBLE = "same_boot", "anchor", "unverified", "impossible"


@dataclass(frozen=True, slots=True)
class DeviceClock:
    """A reading of a device's monotonic clock: which boot, and milliseconds since it."""

    boot_id: str
    elapsed_ms: int

    @classmethod
    def from_wire(cls, value: Mapping[str, Any]) -> DeviceClock:
        return cls(boot_id=str(value["boot_id"]), elapsed_ms=int(value["elapsed_ms"]))

    def as_wire(self) -> dict:
        return {"boot_id": self.boot_id, "elapsed_ms": self.elapsed_ms}


@dataclass(frozen=True, slots=True)
class ClockAnchor:
    """Server time observed together with a boot's elapsed reading (taken at a push)."""

    boot_id: str
    elapsed_ms: int
    server_time: datetime
    uncertainty_ms: int = TRANSIT_UNCERTAINTY_MS


@dataclass(frozen=True, slots=True)
class CaptureEstimate:
    """The server-time estimate of when a record was captured, and how sure it is."""

    at: datetime
    uncertainty_ms: int
    method: str  # same_boot | anchor | unverified | impossible

    @property
    def verified(self) -> bool:
        return self.method in (SAME_BOOT, ANCHOR)

    @property
    def latest(self) -> datetime:
        """The latest time the record may have been captured: for an ``impossible`` estimate the
        receipt of its push (its ``at`` is the earliest); otherwise ``at`` itself."""
        return self.at + timedelta(milliseconds=self.uncertainty_ms) if self.method == IMPOSSIBLE else self.at


def _drift_ms(interval_ms: int) -> int:
    return abs(interval_ms) * DRIFT_PPM // 1_000_000


def anchor_from_push(push_clock: DeviceClock, received_at: datetime) -> ClockAnchor:
    """The anchor a push leaves: its elapsed reading paired with the server's receive time."""
    return ClockAnchor(push_clock.boot_id, push_clock.elapsed_ms, received_at)


def wall_clock_offset_ms(sent_at: datetime, received_at: datetime) -> int:
    """How far the device's wall clock is ahead of server time (negative: behind)."""
    return int((sent_at - received_at) / timedelta(milliseconds=1))


def estimate_capture_time(
    record_clock: DeviceClock | None,
    captured_at: datetime,
    push_clock: DeviceClock | None,
    received_at: datetime,
    anchors: Iterable[ClockAnchor] = (),
    last_offset_ms: int | None = None,
    enrolled_at: datetime | None = None,
) -> CaptureEstimate:
    """Estimate a record's capture time in server time; see the module docstring.

    ``anchors`` are the anchors the server holds for this device (any boots); the one of the
    record's boot nearest in elapsed time is used. ``last_offset_ms`` is the device's wall-clock
    offset learned at its latest push; None when the server never saw the device's clock.
    ``enrolled_at``: when the device was enrolled (server time); with ``CAPTURE_FLOOR`` and
    ``received_at`` it bounds what is possible. An estimate outside ``[max(floor, enrolled_at −
    PRE_ENROLMENT_GRACE) − its uncertainty, received_at + transit]`` (the enrolment bound for
    ``unverified`` estimates only, see the module docstring), or one that leaves
    datetime's range (an absurd elapsed reading), is ``impossible``. Never raises for values
    within ``shared.boundary``'s bounds.
    """
    earliest = max(CAPTURE_FLOOR, enrolled_at - PRE_ENROLMENT_GRACE) if enrolled_at is not None else CAPTURE_FLOOR
    earliest = min(earliest, received_at)  # a device enrolled "after" this push: trust the push
    try:
        estimate = _estimate(record_clock, captured_at, push_clock, received_at, anchors, last_offset_ms)
        # the elapsed clock measured the time: only the floor bounds it from below
        floor = earliest if estimate.method == UNVERIFIED else min(earliest, CAPTURE_FLOOR)
        slack = timedelta(milliseconds=estimate.uncertainty_ms)
        if floor - slack <= estimate.at <= received_at + timedelta(milliseconds=TRANSIT_UNCERTAINTY_MS):
            return estimate
    except OverflowError:  # elapsed readings up to 2^53-1 ms (285,000 years) leave datetime's range
        pass
    return CaptureEstimate(at=earliest, uncertainty_ms=int((received_at - earliest) / timedelta(milliseconds=1)),
                           method=IMPOSSIBLE)


def _estimate(
    record_clock: DeviceClock | None,
    captured_at: datetime,
    push_clock: DeviceClock | None,
    received_at: datetime,
    anchors: Iterable[ClockAnchor],
    last_offset_ms: int | None,
) -> CaptureEstimate:
    if record_clock is not None and push_clock is not None:
        if record_clock.boot_id == push_clock.boot_id and record_clock.elapsed_ms <= push_clock.elapsed_ms:
            back = push_clock.elapsed_ms - record_clock.elapsed_ms
            return CaptureEstimate(
                at=received_at - timedelta(milliseconds=back),
                uncertainty_ms=TRANSIT_UNCERTAINTY_MS + _drift_ms(back),
                method=SAME_BOOT,
            )
    if record_clock is not None:
        same_boot = [a for a in anchors if a.boot_id == record_clock.boot_id]
        if same_boot:
            best = min(same_boot, key=lambda a: (abs(a.elapsed_ms - record_clock.elapsed_ms), a.server_time))
            delta = record_clock.elapsed_ms - best.elapsed_ms
            return CaptureEstimate(
                at=best.server_time + timedelta(milliseconds=delta),
                uncertainty_ms=best.uncertainty_ms + _drift_ms(delta),
                method=ANCHOR,
            )
    offset = last_offset_ms or 0
    return CaptureEstimate(
        at=captured_at - timedelta(milliseconds=offset),
        uncertainty_ms=UNVERIFIED_UNCERTAINTY_MS,
        method=UNVERIFIED,
    )
