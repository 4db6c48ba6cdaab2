"""The tagger (issue 14): every customer's ``phone_tag``, computed off the push transaction.

A tag is ``shared.phones.phone_tag`` (keyed scrypt, a few ms of CPU and 2 MiB each): inside
a push it would hold the site's write lock for milliseconds per new customer. So a push
stores customers without a tag, and the tagger computes the tags afterwards, outside any
transaction, in a pool of threads (``hashlib.scrypt`` releases the GIL), then stores a batch
in one short write that gives each tagged customer a new change id: tablets pull an
ownership change carrying the tag. Until then a new customer's change has ``phone_tag: null``
(a tablet files the customer under its tag when it comes).

A push of a few new customers (a desk's usual) has them tagged right after its commit, in
the request's thread before the answer (``tag_site_now``: a few ms each, no lock held), so
the tablet's pull that follows already carries the tags; a bigger backlog (a bulk upload, the
backfill) is left to the background thread, whose pool threads run at the lowest CPU priority
(nice 19) so that tagging takes the CPU pushes leave idle.

Every customer gets both tags (``shared.phones.TAG_KEYS``): ``phone_tag`` (n = 2^11) for
tablets asking ``keys=tag`` and ``phone_tag2`` (n = 2^13, 4× the cost) for those asking
``keys=tag2`` (issue 14, "the whole replica years"); the ``tag`` first, the cheaper, so that
the tablets of the first release find a new customer soonest. The same pass fills in the
customers of a database upgraded by migration ``0014_replica_keys`` or ``0025_phone_tag2``
and, after the customers, the phones that only held or refused records name
(``held_phone_tags``, ``0026_held_phone_tags``: no customer row, yet a manager's pull gives those
records their tag, so no manager's tablet computes one a held record) (the backfill: 100,000 customers cost 100,000 tags of each kind, see docs/privacy.md for the
measured time). ``tagger`` runs the pass in a background thread of
the server process, woken after each push and every ``interval`` seconds; ``tag_pending``
is the pass itself (the background thread and tests call it).

A tablet pulling during the backlog would compute the tag of each record of an untagged
customer itself (and every tablet the same ones): so the pull and the snapshot compute a page's
missing tags of the asked kind here (``tag_phones``, at most ``PULL_AT_MOST`` an answer, normal
priority: a tablet waits) and store them as this pass would (``store_phone_tags``), issue 13/14.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from shared.phones import TAG_KEYS, tag_for

from ..storage.base import Store
from .periodic import PeriodicWorker

__all__ = ["tag_pending", "tag_site_now", "tagger", "tag_phones", "store_phone_tags", "keep_pulled_tags", "BATCH", "NOW_AT_MOST",
           "PULL_AT_MOST"]

BATCH = 256  # customers a write (a few hundred ms of tags on two cores)
NOW_AT_MOST = 16  # untagged customers a push's request tags itself (tens of ms); more: the background's
PULL_AT_MOST = 256  # untagged phones a pull or snapshot tags itself before sending (issue 13; ~2.7 s of 2 free cores at tag2)
_log = logging.getLogger("fieldsync.tagger")


def _lowest_priority() -> None:
    """Run this thread at nice 19 (Linux: a thread is a task with its own nice value); best
    effort elsewhere."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):
        pass


def tag_site_now(store: Store, site_id: str, most: int = NOW_AT_MOST) -> int:
    """Give the site's untagged customers each tag they lack (``TAG_KEYS``) in this thread if
    there are at most ``most`` of a kind (a push's few new customers), else none of that kind
    (the background tagger's work); the same, counted apart, for the phones only held or
    refused records name (``Store.untagged_held_phones``). Returns how many tags were stored."""
    done, site = 0, None
    for keys in TAG_KEYS:
        todo = store.untagged_customers(site_id, most + 1, keys)
        held = store.untagged_held_phones(site_id, most + 1, keys)
        if len(todo) > most:
            todo = []
        if len(held) > most:
            held = []
        if not todo and not held:
            continue
        site = site or store.get_site(site_id)
        if site is None:
            return done
        done += store.set_phone_tags(site_id, {cid: (phone, tag_for(keys, site.replica_key, phone)) for cid, phone in todo},
                                     keys)
        done += store.set_held_phone_tags(site_id, {phone: tag_for(keys, site.replica_key, phone) for phone in held}, keys)
    return done


def tag_phones(keys: str, replica_key: str, phones: list[str], workers: int = 2) -> dict[str, str]:
    """``phone_key -> tag`` of ``keys`` for ``phones``, computed in ``workers`` threads of this
    request (scrypt releases the GIL; normal priority: a tablet is waiting for them)."""
    if len(phones) <= 1:
        return {phone: tag_for(keys, replica_key, phone) for phone in phones}
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="pull-tags") as pool:
        n = len(phones)
        return dict(zip(phones, pool.map(tag_for, [keys] * n, [replica_key] * n, phones), strict=True))


def store_phone_tags(store: Store, site_id: str, tags: dict[str, str], keys: str) -> int:
    """Store tags a pull computed (``tag_phones``) as the tagger would: a customer's with a new
    change id (``Store.set_phone_tags``), a phone only held records name without
    (``Store.set_held_phone_tags``); a tag stored meanwhile stays. Outside any read or write of
    the caller; returns how many were stored, so the tagger computes them no more."""
    if not tags:
        return 0
    customers = store.customers_by_keys(site_id, tags)
    done = store.set_phone_tags(site_id, {c.id: (key, tags[key]) for key, c in customers.items()}, keys)
    return done + store.set_held_phone_tags(site_id, {k: t for k, t in tags.items() if k not in customers}, keys)


def keep_pulled_tags(store: Store, site_id: str, tags: dict[str, str], keys: str) -> int:
    """``store_phone_tags`` for a pull or snapshot whose answer is ready: best effort — a store
    error (a busy database) is logged and 0 returned, since the tagger stores the tags anyway
    and the tablet must still get its answer."""
    try:
        return store_phone_tags(store, site_id, tags, keys)
    except Exception:  # noqa: BLE001 - see above
        _log.exception("storing %d tags a pull computed failed (the tagger will store them)", len(tags))
        return 0


def tag_pending(store: Store, site_ids: list[str] | None = None, *, workers: int = 2, batch: int = BATCH,
                stop: threading.Event | None = None) -> int:
    """Give every customer of ``site_ids`` (None: every site, one by one: every statement names
    its site) each tag it lacks (``TAG_KEYS``: ``phone_tag``, then ``phone_tag2``), ``batch``
    at a time with ``workers`` threads, then each phone that only held or refused records name
    (``Store.untagged_held_phones``, both kinds: a manager's pull gives those records the tag,
    issue 13/14); returns how many tags were stored. A row whose tag was stored meanwhile (another worker
    process) is left as it is. Errors: the store's; an unknown site is skipped."""
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="tagger",
                            initializer=_lowest_priority) as pool:
        for site_id in [s.id for s in store.list_sites()] if site_ids is None else site_ids:
            site = store.get_site(site_id)
            if site is None:
                continue
            for keys in TAG_KEYS:
                while not (stop and stop.is_set()):
                    todo = store.untagged_customers(site_id, batch, keys)
                    if not todo:
                        break
                    n = len(todo)
                    tags = list(pool.map(tag_for, [keys] * n, [site.replica_key] * n, [phone for _, phone in todo]))
                    done += store.set_phone_tags(site_id, {cid: (phone, tag) for (cid, phone), tag in zip(todo, tags, strict=True)},
                                                 keys)
            for keys in TAG_KEYS:  # then the phones only held or refused records name (0026_held_phone_tags)
                while not (stop and stop.is_set()):
                    phones = store.untagged_held_phones(site_id, batch, keys)
                    if not phones:
                        break
                    n = len(phones)
                    tags = list(pool.map(tag_for, [keys] * n, [site.replica_key] * n, phones))
                    done += store.set_held_phone_tags(site_id, dict(zip(phones, tags, strict=True)), keys)
    return done


def tagger(store: Store, *, interval: float = 5.0, workers: int = 2) -> PeriodicWorker:
    """``tag_pending`` in a daemon thread at nice 19: at start, after ``poke()`` (a push stored
    customers) and every ``interval`` seconds (another worker process's pushes, the backfill
    after an upgrade); ``.start()``, ``.poke()``, ``.stop()``."""
    return PeriodicWorker("tagger", lambda stop: tag_pending(store, workers=workers, stop=stop), interval=interval,
                          at_start=True, logger=_log, on_thread_start=_lowest_priority)
