"""Hand-overs of ``SqlStore`` (001 §14(五)3(12)): the managers' records and the customers,
by phone key, each one moves. Append-only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields

from sqlalchemy import bindparam, select, update

from ..base import CustomerRow, HandoverItemRow, HandoverRow, iter_chunks
from .engine import CHUNK, Transactions, dumps, loads
from .ownership import CUSTOMER_SELECT, customer_of
from .tables import confirmations, customers, handover_items, handovers, records

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
        self._restamp(row.site_id, sorted({item.phone_key for item in items}))

    def _restamp(self, site_id: str, phone_keys: Sequence[str]) -> None:
        """New change ids for every record of ``phone_keys`` and its confirmation: the
        receivers' pull scope now holds them (``changes._handed_to``), and a cursor past their
        old ids would never see them; other tablets pull them again unchanged (same ids)."""
        for chunk in iter_chunks(phone_keys, CHUNK):
            ids = [r[0] for r in self._all(select(records.c.id).where(records.c.site_id == site_id,
                                                                       records.c.phone_key.in_(chunk))
                                           .order_by(records.c.id))]
            if not ids:
                continue
            stamps = [{"b_id": rid, "b_change": cid} for rid, cid in zip(ids, self.next_change_ids(len(ids)),
                                                                          strict=True)]
            self._exec(update(records).where(records.c.site_id == site_id, records.c.id == bindparam("b_id"))
                       .values(change_id=bindparam("b_change")), stamps)
            confirmed = [r[0] for r in self._all(select(confirmations.c.record_id).where(
                confirmations.c.site_id == site_id, confirmations.c.record_id.in_(ids)).order_by(
                confirmations.c.record_id))]
            self._exec(update(confirmations).where(confirmations.c.site_id == site_id,
                                                   confirmations.c.record_id == bindparam("b_id"))
                       .values(change_id=bindparam("b_change")),
                       [{"b_id": rid, "b_change": cid} for rid, cid in zip(confirmed,
                                                                          self.next_change_ids(len(confirmed)),
                                                                          strict=True)])

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
