"""The confirm page's counts in SQL (``ReportingStore.day_tally`` / ``day_ends``,
``storage/day_tally.py``), one statement each on SQLite and PostgreSQL.

A recursive CTE walks the day's chains as ``day_records`` does: it starts at the day's
originals (``record_facts`` of the day — index ``record_facts_day`` — that correct nothing;
the facts place a record on its site-local day once, when it is stored) and steps to each
record of the same types that supersedes a version (index ``records_supersedes``). Each
version carries down what its chain says of it: the withdrawal that took it or a version it
corrects out (a version's own withdrawal first, the one with the greatest id when there are
several, as ``day_records``) and whether it or a version it corrects was confirmed. The ends
are the versions no record of those types supersedes; the tally groups them by desk and rep
names (``devices`` / ``users`` of the site joined, ids when unknown).

Why a CTE and not a kept rollup: the counts change with every confirmation (a write that
touches no record) as well as with records, and the chains of a day are a few thousand rows
reached by two indexes, each chain one to three versions deep — counting them is a few tens of
milliseconds at a million records (docs/benchmarks.md), with nothing kept to drift.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    not_,
    null,
    or_,
    select,
    union_all,
)

from ..day_tally import DayEnd, TallyRow
from .tables import confirmations, devices, record_facts, records, users

__all__ = ["DayTallyQueries"]


def _ends(site_id: str, types: Sequence[str], day: date, postgres: bool, flags: bool = True) -> Select:
    """The query of the day's chain ends: ``id, root_id, root_at, at, desk, rep`` and, with
    ``flags``, ``withdrawal, ever, confirmed, withdrawal_confirmed``."""
    kinds = list(types)

    def withdrawal_of(version, live: ColumnElement | None = None) -> ColumnElement:
        w = records.alias()
        wid = w.c.id.collate("C") if postgres else w.c.id  # the greatest as Python compares ids
        # SQLite would answer max(id) by walking the primary key over the whole site
        found = (select(func.max(wid)).where(w.c.site_id == site_id, w.c.supersedes == version.c.id,
                                             w.c.type == "withdrawal")
                 .with_hint(w, "INDEXED BY records_supersedes", dialect_name="sqlite").scalar_subquery())
        return found if live is None else case((live, null()), else_=found)

    def confirmed(record_id: ColumnElement) -> ColumnElement:
        c = confirmations.alias()
        return exists().where(c.c.site_id == site_id, c.c.record_id == record_id)

    # ``live`` (record_facts, kept with every write): no record supersedes the original and its
    # chain is not withdrawn — most of a day's chains; only the others are looked into
    f, root = record_facts, records.alias("root")
    start = (select(root.c.id, root.c.id.label("root_id"), root.c.estimated_at.label("root_at"),
                    root.c.estimated_at.label("at"), root.c.device_id, root.c.rep, f.c.live.label("live"),
                    *([withdrawal_of(root, f.c.live).label("withdrawal"), confirmed(root.c.id).label("own"),
                       false().label("before")] if flags else []))
             .select_from(f.join(root, and_(root.c.site_id == f.c.site_id, root.c.id == f.c.record_id)))
             .where(f.c.site_id == site_id, f.c.local_day == day.isoformat(), f.c.type.in_(kinds),
                    f.c.supersedes.is_(None)))
    versions = start.cte("versions", recursive=True)
    later = records.alias("later")
    versions = versions.union_all(
        select(later.c.id, versions.c.root_id, versions.c.root_at, later.c.estimated_at, later.c.device_id,
               later.c.rep, false(),
               *([func.coalesce(withdrawal_of(later), versions.c.withdrawal), confirmed(later.c.id),
                  or_(versions.c.before, versions.c.own)] if flags else []))
        .where(later.c.site_id == site_id, later.c.supersedes == versions.c.id, later.c.type.in_(kinds)))
    after = records.alias("after")
    corrected = exists().where(after.c.site_id == site_id, after.c.supersedes == versions.c.id,
                               after.c.type.in_(kinds))
    desk, person = devices.alias("desk"), users.alias("person")
    v = versions.c
    return (select(v.id, v.root_id, v.root_at, v.at, func.coalesce(desk.c.name, v.device_id).label("desk"),
                   func.coalesce(person.c.name, v.rep, literal("")).label("rep"),
                   *([v.withdrawal, or_(v.before, v.own).label("ever"), v.own.label("confirmed"),
                      # back to the column's collation: "C" would keep PostgreSQL off the index
                      confirmed(v.withdrawal.collate("default") if postgres else v.withdrawal)
                      .label("withdrawal_confirmed")] if flags else []))
            .select_from(versions
                         .outerjoin(desk, and_(desk.c.id == v.device_id, desk.c.site_id == site_id))
                         .outerjoin(person, and_(person.c.username == v.rep, person.c.site_id == site_id)))
            .where(case((v.live, false()), else_=corrected) == false()))


class DayTallyQueries:
    """Mixed into ``SqlReporting`` (needs ``_all`` and ``store``)."""

    _all: Callable[..., Sequence]
    store: Any

    def _ends_of(self, site_id: str, types: Sequence[str], day: date, flags: bool = True):
        return _ends(site_id, types, day, self.store.dialect == "postgresql", flags).subquery("ends")

    def _walk(self, statement) -> Sequence:
        """``statement``'s rows; on PostgreSQL without JIT in its transaction: the recursive
        walk's estimate (every chain as deep as the deepest) passes ``jit_above_cost`` and the
        JIT compile took 4 s of a 0.3 s statement at a million records (docs/benchmarks.md)."""
        with self.store.read(), self.store.connection() as conn:
            if self.store.dialect == "postgresql":
                conn.exec_driver_sql("SET LOCAL jit = off")
            return conn.execute(statement).all()

    def day_tally(self, site_id: str, types: Sequence[str], day: date) -> list[TallyRow]:
        return [TallyRow(*row[5:7], *map(int, row[8:])) for row in self._walk(_tally(self._ends_of(site_id, types, day)))]

    def day_ends(self, site_id: str, types: Sequence[str], day: date, states: bool = True) -> list[DayEnd]:
        e = self._ends_of(site_id, types, day, states)
        if not states:
            return [DayEnd(i, root, root_at, at, desk, rep, None, False, False)
                    for i, root, root_at, at, desk, rep in self._walk(select(e))]
        return [_end(row) for row in self._walk(_end_rows(e))]

    def day_overview(self, site_id: str, types: Sequence[str], day: date) -> tuple[list[TallyRow], list[DayEnd]]:
        # one walk of the chains (a CTE read twice is materialized on both databases), two answers
        e = (_ends(site_id, types, day, self.store.dialect == "postgresql").cte("ends")
             .prefix_with("MATERIALIZED"))
        tally, ends = [], []
        for row in self._walk(union_all(_end_rows(e), _tally(e))):
            if row[0]:
                tally.append(TallyRow(*row[5:7], *map(int, row[8:])))
            else:
                ends.append(_end(row))
        return tally, ends


_NONE = cast(null(), Text)


def _flag(condition: ColumnElement) -> ColumnElement:
    return case((condition, 1), else_=0)


def _end_rows(e) -> Select:
    """``kind`` 0, then ``DayEnd``'s columns (``open``/``acknowledge`` as 0/1), padded to ``_tally``'s."""
    return select(literal_column("0").label("kind"), e.c.id, e.c.root_id, e.c.root_at, e.c.at, e.c.desk, e.c.rep,
                  e.c.withdrawal, _flag(and_(e.c.withdrawal.is_(None), not_(e.c.confirmed))),
                  _flag(and_(e.c.withdrawal.is_not(None), e.c.ever, not_(e.c.withdrawal_confirmed))),
                  literal_column("0"), literal_column("0"))


def _tally(e) -> Select:
    """``kind`` 1, padding, ``desk, rep``, padding, then ``TallyRow``'s four counts, per desk and rep."""
    live, gone = e.c.withdrawal.is_(None), e.c.withdrawal.is_not(None)

    def n(condition: ColumnElement) -> ColumnElement:
        return func.coalesce(func.sum(_flag(condition)), 0)

    return (select(literal_column("1").label("kind"), _NONE, _NONE, _NONE, _NONE, e.c.desk, e.c.rep, _NONE,
                   n(live), n(and_(live, e.c.confirmed)), n(gone), n(and_(gone, e.c.ever, not_(e.c.withdrawal_confirmed))))
            .group_by(e.c.desk, e.c.rep))


def _end(row) -> DayEnd:
    _, rid, root_id, root_at, at, desk, rep, withdrawal, is_open, ack = row[:10]
    return DayEnd(rid, root_id, root_at, at, desk, rep, withdrawal, bool(is_open), bool(ack))
