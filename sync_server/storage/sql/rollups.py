"""``fact_days`` and ``customer_days`` (``storage/rollups.py``) kept in the write that changes
``record_facts``: a new live fact is added to its ``fact_days`` row (an upsert adding ``n`` and
``amount``); a day where a stored fact stopped counting (a correction or withdrawal) has its
``fact_days`` rows counted again from the day's live facts (exact, no subtraction); every
customer with a walk-in written or retired has its ``customer_days`` rows rebuilt from its
live walk-in facts (index ``record_facts_phone``), which keeps ``prev_day`` exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, literal, select, true

from ..base import iter_chunks
from ..rollups import FACT_DAY_DIMS, customer_day_rows, fact_day_key
from . import dialects
from .engine import CHUNK
from .tables import customer_days, fact_days, record_facts

__all__ = ["Rollups", "rebuild_rollups"]

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


class Rollups:
    """Mixed into ``Records`` (needs the ``Transactions`` helpers)."""

    dialect: str
    _exec: Any
    _executemany: Any
    _select_in: Any

    def _keep_rollups(self, site_id: str, new_facts: Sequence[dict[str, Any]],
                      retired: Sequence[tuple[str, str]]) -> None:
        """*(in write, after the facts are written and ``live`` cleared)* Bring the rollups of
        ``site_id`` up to date with ``new_facts`` (the rows just inserted) and ``retired``
        (``(local_day, phone_key)`` of stored facts whose ``live`` was just cleared)."""
        recount = sorted({day for day, _ in retired})
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
        for chunk in iter_chunks(recount, CHUNK):
            self._exec(delete(fact_days).where(fact_days.c.site_id == site_id, fact_days.c.local_day.in_(chunk)))
            self._exec(_day_counts(site_id, chunk))
        phones = {f["phone_key"] for f in new_facts if f["type"] == "walkin"} | {p for _, p in retired}
        self._rebuild_customers(site_id, phones)

    def _rebuild_customers(self, site_id: str, phones: Iterable[str]) -> None:
        phones = sorted(set(phones))
        if not phones:
            return
        walkins = self._select_in("rollup_walkins", lambda binds: _WALKIN_SELECT.where(
            record_facts.c.site_id == bindparam("site"), record_facts.c.phone_key.in_(binds)), phones, site=site_id,
            kind="walkin")
        # one compiled DELETE run for every phone (no IN list rendered per chunk and push)
        self._executemany(_DELETE_CUSTOMER_DAYS, [{"b_site": site_id, "b_key": phone} for phone in phones])
        self._executemany(_INSERT_CUSTOMER_DAY, customer_day_rows(site_id, [tuple(w) for w in walkins]))


_INSERT_CUSTOMER_DAY = customer_days.insert()
_DELETE_CUSTOMER_DAYS = delete(customer_days).where(customer_days.c.site_id == bindparam("b_site"),
                                                    customer_days.c.phone_key == bindparam("b_key"))


def rebuild_rollups(conn: Connection, site_id: str, batch: int = 20_000) -> None:
    """Count ``site_id``'s rollups afresh from its live facts (the migration's backfill, and
    the benchmark's): ``fact_days`` in one ``INSERT … SELECT``, ``customer_days`` from the
    walk-in facts read in customer order, ``batch`` customers' worth at a time."""
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
            return
        after = phones[-1]
        walkins = conn.execute(_WALKIN_SELECT.where(
            record_facts.c.site_id == site_id, and_(record_facts.c.phone_key >= phones[0],
                                                    record_facts.c.phone_key <= phones[-1])), {"kind": "walkin"}).all()
        rows = customer_day_rows(site_id, [tuple(w) for w in walkins])
        if rows:
            conn.execute(customer_days.insert(), rows)
