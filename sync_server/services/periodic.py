"""A pass run in a daemon thread of the server process: every ``interval`` seconds, and at
once after ``poke()``. The tagger and the lapse sweep are two of them.

A failing pass is logged and retried at the next round (a store hiccup must not end the
thread); ``stop()`` wakes the thread and waits for the pass under way to return.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

__all__ = ["PeriodicWorker"]


class PeriodicWorker:
    """``work(stop)`` in a daemon thread named ``name``: first at start when ``at_start``,
    then ``interval`` seconds after each pass ends or as soon as ``poke()`` is called.
    ``work`` receives the stop event to end a long pass early. ``on_thread_start`` runs once
    in the thread first (e.g. to lower its priority)."""

    def __init__(self, name: str, work: Callable[[threading.Event], object], *, interval: float,
                 at_start: bool, logger: logging.Logger, on_thread_start: Callable[[], None] | None = None):
        self.name, self.work, self.interval, self.at_start = name, work, interval, at_start
        self._log, self._on_thread_start = logger, on_thread_start
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"fieldsync-{name}", daemon=True)

    def start(self) -> PeriodicWorker:
        self._thread.start()
        return self

    def poke(self) -> None:
        """Run the next pass now instead of at the end of the interval."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        if self._on_thread_start is not None:
            self._on_thread_start()
        if not self.at_start:
            self._wake.wait(self.interval)
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.work(self._stop)
            except Exception:  # the next round retries
                self._log.exception("%s failed; retrying in %s s", self.name, self.interval)
            self._wake.wait(self.interval)
