"""Engines, connections and transactions: the part of the store every other module uses.

- ``make_engine(url, pool_size)``: ``sqlite:///path`` (WAL, synchronous=FULL, busy timeout,
  foreign keys; up to ``SQLITE_POOL_SIZE`` connections kept open) or ``postgresql://…`` (psycopg 3; a pool of ``pool_size`` connections,
  default 8). ``postgres://`` and ``postgresql+psycopg://`` are accepted too.
- ``Transactions``: the thread's open ``write()``/``read()`` pins one connection, so every
  store call inside runs in that transaction; a call outside borrows a pooled connection for
  one statement.

Change ids are per site: ``write(site_id)`` reads the site's counter row (``site_heads``;
``FOR UPDATE`` on PostgreSQL, which is the site's lock), hands out ids from memory and writes
the new head back just before COMMIT. Ids are therefore taken in commit order within a site:
once a reader sees head ``H`` of a site committed, every row of that site with ``change_id <=
H`` is committed too, so a pull never skips a change committed later with a smaller id.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import orjson  # the server extra installs it
from sqlalchemy import Connection, Engine, bindparam, create_engine, event, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ..base import iter_chunks
from . import dialects
from .tables import meta, site_heads

__all__ = ["make_engine", "sqlalchemy_url", "Transactions", "loads", "dumps", "CHUNK"]

SQLITE_POOL_SIZE = 64
"""SQLite connections kept open per process (file handles; ``pool_size`` is for PostgreSQL)."""

CHUNK = 500
"""Values per ``IN (…)`` list: SQLite's parameter limit and plan size stay small."""


def loads(text: str | bytes | None) -> Any:
    """JSON text → value (orjson; ``json`` for NaN/Infinity, which it refuses)."""
    if text is None:
        return None
    if not isinstance(text, str | bytes):
        return text  # the driver decoded it already (psycopg, json columns)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def dumps(value: Any) -> str:
    """Value → JSON text (orjson: explanations are large and written on every
    push), non-ASCII kept as is, key order kept (a record's wire object). ``json`` for what
    orjson refuses (an integer beyond 64 bits, a lone surrogate). NaN/Infinity never get here:
    the API refuses them (issue 8 item 4)."""
    try:
        return orjson.dumps(value).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False)


def sqlalchemy_url(url: str) -> str:
    """The SQLAlchemy URL of a fieldsync URL: ``postgresql://`` and ``postgres://`` use psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith(("sqlite:///", "postgresql+psycopg://")):
        return url
    raise ValueError(f"Unsupported database URL {url!r}; use sqlite:///path/to/fieldsync.db or "
                     "postgresql://user:password@host:5432/dbname.")


def make_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """An engine for a fieldsync URL (see the module docstring); ValueError for other schemes."""
    target = make_url(sqlalchemy_url(url))
    if target.get_backend_name() == "sqlite":
        # a connection per concurrent thread stays open (FastAPI's pool runs 40 threads):
        # SQLAlchemy closes an overflow connection when it is returned, and reopening one per
        # call (pragmas, schema read) cost the push ~25% more server CPU than the old store
        engine = create_engine(target, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=dumps, json_deserializer=loads,
                               pool_size=max(pool_size or 0, SQLITE_POOL_SIZE), max_overflow=SQLITE_POOL_SIZE)
        event.listen(engine, "connect", dialects.connect_sqlite)
        event.listen(engine, "begin", dialects.sqlite_begin)
        dialects.render_sqlite_hints(engine)
        return engine
    size = pool_size or 8
    return create_engine(target, pool_size=size, max_overflow=0, pool_pre_ping=True, pool_timeout=60,
                         json_serializer=dumps, json_deserializer=loads)


def make_admin_engine(url: str) -> Engine:
    """An engine without a pool (migrations, ``db current``): one connection, then closed."""
    target = make_url(sqlalchemy_url(url))
    engine = create_engine(target, poolclass=NullPool, json_serializer=dumps, json_deserializer=loads)
    if target.get_backend_name() == "sqlite":
        event.listen(engine, "connect", dialects.connect_sqlite)
        # every migration step is one BEGIN IMMEDIATE transaction (SQLite DDL is transactional)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


class _Tx(threading.local):
    conn: Connection | None = None
    mode: str = ""  # "write" | "read"
    site: str | None = None  # the site of the open write (None: a write that takes no change id)
    head: int | None = None  # the latest change id handed out in this write
    changed: bool = False  # head moved: write it back before COMMIT
    care: dict[str, tuple[set[str], set[str], bool]] | None = None  # site -> customers, cases, all cases (sql/care.py)
    fresh: dict[tuple[str, str], Any] | None = None  # (site, record id) -> StoredRecord inserted in this write (sql/care.py)


class Transactions:
    """Connection and transaction handling of ``SqlStore`` (see the module docstring)."""

    engine: Engine

    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self._tx = _Tx()
        self._compiled: dict[Any, Any] = {}  # statement key -> compiled form (_executemany, _select_in)
        # SQLite has one writer per file; threads of this process queue here rather than
        # spinning on SQLITE_BUSY inside BEGIN IMMEDIATE
        self._sqlite_writer = threading.RLock() if self.dialect == "sqlite" else None

    # -- connections -------------------------------------------------------------------
    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """The connection of the thread's open ``write()``/``read()``, else a pooled one for
        the block (SQLite: autocommit; PostgreSQL: its implicit transaction is rolled back)."""
        if self._tx.conn is not None:
            yield self._tx.conn
            return
        with self.engine.connect() as conn:
            yield conn

    def _all(self, statement, params: Any = None) -> Sequence[Any]:
        with self.connection() as conn:
            return conn.execute(statement, params).all()

    def _exec(self, statement, params: Any = None) -> None:
        """Run a data-changing statement (``params``: a dict, or a list of dicts: executemany)."""
        if isinstance(params, list) and not params:
            return
        self._in_write().execute(statement, params)

    def _executemany(self, statement, rows: list[dict]) -> None:
        """*(in write)* ``statement`` (a module-level Core statement) for every row, in one
        DBAPI ``executemany``. The statement is compiled once per store and the values go to
        the driver as given — JSON already serialised with ``dumps`` — skipping SQLAlchemy's
        per-row parameter processing, which cost the push ~10% of its CPU."""
        if not rows:
            return
        conn = self._in_write()
        found = self._compiled.get(id(statement))
        if found is None:
            compiled = statement.compile(dialect=self.engine.dialect, column_keys=list(rows[0]))
            names = compiled.positiontup or [] if compiled.positional else None
            # a row's values in the statement's order, taken in C (the rows are many: a push's records)
            getter = None if names is None else itemgetter(*names) if len(names) > 1 else (
                lambda row, name=names[0]: (row[name],))
            found = self._compiled[id(statement)] = (compiled.string, getter)
        sql, getter = found
        conn.exec_driver_sql(sql, rows if getter is None else list(map(getter, rows)))

    def _select_in(self, key: str, build: Callable[[list], Any], values: Iterable, **params: Any) -> list[Sequence]:
        """Rows of the query ``build(binds)`` (``binds``: bind parameters to put in an ``IN``
        list; other binds named by ``params``) for ``values`` (deduplicated), in chunks of
        ``CHUNK``. Each chunk size is rounded up to a power of two (padded with NULL, which
        matches nothing) and compiled once per store, then run on the driver: the push reads
        this way without SQLAlchemy's per-call IN-list rendering and type processing (JSON
        columns come back as the driver gives them; ``loads`` takes both)."""
        rows: list[Sequence] = []
        for chunk in iter_chunks(sorted(set(values)), CHUNK):
            size = 1 << (len(chunk) - 1).bit_length()
            compiled = self._compiled.get((key, size))
            if compiled is None:
                compiled = build([bindparam(f"in_{i}") for i in range(size)]).compile(dialect=self.engine.dialect)
                self._compiled[(key, size)] = compiled
            bound = dict(params)
            bound.update((f"in_{i}", chunk[i] if i < len(chunk) else None) for i in range(size))
            driver_params: Any = (tuple(bound[name] for name in compiled.positiontup or [])
                                  if compiled.positional else bound)
            with self.connection() as conn:
                rows += conn.exec_driver_sql(compiled.string, driver_params).all()
        return rows

    def _in_write(self) -> Connection:
        if self._tx.mode != "write":
            raise RuntimeError("this store method must be called inside store.write()")
        assert self._tx.conn is not None
        return self._tx.conn

    # -- transactions ------------------------------------------------------------------
    @contextmanager
    def write(self, site_id: str | None = None) -> Iterator[None]:
        tx = self._tx
        if tx.conn is not None:
            if tx.mode != "write":
                raise RuntimeError("write() inside read(): a read snapshot cannot write")
            if site_id is not None and tx.site not in (None, site_id):
                raise RuntimeError(f"write({site_id!r}) inside write({tx.site!r}): one site per transaction")
            if site_id is not None and tx.site is None:
                self._lock_site(tx.conn, site_id)
            with tx.conn.begin_nested():  # nested: a savepoint inside the outer write
                yield
            return
        lock = self._sqlite_writer
        if lock is not None:
            lock.acquire()
        try:
            with self.engine.connect() as conn:
                tx.conn, tx.mode, tx.site, tx.head, tx.changed, tx.care = conn, "write", None, None, False, None
                tx.fresh = None
                try:
                    dialects.begin_write(conn)
                    try:
                        if site_id is not None:
                            self._lock_site(conn, site_id)
                        yield
                        self._before_commit()
                        if tx.changed:
                            conn.execute(update(site_heads).where(site_heads.c.site_id == tx.site)
                                         .values(head=tx.head))
                    except BaseException:
                        conn.rollback()
                        raise
                    conn.commit()
                finally:
                    tx.conn, tx.mode, tx.site, tx.head, tx.changed, tx.care = None, "", None, None, False, None
                    tx.fresh = None
        finally:
            if lock is not None:
                lock.release()

    def _mark_care(self, site_id: str, phones: Iterable[str] = (), cases: Iterable[str] = (),
                   all_cases: bool = False) -> None:
        """*(in write)* Note customers (phone keys) and complaint cases whose care rows this
        write changes; ``_before_commit`` computes them again (``sql/care.py``)."""
        self._in_write()
        marked = self._tx.care if self._tx.care is not None else {}
        self._tx.care = marked
        mine = marked.setdefault(site_id, (set(), set(), False))
        mine[0].update(phones)
        mine[1].update(cases)
        if all_cases and not mine[2]:
            marked[site_id] = (mine[0], mine[1], True)

    def _before_commit(self) -> None:
        """*(in write, before COMMIT)* Bring derived rows up to date (``sql/care.py`` overrides)."""
        self._tx.care = None

    def _lock_site(self, conn: Connection, site_id: str) -> None:
        """Take the site's lock (PostgreSQL: its counter row FOR UPDATE; SQLite: the writer
        lock is held already) and read its head; a site without a counter row yet (being
        added) starts at 0."""
        row = conn.execute(select(site_heads.c.head).where(site_heads.c.site_id == site_id)
                           .with_for_update()).first()
        self._tx.site, self._tx.head, self._tx.changed = site_id, (row[0] if row else None), False

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        tx = self._tx
        if tx.conn is None or tx.mode != "write":
            raise RuntimeError("savepoint() outside write()")
        # the head is written back at COMMIT from memory: ids handed out in a rolled-back
        # block stay used (a gap), which the contract allows
        with tx.conn.begin_nested():
            yield

    @contextmanager
    def read(self) -> Iterator[None]:
        tx = self._tx
        if tx.conn is not None:
            yield
            return
        with self.engine.connect() as conn:
            tx.conn, tx.mode = conn, "read"
            try:
                dialects.begin_read(conn)
                yield
                conn.rollback()
            finally:
                tx.conn, tx.mode = None, ""

    def close(self) -> None:
        self.engine.dispose()

    # -- lifecycle and change ids --------------------------------------------------------
    def ping(self) -> bool:
        return list(self._all(select(1))) == [(1,)]

    def epoch(self) -> str:
        return self._all(select(meta.c.value).where(meta.c.key == "epoch"))[0][0]

    def head(self, site_id: str) -> int:
        tx = self._tx
        if tx.mode == "write" and tx.site == site_id and tx.head is not None:
            return tx.head
        rows = self._all(select(site_heads.c.head).where(site_heads.c.site_id == site_id))
        return int(rows[0][0]) if rows else 0

    def next_change_id(self) -> int:
        return self.next_change_ids(1)[0]

    def next_change_ids(self, count: int) -> list[int]:
        tx = self._tx
        if tx.mode != "write" or tx.site is None:
            raise RuntimeError("next_change_id() must be called inside store.write(site_id)")
        if count <= 0:
            return []
        if tx.head is None:  # the site's first change: its counter row is made now
            self._in_write().execute(site_heads.insert().values(site_id=tx.site, head=0))
            tx.head = 0
        first = tx.head + 1
        tx.head += count
        tx.changed = True
        return list(range(first, tx.head + 1))
