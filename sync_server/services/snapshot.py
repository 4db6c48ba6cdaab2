"""``GET /sync/snapshot`` (issue 13): a fresh tablet's whole replica in one streamed answer.

A tablet with no cursor (a fresh one, or one told to resync by a 410) would otherwise pull
page after page, each a round trip and a commit. The snapshot is what those pages would
bring, read in one REPEATABLE READ snapshot in chunks of ``CHUNK`` changes (a few queries a
chunk, never one per customer), written as NDJSON to a spooled temporary file (bounded
memory: past ``SPOOL_BYTES`` it goes to disk) and then streamed:

- first line ``{"kind": "snapshot", "cursor": "…", "count": N}``: the cursor to continue the
  normal pull from (the head at read time) and the number of change lines that follow;
- then ``N`` lines, each a change exactly as ``GET /sync/pull`` gives it (docs/protocol.md,
  "Pull"), in change id order, one per entity (every row carries only its latest change);
- last line ``{"kind": "end", "count": N}``: a stream cut short lacks it, and the tablet
  then drops what it read (it loads the snapshot in one transaction).

Scope and privacy are the pull's (``services.pull``): the same rows a paged pull from the
empty cursor would leave on the tablet.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson  # the server extra installs it

from ..storage.base import Store
from .auth import Caller
from .pull import changes_page, encode_cursor, note_pull, render_changes

__all__ = ["Snapshot", "snapshot", "CHUNK", "SPOOL_BYTES", "BLOCK"]

CHUNK = 10_000  # changes read and rendered at a time (a few queries each)
SPOOL_BYTES = 8 * 1024 * 1024  # kept in memory up to this size, then on disk
BLOCK = 256 * 1024  # bytes a streamed block


def _line(value: Any) -> bytes:
    """One NDJSON line (orjson; ``json`` for what orjson refuses: an integer beyond 64 bits)."""
    try:
        return orjson.dumps(value) + b"\n"
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


@dataclass
class Snapshot:
    """A rendered snapshot: ``count`` change lines in ``body`` (rewound), the continuation
    ``cursor``. ``blocks()`` yields the whole answer (header, changes, end) and closes ``body``."""

    cursor: str
    count: int
    body: IO[bytes]

    @property
    def size(self) -> int:
        """Bytes of the whole answer (the Content-Length)."""
        return len(self._header()) + self._body_size + len(self._end())

    def _header(self) -> bytes:
        return _line({"kind": "snapshot", "cursor": self.cursor, "count": self.count})

    def _end(self) -> bytes:
        return _line({"kind": "end", "count": self.count})

    @property
    def _body_size(self) -> int:
        here = self.body.tell()
        size = self.body.seek(0, 2)
        self.body.seek(here)
        return size

    def blocks(self) -> Iterator[bytes]:
        try:
            yield self._header()
            while block := self.body.read(BLOCK):
                yield block
            yield self._end()
        finally:
            self.body.close()


def snapshot(store: Store, caller: Caller, chunk: int = CHUNK, rendered: bool = True, keys: str = "hash") -> Snapshot:
    """Render the caller's replica (everything ``pull`` would give from the empty cursor) as
    NDJSON change lines, in one read snapshot. ``rendered``: explanation steps with ``text``
    (False for ``steps=params``, as ``pull``); ``keys``: the phone key fields (``tag`` or
    ``hash``, as ``pull``, issue 14). Errors: none of its own (the store's)."""
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by blocks()
    count = 0
    try:
        with store.read():
            epoch, head = store.epoch(), store.head(caller.site.id)
            after, more = 0, True
            while more:
                changes, more = changes_page(store, caller, after, head, chunk)
                body.write(b"".join(_line(view) for view in render_changes(store, caller, changes, rendered, keys)))
                count += len(changes)
                if changes:
                    after = changes[-1].change_id
    except BaseException:
        body.close()
        raise
    body.seek(0)
    note_pull(store, caller)  # a download as a pull is (设备/人员 最近下载)
    return Snapshot(cursor=encode_cursor(epoch, head), count=count, body=body)
