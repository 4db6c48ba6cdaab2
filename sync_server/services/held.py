"""Held records for the manager (issue 14 follow-up): 待确认归属.

A record naming a phone its pusher could not see, past the pusher's record budget
(``record_budget``), is stored but held: no customer, claim or ownership until a manager
confirms it (审核确认, R4). These read the held records a page at a time for the console and
release them through the one confirmation path (``confirmation.confirm_records``: the
confirmations ledger, the release into the ownership index by capture time, R1, one write).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.timeutil import parse_time

from ..storage.base import ConfirmationRow, HeldRecord, Site, Store
from ..storage.reporting import RecordView, ReportingStore
from .confirmation import ConfirmationResult, NotConfirmable, confirm_records

__all__ = ["PAGE_SIZE", "HeldRow", "HeldPage", "held_page", "held_in_range", "Release", "release_records",
           "NotHeldHere"]

PAGE_SIZE = 100
"""Held records a page shows (an enumerating user leaves hundreds a day)."""


@dataclass(frozen=True)
class HeldRow:
    """A held record as the manager reads it: ``view`` (type, capture time ``estimated_at``,
    pusher's display name ``author_name`` and desk/tablet ``device_name``, customer name and
    phone key), when it was held (``held.held_at``, UTC) and how long it has waited
    (``waited_ms``, milliseconds), and how many held records its phone has in all
    (``phone_count``, any page, any pusher)."""

    view: RecordView
    held: HeldRecord
    waited_ms: int
    phone_count: int


@dataclass(frozen=True)
class HeldPage:
    rows: list[HeldRow]
    total: int
    number: int  # from 1, at most ``pages``
    pages: int


def held_page(store: Store, reporting: ReportingStore, site_id: str, number: int, now: datetime) -> HeldPage:
    """Page ``number`` (from 1; past the last: the last) of ``PAGE_SIZE`` held records of the
    site, the longest waiting first."""
    total = store.held_count(site_id)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    held = store.held_page(site_id, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    views = {v.record.id: v for v in reporting.records_by_ids(site_id, [h.record_id for h in held])}
    per_phone: dict[str, int] = {}
    for h in store.held_of_phones(site_id, {h.phone_key for h in held}):
        per_phone[h.phone_key] = per_phone.get(h.phone_key, 0) + 1
    rows = [HeldRow(views[h.record_id], h, max(0, int((now - parse_time(h.held_at)).total_seconds() * 1000)),
                    per_phone.get(h.phone_key, 1)) for h in held if h.record_id in views]
    return HeldPage(rows=rows, total=total, number=number, pages=pages)


def held_in_range(store: Store, site_id: str, start: datetime, end: datetime) -> dict[str, int]:
    """How many of the site's held records were captured in ``[start, end)``, by type (the
    numbers page's line: they are counted there, and their ownership waits)."""
    low = (start - timedelta(days=1)).date().isoformat()
    high = (end + timedelta(days=2)).date().isoformat()
    counts: dict[str, int] = {}
    for _, kind, at in store.held_captured(site_id, low, high):
        if start <= parse_time(at) < end:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


class NotHeldHere(Exception):
    """The ids or phone name no record of the site (a forged or mistyped form): a 404."""


@dataclass(frozen=True)
class Release:
    """What a release did: ``result`` (None when nothing was held any more), or, for a second
    submit, ``earlier``: the latest confirmation of the records asked for (of the phone's
    records, for a phone), if any: who released them and when; None when no confirmation names
    them (they went with another record of their phone)."""

    result: ConfirmationResult | None
    earlier: ConfirmationRow | None = None


def release_records(store: Store, reporting: ReportingStore, site: Site, author: str, *,
                    record_ids: Iterable[str] = (), phone_key: str = "") -> Release:
    """Confirm (release) held records as ``author``, a manager of ``site``: the records
    ``record_ids``, or every record of the site held under ``phone_key``. The existing path
    (``confirm_records``): one write, confirmations appended, the phone released into the
    ownership index by capture time. Raises ``NotHeldHere`` when the ids or phone name no
    record of the site; when none is held any more, nothing is written and ``Release.earlier``
    says who confirmed them."""
    wanted = [i.strip().lower() for i in record_ids if i and i.strip()]
    phone_key = phone_key.strip()
    if phone_key:
        wanted += [h.record_id for h in store.held_of_phones(site.id, [phone_key])]
    if not wanted and not phone_key:
        raise NotHeldHere()
    held = store.held_record_ids(site.id, wanted)
    if held:
        try:
            return Release(confirm_records(store, site_id=site.id, author=author, record_ids=sorted(held)))
        except NotConfirmable:  # another manager released them meanwhile: say so below
            pass
    known = [v.record.id for v in reporting.records_by_ids(site.id, wanted)]
    if phone_key:
        known += [r.id for r in store.records_for_keys(site.id, [phone_key])]
    if not known:
        raise NotHeldHere()
    confirmed = reporting.confirmations(site.id, known).values()  # the latest is the one that released them
    return Release(None, max(confirmed, key=lambda c: parse_time(c.confirmed_at), default=None))
