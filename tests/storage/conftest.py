"""Every contract test runs once per backend: a real SQLite file and a real PostgreSQL database.

PostgreSQL: one throwaway server per session (``tests/postgres_server.py``); each test gets a
fresh database copied from a migrated template (``CREATE DATABASE … TEMPLATE``), dropped after.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest

from sync_server.storage import Store, open_reporting, open_store
from tests.postgres_server import PostgresServer, shared_server

_names = itertools.count(1)
TEMPLATE = "fieldsync_contract_template"


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    server = shared_server()
    server.drop_database(TEMPLATE)
    url = server.create_database(TEMPLATE)
    open_store(url).close()  # migrate once; every test database is a copy
    return server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> Iterator[str]:
    """The URL of a new, migrated, empty database of the parametrized backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'contract.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"contract_{next(_names)}"
    server._admin(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    with psycopg.connect(server.url(name), autocommit=True) as conn:  # a copy is a new database: new epoch
        conn.execute("UPDATE meta SET value = %s WHERE key = 'epoch'", (uuid.uuid4().hex,))
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def open_db(db_url) -> Iterator[Callable[[], Store]]:
    """Opens stores on the test's database (two of them stand for two server processes)."""
    opened: list[Store] = []

    def open_one() -> Store:
        opened.append(open_store(db_url))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(open_db) -> Store:
    return open_db()


@pytest.fixture
def reporting(store):
    return open_reporting(store)


@pytest.fixture
def legacy_url(request, tmp_path) -> Callable[[], str]:
    """Makes URLs of new, EMPTY databases of the test's backend (``db_url``'s parameter) for
    the upgrade tests to build old schemas in; PostgreSQL ones are dropped afterwards."""
    made: list[str] = []
    backend = request.node.callspec.params["db_url"]

    def new() -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'legacy_{len(made)}.db'}"
        server: PostgresServer = request.getfixturevalue("postgres_server")
        name = f"legacy_{next(_names)}"
        made.append(name)
        return server.create_database(name)

    yield new
    for name in made:
        request.getfixturevalue("postgres_server").drop_database(name)
