"""The sync worker: one background thread that syncs on start, on demand, every few
minutes, and as soon as the server answers again after an outage.

While the server answers, a light heartbeat (``GET /healthz`` every ``heartbeat_s`` seconds,
with a short timeout) notices an outage between syncs, so the header says 离线 within ~15 s of
the server going away instead of at the next sync minutes later (issue 14).

Network errors (no answer) are retried with exponential backoff and full jitter, probing
``/healthz`` until the server answers. A 5xx is a server error, not an outage: it is reported
with its status and code (``last_error_code`` ``server_error``) and retried with backoff; a
record the server fails on even alone is held aside by the client and never blocks the others. A 401, or a 403 ``device_revoked``
(a manager revoked this tablet), stops automatic syncing until the user signs in again (the
outbox is kept: the records go after the new enrolment); other 4xx are reported and not retried blindly. Status goes to ``on_status`` (called on
the worker thread: the app hands it to the UI thread with ``Clock.schedule_once``).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..store import LocalStore
from .client import SyncClient, SyncReport
from .errors import AuthRequired, Forbidden, NetworkError, ServerError, SyncError

__all__ = ["SyncWorker", "SyncStatus", "backoff_delay"]


@dataclass(frozen=True)
class SyncStatus:
    pending: int = 0
    rejected: int = 0
    online: bool | None = None
    syncing: bool = False
    last_success: str | None = None
    last_error: str = ""
    last_error_code: str = ""
    last_error_status: int = 0  # the HTTP status of a server error (500, 503, …)
    server_code: str = ""  # the error code the server gave with it, if any
    needs_sign_in: bool = False
    last_report: SyncReport | None = None
    clock_offset_ms: int | None = None  # wall clock minus server time at the latest push
    progress: tuple[int, int] | None = None  # (changes so far, about how many) while a pull runs (issue 13)


def backoff_delay(attempt: int, base: float = 1.0, cap: float = 120.0, rand: Callable[[], float] = random.random) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, base·2^attempt)], at least 0.2 s."""
    return max(0.2, rand() * min(cap, base * (2 ** attempt)))


class SyncWorker:
    def __init__(self, client: SyncClient, store: LocalStore, interval_s: float = 180.0,
                 on_status: Callable[[SyncStatus], None] | None = None, backoff_base: float = 1.0,
                 backoff_cap: float = 60.0, heartbeat_s: float = 0.0, heartbeat_timeout_s: float = 4.0):
        self.client, self.store, self.interval_s = client, store, interval_s
        self.heartbeat_s, self.heartbeat_timeout_s = heartbeat_s, heartbeat_timeout_s
        self.on_status = on_status or (lambda status: None)
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._attempt = 0
        self._asked = False
        self.status = SyncStatus()
        self.syncs_done = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="fieldsync-sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def request_sync(self) -> None:
        """Sync as soon as possible (a button, a new record, sign-in)."""
        with self._lock:
            self._attempt = 0
            self._asked = True  # the worker thread checks the token: this may be called on the UI thread
        self._wake.set()

    def refresh_counts(self) -> None:
        """Publish fresh counts (reads the store: call it off the UI thread)."""
        self._publish()

    def _publish(self, **changes) -> None:
        changes.setdefault("progress", None)  # only a running pull has progress
        counts = self.store.counts()
        self.status = replace(self.status, pending=counts["pending"], rejected=counts["rejected"],
                              last_success=self.store.get_meta("last_success"),
                              clock_offset_ms=self.store.latest_clock_offset_ms(), **changes)
        self.on_status(self.status)

    def _run(self) -> None:
        delay = 0.0
        while not self._stop.is_set():
            self._idle(delay)
            self._wake.clear()
            if self._stop.is_set():
                return
            with self._lock:
                asked, self._asked = self._asked, False
            if asked and self.status.needs_sign_in and self.store.get_meta("token"):
                self.status = replace(self.status, needs_sign_in=False)  # signed in again
            if self.status.needs_sign_in or not self.store.get_meta("token"):
                self._publish(needs_sign_in=bool(self.store.get_meta("server_url")))
                delay = self.interval_s
                continue
            delay = self._attempt_sync()

    def _idle(self, delay: float) -> None:
        """Wait ``delay`` seconds or until woken; while online, probe ``/healthz`` every
        ``heartbeat_s`` and stop waiting (to sync, which backs off) when it gets no answer."""
        deadline = time.monotonic() + delay
        while not self._stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            beating = bool(self.heartbeat_s) and self.status.online is True and not self.status.needs_sign_in
            if self._wake.wait(min(remaining, self.heartbeat_s) if beating else remaining):
                return
            if beating and time.monotonic() < deadline and not self._heartbeat():
                return

    def _heartbeat(self) -> bool:
        """One light probe; on no answer, say offline at once. True when the server answered."""
        try:
            if self.client.healthz(timeout=self.heartbeat_timeout_s):
                return True
        except ServerError:
            return True  # it answers (a 5xx is reported by the next sync, not as 离线)
        self._publish(online=False, last_error="The server cannot be reached; records stay on this tablet.",
                      last_error_code="offline")
        return False

    def _attempt_sync(self) -> float:
        if self.status.online is False:
            try:
                reachable = self.client.healthz()
            except ServerError as exc:  # it answers, but fails (e.g. 503: its database is down)
                return self._failed(exc, online=True, code="server_error")
            if not reachable:
                return self._failed(NetworkError("The server cannot be reached; records stay on this tablet."))
        self._publish(syncing=True)
        done = threading.Event()
        if self.heartbeat_s:
            threading.Thread(target=self._watch, args=(done,), name="fieldsync-heartbeat", daemon=True).start()
        try:
            report = self._sync_watched(done)
        except AuthRequired as exc:
            self._publish(syncing=False, needs_sign_in=True, last_error=str(exc), last_error_code=exc.code or "auth")
            return self.interval_s
        except Forbidden as exc:
            # revoked by a manager, or the user deactivated: retrying changes nothing until someone
            # enrols again; the outbox stays as it is (issue 12)
            self._publish(syncing=False, online=True, needs_sign_in=exc.code == "device_revoked",
                          last_error=str(exc), last_error_code=exc.code or "forbidden")
            return self.interval_s
        except NetworkError as exc:
            return self._failed(exc)
        except ServerError as exc:
            return self._failed(exc, online=True, code="server_error")
        except SyncError as exc:
            self._publish(syncing=False, online=True, last_error=str(exc), last_error_code=exc.code or "rejected")
            return self.interval_s
        except Exception as exc:  # keep the worker alive whatever happens; say what went wrong
            self._publish(syncing=False, last_error=f"Unexpected sync problem: {exc}", last_error_code="internal")
            return self.interval_s
        with self._lock:
            self._attempt = 0
        self.syncs_done += 1
        problem = report.server_error  # some records were held after a server error: say so
        self._publish(syncing=False, online=True, last_error=str(problem or ""),
                      last_error_code="server_error" if problem else "",
                      last_error_status=problem.status if problem else 0,
                      server_code=problem.code if problem else "", last_report=report)
        return self.interval_s

    def _sync_watched(self, done: threading.Event) -> SyncReport:
        """``client.sync``, telling the heartbeat watcher (``_watch``) when it ends."""
        try:
            return self.client.sync(on_progress=self._progress)
        finally:
            done.set()

    def _watch(self, done: threading.Event) -> None:
        """While a sync runs, probe ``/healthz`` every ``heartbeat_s``: a server that froze
        mid-push (its answer never comes) reads 离线 within ``heartbeat_s`` + the probe's short
        timeout, not at the push's own 30 s timeout (QA of issue 14, M5: 30.4 s with a walk-in
        just saved). No probe while a pull's progress moves (a long first sync on a busy server
        is no outage). Only the status changes here — no store read, the sync may hold the store
        (a snapshot's load); the sync's own end publishes the full status after."""
        seen = self.status.progress
        while not done.wait(self.heartbeat_s):
            if self.status.progress != seen:  # a pull is receiving changes: the server is there
                seen = self.status.progress
                continue
            try:
                if self.client.healthz(timeout=self.heartbeat_timeout_s):
                    continue
            except ServerError:
                continue  # it answers (a 5xx is the sync's to report)
            if done.is_set():
                return
            self.status = replace(self.status, online=False, last_error_code="offline",
                                  last_error="The server cannot be reached; records stay on this tablet.")
            self.on_status(self.status)

    def _progress(self, done: int, about: int) -> None:
        """The pull's progress (on this thread, mid-transaction during a snapshot load: so the
        store is not read here; the counts stay those published when the sync began)."""
        self.status = replace(self.status, progress=(done, max(done, about)))
        self.on_status(self.status)

    def _failed(self, exc: SyncError, online: bool = False, code: str = "offline") -> float:
        with self._lock:
            self._attempt += 1
            attempt = self._attempt
        self._publish(syncing=False, online=online, last_error=str(exc), last_error_code=code,
                      last_error_status=exc.status, server_code=exc.code if online else "")
        return backoff_delay(attempt, self.backoff_base, self.backoff_cap)
