"""QA of issue 9 item 11 on ``serve --workers 2``: each worker counted failed sign-ins alone, so
five wrong passwords spread over two workers locked nothing and the sixth try, with the right
password, got in; the office address was never locked either (60 failures, none refused). The
workers now share the counts (``SharedSignInThrottle``): the username locks at 5, the address
at 50, whichever worker answers."""

from __future__ import annotations

import pytest
import requests

from sync_server.services.throttle import ADDRESS_MAX_FAILURES, MAX_FAILURES, SharedSignInThrottle
from tests.console.conftest import csrf_of
from tests.live_server import PASSWORD, LiveServer
from tests.postgres_server import fresh_database


def test_two_processes_sharing_the_file_count_together(tmp_path):
    now = [1_000_000.0]
    one, two = (SharedSignInThrottle(str(tmp_path / "f.db"), clock=lambda: now[0]) for _ in range(2))
    keys = one.keys("Zhao.Min", "10.0.0.7")
    for i in range(MAX_FAILURES):
        (one if i % 2 else two).failed(keys)
    assert one.retry_after(keys) > 0 and two.retry_after(two.keys("zhao.min", "10.0.0.8")) > 0
    assert two.retry_after(two.keys("qian.mgr", "10.0.0.7")) == 0  # the address is far from its limit
    now[0] += 10 * 60 + 1
    assert one.retry_after(keys) == 0  # aged out of the window
    two.failed(keys)
    one.succeeded(keys)
    assert two.retry_after(two.keys("zhao.min", None)) == 0


def _attempt(base: str, username: str, password: str) -> int:
    """One sign-in on a new connection (so either worker may answer)."""
    session = requests.Session()
    session.headers["Connection"] = "close"
    csrf = csrf_of(session.get(base + "/console/login", timeout=30).text)
    return session.post(base + "/console/login", timeout=30, allow_redirects=False,
                        data={"username": username, "password": password, "csrf_token": csrf}).status_code


@pytest.mark.postgres
def test_the_lockout_holds_across_two_workers_by_username_then_by_address():
    with fresh_database("fieldsync_throttle_workers") as url, LiveServer(
            db_url=url, serve_args=["--workers", "2"],
            env={"FIELDSYNC_CONSOLE_SECRET": "workers-share-this-secret-0123"}) as live:
        live.cli("users", "add", "--site", "s1", "--username", "qian.mgr", "--password", PASSWORD,
                 "--role", "manager", "--name", "钱经理")
        assert [_attempt(live.base_url, "zhao.min", f"typo-{i}") for i in range(MAX_FAILURES)] == [401] * 5
        assert [_attempt(live.base_url, "zhao.min", PASSWORD) for _ in range(4)] == [429] * 4
        assert _attempt(live.base_url, "qian.mgr", PASSWORD) == 303  # another manager, same office address
        spray = [_attempt(live.base_url, f"guess{i}", "x") for i in range(ADDRESS_MAX_FAILURES)]
        assert spray.count(401) == ADDRESS_MAX_FAILURES - MAX_FAILURES and spray[-1] == 429, spray
        assert _attempt(live.base_url, "qian.mgr", PASSWORD) == 429
