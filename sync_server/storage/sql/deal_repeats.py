"""A unit's stage counted once in the funnel (QA of issue 11, F5: five 小定 of one unit read
小定率 500 %): the fact of a ``stage`` deal that repeats one already counted
(``shared.deals.repeats``) reads ``event`` ``repeat``, so ``fact_days`` and the funnel
(``sql/rollups.py``, ``sql/funnel_plain.py``), which count ``stage`` facts, leave it out; the
statistics' record counts still count it (a record is a record). The server keeps every deal —
two tablets' deals on a unit are claims it must take in any order (protocol principle 5) — so
which one counts is decided again whenever a customer's deals change: the first by capture time
of the chain's original (R4; ``DealFact.order``), the next one promoted when it is withdrawn or
corrected away. Of two corrections of one deal (a forked chain) the later stands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, and_, bindparam, or_, select, true

from shared.deals import DealFact, deal_event, repeats
from shared.timeutil import parse_time

from ..base import iter_chunks
from ..reporting import DEAL_WITHDRAWN
from .engine import CHUNK
from .tables import record_facts, records

__all__ = ["REPEAT", "counted_days", "mark_deal_repeats"]

REPEAT = "repeat"
"""``record_facts.event`` of a ``stage`` deal that repeats a counted one."""

_f = record_facts
_w = record_facts.alias("w")
_deal = records.alias("deal")
_root = records.alias("root")
_LIVE_DEALS = (select(_f.c.record_id, _f.c.phone_key, _f.c.local_day, _f.c.event, _deal.c.wire,
                      _root.c.estimated_at, _f.c.root_id, _deal.c.estimated_at)
               .select_from(_f.join(_deal, and_(_deal.c.site_id == _f.c.site_id, _deal.c.id == _f.c.record_id))
                            .join(_root, and_(_root.c.site_id == _f.c.site_id, _root.c.id == _f.c.root_id)))
               .where(_f.c.site_id == bindparam("site"), _f.c.type == "deal", _f.c.live == true()))
_SET_EVENT = (record_facts.update().where(record_facts.c.site_id == bindparam("b_site"),
                                          record_facts.c.record_id == bindparam("b_id"))
              .values(event=bindparam("b_event")))


def _live_deals(conn: Connection, site_id: str, phones: Iterable[str] | None) -> list:
    if phones is None:
        return list(conn.execute(_LIVE_DEALS, {"site": site_id}))
    rows: list = []
    for chunk in iter_chunks(sorted(set(phones)), CHUNK):
        rows += conn.execute(_LIVE_DEALS.where(_f.c.phone_key.in_(chunk)), {"site": site_id}).all()
    return rows


def _repeats(rows) -> tuple[dict[str, str], dict[str, str]]:
    """``(repeat id -> the counted deal's id, record id -> its own event)`` of ``_LIVE_DEALS`` rows."""
    by_customer: dict[str, dict[str, DealFact]] = defaultdict(dict)
    own: dict[str, str] = {}
    for record_id, phone, _, _, wire, at, root_id, version_at in rows:
        data = (wire or {}).get("data") or {}
        by_customer[phone][record_id] = DealFact.of(data, parse_time(at), chain=root_id,
                                                    version_at=parse_time(version_at))
        own[record_id] = deal_event(data)
    return {rid: first for deals in by_customer.values() for rid, first in repeats(deals).items()}, own


def mark_deal_repeats(conn: Connection, site_id: str, phones: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """*(in write, after the facts are written and ``live`` cleared)* Set the ``event`` of
    ``site_id``'s live deal facts of the customers ``phones`` (``phone_key``; None: every
    customer, the migration's backfill) to ``repeat`` or back to the record's own event.
    Returns ``{record_id: (local_day, event)}`` of the facts changed; the caller counts their
    days' rollups again."""
    rows = _live_deals(conn, site_id, phones)
    repeated, own = _repeats(rows)
    changed = {}
    for record_id, _, day, event, *_ in rows:
        wanted = REPEAT if record_id in repeated else own[record_id]
        if event != wanted:
            changed[record_id] = (day, wanted)
    if changed:
        conn.execute(_SET_EVENT, [{"b_site": site_id, "b_id": rid, "b_event": event}
                                  for rid, (_, event) in sorted(changed.items())])
    return changed


def counted_days(conn: Connection, site_id: str, ids: Iterable[str]) -> dict[str, str]:
    """*(read)* Of the deal records ``ids``, each that the funnel does not count although it is
    not corrected: ``{id: why}`` — a repeat with the site-local day (``YYYY-MM-DD``, its
    original's) of the deal counted in its place (what an export of a range holding the repeat
    but not the counted deal names), ``DEAL_WITHDRAWN`` when a withdrawal took its chain out (of this
    version or of another branch of a forked chain: the whole chain goes, as for ownership),
    ``""`` for the earlier tip of a forked chain (a later correction of the same record counts,
    ``forks.py``). A superseded version is answered too (not live): the caller says it first."""
    wanted = set(ids)
    phones: set[str] = set()
    found: dict[str, str] = {}
    gone = select(_w.c.root_id).where(_w.c.site_id == _f.c.site_id, _w.c.root_id == _f.c.root_id,
                                      _w.c.type == "withdrawal").exists()
    for chunk in iter_chunks(sorted(wanted), CHUNK):
        for rid, phone, live, withdrawn in conn.execute(select(_f.c.record_id, _f.c.phone_key, _f.c.live, gone).where(
                _f.c.site_id == site_id, _f.c.type == "deal", _f.c.record_id.in_(chunk),
                or_(_f.c.event == REPEAT, _f.c.live.is_(False)))):
            if not live:
                found[rid] = DEAL_WITHDRAWN if withdrawn else ""
            else:
                phones.add(phone)
    if phones:
        rows = _live_deals(conn, site_id, phones)
        days = {row[0]: row[2] for row in rows}
        repeated, _ = _repeats(rows)
        found |= {rid: days[first] for rid, first in repeated.items() if rid in wanted}
    return found
