"""Sign-in throttling: repeated wrong passwords are slowed down, in the console and at tablet
enrolment alike (one throttle per server process, so guesses cannot alternate between them).

The lock is by username first: after ``limit`` (5) failures within ``window_s`` for one
username, further sign-ins for that username are refused (HTTP 429) without the password
being checked, until enough failures have aged out of the window. A client address is
locked only at a much higher count, ``address_limit`` (50): a sales office's managers share
one address behind its router, and one manager's typos must not lock out another site's
manager there (issue 9), while an address spraying many usernames is still slowed. A
successful sign-in clears its username's count; it leaves the address's count alone, so a
sprayer holding one valid account cannot reset its address by signing in with it.

The counts live in this process's memory (lost on restart). With ``serve --workers N`` the
workers share them through one small SQLite file (``SharedSignInThrottle``; ``serve`` names it
in ``config.THROTTLE_FILE_VAR``): before that, each worker counted alone, and five wrong passwords
spread over two workers locked nothing (QA of issue 9 item 11). It slows password guessing; it
is not an account lock.
Refused attempts are not counted, so a locked-out manager can sign in once the window passes
even while someone keeps guessing.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

__all__ = ["SignInThrottle", "SharedSignInThrottle", "MAX_FAILURES", "ADDRESS_MAX_FAILURES", "WINDOW_S", "minutes"]

MAX_FAILURES = 5  # per username
ADDRESS_MAX_FAILURES = 50  # per client address: an office shares one
WINDOW_S = 10 * 60
_SWEEP_AT = 10_000  # keys kept before expired ones are swept (bounds memory under a spray)


class SignInThrottle:
    """Counts failed sign-ins per key (``user:<name>``, ``addr:<ip>``) in a sliding window.

    ``clock`` returns seconds (monotonic by default); tests pass their own to move time."""

    def __init__(self, limit: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic, address_limit: int = ADDRESS_MAX_FAILURES):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self.address_limit = address_limit
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str | None) -> list[str]:
        """The keys one sign-in attempt counts against."""
        keys = [f"user:{username.strip().lower()}"]
        if address:
            keys.append(f"addr:{address}")
        return keys

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, keys: Iterable[str]) -> float:
        """Seconds until an attempt on ``keys`` will be checked again; 0 when it may be now."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                limit = self.address_limit if key.startswith("addr:") else self.limit
                if len(times) >= limit:
                    # blocked until the failure that makes the count reach the limit ages out
                    wait = max(wait, times[-limit] + self.window_s - now)
        return wait

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) >= _SWEEP_AT:
                for key in list(self._failures):
                    self._recent(key, now)
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, keys: Iterable[str]) -> None:
        """Clear the username's count (not the address's: see the module docstring)."""
        with self._lock:
            for key in keys:
                if not key.startswith("addr:"):
                    self._failures.pop(key, None)


class SharedSignInThrottle(SignInThrottle):
    """The same rules, the failures kept in a SQLite file that every worker process of one
    server opens (WAL; a failure is one row). Times are wall-clock seconds (``time.time``):
    monotonic clocks are not comparable between processes."""

    def __init__(self, path: str, limit: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.time, address_limit: int = ADDRESS_MAX_FAILURES):
        super().__init__(limit, window_s, clock, address_limit)
        self.path = path
        with self._connect() as db:
            db.execute("pragma journal_mode=wal")
            db.execute("create table if not exists failures (key text not null, at real not null)")
            db.execute("create index if not exists failures_key on failures (key, at)")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    def retry_after(self, keys: Iterable[str]) -> float:
        now, wait = self.clock(), 0.0
        with self._connect() as db:
            for key in keys:
                limit = self.address_limit if key.startswith("addr:") else self.limit
                row = db.execute("select at from failures where key = ? and at > ? order by at desc limit 1 offset ?",
                                 (key, now - self.window_s, limit - 1)).fetchone()
                if row is not None:  # the failure that makes the count reach the limit ages out then
                    wait = max(wait, row[0] + self.window_s - now)
        return wait

    def failed(self, keys: Iterable[str]) -> None:
        now = self.clock()
        with self._connect() as db:
            db.execute("delete from failures where at <= ?", (now - self.window_s,))
            db.executemany("insert into failures (key, at) values (?, ?)", [(key, now) for key in keys])

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._connect() as db:
            db.executemany("delete from failures where key = ?", [(k,) for k in keys if not k.startswith("addr:")])


def minutes(seconds: float) -> int:
    """Whole minutes to tell a person to wait (at least 1)."""
    return max(1, math.ceil(seconds / 60))
