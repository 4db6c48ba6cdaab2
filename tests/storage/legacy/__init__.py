"""Databases as the pre-Alembic code (8463b12) built them, for the upgrade tests.

``sqlite_schema.py`` and ``postgres_schema.py`` here are that code's schema modules, frozen
(DDL and migrator); ``build(url, names)`` runs them (all six, or only ``names``) on an empty
database, and ``insert``/``query`` reach it with the plain drivers, as that code did.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

import psycopg
import sqlite_utils

from . import postgres_schema, sqlite_schema

__all__ = ["build", "insert", "query", "NAMES"]

NAMES = [name for name, _ in sqlite_schema.MIGRATIONS]


def _sqlite_path(url: str) -> str | None:
    return url[len("sqlite:///"):] if url.startswith("sqlite:///") else None


def build(url: str, names: Iterable[str] | None = None) -> None:
    """Apply the frozen migrations (``names``: a subset, in their order) as today's code did."""
    wanted = set(names) if names is not None else set(NAMES)
    path = _sqlite_path(url)
    module = sqlite_schema if path else postgres_schema
    saved = module.MIGRATIONS
    module.MIGRATIONS = [m for m in saved if m[0] in wanted]
    try:
        if path:
            conn = sqlite3.connect(path, isolation_level=None)
            try:
                sqlite_schema.migrate(sqlite_utils.Database(conn))
            finally:
                conn.close()
        else:
            with psycopg.connect(url, autocommit=True) as conn:
                postgres_schema.migrate(conn)
    finally:
        module.MIGRATIONS = saved


def insert(url: str, table: str, rows: Sequence[dict]) -> None:
    path = _sqlite_path(url)
    for row in rows:
        columns = ", ".join(row)
        if path:
            with sqlite3.connect(path) as conn:
                conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})",
                             [_value(v) for v in row.values()])
        else:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(row))})",
                             [_value(v) for v in row.values()])


def query(url: str, sql: str, params: Sequence = ()) -> list[tuple]:
    path = _sqlite_path(url)
    if path:
        with sqlite3.connect(path) as conn:
            return conn.execute(sql, params).fetchall()
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description is not None else []


def _value(value):
    """JSON columns get JSON text (psycopg sends a str untyped, so json and jsonb both take it)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def record_row(rid: str, seq: int, change_id: int, *, site_id: str = "s1", device_id: str = "d1",
               phone_key: str = "k1", author: str = "desk.li", rep: str | None = "wang.li") -> dict:
    """A ``records`` row as today's code stored a walk-in."""
    at = "2026-11-20T10:00:00.000+08:00"
    return {"id": rid, "site_id": site_id, "device_id": device_id, "author": author, "seq": seq, "type": "walkin",
            "rep": rep, "phone_key": phone_key, "household_key": None, "supersedes": None, "name": "张伟",
            "captured_at": at, "estimated_at": at, "uncertainty_ms": 2000, "clock_method": "same_boot",
            "received_at": "2026-11-20T02:05:00.000Z", "digest": f"digest-{rid}",
            "wire": {"id": rid, "seq": seq, "type": "walkin", "captured_at": at, "rep": rep,
                     "customer": {"name": "张伟", "phone": "138 0013 8000"}, "data": {"party_size": 2}},
            "change_id": change_id}


def seed_site(url: str, site_id: str = "s1", change_id: int = 1) -> None:
    """A site with the desk user ``desk.li`` and rep ``wang.li`` (change ids from ``change_id``)
    and the desk's device ``d1`` (``site_id`` s1 only: device ids are unique server-wide)."""
    insert(url, "sites", [{"id": site_id, "name": "星河湾", "validity_days": 30, "household": "split",
                           "region": "CN", "utc_offset_minutes": 480, "close_call_ms": 60000,
                           "change_id": change_id}])
    if site_id == "s1":
        insert(url, "users", [{"username": u, "site_id": site_id, "name": name, "role": role,
                               "password_hash": f"hash-{u}", "change_id": change_id + i + 1}
                              for i, (u, name, role) in enumerate((("desk.li", "李静", "reception"),
                                                                   ("wang.li", "王丽", "rep")))])
        insert(url, "devices", [{"id": "d1", "site_id": site_id, "username": "desk.li", "name": "front desk",
                                 "token_hash": "token-1", "enrolled_at": "2026-11-20T00:00:00.000Z"}])


def set_head(url: str, head: int) -> None:
    query(url, "UPDATE meta SET value = ? WHERE key = 'head'", (str(head),))
