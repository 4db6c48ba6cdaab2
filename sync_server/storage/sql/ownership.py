"""Customers, households (links), conflicts and decisions of ``SqlStore``; the row mappings
of customers, conflicts and decisions, and the one household walk (``walk_links``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace

from sqlalchemy import bindparam, select, union, update

from ..base import ConflictRow, CustomerRow, DecisionRow, iter_chunks
from . import dialects
from .engine import CHUNK, Transactions
from .tables import conflicts, customer_links, customers, decisions

__all__ = ["Ownership", "CUSTOMER_SELECT", "CONFLICT_SELECT", "DECISION_SELECT", "customer_of", "conflict_of",
           "decision_of", "walk_links"]

CUSTOMER_SELECT = select(*[customers.c[f.name] for f in fields(CustomerRow)])
CONFLICT_SELECT = select(*[conflicts.c[f.name] for f in fields(ConflictRow)])
DECISION_SELECT = select(*[decisions.c[f.name] for f in fields(DecisionRow)])
_CONFLICT_NAMES = [f.name for f in fields(ConflictRow)]
_DECISION_NAMES = [f.name for f in fields(DecisionRow)]


def customer_of(row: Sequence) -> CustomerRow:
    """A ``CUSTOMER_SELECT`` row; an empty split reads as None, a missing explanation as []."""
    return CustomerRow(*row[:8], row[8] or None, row[9] or [], row[10])


def conflict_of(row: Sequence) -> ConflictRow:
    return ConflictRow(*row)


def decision_of(row: Sequence) -> DecisionRow:
    return DecisionRow(*row[:5], row[5] or None, *row[6:])


_LINKS_BY_KEY = select(customer_links.c.phone_key, customer_links.c.linked_key).where(
    customer_links.c.site_id == bindparam("site"), customer_links.c.phone_key.in_(bindparam("keys", expanding=True)))
_LINKS_BY_LINKED = dialects.linked_keys_hint(
    select(customer_links.c.phone_key, customer_links.c.linked_key).where(
        customer_links.c.site_id == bindparam("site"),
        customer_links.c.linked_key.in_(bindparam("keys", expanding=True))), customer_links)
# two index searches, not ``phone_key IN … OR linked_key IN …`` (SQLite scans the site's links)
_LINKS = union(_LINKS_BY_KEY, _LINKS_BY_LINKED)


def walk_links(run: Callable[..., Sequence], site_id: str,
               phone_keys: Iterable[str]) -> list[tuple[str, str | None]]:
    """Every link of the site reachable from ``phone_keys`` (breadth first), sorted, as
    ``(phone_key, linked_key or None)``; each input key appears as ``(key, None)`` too.
    ``run(statement, params)`` executes a query (the store's or a reporting connection's)."""
    seen: set[str] = set()
    frontier = set(phone_keys)
    links: set[tuple[str, str | None]] = {(k, None) for k in frontier}
    while frontier:
        seen |= frontier
        found: set[str] = set()
        for chunk in iter_chunks(sorted(frontier), CHUNK):
            for key, other in run(_LINKS, {"site": site_id, "keys": list(chunk)}):
                links.add((key, other or None))
                found.add(key)
                if other:
                    found.add(other)
        frontier = found - seen
    return sorted(links, key=lambda link: (link[0], link[1] or ""))


class Ownership(Transactions):
    # -- customers and households ----------------------------------------------------
    def add_links(self, site_id: str, links: Iterable[tuple[str, str | None]]) -> None:
        rows = [{"site_id": site_id, "phone_key": key, "linked_key": other or ""} for key, other in sorted(
            set(links), key=lambda link: (link[0], link[1] or ""))]
        self._exec(dialects.insert(self.dialect, customer_links).on_conflict_do_nothing(), rows)

    def linked_component(self, site_id: str, phone_keys: Iterable[str]) -> list[tuple[str, str | None]]:
        return walk_links(self._all, site_id, phone_keys)

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
        self._exec(customers.insert(), [{"id": c.id, "site_id": site_id, "phone_key": c.phone_key, "name": c.name,
                                         "change_id": 0, "explanation": []} for c in new])
        self._exec(update(customers).where(customers.c.site_id == site_id,
                                           customers.c.phone_key == bindparam("key"))
                   .values(name=bindparam("new_name")),
                   [{"key": c.phone_key, "new_name": c.name} for c in renamed])
        return result  # as stored now: what reading them back would give

    def customers_by_keys(self, site_id: str, phone_keys: Iterable[str]) -> dict[str, CustomerRow]:
        found: dict[str, CustomerRow] = {}
        query = CUSTOMER_SELECT.where(customers.c.site_id == site_id,
                                      customers.c.phone_key.in_(bindparam("keys", expanding=True)))
        for chunk in iter_chunks(sorted(set(phone_keys)), CHUNK):
            for row in self._all(query, {"keys": list(chunk)}):
                customer = customer_of(row)
                found[customer.phone_key] = customer
        return found

    def get_customer(self, site_id: str, customer_id: str) -> CustomerRow | None:
        rows = self._all(CUSTOMER_SELECT.where(customers.c.site_id == site_id, customers.c.id == customer_id))
        return customer_of(rows[0]) if rows else None

    def save_customers(self, rows: Sequence[CustomerRow]) -> None:
        statement = update(customers).where(customers.c.site_id == bindparam("b_site"),
                                            customers.c.id == bindparam("b_id"))
        self._exec(statement, [{"b_site": r.site_id, "b_id": r.id, "name": r.name, "owner": r.owner,
                                "status": r.status, "protected_until": r.protected_until,
                                "first_registered_at": r.first_registered_at, "split": r.split or None,
                                "explanation": r.explanation, "change_id": r.change_id} for r in rows])

    # -- conflicts and decisions -------------------------------------------------------
    def conflicts_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[ConflictRow]:
        result: list[ConflictRow] = []
        query = CONFLICT_SELECT.where(conflicts.c.site_id == site_id,
                                      conflicts.c.phone_key.in_(bindparam("keys", expanding=True)))
        for chunk in iter_chunks(sorted(set(phone_keys)), CHUNK):
            result += [conflict_of(r) for r in self._all(query, {"keys": list(chunk)})]
        return sorted(result, key=lambda c: (c.opened_at, c.id))

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
        upsert = dialects.insert(self.dialect, conflicts)
        upsert = upsert.on_conflict_do_update(index_elements=["id"], set_={
            name: upsert.excluded[name] for name in _CONFLICT_NAMES if name != "id"})
        # not ``asdict``: it deep-copies every claim and step only to serialise them
        self._exec(upsert, [{name: getattr(row, name) for name in _CONFLICT_NAMES} for row in rows])

    def add_decision(self, row: DecisionRow) -> None:
        self._exec(decisions.insert(), [{name: getattr(row, name) for name in _DECISION_NAMES}])

    def decisions_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[DecisionRow]:
        result: list[DecisionRow] = []
        query = DECISION_SELECT.where(decisions.c.site_id == site_id,
                                      decisions.c.phone_key.in_(bindparam("keys", expanding=True)))
        for chunk in iter_chunks(sorted(set(phone_keys)), CHUNK):
            result += [decision_of(r) for r in self._all(query, {"keys": list(chunk)})]
        return sorted(result, key=lambda d: (d.decided_at, d.id))
