"""Disputes whose protection lapsed undecided (R2) stored as lapsed soon after, not only on the
customer's next push.

The engine lapses an episode's undecided dispute when it decides the customer after the window
ended (``shared.ownership``, R2), but the server decides a customer again only when a push,
a decision or a hand-over touches it. Until then the stored dispute stayed ``open``: the
console's queue listed it as 待裁定 beside a customer read as lapsed, a manager could decide it,
and the same kind of dispute touched by a later push was refused as lapsed (QA8 finding 5).
``lapse_due`` decides again the customers of the open disputes whose window has ended, as a
push would (``services.ownership.recompute``); ``lapse_sweeper`` runs it in a daemon thread of the
server process every ``interval`` seconds; ``decide`` runs it for the one dispute first.
"""

from __future__ import annotations

import logging
from datetime import datetime

from shared.timeutil import utc_now

from ..storage.base import Site, Store
from .ownership import recompute
from .periodic import PeriodicWorker
from .views import status_at

__all__ = ["lapse_due", "lapse", "lapse_sweeper", "INTERVAL_S"]

INTERVAL_S = 60.0  # a dispute reads lapsed at most about a minute after its window ended
_log = logging.getLogger("fieldsync.lapsing")


def _due(store: Store, site: Site, now: datetime, phone_keys: set[str] | None = None) -> set[str]:
    """The phone keys of the site's open disputes — or ``phone_keys``, those of disputes the
    caller read open — whose customer's protection window ended before ``now``
    (``views.status_at``; a deal never lapses)."""
    keys = phone_keys if phone_keys is not None else {c.phone_key for c in store.list_conflicts(site.id, "open")}
    if not keys:
        return set()
    customers = store.customers_by_keys(site.id, keys)
    return {key for key, row in customers.items() if status_at(row, now) == "lapsed"}


def lapse(store: Store, site: Site, now: datetime, phone_keys: set[str] | None = None) -> int:
    """Decide again the customers of the site's open disputes (of ``phone_keys``, when given:
    keys of disputes read open) whose protection window ended before ``now``: their disputes
    are stored ``lapsed``. A read first, a write only when something is due (checked again
    inside it). Returns how many customers."""
    with store.read():
        due = _due(store, site, now, phone_keys)
    if not due:
        return 0
    with store.write(site.id):
        due = _due(store, site, now, due)
        if due:
            recompute(store, site, due, now)
    return len(due)


def lapse_due(store: Store, now: datetime | None = None) -> int:
    """``lapse`` for every site. Returns how many customers."""
    now = now or utc_now()
    return sum(lapse(store, site, now) for site in store.list_sites())


def lapse_sweeper(store: Store, *, interval: float = INTERVAL_S) -> PeriodicWorker:
    """``lapse_due`` in a daemon thread every ``interval`` seconds (each worker process of
    ``serve --workers N`` runs one: deciding a customer again is idempotent); ``.start()``,
    ``.stop()``."""
    return PeriodicWorker("lapser", lambda _stop: lapse_due(store), interval=interval, at_start=False, logger=_log)
