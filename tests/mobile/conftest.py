"""Fixtures for the tablet tests: a real server process that can go down and come back."""

from __future__ import annotations

import pytest

from mobile.store import LocalStore
from mobile.sync import RequestsTransport, Response, SyncClient
from tests.live_server import LiveServer


class CountingTransport(RequestsTransport):
    """The real transport, counting how often each record id was pushed."""

    def __init__(self) -> None:
        super().__init__()
        self.pushed: dict[str, int] = {}
        self.calls: list[tuple[str, str, int]] = []

    def request(self, method, url, **kwargs) -> Response:
        try:
            answer = super().request(method, url, **kwargs)
        except Exception:
            self.calls.append((method, url, 0))
            raise
        self.calls.append((method, url, answer.status))
        if url.endswith("/sync/push") and answer.status == 200:
            for record in (kwargs.get("json") or {}).get("records", []):
                self.pushed[record["id"]] = self.pushed.get(record["id"], 0) + 1
        return answer


@pytest.fixture
def server():
    with LiveServer() as live:
        yield live


@pytest.fixture
def tablet(tmp_path, server):
    """A desk tablet enrolled on the live server: (store, client, transport)."""
    store = LocalStore(tmp_path / "desk" / "fieldsync.db")
    transport = CountingTransport()
    client = SyncClient(store, transport, batch_size=20)
    client.enroll(server.base_url, "desk.li", "secret-pass-1", "desk-1")
    client.sync()
    yield store, client, transport
    store.close()
