"""Pull (``changes_after``) and confirmations (R4) of ``SqlStore``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import and_, bindparam, exists, func, or_, select, union_all

from ..base import Change, ConfirmationRow, iter_chunks
from .directory import SITE_COLUMNS, USER_COLUMNS, site_of, user_of
from .engine import CHUNK, Transactions
from .ownership import (
    CONFLICT_SELECT,
    CUSTOMER_SELECT,
    CUSTOMER_TEXT_SELECT,
    EXPLANATION_COLUMN,
    conflict_of,
    customer_of,
    tag_column,
)
from .records import RECORD_SELECT, RECORD_TEXT_SELECT, WIRE_COLUMN, record_of
from .tables import (
    confirmations,
    customers,
    dismissed_records,
    handover_items,
    held_phone_tags,
    held_records,
    records,
    sites,
    users,
)
from .tables import conflicts as conflict_table

__all__ = ["Changes"]

_CONFIRMATION_COLUMNS = [confirmations.c[n] for n in ("id", "site_id", "record_id", "author", "confirmed_at",
                                                      "change_id")]


def _span(query, table, after: int, upto: int):
    return query.where(table.c.change_id > after, table.c.change_id <= upto)


def _window(query, table, after: int, upto: int, limit: int):
    return _span(query, table, after, upto).order_by(table.c.change_id).limit(limit)


def _confirmations_query(columns, site_id: str, record_scope: tuple[str, str] | None):
    """``columns`` of the site's confirmations of records ``record_scope`` lets the caller see."""
    query = (select(*columns)
             .join(records, (records.c.id == confirmations.c.record_id)
                   & (records.c.site_id == confirmations.c.site_id))
             .where(confirmations.c.site_id == site_id))
    return _scoped(query, site_id, record_scope)


def _handed_to(table, site_id: str, username: str):
    """``table``'s records of customers handed over to ``username`` and still theirs (issue 12:
    the new owner keeps up with the customer's history; ``add_handover`` gives those records
    new change ids). Once handed on again (or decided away) the customer's history is no longer
    sent to them (QA6 M1: a fresh enrolment of the rep still pulled its phone in clear)."""
    owned = handover_items.join(customers, (customers.c.site_id == handover_items.c.site_id)
                                & (customers.c.phone_key == handover_items.c.phone_key))
    return and_(table.c.phone_key != "", table.c.phone_key.in_(
        select(handover_items.c.phone_key).select_from(owned).where(
            handover_items.c.site_id == site_id, handover_items.c.to_rep == username, customers.c.owner == username)))


def _scoped(query, site_id: str, record_scope: tuple[str, str] | None):
    """The records a caller may see: all (None), a user's as author or rep or of a customer
    handed over to them, one device's; the records that correct or withdraw one of those (a
    manager's withdrawal of a rep's deal names no rep, yet the rep's tablet must drop the deal);
    and everyone the site's rotation records and their withdrawals (排班: one board on every
    tablet; they name no customer, so neither does such a withdrawal: an empty phone key).
    The subqueries name the site by value, never by the outer row: one correlated on the site
    was run again for every record read (a rep's first pull grew with the square of the site's
    records); the one correlated on ``supersedes`` is a primary-key look-up of that one record."""
    if not record_scope:
        return query
    shared = or_(records.c.type == "rotation", and_(records.c.type == "withdrawal", records.c.phone_key == ""))
    mine = records.alias("mine")
    if record_scope[0] == "user":
        own = or_(records.c.author == record_scope[1], records.c.rep == record_scope[1],
                  _handed_to(records, site_id, record_scope[1]))
        own_earlier = or_(mine.c.author == record_scope[1], mine.c.rep == record_scope[1],
                          _handed_to(mine, site_id, record_scope[1]))
    else:
        own, own_earlier = records.c.device_id == record_scope[1], mine.c.device_id == record_scope[1]
    # the record it supersedes looked up by its key (site_id, id), once for each record read that
    # supersedes one: an uncorrelated ``supersedes IN (SELECT id … own)`` read every record of the
    # site for each window of a snapshot (a rep's at 100,000 walk-ins: 39 windows, 1.7 s of SQL)
    replaces_own = and_(records.c.supersedes.is_not(None), exists().where(
        mine.c.site_id == site_id, mine.c.id == records.c.supersedes, own_earlier))
    return query.where(or_(own, shared, replaces_own))


class Changes(Transactions):
    def changes_after(self, site_id: str, after: int, upto: int, limit: int, *,
                      record_scope: tuple[str, str] | None, conflicts: bool, texts: bool = False) -> list[Change]:
        changes: list[Change] = []
        with self.read():  # one snapshot for the five tables
            for row in self._all(_window(select(*SITE_COLUMNS, sites.c.change_id).where(sites.c.id == site_id),
                                         sites, after, upto, limit)):
                changes.append(Change(row[-1], "site", site_of(row)))
            for row in self._all(_window(select(*USER_COLUMNS, users.c.change_id).where(users.c.site_id == site_id),
                                         users, after, upto, limit)):
                changes.append(Change(row[-1], "user", user_of(row)))
            query = _scoped((RECORD_TEXT_SELECT if texts else RECORD_SELECT).where(records.c.site_id == site_id),
                            site_id, record_scope)
            for row in self._all(_window(query, records, after, upto, limit)):
                record = record_of(row)
                text = row[WIRE_COLUMN] if texts and isinstance(row[WIRE_COLUMN], str) else None
                changes.append(Change(record.change_id, "record", record, text))
            for row in self._all(_window((CUSTOMER_TEXT_SELECT if texts else CUSTOMER_SELECT).where(
                    customers.c.site_id == site_id), customers, after, upto, limit)):
                customer = customer_of(row)
                text = row[EXPLANATION_COLUMN] if texts and isinstance(row[EXPLANATION_COLUMN], str) else None
                changes.append(Change(customer.change_id, "ownership", customer, text))
            if conflicts:
                for row in self._all(_window(CONFLICT_SELECT.where(conflict_table.c.site_id == site_id),
                                             conflict_table, after, upto, limit)):
                    conflict = conflict_of(row)
                    changes.append(Change(conflict.change_id, "conflict", conflict))
        changes.sort(key=lambda c: c.change_id)
        return changes[:limit]

    def count_changes(self, site_id: str, after: int, upto: int, *, record_scope: tuple[str, str] | None,
                      conflicts: bool) -> int:
        # the WHERE clauses of changes_after and confirmations_after, counted in SQL (no row read out)
        count = func.count()
        queries = [
            _span(select(count).select_from(sites).where(sites.c.id == site_id), sites, after, upto),
            _span(select(count).select_from(users).where(users.c.site_id == site_id), users, after, upto),
            _span(_scoped(select(count).select_from(records).where(records.c.site_id == site_id), site_id,
                          record_scope), records, after, upto),
            _span(select(count).select_from(customers).where(customers.c.site_id == site_id), customers, after, upto),
            _span(_confirmations_query([count], site_id, record_scope), confirmations, after, upto),
        ]
        if conflicts:
            queries.append(_span(select(count).select_from(conflict_table).where(conflict_table.c.site_id == site_id),
                                 conflict_table, after, upto))
        with self.read():
            return sum(self._all(query)[0][0] for query in queries)

    def phone_tags(self, site_id: str, phone_keys: Iterable[str], keys: str = "tag",
                   held: bool = False) -> dict[str, str | None]:
        column = tag_column(keys)
        if not held:
            rows = self._select_in(f"phone_tags_{keys}", lambda binds: select(customers.c.phone_key, column).where(
                customers.c.site_id == bindparam("site"), customers.c.phone_key.in_(binds)), phone_keys, site=site_id)
            return dict(rows)  # type: ignore[arg-type]  # (phone_key, phone_tag) rows
        held_column = held_phone_tags.c[column.name]
        rows = self._select_in(f"phone_tags_held_{keys}", lambda binds: union_all(
            select(customers.c.phone_key, column).where(customers.c.site_id == bindparam("site"),
                                                        customers.c.phone_key.in_(binds)),
            select(held_phone_tags.c.phone_key, held_column).where(held_phone_tags.c.site_id == bindparam("site"),
                                                                    held_phone_tags.c.phone_key.in_(binds))),
            phone_keys, site=site_id)
        found: dict[str, str | None] = {}
        for key, tag in rows:  # a customer's and a held phone's tag are the same value: any one that is set
            found[key] = found.get(key) or tag
        return found

    def phones_named_by(self, site_id: str, username: str) -> set[str]:
        named: set[str] = set()
        for column in (records.c.author, records.c.rep):
            query = select(records.c.phone_key, records.c.household_key).where(
                records.c.site_id == site_id, column == username,
                ~exists().where(held_records.c.site_id == site_id, held_records.c.record_id == records.c.id),
                ~exists().where(dismissed_records.c.site_id == site_id, dismissed_records.c.record_id == records.c.id))
            for phone, household in self._all(query):
                named.add(phone)
                if household:
                    named.add(household)
        return named

    def add_confirmations(self, rows: Sequence[ConfirmationRow]) -> list[ConfirmationRow]:
        first: dict[tuple[str, str], ConfirmationRow] = {}
        for row in rows:
            first.setdefault((row.site_id, row.record_id), row)
        have: set[tuple[str, str]] = set()
        query = select(confirmations.c.site_id, confirmations.c.record_id).where(
            confirmations.c.site_id == bindparam("site"),
            confirmations.c.record_id.in_(bindparam("ids", expanding=True)))
        for site in sorted({site for site, _ in first}):
            for chunk in iter_chunks(sorted(rid for s, rid in first if s == site), CHUNK):
                have.update((s, rid) for s, rid in self._all(query, {"site": site, "ids": list(chunk)}))
        new = [r for key, r in first.items() if key not in have]
        new = [replace(r, change_id=i) for r, i in zip(new, self.next_change_ids(len(new)), strict=True)]
        self._exec(confirmations.insert(), [{"id": r.id, "site_id": r.site_id, "record_id": r.record_id,
                                             "author": r.author, "confirmed_at": r.confirmed_at,
                                             "change_id": r.change_id} for r in new])
        return new

    def confirmations_after(self, site_id: str, after: int, upto: int, limit: int, *,
                            record_scope: tuple[str, str] | None) -> list[Change]:
        query = _confirmations_query(_CONFIRMATION_COLUMNS, site_id, record_scope)
        rows = self._all(_window(query, confirmations, after, upto, limit))
        return [Change(row[5], "confirmation", ConfirmationRow(*row)) for row in rows]


