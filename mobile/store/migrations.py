"""Named, versioned migrations of the tablet's SQLite store (sqlite-utils style).

Each migration runs once, in order, inside a transaction, and is recorded by name in
``_migrations``. Never edit a released migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

__all__ = ["MIGRATIONS", "migrate"]


def m001_initial(db: Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    # Own records waiting for / answered by the server. state: pending | accepted | rejected.
    db["outbox"].create({
        "id": str, "seq": int, "type": str, "wire": str, "phone_hash": str, "customer_name": str,
        "rep": str, "captured_at": str, "state": str, "error_code": str, "error_message": str,
        "error_field": str, "superseded_by": str, "supersedes": str, "created_at": str, "answered_at": str,
    }, pk="id", not_null={"seq", "type", "wire", "state"})
    db["outbox"].create_index(["seq"], unique=True)
    db["outbox"].create_index(["state", "seq"])
    db["outbox"].create_index(["phone_hash"])
    # Replica of what the server says (pull changes).
    db["site"].create({"id": str, "name": str, "validity_days": int, "household": str, "region": str,
                       "utc_offset_minutes": int}, pk="id")
    db["users"].create({"username": str, "name": str, "role": str, "active": int}, pk="username")
    db["customers"].create({
        "customer_id": str, "phone_hash": str, "phone_masked": str, "phone": str, "name": str,
        "owner": str, "owner_name": str, "status": str, "protected_until": str,
        "first_registered_at": str, "split": str, "explanation": str, "change_id": int,
    }, pk="customer_id")
    db["customers"].create_index(["phone_hash"])
    db["customers"].create_index(["owner"])
    db["customers"].create_index(["name"])
    db["records"].create({
        "id": str, "type": str, "rep": str, "phone_hash": str, "customer_name": str, "captured_at": str,
        "estimated_at": str, "clock_method": str, "device_id": str, "received_at": str, "wire": str,
        "change_id": int,
    }, pk="id")
    db["records"].create_index(["phone_hash"])
    db["records"].create_index(["rep"])
    db["records"].create_index(["customer_name"])
    # What the device learned about its clocks at each contact with the server.
    db["clock_anchors"].create({"id": int, "boot_id": str, "elapsed_ms": int, "server_time": str,
                                "device_time": str, "offset_ms": int}, pk="id")
    db["rotation_events"].create({"id": int, "day": str, "at": str, "event": str}, pk="id")
    db["rotation_events"].create_index(["day", "id"])


MIGRATIONS: list[tuple[str, Callable[[Database], None]]] = [
    ("001_initial", m001_initial),
]


def migrate(db: Database) -> list[str]:
    """Apply every migration not yet applied; return the names applied now."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        with db.conn:
            step(db)
            db["_migrations"].insert({"name": name, "applied_at": db.execute("select datetime('now')").fetchone()[0]})
        applied.append(name)
    return applied
