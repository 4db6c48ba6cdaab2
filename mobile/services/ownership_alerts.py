"""After a sync: registrations this tablet made whose customer now belongs to another rep, or
is disputed (issue 9). The desk told the visitor "由 张强 接待"; if the server then finds an
earlier claim by 王丽, the desk must hear of it — on the home and sync screens.

Read from the local store only (the replica the last pull brought), so it works offline and
costs one query; screens call it off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..store import LocalStore

__all__ = ["OwnershipAlert", "ownership_alerts"]


@dataclass(frozen=True)
class OwnershipAlert:
    """One walk-in of this tablet that the server's answer now contradicts. ``captured_at``:
    ISO 8601 as the tablet stored it; names fall back to usernames when the replica has none."""

    record_id: str
    customer_name: str
    rep_name: str  # who the desk said receives the customer
    owner_name: str  # who owns the customer now (by the rules, until a manager decides)
    disputed: bool
    captured_at: str


def ownership_alerts(store: LocalStore, limit: int = 20) -> list[OwnershipAlert]:
    """The alerts, newest registration first (at most ``limit``)."""
    return [OwnershipAlert(record_id=row["id"], customer_name=row["customer_name"] or "",
                           rep_name=row["rep_name"] or row["rep"] or "",
                           owner_name=row["owner_name"] or row["owner"] or "",
                           disputed=row["status"] == "disputed", captured_at=row["captured_at"] or "")
            for row in store.own_walkins_now_elsewhere(limit)]
