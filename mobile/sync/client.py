"""The sync client: enrol, push the outbox in batches, pull changes until ``more`` is false.

Blocking calls: run them on the sync worker's thread, never on the UI thread.

The outbox never waits behind a record the server keeps refusing (issue 8). When a whole
batch is answered with a server error (500, not the transient 502/503/504) or an envelope
error (400/413/422), the batch is split in halves and each half pushed again, down to single
records, so the good records go through and the culprit is isolated:

- a single record answered 5xx is ``held`` with the server's status and words: it is retried
  alone at every later sync (after the pending records), so a fixed server takes it;
- a single record answered 400/413/422 is ``rejected`` with the server's code, message and
  field, like a per-record rejection: a person corrects or withdraws it (R4: nothing lost).
  A 400/422 naming a field of the envelope (``sent_at``, ``clock``) is the tablet's own fault,
  not a record's: it is reported and nothing is split or rejected.

No answer at all (NetworkError) and 502/503/504 stop the push: the server is away, not the
record at fault; the same batch is retried later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from shared.clocks import DeviceClock
from shared.timeutil import format_time, parse_time

from ..device_clock import read_clock, wall_now
from ..store import LocalStore, ReplicaUserChanged
from ..store.phone_keys import TABLET_KEYS
from ..store.snapshot import Progress, SnapshotBroken
from .errors import (
    AuthRequired,
    Forbidden,
    NetworkError,
    RequestRejected,
    ResyncRequired,
    ServerError,
    SyncError,
    error_for_status,
)
from .transport import RequestsTransport, Response, Transport

__all__ = ["SyncClient", "SyncReport", "MAX_PUSH"]

MAX_PUSH = 1000  # protocol limit per push
ENROL_TIMEOUT = 15.0  # seconds a sign-in waits for the server (it hashes one password: well under a second)
MAX_PULL_PAGE = 1000  # protocol limit per pull page: the largest, so a first pull commits as few times as it can
# Seconds the snapshot's answer may go without a byte (requests' read timeout, per read). The
# server streams it as it renders it (issue 13), but counts the changes before its header; a
# server from before the streaming rendered the whole snapshot first (30-100 s at 100,000
# customers on a loaded 2-CPU box), so this stays long.
SNAPSHOT_TIMEOUT = 600.0
_ENVELOPE_STATUSES = (400, 413, 422)  # the server refused the batch's shape: one record may be the cause


@dataclass
class SyncReport:
    pushed: int = 0
    accepted: int = 0
    rejected: int = 0
    pulled: int = 0
    resynced: bool = False
    held_ids: list[str] = field(default_factory=list)  # answered 5xx even alone: kept, retried alone next sync
    kept_back: list[str] = field(default_factory=list)  # depend on a held one: not sent this sync
    server_error: ServerError | None = None  # the last such answer, to tell the user

    @property
    def held(self) -> int:
        return len(self.held_ids)


def _about_records(exc: RequestRejected) -> bool:
    """Could one record have caused this refusal? Not when the server names an envelope field
    (``sent_at``, ``clock.boot_id``: the tablet itself is at fault, every record would fail)."""
    return exc.status == 413 or not exc.field or exc.field.startswith("records")


def _not_depending(batch: list[dict], report: SyncReport) -> list[dict]:
    """``batch`` without the records that supersede or refer to (``data.refers_to``) one held
    in this sync (``report.held_ids``) or kept back before (``report.kept_back``, at any depth
    of the split: QA fifth round, a withdrawal of a kept-back correction went alone); they stay
    unsent, after it, and are added to ``report.kept_back``."""
    left, kept = set(report.held_ids) | set(report.kept_back), []
    for wire in batch:
        refs = {wire.get("supersedes"), (wire.get("data") or {}).get("refers_to")} - {None, ""}
        if refs & left:
            left.add(wire["id"])
            report.kept_back.append(wire["id"])
        else:
            kept.append(wire)
    return kept


def keys_refused(error: SyncError) -> SyncError:
    """A server from before ``keys=tag2`` (issue 14) answers the tablet's pull and snapshot 422
    naming ``query.keys``: that is the server's age, not the tablet's fault — ``RequestRejected``
    ``server_too_old`` (the tablet says: update the server; nothing is lost). Any other error
    unchanged."""
    if isinstance(error, RequestRejected) and error.status == 422 and error.field == "query.keys":
        return RequestRejected("The server is older than this app (it does not know keys=tag2): update the server, "
                               "then sync again; unsent records stay on this tablet.", "server_too_old", 422,
                               "query.keys")
    return error


class SyncClient:
    def __init__(self, store: LocalStore, transport: Transport | None = None,
                 clock: Callable[[], DeviceClock] = read_clock, now: Callable[[], datetime] = wall_now,
                 batch_size: int = 500, page_size: int = MAX_PULL_PAGE, timeout: float = 30.0,
                 snapshots: bool = True, snapshot_timeout: float = SNAPSHOT_TIMEOUT):
        self.store, self.transport = store, transport or RequestsTransport()
        self.clock, self.now = clock, now
        self.batch_size, self.page_size, self.timeout = min(batch_size, MAX_PUSH), page_size, timeout
        self.snapshots = snapshots  # ask for a bootstrap snapshot when there is no cursor (issue 13)
        self._as: dict | None = None  # an earlier user's kept credentials while her records are pushed
        self.snapshot_timeout = max(timeout, snapshot_timeout)

    # -- plumbing --------------------------------------------------------------------------
    @property
    def server_url(self) -> str:
        return (self.store.get_meta("server_url") or "").rstrip("/")

    def _call(self, method: str, path: str, *, json: Any = None, params: dict | None = None,
              auth: bool = True, base: str | None = None, timeout: float | None = None) -> Any:
        base = (base or self.server_url).rstrip("/")
        if not base:
            raise AuthRequired("This tablet is not enrolled yet: enter the server address and sign in.")
        headers = {}
        if auth:
            token = self._as["token"] if self._as else self.store.get_meta("token")
            if not token:
                raise AuthRequired("Sign in on the enrol screen first.")
            headers["Authorization"] = f"Bearer {token}"
        answer: Response = self.transport.request(method, base + path, json=json, params=params, headers=headers,
                                                  timeout=timeout or self.timeout)
        if 200 <= answer.status < 300:
            return answer.body
        raise error_for_status(answer.status, answer.body)

    # -- calls -----------------------------------------------------------------------------
    def healthz(self, base: str | None = None, timeout: float | None = None) -> bool:
        """Does the server answer? (the network-is-back probe and the heartbeat)"""
        try:
            self._call("GET", "/healthz", auth=False, base=base, timeout=timeout)
        except NetworkError:
            return False
        return True

    def enroll(self, server_url: str, username: str, password: str, device_name: str,
               new_password: str | None = None) -> dict:
        """Enrol this tablet; remembers server, device and user. Wrong password → AuthRequired.
        A password a manager reset → ``Forbidden`` code ``password_change_required`` until
        ``new_password`` (the user's own, replacing it) comes along; a too short or unchanged
        one → ``RequestRejected`` ``weak_password``/``same_password``. Enrolling again (after a
        manager revoked this tablet) keeps the outbox: unsent records go with the next sync."""
        request = {"username": username, "password": password, "device_name": device_name}
        if new_password:
            request["new_password"] = new_password
        # a frozen server: "正在连接服务器…" for 15 s at most, not the sync's 30 (QA of issue 14 re-check)
        body = self._call("POST", "/api/v1/auth/enroll", auth=False, base=server_url, json=request,
                          timeout=min(self.timeout, ENROL_TIMEOUT))
        previous = self.store.get_meta("user") or {}
        kept = dict(self.store.get_meta("kept_credentials") or {})
        if previous.get("username") and previous.get("username") != body["user"].get("username"):
            # another user on this tablet (切换用户, QA of issue 14): the one before keeps her
            # credentials for her unsent records only (``push``); the replica was hers — a
            # rep must not find the desk's tags of every customer here (M1) — so it is loaded
            # again for the new user
            if self.store.has_unsent(previous["username"]):
                kept[previous["username"]] = {"token": self.store.get_meta("token"),
                                              "device_id": self.store.get_meta("device_id")}
            self.store.forget_user_replica()
        elif previous and previous.get("site_id") != body["user"].get("site_id"):
            self.store.reset_replica()
        kept.pop(body["user"].get("username"), None)  # back on this tablet: her own new token
        self.store.set_meta(server_url=server_url.rstrip("/"), device_id=body["device_id"], token=body["token"],
                            user=body["user"], device_name=device_name, kept_credentials=kept,
                            replica_key=body.get("replica_key"))  # phone tags before the first pull (issue 14)
        return body["user"]

    def push(self, report: SyncReport | None = None) -> tuple[int, int, int]:
        """Push every pending record in seq order, then each held record alone; returns
        (pushed, accepted, rejected). Held records and the server's error go to ``report``.

        Each record goes with its author's credentials (QA of issue 14, H1/H2): the signed-in
        user's as they were when this push began (a sign-in meanwhile must not send them as the
        next user's), an earlier user's kept ones (``meta.kept_credentials``, 切换用户) for hers —
        in seq order across authors (HIGH-1: a correction by the next user follows the record it
        corrects), a run of one author per request. An earlier user's credentials the server no
        longer accepts (revoked, deactivated) are forgotten and her records wait, listed, until
        she signs in here again (``LocalStore.unsent_authors``); forgotten too once her records
        are all sent."""
        report = report if report is not None else SyncReport()
        before = (report.pushed, report.accepted, report.rejected)
        me = (self.store.get_meta("user") or {}).get("username") or ""
        credentials = {**dict(self.store.get_meta("kept_credentials") or {}),
                       me: {"token": self.store.get_meta("token"), "device_id": self.store.get_meta("device_id")}}
        refused: set[str] = set()
        while True:
            author, batch = self.store.pending_run(self.batch_size, set(credentials) - refused, me)
            if not batch:
                break
            sent = self._push_with(credentials[author], author == me, refused, author,
                                   partial(self._push_isolating, batch, report))
            if not sent and author not in refused:
                break  # nothing answered: stop, retry later
        just_held = set(report.held_ids)
        for author in [me, *(u for u in credentials if u != me)]:
            for wire in self.store.held_records(author=None if author == me else author):
                if author in refused:
                    break
                if wire["id"] not in just_held:  # held by this very sync: its retry is the next sync's
                    self._push_with(credentials[author], author == me, refused, author,
                                    partial(self._push_isolating, [wire], report))
        unsent = self.store.unsent_authors()
        self.store.forget_credentials(refused | {u for u in credentials if u != me and not unsent.get(u)})
        return (report.pushed - before[0], report.accepted - before[1], report.rejected - before[2])

    def _push_with(self, credentials: dict, mine: bool, refused: set[str], author: str,
                   send: Callable[[], bool]) -> bool:
        """``send()`` with ``credentials``; an earlier user's refused (401/403): noted in
        ``refused``, False. The signed-in user's refusal is raised (sign in again)."""
        self._as = credentials
        try:
            return send()
        except (AuthRequired, Forbidden):
            if mine:
                raise
            refused.add(author)
            return False
        finally:
            self._as = None

    def _push_isolating(self, batch: list[dict], report: SyncReport) -> bool:
        """Push ``batch``; on a server or envelope error split it until the culprit is alone.
        False when the server answered nothing for the batch (stop, retry later)."""
        try:
            return self._push_batch(batch, report)
        except ServerError as exc:
            if exc.transient:
                raise
            if len(batch) == 1:
                self.store.hold(batch[0]["id"], exc.code, str(exc), exc.field)
                report.held_ids.append(batch[0]["id"])
                report.server_error = exc
                return True
        except RequestRejected as exc:
            if exc.status not in _ENVELOPE_STATUSES or not _about_records(exc):
                raise
            if len(batch) == 1:
                self.store.refuse(batch[0]["id"], exc.code or f"http_{exc.status}", str(exc), exc.field)
                report.pushed += 1
                report.rejected += 1
                return True
        middle = len(batch) // 2
        first = self._push_isolating(batch[:middle], report)
        # what supersedes or refers to a record the first half got held waits with it (QA fourth
        # round: a walk-in held after a server error, its correction sent alone and refused)
        rest = _not_depending(batch[middle:], report)
        return (self._push_isolating(rest, report) if rest else True) and first

    def _push_batch(self, batch: list[dict], report: SyncReport) -> bool:
        clock, sent = self.clock(), self.now()
        device_id = self._as["device_id"] if self._as else self.store.get_meta("device_id")
        body = self._call("POST", "/api/v1/sync/push", json={
            "device_id": device_id, "sent_at": format_time(sent),
            "clock": clock.as_wire(), "records": batch})
        results = body.get("results") or []
        server_time = body.get("server_time")
        self.store.record_results(results, server_time or format_time(sent))
        if server_time:
            offset = int((sent - parse_time(server_time)).total_seconds() * 1000)
            self.store.add_anchor(clock.boot_id, clock.elapsed_ms, server_time, format_time(sent), offset)
        report.pushed += len(batch)
        report.accepted += sum(r.get("status") in ("accepted", "duplicate") for r in results)
        report.rejected += sum(r.get("status") == "rejected" for r in results)
        answered = {r.get("id") for r in results}
        return bool(answered & {w["id"] for w in batch})  # nothing answered: stop, retry later

    def pull(self, on_progress: Progress | None = None) -> tuple[int, bool]:
        """Pull until ``more`` is false; returns (changes, resynced). A tablet without a cursor
        (fresh, or told to resync by a 410) first loads the server's bootstrap snapshot in one
        transaction (``_snapshot``: the outbox untouched) and pulls on from its cursor; from a
        server without snapshots it pulls page by page from the start (after a 410, into an
        emptied replica). ``on_progress(done, about)``: changes so far of about how many
        (called on this thread; the worker hands it to the UI thread)."""
        total, resynced, rebuild = 0, False, not self.store.get_meta("cursor")
        about = 0
        token = self.store.get_meta("token")  # the replica is this user's (切换用户 mid-sync: stop)
        while True:
            if self.store.get_meta("token") != token:
                return total, resynced  # another user signed in: the next sync loads theirs
            if rebuild:
                rebuild = False
                loaded = self._snapshot(on_progress)
                if loaded is not None:
                    total += loaded
                    continue
                if resynced:
                    self.store.reset_replica()  # the outbox is untouched: unsent records stay
            # explanations rendered here (issue 13); customers named by keyed phone tags (issue 14)
            params = {"limit": self.page_size, "steps": "params", "keys": TABLET_KEYS}
            cursor = self.store.get_meta("cursor")
            if cursor:
                params["cursor"] = cursor
            try:
                body = self._call("GET", "/api/v1/sync/pull", params=params)
            except RequestRejected as exc:
                raise keys_refused(exc) from exc
            except ResyncRequired:
                if resynced:
                    raise
                resynced = rebuild = True
                continue
            changes = body.get("changes") or []
            if isinstance(body.get("about"), int):  # servers before issue 13 do not say
                about = max(about, total + body["about"])
            try:
                self.store.apply_changes(changes, body.get("cursor"), for_token=token)
            except ReplicaUserChanged:
                return total, resynced
            total += len(changes)
            more = bool(body.get("more"))
            if on_progress is not None and (more or total):
                on_progress(total, max(about, total) if more else total)
            if not more:
                return total, resynced

    def _snapshot(self, on_progress: Progress | None) -> int | None:
        """Load ``GET /sync/snapshot`` into the replica (``LocalStore.load_snapshot``); None when
        this transport or server has no snapshots (then the caller pulls page by page)."""
        stream = getattr(self.transport, "stream_lines", None)
        if stream is None or not self.snapshots:
            return None
        base = self.server_url
        token = self.store.get_meta("token")
        if not base or not token:
            raise AuthRequired("Sign in on the enrol screen first.")
        with stream(base + f"/api/v1/sync/snapshot?steps=params&keys={TABLET_KEYS}", headers={"Authorization": f"Bearer {token}"},
                    timeout=self.snapshot_timeout) as answer:
            if answer.status in (404, 405):  # a server from before issue 13
                self.snapshots = False
                return None
            if not 200 <= answer.status < 300:
                raise keys_refused(error_for_status(answer.status, answer.body))
            try:
                return self.store.load_snapshot(answer.body, on_progress, for_token=token)
            except SnapshotBroken as exc:  # the connection ended early: nothing kept, retried later
                raise NetworkError(str(exc)) from exc
            except ReplicaUserChanged:
                return 0  # another user signed in while it loaded: nothing kept (``pull`` stops)

    def sync(self, on_progress: Progress | None = None) -> SyncReport:
        """Push, then pull (``on_progress`` as in ``pull``). Raises a SyncError on failure; what
        was done before stays done."""
        report = SyncReport()
        self.push(report)
        report.pulled, report.resynced = self.pull(on_progress)
        self.store.set_meta(last_success=format_time(self.now()))
        return report
