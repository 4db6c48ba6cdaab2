"""Held records for the manager (issue 14 follow-up): 待确认归属.

A record naming a phone its pusher could not see, past the pusher's record budget
(``record_budget``), is stored but held: no customer, claim or ownership until a manager
confirms it (审核确认, R4). These read the held records a page at a time for the console (all,
or one pusher's, with counts by pusher) and release them through the one confirmation path
(``confirmation.confirm_records``: the confirmations ledger, the release into the ownership
index by capture time, R1, one write) — which answers the pusher's look-up (a customer, and the
tag of the real one). Facing an obvious enumeration the manager refuses them instead
(不予确认, issue 14 N3, ``dismiss_records``): stored and held for ever, never settled, audited
with the manager's reason, which the pusher's tablet reads in its next pull.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared.fields import control_character_problem
from shared.timeutil import parse_time

from ..storage.base import ConfirmationRow, DismissedRecord, HeldRecord, Site, Store
from ..storage.reporting import RecordView, ReportingStore
from .audit import Origin, log
from .confirmation import ConfirmationResult, NotConfirmable, confirm_records

__all__ = ["PAGE_SIZE", "HeldRow", "HeldPage", "held_page", "held_in_range", "Release", "release_records",
           "NotHeldHere", "Pusher", "held_pushers", "Dismissal", "dismiss_records", "held_ids", "AlreadyDismissed",
           "BadReason", "REASON_MAX", "ALL_OF_PUSHER"]

REASON_MAX = 500
"""Characters a refusal's reason may have (the tablet shows it beside the record)."""
ALL_OF_PUSHER = 100_000
"""At most this many held records of one pusher go in one release or refusal (a year of
enumeration at the budget's pace; the rest stay on the page for the next)."""

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


def held_page(store: Store, reporting: ReportingStore, site_id: str, number: int, now: datetime,
              pusher: str | None = None) -> HeldPage:
    """Page ``number`` (from 1; past the last: the last) of ``PAGE_SIZE`` held records of the
    site (of the user ``pusher`` only, if given), the longest waiting first."""
    total = store.held_count(site_id, author=pusher)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    held = store.held_page(site_id, (number - 1) * PAGE_SIZE, PAGE_SIZE, author=pusher)
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


class AlreadyDismissed(Exception):
    """A release of records a manager refused (不予确认): refused in turn, nothing written;
    ``refusal`` says who refused them, when and why (the latest, when several)."""

    def __init__(self, refusal: DismissedRecord):
        super().__init__(f"record {refusal.held.record_id} was dismissed by {refusal.dismissed_by}")
        self.refusal = refusal


def held_ids(store: Store, site_id: str, *, record_ids: Iterable[str] = (), phone_key: str = "",
             pusher: str = "") -> list[str]:
    """The ids a console form names, trimmed and lower-cased: ``record_ids``, the records held
    under ``phone_key`` (any pusher), the records held of the user ``pusher`` (at most
    ``ALL_OF_PUSHER``, the longest waiting first). Raises ``NotHeldHere`` when the form names
    nothing."""
    wanted = [i.strip().lower() for i in record_ids if i and i.strip()]
    phone_key, pusher = phone_key.strip(), pusher.strip()
    if phone_key:
        wanted += [h.record_id for h in store.held_of_phones(site_id, [phone_key])]
    if pusher:
        wanted += [h.record_id for h in store.held_page(site_id, 0, ALL_OF_PUSHER, author=pusher)]
    if not wanted and not phone_key and not pusher:
        raise NotHeldHere()
    return list(dict.fromkeys(wanted))


def release_records(store: Store, reporting: ReportingStore, site: Site, author: str, *,
                    record_ids: Iterable[str] = (), phone_key: str = "", pusher: str = "") -> Release:
    """Confirm (release) held records as ``author``, a manager of ``site``: the records
    ``record_ids``, or every record of the site held under ``phone_key``, or every record held
    of the user ``pusher`` (``held_ids``). The existing path (``confirm_records``): one write,
    confirmations appended, the phones released into the ownership index by capture time.
    Raises ``NotHeldHere`` when the ids or phone name no record of the site, ``AlreadyDismissed`` when a record asked for by id or phone was refused
    by a manager (nothing written: a refused record is never released, issue 14 N3); when none
    is held any more, nothing is written and ``Release.earlier`` says who confirmed them."""
    wanted = held_ids(store, site.id, record_ids=record_ids, phone_key=phone_key, pusher=pusher)
    phone_key = phone_key.strip()
    refused = list(store.dismissed(site.id, wanted).values())
    if phone_key and not wanted:
        refused += store.dismissed_of_phones(site.id, [phone_key])
    if refused:
        raise AlreadyDismissed(max(refused, key=lambda d: (d.dismissed_at, d.held.record_id)))
    if pusher.strip() and not wanted:  # released or refused meanwhile (a second submit)
        return Release(None)
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


@dataclass(frozen=True)
class Pusher:
    """A user with held records (the page's counts by pusher): ``username``, display ``name``,
    the ``devices`` (names) the records came from, and how many are held (``count``)."""

    username: str
    name: str
    devices: list[str]
    count: int


def held_pushers(store: Store, reporting: ReportingStore, site_id: str) -> list[Pusher]:
    """The site's users with held records, the most held first (then by username)."""
    people = reporting.people(site_id)
    desks = {d.id: d.name for d in store.list_devices(site_id)}
    found: dict[str, tuple[list[str], int]] = {}
    for author, device, n in store.held_pushers(site_id):
        devices, count = found.get(author, ([], 0))
        found[author] = ([*devices, desks.get(device, device)], count + n)
    return sorted((Pusher(u, people.get(u, (u, ""))[0], sorted(d), n) for u, (d, n) in found.items()),
                  key=lambda p: (-p.count, p.username))


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Text-direction overrides and isolates: invisible, and they reverse what follows them where
the reason is shown (console, audit log, the pusher's tablet)."""


class BadReason(ValueError):
    """A refusal without a reason (``code`` ``reason_required``), with a longer one than
    ``REASON_MAX`` (``reason_too_long``), or with control or text-direction characters a person
    cannot see (``reason_control``: NUL, ESC, U+202E…); nothing written."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Dismissal:
    """What a refusal did: ``dismissed`` (the ids refused now, sorted), their ``phones`` and
    ``pushers`` (usernames); none refused now: ``earlier`` is the latest refusal of the records
    asked for, if any (else they were released meanwhile)."""

    dismissed: list[str]
    phones: list[str]
    pushers: list[str]
    earlier: DismissedRecord | None = None


def dismiss_records(store: Store, site: Site, origin: Origin, reason: str, *, record_ids: Iterable[str] = (),
                    phone_key: str = "", pusher: str = "", now: datetime) -> Dismissal:
    """Refuse held records (不予确认, issue 14 N3) as the manager ``origin.actor``: the records
    ``record_ids``, a phone's, or every held record of the user ``pusher`` (``held_ids``), in
    one write of ``site``. Each stays stored and held for ever: no customer, claim, tag or
    ownership effect, now or later (``ownership.without_held``); it leaves the page and the
    badge; its tablets pull it again with ``owner_dismissed`` (who, when, ``reason``). One
    audit row ``held.dismissed`` per pusher (count, phones, reason). ``reason``: required,
    at most ``REASON_MAX`` characters (``BadReason``). ``NotHeldHere``: the ids or phone name
    no record of the site, or the pusher has no held or refused record."""
    if control_character_problem(reason, "reason") or BIDI_CONTROLS.search(reason):
        raise BadReason("reason_control")  # NUL cannot be stored on PostgreSQL; none can be seen (QA5 F1)
    reason = " ".join(reason.split())
    if not reason:
        raise BadReason("reason_required")
    if len(reason) > REASON_MAX:
        raise BadReason("reason_too_long")
    at = now.astimezone(UTC).isoformat(timespec="milliseconds")
    with store.write(site.id):  # what is held is read where it is refused: another manager's act waits
        wanted = held_ids(store, site.id, record_ids=record_ids, phone_key=phone_key, pusher=pusher)
        held = {h.record_id: h for h in store.held_page(site.id, 0, ALL_OF_PUSHER, author=pusher.strip())} \
            if pusher.strip() else {}
        rows = {h.record_id: h for h in store.held_of_phones(site.id, {r.phone_key for r in store.records_by_ids(
            site.id, [i for i in wanted if i not in held]) if r.phone_key})}
        held.update(rows)
        done = store.dismiss_held(site.id, [i for i in wanted if i in held], origin.actor or "", at, reason)
        by_pusher: dict[str, list[HeldRecord]] = {}
        for record_id in done:
            by_pusher.setdefault(held[record_id].author, []).append(held[record_id])
        for author, mine in sorted(by_pusher.items()):
            log(store, site.id, origin, "held.dismissed", author, count=len(mine),
                phones=len({h.phone_key for h in mine}), why=reason)
    if done:
        return Dismissal(done, sorted({held[i].phone_key for i in done}), sorted(by_pusher))
    key = phone_key.strip()
    earlier = list(store.dismissed(site.id, wanted).values()) + (store.dismissed_of_phones(site.id, [key]) if key else [])
    if not earlier and not pusher.strip():  # released meanwhile, or never held: a forged or stale form?
        known = [r.id for r in store.records_by_ids(site.id, wanted)] if wanted else []
        known += [r.id for r in store.records_for_keys(site.id, [key])] if key else []
        if not known:
            raise NotHeldHere()
    return Dismissal([], [], [], max(earlier, key=lambda d: (d.dismissed_at, d.held.record_id), default=None))
