"""Records held from the ownership index for a manager (issue 14, ``services/record_budget.py``)
of ``SqlStore``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, select

from ..base import HeldRecord, iter_chunks
from .engine import CHUNK, Transactions
from .tables import held_records

__all__ = ["Held"]


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
