"""``GET /sync/snapshot`` (issue 13): a fresh tablet's whole replica in one streamed answer.

A tablet with no cursor (a fresh one, or one told to resync by a 410) would otherwise pull
page after page, each a round trip and a commit. The snapshot is what those pages would
bring, read in one REPEATABLE READ snapshot in windows of ``CHUNK`` change ids (a few queries a
window, never one per customer; each row read once), each record's wire and each visible
customer's explanation spliced into its line as stored (``render_changes(spliced=True)``: the
same bytes, not decoded and encoded again), and **streamed as it is rendered**: the tablet parses and
stores the first lines while the server reads and renders the next ones, so the first sync
takes about the longer of the two, not their sum. NDJSON:

- first line ``{"kind": "snapshot", "cursor": "…", "count": N}``: the cursor to continue the
  normal pull from (the head at read time) and the number of change lines that follow
  (``Store.count_changes``, counted in the database before the first change is read: the
  tablet shows "已同步 n / 约 N 条" from the first chunk);
- then ``N`` lines, each a change exactly as ``GET /sync/pull`` gives it (docs/protocol.md,
  "Pull"), in change id order, one per entity (every row carries only its latest change);
- last line ``{"kind": "end", "count": N}``, written only after exactly ``N`` lines: a stream
  cut short (a lost connection, a server error after the first byte, which can no longer
  become a status code) lacks it, and the tablet then drops what it read and tries again
  (it loads the snapshot in one transaction).

``SnapshotStream`` renders in a thread of its own, which holds the read snapshot (``store.read()``
pins a connection to its thread) from the header to the last line, and hands blocks of about
``BLOCK`` bytes to the HTTP answer through a queue of ``QUEUE_BLOCKS`` (bounded memory: a slow
tablet makes the renderer wait). A reader that takes nothing for ``STALL_SECONDS`` (a client
gone without the server noticing) ends the render and releases the snapshot.

Scope and privacy are the pull's (``services.pull``): the same rows a paged pull from the
empty cursor would leave on the tablet.
"""

from __future__ import annotations

import json
import logging
import queue
import tempfile
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson  # the server extra installs it

from ..storage.base import Store
from .auth import Caller
from .pull import changes_page, check_keys, count_changes, encode_cursor, note_pull, render_changes
from .tagging import keep_pulled_tags

__all__ = ["SnapshotStream", "Snapshot", "snapshot", "render_blocks", "CHUNK", "FIRST_CHUNK", "BLOCK", "QUEUE_BLOCKS",
           "STALL_SECONDS"]

CHUNK = 10_000  # change ids read and rendered at a time (a window: at most that many changes; a few queries)
FIRST_CHUNK = 1_000  # the first window is smaller: the tablet starts loading sooner
BLOCK = 256 * 1024  # bytes a streamed block (at least: whole lines)
QUEUE_BLOCKS = 32  # blocks rendered ahead of the tablet at most (8 MiB)
STALL_SECONDS = 600.0  # a reader that takes no block this long is gone: stop, release the read
_log = logging.getLogger("fieldsync.server")


def _line(value: Any) -> bytes:
    """One NDJSON line (orjson; ``json`` for what orjson refuses: an integer beyond 64 bits)."""
    try:
        return orjson.dumps(value) + b"\n"
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _lines(views: list[dict]) -> bytes:
    """The views as NDJSON lines."""
    try:
        return b"".join([orjson.dumps(view) + b"\n" for view in views])
    except (TypeError, orjson.JSONEncodeError):
        return b"".join(_line(view) for view in views)


class SnapshotStopped(Exception):
    """The reader went away (or stalled past ``STALL_SECONDS``): the render stops."""


def render_blocks(store: Store, caller: Caller, chunk: int = CHUNK, rendered: bool = True,
                  keys: str = "hash") -> Generator[bytes, None, None]:
    """The whole snapshot answer as blocks of bytes: header, change lines (blocks of at least
    ``BLOCK`` bytes, whole lines), end line — all read inside one ``store.read()``, held until
    the generator ends (run it on one thread). ``chunk``: change ids a read (a window; the
    first ``FIRST_CHUNK`` at most). ``rendered``: explanation steps with ``text``
    (False for ``steps=params``, as ``pull``); ``keys``: the phone key fields (``tag`` or
    ``hash``, as ``pull``, issue 14). Errors: the store's; ``RuntimeError`` (after the changes,
    before the end line) if the changes read differ in number from the header's count."""
    with store.read():
        epoch, head = store.epoch(), store.head(caller.site.id)
        count = count_changes(store, caller, 0, head)
        yield _line({"kind": "snapshot", "cursor": encode_cursor(epoch, head), "count": count})
        after, sent, block = 0, 0, bytearray()
        memo: dict[str, Any] = {}  # what one read snapshot reads once (render_changes)
        computed: dict[str, str] = {}  # tags computed for untagged records (render_changes), stored after the read
        while after < head:
            # a window of change ids, not the first ``chunk`` changes: each table's read then
            # stops at the window's end, so no row is read (and decoded) only to be dropped by
            # the merge and read again for the next chunk (ids are the site's, one per change:
            # a window of n ids holds at most n changes)
            upto = min(head, after + (min(chunk, FIRST_CHUNK) if not after else chunk))
            changes, more = changes_page(store, caller, after, upto, upto - after, texts=True)
            if more:  # cannot happen (ids are unique within a site): a bug, not a short stream
                raise RuntimeError(f"snapshot of site {caller.site.id}: more than {upto - after} changes in "
                                   f"ids {after + 1}..{upto}")
            try:  # stored wire and explanation texts spliced in as they are (render_changes' spliced)
                block += b"".join([orjson.dumps(view) + b"\n"
                                   for view in render_changes(store, caller, changes, rendered, keys, spliced=True,
                                                                 memo=memo, computed=computed)])
            except (TypeError, orjson.JSONEncodeError) as exc:  # a value orjson refuses: json writes it, without fragments
                _log.warning("snapshot of %s: ids %d..%d rendered without spliced texts (%s)",
                             caller.user.username, after + 1, upto, exc)
                block += _lines(render_changes(store, caller, changes, rendered, keys, memo=memo, computed=computed))
            sent += len(changes)
            after = upto
            if len(block) >= BLOCK or after >= head:
                yield bytes(block)
                block.clear()
        if sent != count:  # a bug: the end line would vouch for a wrong stream
            raise RuntimeError(f"snapshot of site {caller.site.id}: {sent} changes read, {count} counted")
    keep_pulled_tags(store, caller.site.id, computed, keys)  # the tagger's work, done (issue 13/14)
    yield _line({"kind": "end", "count": count})


class SnapshotStream:
    """A snapshot rendered on its own thread while ``blocks()`` hands it out. ``start()``
    (blocking) renders up to the header: errors before it (the store unreachable) are raised
    there, while a status code can still tell the tablet; ``count`` and ``header`` are known
    then. ``blocks()`` yields the header and every later block, raising the renderer's error
    if it fails after the first byte (the answer then ends without its end line)."""

    _DONE = object()

    def __init__(self, store: Store, caller: Caller, chunk: int = CHUNK, rendered: bool = True,
                 keys: str = "hash", stall_seconds: float = STALL_SECONDS):
        self.store, self.caller, self._keys = store, caller, keys
        self._render = render_blocks(store, caller, chunk, rendered, keys)
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_BLOCKS)
        self._stop = threading.Event()
        self._stall = stall_seconds
        self._thread = threading.Thread(target=self._run, name="fieldsync-snapshot", daemon=True)
        self.header = b""
        self.count = 0

    def start(self) -> None:
        check_keys(self.caller, self._keys)  # before the header: a status code (409 app_too_old)
        self._thread.start()
        first = self._queue.get()
        if isinstance(first, BaseException):
            raise first
        self.header = first
        self.count = json.loads(first)["count"]

    def blocks(self) -> Iterator[bytes]:
        try:
            yield self.header
            while (item := self._queue.get()) is not self._DONE:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self._stop.set()  # a client gone mid-stream: the renderer stops at its next block

    def _put(self, item: Any) -> None:
        waited = 0.0
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=1.0)
                return
            except queue.Full:
                waited += 1.0
                if waited >= self._stall:
                    break
        raise SnapshotStopped

    def _run(self) -> None:
        try:
            for block in self._render:
                self._put(block)
        except SnapshotStopped:
            self._render.close()  # ends the read snapshot
            return
        except BaseException as exc:
            _log.exception("rendering the snapshot of %s failed; the tablet gets no end line and tries again",
                           self.caller.user.username)
            try:
                self._put(exc)
            except SnapshotStopped:
                pass
            return
        try:
            note_pull(self.store, self.caller, self._keys)  # a download as a pull is (设备/人员 最近下载)
        except Exception:  # the tablet has its whole snapshot: a missed note must not fail it
            _log.exception("noting the snapshot download of %s failed", self.caller.user.username)
        try:
            self._put(self._DONE)
        except SnapshotStopped:
            pass


@dataclass
class Snapshot:
    """A snapshot rendered whole (``snapshot``, for benches): ``count`` change lines, the
    continuation ``cursor``, the whole answer in ``body`` (rewound) of ``size`` bytes."""

    cursor: str
    count: int
    body: IO[bytes]
    size: int


def snapshot(store: Store, caller: Caller, chunk: int = CHUNK, rendered: bool = True, keys: str = "hash") -> Snapshot:
    """The whole answer of ``render_blocks`` in a spooled temporary file, on this thread
    (``bench/snapshot_render.py`` times the server's rendering with it; the route streams)."""
    body = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - the caller closes it
    began = time.perf_counter()
    blocks = render_blocks(store, caller, chunk, rendered, keys)
    header = next(blocks)
    body.write(header)
    for block in blocks:
        body.write(block)
    size = body.tell()
    body.seek(0)
    meta = json.loads(header)
    _log.debug("snapshot rendered in %.2f s", time.perf_counter() - began)
    return Snapshot(cursor=meta["cursor"], count=meta["count"], body=body, size=size)
