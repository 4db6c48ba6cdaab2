"""Customers, households (links), conflicts and decisions of ``SqlStore``; the row mappings
of customers, conflicts and decisions, and the one household walk (``linked_component``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, replace

from sqlalchemy import Text, bindparam, select, type_coerce, union, update

from ..base import ConflictRow, CustomerRow, DecisionRow
from . import dialects
from .engine import Transactions, dumps, loads
from .tables import conflicts, customer_links, customers, decisions

__all__ = ["Ownership", "CUSTOMER_SELECT", "CUSTOMER_TEXT_SELECT", "EXPLANATION_COLUMN", "CONFLICT_SELECT", "DECISION_SELECT", "customer_of", "conflict_of",
           "decision_of"]

CUSTOMER_SELECT = select(*[customers.c[f.name] for f in fields(CustomerRow)])
# the same, the explanation read as its stored text (``customer_of`` decodes it; a snapshot
# also splices the text, ``Change.text``); PostgreSQL's driver still hands ``jsonb`` decoded
CUSTOMER_TEXT_SELECT = select(*[type_coerce(customers.c[f.name], Text).label(f.name) if f.name == "explanation"
                                else customers.c[f.name] for f in fields(CustomerRow)])
EXPLANATION_COLUMN = [f.name for f in fields(CustomerRow)].index("explanation")
CONFLICT_SELECT = select(*[conflicts.c[f.name] for f in fields(ConflictRow)])
DECISION_SELECT = select(*[decisions.c[f.name] for f in fields(DecisionRow)])
_CONFLICT_NAMES = [f.name for f in fields(ConflictRow)]
_DECISION_NAMES = [f.name for f in fields(DecisionRow)]


def customer_of(row: Sequence) -> CustomerRow:
    """A ``CUSTOMER_SELECT`` row (JSON decoded or not); an empty split reads as None, a
    missing explanation as []."""
    return CustomerRow(*row[:8], loads(row[8]) or None, loads(row[9]) or [], *row[10:13])  # type: ignore[call-arg]  # positional, in the fixed column order of the SELECT above (hot path)


def conflict_of(row: Sequence) -> ConflictRow:
    return ConflictRow(*row[:6], loads(row[6]), loads(row[7]), loads(row[8]), *row[9:])  # type: ignore[call-arg]  # positional, in the fixed column order of the SELECT above (hot path)


def decision_of(row: Sequence) -> DecisionRow:
    return DecisionRow(*row[:5], loads(row[5]) or None, *row[6:9], loads(row[9]))  # type: ignore[call-arg]  # positional, in the fixed column order of the SELECT above (hot path)


def _links_query(binds: list):
    """The site's links touching the keys ``binds``: two index searches, not ``phone_key IN …
    OR linked_key IN …`` (SQLite would scan every link of the site)."""
    columns = (customer_links.c.phone_key, customer_links.c.linked_key)
    by_key = select(*columns).where(customer_links.c.site_id == bindparam("site"),
                                    customer_links.c.phone_key.in_(binds))
    by_linked = dialects.linked_keys_hint(select(*columns).where(
        customer_links.c.site_id == bindparam("site"), customer_links.c.linked_key.in_(binds)), customer_links)
    return union(by_key, by_linked)


_NEW_CUSTOMER = customers.insert()
_RENAME_CUSTOMER = (update(customers).where(customers.c.site_id == bindparam("b_site"),
                                            customers.c.phone_key == bindparam("b_key"))
                    .values(name=bindparam("new_name")))
_SAVE_CUSTOMER = (update(customers).where(customers.c.site_id == bindparam("b_site"), customers.c.id == bindparam("b_id"))
                  .values({name: bindparam(f"b_{name}") for name in (
                      "name", "owner", "status", "protected_until", "first_registered_at", "split", "explanation",
                      "change_id")}))

_TAG_COLUMN = {"tag": "phone_tag", "tag2": "phone_tag2"}  # keys= -> the customers column (issue 14)
_TAG_CUSTOMER = {keys: (update(customers).where(customers.c.site_id == bindparam("b_site"), customers.c.id == bindparam("b_id"),
                                               customers.c.phone_key == bindparam("b_key"), customers.c[column].is_(None))
                        .values({column: bindparam("b_tag"), "change_id": bindparam("b_change_id")}))
                 for keys, column in _TAG_COLUMN.items()}


def tag_column(keys: str):
    """The customers column holding the tags of ``keys`` (``tag`` or ``tag2``); KeyError else."""
    return customers.c[_TAG_COLUMN[keys]]


class Ownership(Transactions):
    def _statement(self, name: str):
        """The dialect's upsert statements, built once per store (``_executemany`` caches by id)."""
        statements = self.__dict__.setdefault("_upserts", {})
        if name not in statements:
            if name == "add_links":
                statements[name] = dialects.insert(self.dialect, customer_links).on_conflict_do_nothing()
            else:  # save_conflicts
                upsert = dialects.insert(self.dialect, conflicts)
                statements[name] = upsert.on_conflict_do_update(index_elements=["site_id", "id"], set_={
                    n: upsert.excluded[n] for n in _CONFLICT_NAMES if n not in ("site_id", "id")})
        return statements[name]

    # -- customers and households ----------------------------------------------------
    def add_links(self, site_id: str, links: Iterable[tuple[str, str | None]]) -> None:
        rows = [{"site_id": site_id, "phone_key": key, "linked_key": other or ""} for key, other in sorted(
            set(links), key=lambda link: (link[0], link[1] or ""))]
        self._executemany(self._statement("add_links"), rows)

    def linked_component(self, site_id: str, phone_keys: Iterable[str]) -> list[tuple[str, str | None]]:
        """The household walk (breadth first over ``customer_links``); the console's timeline
        uses it too."""
        seen: set[str] = set()
        frontier = set(phone_keys)
        links: set[tuple[str, str | None]] = {(k, None) for k in frontier}
        while frontier:
            seen |= frontier
            found: set[str] = set()
            for key, other in self._select_in("links", _links_query, frontier, site=site_id):
                links.add((key, other or None))
                found.add(key)
                if other:
                    found.add(other)
            frontier = found - seen
        return sorted(links, key=lambda link: (link[0], link[1] or ""))

    def ensure_customers(self, site_id: str, names: dict[str, str]) -> dict[str, CustomerRow]:
        result = self.customers_by_keys(site_id, names)
        new, renamed = [], []
        for key, name in names.items():
            if key not in result:
                result[key] = CustomerRow(id=str(uuid.uuid4()), site_id=site_id, phone_key=key, name=name or "")
                new.append(result[key])
            elif name and name != result[key].name:
                result[key] = replace(result[key], name=name)
                renamed.append(result[key])
        # under the site's write lock nobody else adds this site's customers meanwhile
        self._executemany(_NEW_CUSTOMER, [{"id": c.id, "site_id": site_id, "phone_key": c.phone_key, "name": c.name,
                                           "change_id": 0, "explanation": "[]"} for c in new])
        self._executemany(_RENAME_CUSTOMER, [{"b_site": site_id, "b_key": c.phone_key, "new_name": c.name}
                                             for c in renamed])
        return result  # as stored now: what reading them back would give

    def customers_by_keys(self, site_id: str, phone_keys: Iterable[str]) -> dict[str, CustomerRow]:
        rows = self._select_in("customers_by_keys", lambda binds: CUSTOMER_SELECT.where(
            customers.c.site_id == bindparam("site"), customers.c.phone_key.in_(binds)), phone_keys, site=site_id)
        return {customer.phone_key: customer for customer in map(customer_of, rows)}

    def get_customer(self, site_id: str, customer_id: str) -> CustomerRow | None:
        rows = self._all(CUSTOMER_SELECT.where(customers.c.site_id == site_id, customers.c.id == customer_id))
        return customer_of(rows[0]) if rows else None

    def save_customers(self, rows: Sequence[CustomerRow]) -> None:
        self._executemany(_SAVE_CUSTOMER, [
            {"b_site": r.site_id, "b_id": r.id, "b_name": r.name, "b_owner": r.owner, "b_status": r.status,
             "b_protected_until": r.protected_until, "b_first_registered_at": r.first_registered_at,
             "b_split": dumps(r.split) if r.split else None, "b_explanation": dumps(r.explanation),
             "b_change_id": r.change_id} for r in rows])

    # -- phone tags (issue 14) -----------------------------------------------------------
    def untagged_customers(self, site_id: str, limit: int, keys: str = "tag") -> list[tuple[str, str]]:
        rows = self._all(select(customers.c.id, customers.c.phone_key).where(
            customers.c.site_id == site_id, tag_column(keys).is_(None)).order_by(customers.c.id).limit(limit))
        return [(row[0], row[1]) for row in rows]

    def set_phone_tags(self, site_id: str, tags: Mapping[str, tuple[str, str]], keys: str = "tag") -> int:
        if not tags:
            return 0
        column = tag_column(keys)
        with self.write(site_id):
            ids = sorted(tags)
            still = {row[0] for row in self._all(select(customers.c.id).where(
                customers.c.site_id == site_id, customers.c.id.in_(ids), column.is_(None)))}
            todo = [i for i in ids if i in still]
            self._executemany(_TAG_CUSTOMER[keys], [
                {"b_site": site_id, "b_id": i, "b_key": tags[i][0], "b_tag": tags[i][1], "b_change_id": change_id}
                for i, change_id in zip(todo, self.next_change_ids(len(todo)), strict=True)])
            return len(todo)

    # -- conflicts and decisions -------------------------------------------------------
    def conflicts_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[ConflictRow]:
        rows = self._select_in("conflicts_for_keys", lambda binds: CONFLICT_SELECT.where(
            conflicts.c.site_id == bindparam("site"), conflicts.c.phone_key.in_(binds)), phone_keys, site=site_id)
        return sorted(map(conflict_of, rows), key=lambda c: (c.opened_at, c.id))

    def get_conflict(self, site_id: str, conflict_id: str) -> ConflictRow | None:
        rows = self._all(CONFLICT_SELECT.where(conflicts.c.site_id == site_id, conflicts.c.id == conflict_id))
        return conflict_of(rows[0]) if rows else None

    def list_conflicts(self, site_id: str, status: str | None) -> list[ConflictRow]:
        query = CONFLICT_SELECT.where(conflicts.c.site_id == site_id).order_by(conflicts.c.opened_at, conflicts.c.id)
        if status:
            query = query.where(conflicts.c.status == status)
        return [conflict_of(r) for r in self._all(query)]

    def save_conflict(self, row: ConflictRow) -> None:
        self.save_conflicts([row])

    def save_conflicts(self, rows: Sequence[ConflictRow]) -> None:
        # not ``asdict``: it deep-copies every claim and step only to serialise them
        self._executemany(self._statement("save_conflicts"), [
            {name: dumps(value) if isinstance(value, list) else value
             for name, value in ((name, getattr(row, name)) for name in _CONFLICT_NAMES)} for row in rows])

    def add_decision(self, row: DecisionRow) -> None:
        self._exec(decisions.insert(), [{name: getattr(row, name) for name in _DECISION_NAMES}])

    def decisions_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[DecisionRow]:
        rows = self._select_in("decisions_for_keys", lambda binds: DECISION_SELECT.where(
            decisions.c.site_id == bindparam("site"), decisions.c.phone_key.in_(binds)), phone_keys, site=site_id)
        return sorted(map(decision_of, rows), key=lambda d: (d.decided_at, d.id))
