"""Queries of the rotation board (排班) on the tablet: the rotation records of a day with the
withdrawals of them, and the reception that went with a walk-in.

Kept out of ``local_store.py`` (over 400 lines); read-only, through the store's serialised
connection. No migration: they read the ``outbox`` and ``records`` tables as they are.
"""

from __future__ import annotations

import json

from .local_store import LocalStore, OutboxEntry

__all__ = ["desk_receptions", "reception_of", "rotation_records"]


def reception_of(store: LocalStore, registration: str) -> OutboxEntry | None:
    """This tablet's live reception (排班 ``rotation`` record) of its walk-in ``registration``."""
    rows = store._rows("select id from outbox where type = 'rotation' and superseded_by is null and "  # noqa: SLF001
                       "json_extract(wire, '$.data.registration') = ? order by seq desc limit 1", (registration,))
    return store.outbox_entry(rows[0]["id"]) if rows else None


def desk_receptions(store: LocalStore, day: str) -> list[tuple[OutboxEntry, dict | None]]:
    """This tablet's receptions (排班 ``receive`` records) of the site-local ``day``, newest
    first, each with the wire of the withdrawal that undid it (None while it stands). Rejected
    and never-pushed ones are left out: they are not on any board (the sync screen voids them)."""
    rows = store._rows(  # noqa: SLF001
        "select id from outbox where type = 'rotation' and state in ('pending', 'held', 'accepted')"
        " and json_extract(wire, '$.data.day') = ? and json_extract(wire, '$.data.event') = 'receive'"
        " order by seq desc", (day,))
    found = []
    for row in rows:
        entry = store.outbox_entry(row["id"])
        undo = store.outbox_entry(entry.superseded_by).wire if entry.superseded_by else None
        found.append((entry, undo))
    return found


def rotation_records(store: LocalStore, day: str) -> tuple[list[dict], list[dict]]:
    """The ``rotation`` records of a site-local ``day`` this tablet holds, and the withdrawals
    of them (a reception tapped by mistake): ``(pulled, own)``. ``pulled``: the server's views
    (``estimated_at``, ``device_id``); ``own``: this tablet's wires the replica does not hold
    yet (pending, held, or accepted and not pulled back). Rejected and never-pushed
    (``local``) ones are left out: the server will never fold them."""
    pulled = [json.loads(r["wire"]) for r in store._rows(
        "select wire from records where type = 'rotation' and json_extract(wire, '$.data.day') = ?", (day,))]
    own = [json.loads(r["wire"]) for r in store._rows(
        "select wire from outbox where type = 'rotation' and state in ('pending', 'held', 'accepted')"
        " and json_extract(wire, '$.data.day') = ? order by seq", (day,))]
    ids = list({w["id"] for w in pulled + own})
    marks = ",".join("?" * len(ids))
    if ids:
        pulled += [json.loads(r["wire"]) for r in store._rows(
            "select wire from records where type = 'withdrawal' and lower(json_extract(wire, '$.supersedes'))"
            f" in ({marks})", [i.lower() for i in ids])]
        own += [json.loads(r["wire"]) for r in store._rows(
            "select wire from outbox where type = 'withdrawal' and state in ('pending', 'held', 'accepted')"
            f" and supersedes in ({marks}) order by seq", ids)]
    held = {r["id"] for r in pulled}
    return pulled, [w for w in own if w["id"] not in held]
