"""The device's two clocks (protocol.md, "Clocks"): wall time and a boot clock.

The boot clock only moves forward and keeps counting in sleep: ``CLOCK_BOOTTIME`` with the
kernel's boot id on Linux/Android; elsewhere a per-start random id with ``time.monotonic``.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime

from shared.clocks import DeviceClock

__all__ = ["read_clock", "wall_now", "BOOT_ID"]


def _boot_id() -> tuple[str, bool]:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            return f.read().strip(), True
    except OSError:
        return "start-" + uuid.uuid4().hex, False


BOOT_ID, _KERNEL_BOOT = _boot_id()
_HAS_BOOTTIME = _KERNEL_BOOT and hasattr(time, "CLOCK_BOOTTIME")


def read_clock() -> DeviceClock:
    """The boot clock now."""
    if _HAS_BOOTTIME:
        elapsed = time.clock_gettime_ns(time.CLOCK_BOOTTIME) // 1_000_000
    else:
        elapsed = time.monotonic_ns() // 1_000_000
    return DeviceClock(BOOT_ID, elapsed)


def wall_now() -> datetime:
    """The device's wall clock with its local offset (what the user set, right or wrong)."""
    return datetime.now().astimezone()
