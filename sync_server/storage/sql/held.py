"""Records held from the ownership index for a manager (issue 14, ``services/record_budget.py``)
of ``SqlStore``; the console's 待确认归属 page reads them a page at a time (by pusher too), and a
manager's refusal (不予确认, issue 14 N3) moves them to ``dismissed_records``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import bindparam, delete, func, select, update

from ..base import DismissedRecord, HeldRecord, iter_chunks
from . import dialects
from .engine import CHUNK, Transactions
from .tables import dismissed_records, held_phone_tags, held_records, records

__all__ = ["Held"]

_HELD = select(held_records.c.site_id, held_records.c.record_id, held_records.c.author, held_records.c.phone_key,
               held_records.c.held_at, held_records.c.captured_at)
_DISMISSED = select(*[dismissed_records.c[n] for n in ("site_id", "record_id", "author", "phone_key", "held_at",
                                                      "dismissed_at", "dismissed_by", "reason")])


_HELD_TAG_COLUMN = {"tag": "phone_tag", "tag2": "phone_tag2"}  # keys= -> the held_phone_tags column
_TAG_HELD_PHONE = {keys: (update(held_phone_tags).where(
    held_phone_tags.c.site_id == bindparam("b_site"), held_phone_tags.c.phone_key == bindparam("b_key"),
    held_phone_tags.c[column].is_(None)).values({column: bindparam("b_tag")})) for keys, column in _HELD_TAG_COLUMN.items()}


def _dismissed_of(row) -> DismissedRecord:
    return DismissedRecord(HeldRecord(*row[:5]), *row[5:])


class Held(Transactions):
    def hold_records(self, rows: Sequence[HeldRecord]) -> None:
        self._exec(held_records.insert(), [{"site_id": r.site_id, "record_id": r.record_id, "author": r.author,
                                            "phone_key": r.phone_key, "held_at": r.held_at,
                                            "captured_at": r.captured_at} for r in rows])
        # the phone's row for the tagger (issue 13/14: a manager's pull gives the record its tag)
        statement = self.__dict__.setdefault("_held_phone_insert", dialects.insert(
            self.dialect, held_phone_tags).on_conflict_do_nothing())
        self._executemany(statement, [{"site_id": site, "phone_key": key}
                                      for site, key in sorted({(r.site_id, r.phone_key) for r in rows})])

    def untagged_held_phones(self, site_id: str, limit: int, keys: str = "tag") -> list[str]:
        column = held_phone_tags.c[_HELD_TAG_COLUMN[keys]]
        return [key for (key,) in self._all(select(held_phone_tags.c.phone_key).where(
            held_phone_tags.c.site_id == site_id, column.is_(None)).order_by(held_phone_tags.c.phone_key).limit(limit))]

    def set_held_phone_tags(self, site_id: str, tags: Mapping[str, str], keys: str = "tag") -> int:
        if not tags:
            return 0
        column = held_phone_tags.c[_HELD_TAG_COLUMN[keys]]
        with self.write(site_id):
            wanted = sorted(tags)
            todo = [k for chunk in iter_chunks(wanted, CHUNK) for (k,) in self._all(select(held_phone_tags.c.phone_key).where(
                held_phone_tags.c.site_id == site_id, held_phone_tags.c.phone_key.in_(chunk), column.is_(None)))]
            self._executemany(_TAG_HELD_PHONE[keys], [{"b_site": site_id, "b_key": k, "b_tag": tags[k]} for k in todo])
            return len(todo)

    def held_keys(self, site_id: str, phone_keys: Iterable[str], author: str | None = None) -> set[str]:
        phone_keys = list(phone_keys)
        rows = [*self._select_in("held_keys", lambda binds: select(held_records.c.phone_key, held_records.c.author).where(
            held_records.c.site_id == bindparam("site"), held_records.c.phone_key.in_(binds)), phone_keys, site=site_id),
                *self._select_in("dismissed_keys", lambda binds: select(
                    dismissed_records.c.phone_key, dismissed_records.c.author).where(
                    dismissed_records.c.site_id == bindparam("site"), dismissed_records.c.phone_key.in_(binds)),
                    phone_keys, site=site_id)]
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

    def held_count(self, site_id: str, author: str | None = None) -> int:
        query = select(func.count()).select_from(held_records).where(held_records.c.site_id == site_id)
        if author is not None:
            query = query.where(held_records.c.author == author)
        return int(self._all(query)[0][0])

    def dismissed_count(self, site_id: str, author: str | None = None) -> int:
        query = select(func.count()).select_from(dismissed_records).where(dismissed_records.c.site_id == site_id)
        if author is not None:
            query = query.where(dismissed_records.c.author == author)
        return int(self._all(query)[0][0])

    def held_page(self, site_id: str, offset: int = 0, limit: int = 100, author: str | None = None) -> list[HeldRecord]:
        # ``held_records_site_time`` (``_site_author`` for one pusher) walks the site's rows in
        # this order (no sort of the whole site)
        query = _HELD.where(held_records.c.site_id == site_id)
        if author is not None:
            query = query.where(held_records.c.author == author)
        query = query.order_by(held_records.c.held_at, held_records.c.captured_at, held_records.c.record_id).offset(
            max(0, offset)).limit(max(0, limit))
        return [HeldRecord(*row) for row in self._all(query)]

    def held_pushers(self, site_id: str) -> list[tuple[str, str, int]]:
        query = select(held_records.c.author, records.c.device_id, func.count()).select_from(
            held_records.join(records, (records.c.site_id == held_records.c.site_id)
                              & (records.c.id == held_records.c.record_id))).where(
            held_records.c.site_id == site_id).group_by(held_records.c.author, records.c.device_id).order_by(
            held_records.c.author, records.c.device_id)
        return [(author, device, int(n)) for author, device, n in self._all(query)]

    def dismiss_held(self, site_id: str, record_ids: Iterable[str], by: str, at: str, reason: str) -> list[str]:
        moved: list[str] = []
        for chunk in iter_chunks(sorted(set(record_ids)), CHUNK):
            where = (held_records.c.site_id == site_id, held_records.c.record_id.in_(chunk))
            rows = [HeldRecord(*row) for row in self._all(_HELD.where(*where).order_by(held_records.c.record_id))]
            if not rows:
                continue
            self._exec(dismissed_records.insert(), [
                {"site_id": h.site_id, "record_id": h.record_id, "author": h.author, "phone_key": h.phone_key,
                 "held_at": h.held_at, "dismissed_at": at, "dismissed_by": by, "reason": reason} for h in rows])
            self._exec(delete(held_records).where(*where))
            # a new change id: the pusher's tablet (and every other that sees it) pulls it again
            self._exec(update(records).where(records.c.site_id == site_id, records.c.id == bindparam("b_id"))
                       .values(change_id=bindparam("b_change")),
                       [{"b_id": h.record_id, "b_change": change}
                        for h, change in zip(rows, self.next_change_ids(len(rows)), strict=True)])
            moved += [h.record_id for h in rows]
        return sorted(moved)

    def dismissed(self, site_id: str, record_ids: Iterable[str]) -> dict[str, DismissedRecord]:
        rows = self._select_in("dismissed", lambda binds: _DISMISSED.where(
            dismissed_records.c.site_id == bindparam("site"), dismissed_records.c.record_id.in_(binds)), record_ids,
            site=site_id)
        return {row[1]: _dismissed_of(row) for row in rows}

    def dismissed_of_phones(self, site_id: str, phone_keys: Iterable[str]) -> list[DismissedRecord]:
        rows = self._select_in("dismissed_of_phones", lambda binds: _DISMISSED.where(
            dismissed_records.c.site_id == bindparam("site"), dismissed_records.c.phone_key.in_(binds)), phone_keys,
            site=site_id)
        return sorted((_dismissed_of(row) for row in rows), key=lambda d: (d.held.held_at, d.held.record_id))

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
