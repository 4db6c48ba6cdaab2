"""Hand-overs of ``SqlStore`` (001 §14(五)3(12)): the managers' records and the customers,
by phone key, each one moves. Append-only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields

from sqlalchemy import bindparam, select

from ..base import CustomerRow, HandoverItemRow, HandoverRow
from .engine import Transactions, dumps, loads
from .ownership import CUSTOMER_SELECT, customer_of
from .tables import customers, handover_items, handovers

__all__ = ["Handovers"]

_NAMES = [f.name for f in fields(HandoverRow)]
_ITEM_NAMES = [f.name for f in fields(HandoverItemRow)]
_SELECT = select(*[handovers.c[name] for name in _NAMES])
_ITEM_SELECT = select(*[handover_items.c[name] for name in _ITEM_NAMES])
_JSON = ("receivers", "drawn", "result")


def _handover_of(row: Sequence) -> HandoverRow:
    values = dict(zip(_NAMES, row, strict=True))
    for name in _JSON:
        values[name] = loads(values[name])
    values["deals_too"] = bool(values["deals_too"])
    return HandoverRow(**values)


class Handovers(Transactions):
    def add_handover(self, row: HandoverRow, items: Sequence[HandoverItemRow]) -> None:
        self._exec(handovers.insert(), [{name: dumps(getattr(row, name)) if name in _JSON else getattr(row, name)
                                         for name in _NAMES}])
        self._exec(handover_items.insert(), [{name: getattr(item, name) for name in _ITEM_NAMES} for item in items])

    def get_handover(self, site_id: str, handover_id: str) -> HandoverRow | None:
        rows = self._all(_SELECT.where(handovers.c.site_id == site_id, handovers.c.id == handover_id))
        return _handover_of(rows[0]) if rows else None

    def list_handovers(self, site_id: str) -> list[HandoverRow]:
        rows = self._all(_SELECT.where(handovers.c.site_id == site_id)
                         .order_by(handovers.c.created_at.desc(), handovers.c.id.desc()))
        return [_handover_of(row) for row in rows]

    def customers_of_owner(self, site_id: str, owner: str) -> list[CustomerRow]:
        rows = self._all(CUSTOMER_SELECT.where(customers.c.site_id == site_id, customers.c.owner == owner)
                         .order_by(customers.c.phone_key))
        return [customer_of(row) for row in rows]

    def handover_items_for_keys(self, site_id: str, phone_keys: Iterable[str]) -> list[HandoverItemRow]:
        rows = self._select_in("handover_items_for_keys", lambda binds: _ITEM_SELECT.where(
            handover_items.c.site_id == bindparam("site"), handover_items.c.phone_key.in_(binds)),
            phone_keys, site=site_id)
        return sorted((HandoverItemRow(*row) for row in rows), key=lambda i: (i.handover_id, i.phone_key))
