"""A real server process per test module (``live_server``), plus enrolled tablets."""

from __future__ import annotations

import pytest

from tests.live_server import LiveServer, enroll


@pytest.fixture(scope="module")
def live_server():
    """One seeded ``fieldsync-server serve`` process shared by the tests of a module."""
    with LiveServer() as server:
        yield server


@pytest.fixture(scope="module")
def tablets(live_server):
    """One enrolled device per seeded user: ``tablets["wang.li"] -> (device_id, token)``."""
    return {user: enroll(live_server.base_url, user, f"{user}-tablet")
            for user in ("zhao.min", "desk.li", "wang.li", "zhang.qiang", "chen.jie")}
