"""A forked chain counts once: of two corrections of one version (two tablets corrected the same
record offline, or a desk corrected her original again after a manager had — docs/mobile.md),
the later stands (R4). Both are kept and listed; only the later one's fact is ``live``, so the
numbers count the chain once, as the ownership engine does (``shared.versions.effective_records``
takes the chain's latest version by its own estimated time, then id).

``settle_forks`` runs in the write that stores corrections, after the facts are written and the
superseded versions retired: of each touched chain's live facts (its tips) it keeps the latest by
``(estimated_at, record id)`` and clears ``live`` on the others; the migration
``0028_fork_tips`` runs it over every chain with more than one live fact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select, true

from shared.timeutil import parse_time
from shared.versions import version_order

from ..base import iter_chunks
from .engine import CHUNK
from .tables import record_facts, records

__all__ = ["settle_forks", "forked_roots"]

_f = record_facts
_TIPS = (select(_f.c.record_id, _f.c.root_id, _f.c.local_day, _f.c.phone_key, _f.c.type, records.c.estimated_at)
         .select_from(_f.join(records, and_(records.c.site_id == _f.c.site_id, records.c.id == _f.c.record_id)))
         .where(_f.c.site_id == bindparam("site"), _f.c.live == true()))
_RETIRE = (record_facts.update().where(record_facts.c.site_id == bindparam("b_site"),
                                       record_facts.c.record_id == bindparam("b_id")).values(live=False))


def settle_forks(conn: Connection, site_id: str, roots: Iterable[str],
                 new_facts: Sequence[dict[str, Any]] = ()) -> list[tuple[str, str, str]]:
    """*(in write)* Keep one live fact per chain of ``roots`` (``root_id``): the latest version
    by ``(estimated_at, record id)``; clear ``live`` on the other tips. ``new_facts`` (rows just
    written, their ``live`` as written) are updated in place when one loses. Returns
    ``(local_day, phone_key, type)`` of each fact that stopped counting (new ones included),
    for the caller's rollups."""
    tips: dict[str, list] = defaultdict(list)
    for chunk in iter_chunks(sorted(set(roots)), CHUNK):
        for row in conn.execute(_TIPS.where(_f.c.root_id.in_(chunk)), {"site": site_id}):
            tips[row[1]].append(row)
    losers = []
    for rows in tips.values():
        if len(rows) > 1:
            latest = max(rows, key=lambda row: version_order(parse_time(row[5]), row[0]))
            losers += [row for row in rows if row is not latest]
    if not losers:
        return []
    conn.execute(_RETIRE, [{"b_site": site_id, "b_id": row[0]} for row in losers])
    lost = {row[0] for row in losers}
    for fact in new_facts:
        if fact["record_id"] in lost:
            fact["live"] = False
    return [(row[2], row[3], row[4]) for row in losers]


def forked_roots(conn: Connection, site_id: str) -> list[str]:
    """The chains of ``site_id`` with more than one live fact (the migration's work list)."""
    return [root for (root,) in conn.execute(
        select(_f.c.root_id).where(_f.c.site_id == site_id, _f.c.live == true())
        .group_by(_f.c.root_id).having(func.count() > 1))]
