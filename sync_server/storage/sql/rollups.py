"""``fact_days`` and ``customer_days`` (``storage/rollups.py``) kept in the write that changes
``record_facts``: a new live fact is added to its ``fact_days`` row (an upsert adding ``n`` and
``amount``); a day where a stored fact stopped counting (a correction or withdrawal) has its
``fact_days`` rows counted again from the day's live facts (exact, no subtraction); every
customer with a walk-in written or retired has its ``customer_days`` rows rebuilt from its
live walk-in facts (index ``record_facts_phone``), which keeps ``prev_day`` exact; the
``customer_days`` rows that went and came are added to ``visitor_days`` as differences
(``visitor_deltas``: −1 for each row gone, +1 for each row come, in the groups it is counted
in; a group left with no customer is dropped), so a push costs what it changed, not its days'
every customer (issue 13: the day's rows were counted again at every push — a push grew with
the day); ``count_visitor_days`` counts them from ``customer_days`` afresh (the backfill,
``rebuild_rollups``; the contract test checks both give the same rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal,
    select,
    true,
)

from ..base import iter_chunks
from ..rollups import FACT_DAY_DIMS, customer_day_rows, fact_day_key
from . import dialects
from .engine import CHUNK
from .tables import customer_days, fact_days, funnel_days, record_facts, visitor_days

__all__ = ["FUNNEL_COLUMNS", "Rollups", "count_fact_days", "count_funnel_days", "count_visitor_days", "rebuild_rollups", "visitor_deltas"]

_WALKIN_SELECT = (select(record_facts.c.phone_key, record_facts.c.rep, record_facts.c.local_day,
                         record_facts.c.local_week, record_facts.c.visit, record_facts.c.party_size)
                  .where(record_facts.c.type == bindparam("kind"), record_facts.c.live == true()))
"""Live walk-in facts (bind ``kind`` to ``"walkin"``)."""


def _day_counts(site_id: str, days: Sequence[str]):
    """``INSERT … SELECT``: the ``fact_days`` rows of ``days`` counted from the live facts."""
    f = record_facts
    dims = [f.c.local_day, f.c.local_week] + [func.coalesce(f.c[name], "") for name in FACT_DAY_DIMS[2:]]
    counted = (select(literal(site_id), *dims, func.count(), func.coalesce(func.sum(f.c.amount), 0.0))
               .where(f.c.site_id == site_id, f.c.local_day.in_(list(days)), f.c.live == true())
               .group_by(*dims))
    return fact_days.insert().from_select(["site_id", *FACT_DAY_DIMS, "n", "amount"], counted)


def count_fact_days(conn: Connection, site_id: str, days: Iterable[str]) -> None:
    """*(in write)* Count ``site_id``'s ``fact_days`` rows of ``days`` again from the live facts
    (exact, no subtraction: a day where a stored fact stopped counting or changed its event)."""
    for chunk in iter_chunks(sorted(set(days)), CHUNK):
        conn.execute(delete(fact_days).where(fact_days.c.site_id == site_id, fact_days.c.local_day.in_(chunk)))
        conn.execute(_day_counts(site_id, chunk))


FUNNEL_COLUMNS = ("calls", "registrations", "first_registrations", "small_deposits", "large_deposits", "contracts",
                  "small_deposit_amount", "large_deposit_amount", "contract_amount", "cancellations",
                  "cancelled_amount", "unit_changes")
"""``funnel_days``' sums, as ``FunnelRow`` names them."""


def _funnel_measures() -> list[ColumnElement]:
    """``FUNNEL_COLUMNS`` as sums over ``fact_days`` rows."""
    d = fact_days.c
    walkin = d.type == "walkin"

    def deal(event: str, stage: str | None = None) -> ColumnElement[bool]:
        found = and_(d.type == "deal", d.event == event)
        return and_(found, d.stage == stage) if stage else found

    def n(condition: ColumnElement[bool]) -> ColumnElement:
        return func.coalesce(func.sum(case((condition, d.n), else_=0)), 0)

    def amount(condition: ColumnElement[bool]) -> ColumnElement:
        return func.coalesce(func.sum(case((condition, d.amount), else_=0.0)), 0.0)

    small, large, contract = (deal("stage", s) for s in ("small_deposit", "large_deposit", "contract"))
    return [n(d.type == "call"), n(walkin), n(and_(walkin, d.visit == "first")), n(small), n(large), n(contract),
            amount(small), amount(large), amount(contract), n(deal("cancellation")), amount(deal("cancellation")),
            n(deal("unit_change"))]


def _funnel_counts(site_id: str, days: Sequence[str] | None):
    """``INSERT … SELECT``: the ``funnel_days`` rows of ``days`` (None: every day) summed from
    the site's ``fact_days`` of walk-ins, calls and deals (a group with none has no row)."""
    d = fact_days.c
    where = [d.site_id == site_id, d.type.in_(("walkin", "call", "deal"))]
    where += [d.local_day.in_(list(days))] if days is not None else []
    counted = (select(literal(site_id), d.local_day, d.rep, d.local_week, func.sum(d.n), *_funnel_measures())
               .where(*where).group_by(d.local_day, d.rep, d.local_week).having(func.sum(d.n) > 0))
    return funnel_days.insert().from_select(["site_id", "local_day", "rep", "local_week", "n", *FUNNEL_COLUMNS],
                                            counted)


def count_funnel_days(conn: Connection, site_id: str, days: Iterable[str] | None = None) -> None:
    """*(in write)* Sum ``site_id``'s ``funnel_days`` again from ``fact_days``: of ``days``, or
    every day (None: the migration's backfill)."""
    if days is None:
        conn.execute(delete(funnel_days).where(funnel_days.c.site_id == site_id))
        conn.execute(_funnel_counts(site_id, None))
        return
    for chunk in iter_chunks(sorted(set(days)), CHUNK):
        conn.execute(delete(funnel_days).where(funnel_days.c.site_id == site_id,
                                               funnel_days.c.local_day.in_(list(chunk))))
        conn.execute(_funnel_counts(site_id, chunk))


_VISITOR_COLUMNS = ["site_id", "by_rep", "local_day", "rep", "kind", "prev", "local_week", "n", "party"]


def _visitor_counts(site_id: str, by_rep: int):
    """``INSERT … SELECT``: the ``visitor_days`` rows of ``site_id``'s scope ``by_rep`` counted
    from its ``customer_days`` rows, both kinds."""
    c = customer_days.c
    where = [c.site_id == site_id, c.by_rep == by_rep]
    kinds = []
    for kind, prev, only in (("v", c.prev_day, None), ("f", c.prev_first, c.firsts > 0)):
        prev_text = func.coalesce(prev, "")
        party = func.sum(c.party) if kind == "v" else literal(0)
        kinds.append(select(literal(site_id), c.by_rep, c.local_day, c.rep, literal(kind), prev_text, c.local_week,
                            func.count(), party)
                     .where(*where, *([only] if only is not None else []))
                     .group_by(c.by_rep, c.local_day, c.rep, prev_text, c.local_week))
    return [visitor_days.insert().from_select(_VISITOR_COLUMNS, q) for q in kinds]


def count_visitor_days(conn: Connection, site_id: str) -> None:
    """*(in write)* Count ``site_id``'s ``visitor_days`` afresh from ``customer_days`` (the
    migration's backfill, ``rebuild_rollups``; a push adds ``visitor_deltas`` instead)."""
    conn.execute(delete(visitor_days).where(visitor_days.c.site_id == site_id))
    for by_rep in (0, 1):
        for statement in _visitor_counts(site_id, by_rep):
            conn.execute(statement)


_CHANGE_KEYS = ("phone_key", "by_rep", "rep", "local_day", "firsts", "party", "prev_day", "prev_first", "local_week")
"""What of a ``customer_days`` row ``visitor_days`` counts (and where)."""
_OLD_CUSTOMER_DAYS = select(*[customer_days.c[k] for k in _CHANGE_KEYS])


class Rollups:
    """Mixed into ``Records`` (needs the ``Transactions`` helpers)."""

    dialect: str
    _in_write: Any
    _exec: Any
    _executemany: Any
    _select_in: Any

    def _keep_rollups(self, site_id: str, new_facts: Sequence[dict[str, Any]],
                      retired: Sequence[tuple[str, str]], changed_days: Iterable[str] = ()) -> None:
        """*(in write, after the facts are written and ``live`` cleared)* Bring the rollups of
        ``site_id`` up to date with ``new_facts`` (the rows just inserted), ``retired``
        (``(local_day, phone_key)`` of stored facts whose ``live`` was just cleared) and
        ``changed_days`` (days of stored facts whose ``event`` changed: ``deal_repeats``)."""
        recount = sorted({day for day, _ in retired} | set(changed_days))
        added: dict[tuple[str, ...], list] = {}
        for fact in new_facts:
            if fact["live"] and fact["local_day"] not in recount:
                total = added.setdefault(fact_day_key(fact), [0, 0.0])
                total[0] += 1
                total[1] += fact["amount"] or 0.0
        if added:
            upsert = dialects.insert(self.dialect, fact_days)
            upsert = upsert.on_conflict_do_update(
                index_elements=[c.name for c in fact_days.primary_key.columns],
                set_={"n": fact_days.c.n + upsert.excluded.n, "amount": fact_days.c.amount + upsert.excluded.amount})
            self._exec(upsert, [{"site_id": site_id, **dict(zip(FACT_DAY_DIMS, key, strict=True)), "n": n,
                                 "amount": amount} for key, (n, amount) in sorted(added.items())])
        count_fact_days(self._in_write(), site_id, recount)
        funnel = set(recount) | {f["local_day"] for f in new_facts if f["type"] in ("walkin", "call", "deal")}
        if funnel:  # the days whose fact_days changed: their funnel_days summed again
            count_funnel_days(self._in_write(), site_id, funnel)
        phones = {f["phone_key"] for f in new_facts if f["type"] == "walkin"} | {p for _, p in retired}
        self._rebuild_customers(site_id, phones)

    def _rebuild_customers(self, site_id: str, phones: Iterable[str]) -> None:
        phones = sorted(set(phones))
        if not phones:
            return
        walkins = self._select_in("rollup_walkins", lambda binds: _WALKIN_SELECT.where(
            record_facts.c.site_id == bindparam("site"), record_facts.c.phone_key.in_(binds)), phones, site=site_id,
            kind="walkin")
        old = {tuple(r) for r in self._select_in("rollup_customer_days", lambda binds: _OLD_CUSTOMER_DAYS.where(
            customer_days.c.site_id == bindparam("site"), customer_days.c.phone_key.in_(binds)), phones, site=site_id)}
        # one compiled DELETE run for every phone (no IN list rendered per chunk and push)
        self._executemany(_DELETE_CUSTOMER_DAYS, [{"b_site": site_id, "b_key": phone} for phone in phones])
        rows = customer_day_rows(site_id, [tuple(w) for w in walkins])
        self._executemany(_INSERT_CUSTOMER_DAY, rows)
        new = {tuple(r[k] for k in _CHANGE_KEYS) for r in rows}
        self._add_visitor_days(site_id, visitor_deltas(old - new, new - old))

    def _add_visitor_days(self, site_id: str, deltas: Mapping[tuple[int, str, str, str, str], list]) -> None:
        """Add ``visitor_deltas`` to ``visitor_days`` (an upsert adding ``n`` and ``party``), then
        drop the rows of those groups that no customer is counted in any more (``n`` 0): the rows
        ``count_visitor_days`` would count, without counting a whole day again at every push (a
        busy day's every customer was read again for each push that touched the day)."""
        if not deltas:
            return
        upsert = dialects.insert(self.dialect, visitor_days)
        upsert = upsert.on_conflict_do_update(
            index_elements=[c.name for c in visitor_days.primary_key.columns],
            set_={"n": visitor_days.c.n + upsert.excluded.n, "party": visitor_days.c.party + upsert.excluded.party})
        self._exec(upsert, [{"site_id": site_id, "by_rep": by_rep, "local_day": day, "rep": rep, "kind": kind,
                             "prev": prev, "local_week": week, "n": n, "party": party}
                            for (by_rep, day, rep, kind, prev), (n, party, week) in sorted(deltas.items())])
        self._executemany(_DROP_EMPTY_VISITOR_DAY, [
            {"b_site": site_id, "b_by_rep": by_rep, "b_day": day, "b_rep": rep, "b_kind": kind, "b_prev": prev,
             "b_none": 0}
            for (by_rep, day, rep, kind, prev), (n, _, _) in sorted(deltas.items()) if n < 0])


def visitor_deltas(gone: Iterable[tuple], came: Iterable[tuple]) -> dict[tuple[int, str, str, str, str], list]:
    """What ``customer_days`` rows (tuples of ``_CHANGE_KEYS``) that went (``gone``) and came
    (``came``) change in ``visitor_days``, by its key ``(by_rep, local_day, rep, kind, prev)``:
    ``[n, party, local_week]`` to add — ``v`` counts every row under its ``prev_day`` and sums its
    party, ``f`` the rows with a first visit under their ``prev_first`` (party 0), as
    ``count_visitor_days`` counts them. Groups whose changes cancel out are left out."""
    deltas: dict[tuple[int, str, str, str, str], list] = {}
    for sign, rows in ((-1, gone), (1, came)):
        for _, by_rep, rep, day, firsts, party, prev_day, prev_first, week in rows:
            kinds = [("v", prev_day, party or 0)] + ([("f", prev_first, 0)] if firsts and firsts > 0 else [])
            for kind, prev, size in kinds:
                delta = deltas.setdefault((by_rep, day, rep, kind, prev or ""), [0, 0, week])
                delta[0] += sign
                delta[1] += sign * size
    return {key: delta for key, delta in deltas.items() if delta[0] or delta[1]}


_INSERT_CUSTOMER_DAY = customer_days.insert()
_DROP_EMPTY_VISITOR_DAY = delete(visitor_days).where(
    visitor_days.c.site_id == bindparam("b_site"), visitor_days.c.by_rep == bindparam("b_by_rep"),
    visitor_days.c.local_day == bindparam("b_day"), visitor_days.c.rep == bindparam("b_rep"),
    visitor_days.c.kind == bindparam("b_kind"), visitor_days.c.prev == bindparam("b_prev"),
    visitor_days.c.n == bindparam("b_none"))
_DELETE_CUSTOMER_DAYS = delete(customer_days).where(customer_days.c.site_id == bindparam("b_site"),
                                                    customer_days.c.phone_key == bindparam("b_key"))


def rebuild_rollups(conn: Connection, site_id: str, batch: int = 20_000, derived: bool = True) -> None:
    """Count ``site_id``'s rollups afresh from its live facts (the migration's backfill, and
    the benchmark's): ``fact_days`` in one ``INSERT … SELECT``, ``customer_days`` from the
    walk-in facts read in customer order, ``batch`` customers' worth at a time, then
    ``visitor_days`` and ``funnel_days`` from those (``count_visitor_days``,
    ``count_funnel_days``; not with ``derived`` False: the ``0011_rollups`` backfill, before
    ``0019_visitor_days`` made the tables and fills them)."""
    conn.execute(delete(fact_days).where(fact_days.c.site_id == site_id))
    conn.execute(delete(customer_days).where(customer_days.c.site_id == site_id))
    days = [d for (d,) in conn.execute(select(record_facts.c.local_day).distinct()
                                       .where(record_facts.c.site_id == site_id))]
    for chunk in iter_chunks(sorted(days), CHUNK):
        conn.execute(_day_counts(site_id, chunk))
    after = ""
    while True:  # pages by customer, so no cursor stays open across the inserts
        phones = [p for (p,) in conn.execute(
            select(record_facts.c.phone_key).distinct()
            .where(record_facts.c.site_id == site_id, record_facts.c.type == "walkin",
                   record_facts.c.phone_key > after).order_by(record_facts.c.phone_key).limit(batch))]
        if not phones:
            break
        after = phones[-1]
        walkins = conn.execute(_WALKIN_SELECT.where(
            record_facts.c.site_id == site_id, and_(record_facts.c.phone_key >= phones[0],
                                                    record_facts.c.phone_key <= phones[-1])), {"kind": "walkin"}).all()
        rows = customer_day_rows(site_id, [tuple(w) for w in walkins])
        if rows:
            conn.execute(customer_days.insert(), rows)
    if derived:
        count_visitor_days(conn, site_id)
        count_funnel_days(conn, site_id)
