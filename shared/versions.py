"""Which version of a record counts (R4: records are never altered; corrections are new
versions). A correction names the record it supersedes; a withdrawal takes its whole chain
out. Used by the ownership engine; pure and order-independent."""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .ownership_types import TimedRecord
from .records import Record

__all__ = ["EffectiveRecord", "effective_records", "original_of", "version_order"]


@dataclass
class EffectiveRecord:
    """A record chain after corrections: time and identity of the original, content of the latest."""

    root: TimedRecord
    latest: TimedRecord

    @property
    def at(self) -> datetime:
        return self.root.estimate.at

    @property
    def id(self) -> str:
        return self.root.record.id

    @property
    def record(self) -> Record:
        return self.latest.record


def version_order(at: datetime, record_id: str) -> tuple[datetime, str]:
    """Which of a chain's versions stands, as a sort key (the larger stands, R4): its own
    estimated time, then its id — the ownership engine's latest version, the numbers' one live
    tip of a forked chain (``sync_server/storage/sql/forks.py``), the lists' outdated mark."""
    return (at, record_id)


def _order(tr: TimedRecord) -> tuple:
    return version_order(tr.estimate.at, tr.record.id)


def effective_records(records: Iterable[TimedRecord]) -> list[EffectiveRecord]:
    """Each record chain once, as it counts now: duplicates collapse, corrections keep the
    original's time and id with the latest content, withdrawn chains drop out; in time order."""
    by_id: dict[str, TimedRecord] = {}
    for tr in records:
        kept = by_id.get(tr.record.id)
        if kept is None or tr.record.digest < kept.record.digest:  # deterministic if ids collide
            by_id[tr.record.id] = tr
    children: dict[str, list[TimedRecord]] = {}
    for tr in by_id.values():
        if tr.record.supersedes in by_id:
            children.setdefault(tr.record.supersedes, []).append(tr)
    result = []
    for tr in by_id.values():
        if tr.record.supersedes in by_id:
            continue  # not a root: it is a version of an earlier record
        chain, todo, seen = [tr], list(children.get(tr.record.id, ())), {tr.record.id}
        while todo:
            node = todo.pop()
            if node.record.id in seen:
                continue
            seen.add(node.record.id)
            chain.append(node)
            todo.extend(children.get(node.record.id, ()))
        if any(node.record.type == "withdrawal" for node in chain):
            continue
        result.append(EffectiveRecord(root=tr, latest=max(chain, key=_order)))
    return sorted(result, key=lambda e: (e.at, e.id))


def original_of(record_id: str, supersedes: Mapping[str, str | None], known: Container[str]) -> str:
    """The original of ``record_id``'s chain: ``supersedes`` (record id -> the id it corrects)
    followed while the record named is ``known`` (a version not at hand ends the walk); a cycle
    (a forged chain) stops where it closes. A correction counts at its original's time (R4)."""
    seen = {record_id}
    while (up := supersedes.get(record_id)) and up in known and up not in seen:
        record_id = up
        seen.add(up)
    return record_id
