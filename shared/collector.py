"""Python's cyclic garbage collector tuned for a long-running process that reads and writes
rows in bulk: the sync server and the tablet app (issue 13).

CPython frees most objects by reference counting; the cyclic collector only finds cycles, yet
it runs a young collection every ``700`` container allocations (the default threshold) and
scans every object that survived since. Reading a snapshot's window of 10,000 changes keeps
tens of thousands of rows, dicts and dataclasses alive at once, so the default collector
scans them again and again: in-process, a rep's first snapshot at 100,000 walk-ins took
3.2-3.4 CPU s with the default thresholds and 2.2-2.3 with a young threshold of 10,000
(``docs/benchmarks.md``, "The collector tuned"). Cycles are still found, a little later;
memory held by them is bounded by the same number of allocations.

``gc.freeze()`` first moves everything alive at start-up (modules, the app, the schema) into a
permanent generation, which later full collections skip.
"""

from __future__ import annotations

import gc

__all__ = ["tune_collector", "YOUNG_THRESHOLD"]

YOUNG_THRESHOLD = 10_000
"""Container allocations (minus deallocations) between two young collections (CPython's
default: 700). The older generations keep CPython's default ratios (10, 10)."""


def tune_collector(young: int = YOUNG_THRESHOLD) -> tuple[int, int, int]:
    """Freeze what is alive now and set the young threshold to ``young`` (> 0); returns the
    thresholds before, ``(young, middle, old)``. Call once a process has started (after its
    imports and set-up); process-wide, so every thread's allocations count."""
    if young <= 0:
        raise ValueError("young must be > 0 (0 would turn the cyclic collector off)")
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(young, before[1], before[2])
    return before
