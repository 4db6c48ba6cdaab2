"""The places where SQLite and PostgreSQL really differ, each small and named.

- ``insert``: the dialect's INSERT with ``ON CONFLICT`` (both spell it alike in SQLAlchemy);
- ``begin_write``: how a write transaction starts and what it locks — SQLite ``BEGIN
  IMMEDIATE`` (one writer per database, the file's lock); PostgreSQL ``BEGIN`` then the site's
  counter row ``FOR UPDATE`` (one writer per site);
- ``begin_read``: a read snapshot — SQLite ``BEGIN`` (WAL gives it a snapshot at the first
  read); PostgreSQL REPEATABLE READ, READ ONLY;
- ``connect_sqlite``: the pragmas every SQLite connection gets (WAL, synchronous=FULL,
  busy timeout, foreign keys);
- ``linked_keys_hint``: SQLite needs ``INDEXED BY`` to search ``customer_links`` by
  ``linked_key`` (its planner otherwise scans every link of the site);
  ``SQLiteHintCompiler`` renders it (SQLAlchemy's SQLite compiler drops table hints).
"""

from __future__ import annotations

from sqlalchemy import TIMESTAMP, ColumnElement, Connection, Engine, Select, case, cast, func, null
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

__all__ = ["insert", "instant", "begin_write", "begin_read", "connect_sqlite", "linked_keys_hint", "BEGIN_KEY",
           "SQLiteHintCompiler", "render_sqlite_hints"]

BEGIN_KEY = "fieldsync_begin"
"""``Connection.info`` key: the statement the next transaction of a SQLite connection starts with."""


def insert(dialect_name: str, table):
    """``INSERT`` that takes ``.on_conflict_do_nothing()`` / ``.on_conflict_do_update()``."""
    return (postgresql.insert if dialect_name == "postgresql" else sqlite.insert)(table)


_ISO_INSTANT = r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$"
"""The texts ``instant`` reads on PostgreSQL (what SQLite's ``julianday`` reads with an offset)."""


def instant(dialect_name: str, text: ColumnElement) -> ColumnElement:
    """The instant an ISO 8601 text with an offset (``2026-11-23T10:00:00.000+08:00``, ``…Z``)
    names, as each database compares instants: SQLite's ``julianday`` (fractional days, the
    offset applied), PostgreSQL's ``timestamptz``; NULL for a text of another shape (never an
    error: a filter on it keeps NULL rows for Python to judge). Compare it with ``instant`` of a
    literal text and keep the exact comparison in Python where a boundary matters (a double's
    day fraction)."""
    if dialect_name == "postgresql":
        return case((text.op("~")(_ISO_INSTANT), cast(text, TIMESTAMP(timezone=True))), else_=null())
    return func.julianday(text)


def begin_write(conn: Connection) -> None:
    """Start ``conn``'s write transaction (SQLite: ``BEGIN IMMEDIATE``, taking the writer lock
    now rather than at the first write, so two writers never deadlock upgrading a read lock)."""
    if conn.dialect.name == "sqlite":
        conn.info[BEGIN_KEY] = "BEGIN IMMEDIATE"
    conn.begin()


def begin_read(conn: Connection) -> None:
    """Start ``conn``'s read snapshot."""
    if conn.dialect.name == "sqlite":
        conn.info[BEGIN_KEY] = "BEGIN"
        conn.begin()
        return
    conn.begin()
    conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def connect_sqlite(dbapi_connection, _record) -> None:
    """Pragmas of every SQLite connection. ``isolation_level = None``: the driver never opens
    a transaction by itself; ``sqlite_begin`` emits the ``BEGIN`` a transaction asks for."""
    dbapi_connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000", "foreign_keys=ON"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def sqlite_begin(conn: Connection) -> None:
    """SQLAlchemy ``begin`` event on SQLite: emit the BEGIN ``begin_write``/``begin_read`` chose;
    a connection used outside them stays in autocommit (one statement, one implicit transaction)."""
    statement = conn.info.pop(BEGIN_KEY, None)
    if statement:
        conn.exec_driver_sql(statement)


def linked_keys_hint(query: Select, table) -> Select:
    """``query`` reading ``table`` (customer_links) by ``linked_key``, with SQLite's index hint."""
    return query.with_hint(table, "INDEXED BY customer_links_linked", dialect_name="sqlite")


class SQLiteHintCompiler(SQLiteCompiler):
    """SQLite's compiler, rendering ``with_hint(table, "INDEXED BY …", dialect_name="sqlite")``
    after the table's name. SQLAlchemy's own SQLite compiler drops table hints silently, so
    ``linked_keys_hint`` did nothing: ``linked_component`` scanned every link of the site once
    per step of the household walk (EXPLAIN QUERY PLAN: ``SEARCH customer_links USING COVERING
    INDEX sqlite_autoindex_customer_links_1 (site_id=?)``), and each push got slower as the
    site grew — part of issue 10's regression against the old store, which wrote ``INDEXED BY``
    in its SQL."""

    def get_from_hint_text(self, table, text):
        return text


def render_sqlite_hints(engine: Engine) -> None:
    """Make ``engine`` (SQLite) compile with ``SQLiteHintCompiler``."""
    engine.dialect.statement_compiler = SQLiteHintCompiler
