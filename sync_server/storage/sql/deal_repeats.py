"""A unit's stage counted once in the funnel (QA of issue 11, F5: five 小定 of one unit read
小定率 500 %), and a deal's 退订 once (QA15 A: two tablets' 退订 of one deal counted twice in 退订
and 退订金额): the fact of a ``stage`` deal that repeats one already counted, or of a 退订 that
repeats one already counted for the same deal (``shared.deals.repeats``), reads ``event``
``repeat``, so ``fact_days`` and the funnel (``sql/rollups.py``, ``sql/funnel_plain.py``), which
count ``stage`` and ``cancellation`` facts, leave it out; the statistics' record counts still
count it (a record is a record). The server keeps every deal —
two tablets' deals on a unit are claims it must take in any order (protocol principle 5) — so
which one counts is decided again whenever a customer's deals change: the first by capture time
of the chain's original (R4; ``DealFact.order``), the next one promoted when it is withdrawn or
corrected away. Of two corrections of one deal (a forked chain) the later stands.

A second 退订 of one deal is not refused at the push: like two tablets' deals it is a record
captured offline that the server must take in any order and bring to the same state (protocol
principle 5) — refusing the one that arrives second would keep the later-captured 退订 when it
arrived first and the earlier one otherwise. The earlier by capture order counts, whatever
arrived first; the other is kept, listed, and marked (its fact reads ``repeat``), and counts when
the counted one is withdrawn. It is no ownership claim either (``shared.deals``: only a reached
stage claims), so nothing else turns on it. Migration ``0029_cancellation_repeats`` marks the
repeated 退订 of databases from before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, and_, bindparam, or_, select, text, true

from shared.deals import DealFact, deal_event, repeats
from shared.timeutil import parse_time

from ..base import iter_chunks
from ..reporting import DEAL_WITHDRAWN
from .engine import CHUNK
from .rollups import count_fact_days, count_funnel_days
from .tables import record_facts, records

__all__ = ["REPEAT", "counted_days", "mark_deal_repeats", "mark_every_site"]

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
_DEAL_LINKS = (select(_f.c.record_id, _f.c.root_id, _deal.c.wire)
               .select_from(_f.join(_deal, and_(_deal.c.site_id == _f.c.site_id, _deal.c.id == _f.c.record_id)))
               .where(_f.c.site_id == bindparam("site"), _f.c.type == "deal"))
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


def _cancelled_deals(conn: Connection, site_id: str, rows) -> dict[str, str]:
    """``退订 record id -> the original of the deal chain it cancels`` for the 退订 among
    ``_LIVE_DEALS`` rows that name a deal (``data.refers_to``, any version of it): through a 换房
    (a unit change names the deal it moves), the deal reached. A name the site does not hold as a
    deal stands for itself (the push refuses such names: ``not_a_deal``)."""
    named: dict[str, str] = {}
    for record_id, _, _, _, wire, *_ in rows:
        data = (wire or {}).get("data") or {}
        ref = data.get("refers_to")
        if deal_event(data) == "cancellation" and isinstance(ref, str) and ref:
            named[record_id] = ref.lower()
    links: dict[str, tuple[str, str]] = {}  # deal record id -> (its chain's original, a 换房's refers_to)

    def learn(ids: Iterable[str]) -> None:
        for chunk in iter_chunks(sorted({i for i in ids if i not in links}), CHUNK):
            for rid, root, wire in conn.execute(_DEAL_LINKS.where(_f.c.record_id.in_(chunk)), {"site": site_id}):
                data = (wire or {}).get("data") or {}
                up = data.get("refers_to") if deal_event(data) == "unit_change" else None
                links[rid] = (root, up.lower() if isinstance(up, str) and up != rid else "")
            for rid in chunk:
                links.setdefault(rid, (rid, ""))

    found: dict[str, str] = {}
    pending = dict(named)  # 退订 -> the record its walk has reached
    for _ in range(32):  # a chain of 换房 is short; a circle of them (refused at push) ends here
        learn(pending.values())
        learn(links[at][0] for at in pending.values())
        moved = {}
        for rid, at in pending.items():
            root = links[at][0]
            found[rid] = root
            if links[root][1] and links[root][1] != at:
                moved[rid] = links[root][1]  # the 换房's deal: cancelled with it
        if not moved:
            break
        pending = moved
    return found


def _repeats(rows, cancels: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """``(repeat id -> the counted deal's id, record id -> its own event)`` of ``_LIVE_DEALS`` rows;
    ``cancels``: ``_cancelled_deals`` of the rows."""
    by_customer: dict[str, dict[str, DealFact]] = defaultdict(dict)
    own: dict[str, str] = {}
    for record_id, phone, _, _, wire, at, root_id, version_at in rows:
        data = (wire or {}).get("data") or {}
        by_customer[phone][record_id] = DealFact.of(data, parse_time(at), chain=root_id,
                                                    version_at=parse_time(version_at),
                                                    cancels=(cancels or {}).get(record_id, ""))
        own[record_id] = deal_event(data)
    return {rid: first for deals in by_customer.values() for rid, first in repeats(deals).items()}, own


def mark_deal_repeats(conn: Connection, site_id: str, phones: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """*(in write, after the facts are written and ``live`` cleared)* Set the ``event`` of
    ``site_id``'s live deal facts of the customers ``phones`` (``phone_key``; None: every
    customer, the migration's backfill) to ``repeat`` or back to the record's own event.
    Returns ``{record_id: (local_day, event)}`` of the facts changed; the caller counts their
    days' rollups again."""
    rows = _live_deals(conn, site_id, phones)
    repeated, own = _repeats(rows, _cancelled_deals(conn, site_id, rows))
    changed = {}
    for record_id, _, day, event, *_ in rows:
        wanted = REPEAT if record_id in repeated else own[record_id]
        if event != wanted:
            changed[record_id] = (day, wanted)
    if changed:
        conn.execute(_SET_EVENT, [{"b_site": site_id, "b_id": rid, "b_event": event}
                                  for rid, (_, event) in sorted(changed.items())])
    return changed


def mark_every_site(conn: Connection) -> None:
    """*(a migration's write)* ``mark_deal_repeats`` of every site's customers, and the days of the
    facts it changed counted again (``fact_days``, ``funnel_days``): what a migration runs when the
    rule of which deal counts changed (``0027_deal_repeats``, ``0029_cancellation_repeats``,
    ``0032_cancelled_units``)."""
    for (site_id,) in conn.execute(text("SELECT id FROM sites ORDER BY id")).all():
        days = {day for day, _ in mark_deal_repeats(conn, site_id).values()}
        if days:
            count_fact_days(conn, site_id, days)
            count_funnel_days(conn, site_id, days)


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
        repeated, _ = _repeats(rows, _cancelled_deals(conn, site_id, rows))
        found |= {rid: days[first] for rid, first in repeated.items() if rid in wanted}
    return found
