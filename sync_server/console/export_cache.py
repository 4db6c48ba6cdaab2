"""Finished export files kept in memory, so a repeated export costs a look-up (issue 11: every
export under 300 ms at a million records; a busy week's registrations XLSX takes ~2.5 s to
build, docs/benchmarks.md).

A file is kept under what it is of — ``(site, kind, format, first day, last day, language,
UTC offset)`` — together with the site's export version read *before* it was built
(``ReportingStore.export_version``: the latest change id of each table the sheet reads, its
desks' names, its decisions' count and latest time). A look-up hands the file back only while
the version it is asked with is the one kept: any push, confirmation, withdrawal, 不予确认,
new person or desk (and, for the sheets that show customers, any customer or conflict change
or decision) of the site since makes it a miss, so a kept file is never stale. Reading the
version first and building after means a write that lands in between can only make the kept
file newer than its key, and the next look-up (which reads the new version) builds it again.

Bounded: at most ``max_bytes`` in all (the least recently used go first) and no file larger
than ``max_entry_bytes`` (a year of a busy site's CSV is tens of MB: it is streamed, not kept).
Per process: each server worker keeps its own; a restart starts empty.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

__all__ = ["ExportCache", "ExportKey"]


@dataclass(frozen=True)
class ExportKey:
    """What an export file is of (its bytes depend on nothing else but the site's data)."""

    site_id: str
    kind: str
    format: str
    first: date
    last: date
    lang: str
    tz: int


class ExportCache:
    """Finished export files (bytes) by ``ExportKey``, each valid for one export version."""

    def __init__(self, max_bytes: int = 64 << 20, max_entry_bytes: int = 16 << 20):
        self.max_bytes, self.max_entry_bytes = max_bytes, max_entry_bytes
        self._files: OrderedDict[ExportKey, tuple[str, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: ExportKey, version: str) -> bytes | None:
        """The kept file of ``key`` if it was built at ``version``; None otherwise (a file of an
        older version is dropped)."""
        with self._lock:
            kept = self._files.get(key)
            if kept is None or kept[0] != version:
                if kept is not None:
                    self._drop(key)
                self.misses += 1
                return None
            self._files.move_to_end(key)
            self.hits += 1
            return kept[1]

    def put(self, key: ExportKey, version: str, data: bytes) -> None:
        """Keep ``data`` as ``key``'s file at ``version`` (a file over ``max_entry_bytes`` is not
        kept); the least recently used files go until all fit in ``max_bytes``."""
        if len(data) > self.max_entry_bytes:
            return
        with self._lock:
            if key in self._files:
                self._drop(key)
            self._files[key] = (version, data)
            self._size += len(data)
            while self._size > self.max_bytes and self._files:
                self._drop(next(iter(self._files)))

    def keeping(self, key: ExportKey, version: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """``chunks`` passed on as they come (a streamed CSV), kept as ``key``'s file when the
        last one has been sent — not when the client left early, nor once they pass
        ``max_entry_bytes`` (then only passed on)."""
        parts: list[bytes] | None = []
        size = 0
        for chunk in chunks:
            if parts is not None:
                size += len(chunk)
                if size > self.max_entry_bytes:
                    parts = None
                else:
                    parts.append(chunk)
            yield chunk
        if parts is not None:
            self.put(key, version, b"".join(parts))

    def __len__(self) -> int:
        return len(self._files)

    def _drop(self, key: ExportKey) -> None:
        _, data = self._files.pop(key)
        self._size -= len(data)
