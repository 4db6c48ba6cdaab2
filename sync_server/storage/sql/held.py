"""Records held from the ownership index for a manager (issue 14, ``services/record_budget.py``)
of ``SqlStore``; the console's 待确认归属 page reads them a page at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, select

from ..base import HeldRecord, iter_chunks
from .engine import CHUNK, Transactions
from .tables import held_records, records

__all__ = ["Held"]

_HELD = select(held_records.c.site_id, held_records.c.record_id, held_records.c.author, held_records.c.phone_key,
               held_records.c.held_at)


class Held(Transactions):
    def hold_records(self, rows: Sequence[HeldRecord]) -> None:
        self._exec(held_records.insert(), [{"site_id": r.site_id, "record_id": r.record_id, "author": r.author,
                                            "phone_key": r.phone_key, "held_at": r.held_at} for r in rows])

    def held_keys(self, site_id: str, phone_keys: Iterable[str], author: str | None = None) -> set[str]:
        rows = self._select_in("held_keys", lambda binds: select(held_records.c.phone_key, held_records.c.author).where(
            held_records.c.site_id == bindparam("site"), held_records.c.phone_key.in_(binds)), phone_keys, site=site_id)
        return {key for key, who in rows if author is None or who == author}

    def held_record_ids(self, site_id: str, record_ids: Iterable[str]) -> set[str]:
        rows = self._select_in("held_ids", lambda binds: select(held_records.c.record_id).where(
            held_records.c.site_id == bindparam("site"), held_records.c.record_id.in_(binds)), record_ids,
            site=site_id)
        return {rid for (rid,) in rows}

    def release_held(self, site_id: str, phone_keys: Iterable[str]) -> list[str]:
        released: list[str] = []
        for chunk in iter_chunks(sorted(set(phone_keys)), CHUNK):
            where = (held_records.c.site_id == site_id, held_records.c.phone_key.in_(chunk))
            released += [rid for (rid,) in self._all(select(held_records.c.record_id).where(*where))]
            self._exec(delete(held_records).where(*where))
        return released

    def held_count(self, site_id: str) -> int:
        rows = self._all(select(func.count()).select_from(held_records).where(held_records.c.site_id == site_id))
        return int(rows[0][0])

    def held_page(self, site_id: str, offset: int = 0, limit: int = 100) -> list[HeldRecord]:
        # ``held_records_site_time`` walks the site's rows in this order (no sort of the whole site)
        query = _HELD.where(held_records.c.site_id == site_id).order_by(
            held_records.c.held_at, held_records.c.phone_key, held_records.c.record_id).offset(max(0, offset)).limit(max(0, limit))
        return [HeldRecord(*row) for row in self._all(query)]

    def held_of_phones(self, site_id: str, phone_keys: Iterable[str]) -> list[HeldRecord]:
        rows = self._select_in("held_of_phones", lambda binds: _HELD.where(
            held_records.c.site_id == bindparam("site"), held_records.c.phone_key.in_(binds)), phone_keys,
            site=site_id)
        return sorted((HeldRecord(*row) for row in rows), key=lambda r: (r.held_at, r.record_id))

    def held_captured(self, site_id: str, low: str, high: str) -> list[tuple[str, str, str]]:
        query = select(records.c.id, records.c.type, records.c.estimated_at).select_from(
            held_records.join(records, (records.c.site_id == held_records.c.site_id)
                              & (records.c.id == held_records.c.record_id))).where(
            held_records.c.site_id == site_id, records.c.estimated_at >= low, records.c.estimated_at < high)
        return [(rid, kind, at) for rid, kind, at in self._all(query)]
