"""A real server process per test module (``live_server``), plus enrolled tablets.

Every module's tests run twice: on the embedded SQLite store and on a real PostgreSQL (the
protocol must hold on both backends; ``tests/postgres_server.py`` starts the database)."""

from __future__ import annotations

import re

import pytest

from tests.live_server import LiveServer, enroll
from tests.postgres_server import fresh_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_server(request):
    """One seeded ``fieldsync-server serve`` process shared by the tests of a module."""
    if request.param == "sqlite":
        with LiveServer() as server:
            yield server
        return
    with fresh_database("srv_" + re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])) as url, \
            LiveServer(db_url=url) as server:
        yield server


@pytest.fixture(scope="module")
def tablets(live_server):
    """One enrolled device per seeded user: ``tablets["wang.li"] -> (device_id, token)``."""
    return {user: enroll(live_server.base_url, user, f"{user}-tablet")
            for user in ("zhao.min", "desk.li", "wang.li", "zhang.qiang", "chen.jie")}
