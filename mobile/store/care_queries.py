"""Queries for customer care on the tablet (issue 11): the complaint records it knows, and who
the replica says owns the customers of the tablet's own records.

Kept out of ``local_store.py`` (already over 400 lines); read-only, through the store's
serialised connection. No migration: they read the ``outbox`` and ``records`` tables as they are.
"""

from __future__ import annotations

import json

from .local_store import LocalStore

__all__ = ["complaint_records", "replica_owners"]


def complaint_records(store: LocalStore) -> list[dict]:
    """Every complaint record the tablet knows, each once: the server's (replica) and this
    tablet's own not yet answered, rejected ones excluded as the server would.

    Each row: ``id`` (lower-case), ``at`` (ISO time: the server's estimate, else the capture
    time), ``rep``, ``customer_name``, ``phone`` (as typed, "" when the replica masks it),
    ``data`` (dict), ``supersedes`` (lower-case, or None) and ``live`` (False when a record the
    tablet knows — a correction, a withdrawal — supersedes it: kept so a corrected opening's
    case follows its chain, ``shared.complaints.case_keys``; QA of issue 11, F1)."""
    rows = store._rows(  # noqa: SLF001 - a query module of the store package
        "select id, coalesce(estimated_at, captured_at) as at, rep, customer_name, wire from records"
        " where type = 'complaint'"
        " union all"
        " select id, captured_at as at, rep, customer_name, wire from outbox"
        " where type = 'complaint' and state != 'rejected'")
    replaced = {str(r["s"]).lower() for r in store._rows(  # noqa: SLF001
        # what corrects or withdraws a complaint: a complaint or a withdrawal (not every record's JSON)
        "select json_extract(wire, '$.supersedes') as s from records where type in ('complaint', 'withdrawal')"
        " and json_extract(wire, '$.supersedes') is not null"
        " union select supersedes as s from outbox where supersedes is not null and state != 'rejected'")}
    out: dict[str, dict] = {}
    for row in rows:
        key = row["id"].lower()
        if key in out:
            continue  # the server's copy came first: its estimated time wins
        wire = json.loads(row["wire"])
        supersedes = wire.get("supersedes")
        out[key] = {"id": key, "at": row["at"], "rep": row["rep"], "customer_name": row["customer_name"] or "",
                    "phone": (wire.get("customer") or {}).get("phone", ""), "data": wire.get("data") or {},
                    "supersedes": supersedes.lower() if isinstance(supersedes, str) and supersedes else None,
                    "live": key not in replaced}
    return list(out.values())


def replica_owners(store: LocalStore) -> dict[str, tuple[str | None, str | None]]:
    """``phone_hash -> (owner, status)`` as the replica last heard from the server (the latest
    customer row of each tag), for the customers of this tablet's own records (the outbox);
    tags the replica does not hold are absent."""
    rows = store._rows(  # noqa: SLF001 - a query module of the store package
        "select phone_hash, owner, status from customers"
        " where phone_hash in (select phone_hash from outbox) order by change_id")
    return {row["phone_hash"]: (row["owner"], row["status"]) for row in rows}  # the latest last
