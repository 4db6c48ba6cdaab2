"""Sign-in throttling without a browser: the real app through Starlette's TestClient, a real
SQLite file, and a clock the test moves (nobody sleeps ten minutes)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from sync_server.app import create_app
from sync_server.config import Settings
from sync_server.console.routes import auth as auth_routes
from sync_server.services import throttle as throttle_module
from sync_server.services.auth import hash_password
from sync_server.services.throttle import SignInThrottle
from sync_server.storage.base import Site, User

PASSWORD = "secret-pass-1"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(tmp_path, clock):
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'throttle.db'}"))
    store = app.state.store
    store.add_site(Site("s1", "星河湾销售中心"))
    digest = hash_password(PASSWORD)
    for username, name in (("zhao.min", "赵敏"), ("qian.li", "钱力")):
        store.add_user(User(username, "s1", name, "manager", digest))
    with TestClient(app) as client:
        client.get("/console/login")  # makes the console's state; then swap in the test's clock
        app.state.console.throttle = SignInThrottle(clock=clock)
    return app


def _client(app, address: str = "10.0.0.1") -> TestClient:
    return TestClient(app, client=(address, 50000), follow_redirects=False)


def _sign_in(client: TestClient, username: str, password: str):
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/login").text).group(1)
    return client.post("/console/login", data={"username": username, "password": password, "csrf_token": csrf,
                                               "next": "/console/disputes"})


def test_five_wrong_passwords_lock_the_username_for_ten_minutes_without_checking_the_password(app, clock,
                                                                                              monkeypatch):
    client = _client(app)
    for _ in range(5):
        assert _sign_in(client, "zhao.min", "wrong-password").status_code == 401
    checked = []
    monkeypatch.setattr(auth_routes, "verify_password", lambda *a: checked.append(a) or True)

    refused = _sign_in(client, "zhao.min", PASSWORD)
    assert refused.status_code == 429
    assert checked == []  # refused before any password check, even the right one
    assert 'data-testid="login-throttled"' in refused.text
    assert "登录失败次数过多" in refused.text and "10 分钟" in refused.text and "另一位经理" in refused.text
    assert refused.headers["retry-after"] == "600"

    clock.now += 4 * 60 + 30  # five and a half minutes left: the page says 6
    assert "6 分钟" in _sign_in(client, "zhao.min", PASSWORD).text
    monkeypatch.undo()
    clock.now += 5 * 60 + 31  # the first failure is now older than ten minutes
    assert _sign_in(client, "zhao.min", PASSWORD).status_code == 303


def test_one_managers_typos_lock_only_that_username_not_the_office_address(app, clock):
    """Issue 9: two sites' managers behind one office router share an address."""
    office = _client(app, "10.0.0.1")
    for _ in range(5):
        _sign_in(office, "zhao.min", "wrong-password")
    # the username is locked wherever it comes from
    assert _sign_in(_client(app, "10.0.0.2"), "zhao.min", PASSWORD).status_code == 429
    # another manager at the same address signs in
    assert _sign_in(office, "qian.li", PASSWORD).status_code == 303


def test_an_address_guessing_many_usernames_is_locked_at_the_much_higher_address_count(app, clock):
    sprayer = _client(app, "203.0.113.9")
    for i in range(throttle_module.ADDRESS_MAX_FAILURES):
        assert _sign_in(sprayer, f"guess-{i}", "guess").status_code == 401
    assert throttle_module.ADDRESS_MAX_FAILURES >= 10 * throttle_module.MAX_FAILURES
    refused = _sign_in(sprayer, "qian.li", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    # the same manager from another address is not affected
    assert _sign_in(_client(app, "10.0.0.1"), "qian.li", PASSWORD).status_code == 303


def test_a_successful_sign_in_resets_the_count(app, clock):
    client = _client(app)
    for _ in range(4):
        _sign_in(client, "zhao.min", "wrong-password")
    assert _sign_in(client, "zhao.min", PASSWORD).status_code == 303
    for _ in range(4):
        assert _sign_in(client, "zhao.min", "wrong-password").status_code == 401
    assert _sign_in(client, "zhao.min", PASSWORD).status_code == 303


def test_english_page_says_what_to_do(app, clock):
    client = _client(app)
    client.headers["accept-language"] = "en"
    for _ in range(5):
        _sign_in(client, "zhao.min", "wrong-password")
    clock.now += 9 * 60 + 1
    page = _sign_in(client, "zhao.min", PASSWORD).text
    assert "Too many failed sign-ins" in page and "wait 1 minute" in page and "another manager" in page


def test_failures_older_than_the_window_do_not_count():
    clock = FakeClock()
    throttle = SignInThrottle(clock=clock)
    keys = throttle.keys("Zhao.Min ", "10.0.0.1")
    for _ in range(4):
        throttle.failed(keys)
        clock.now += 100
    throttle.failed(keys)  # five failures, the first 400 s ago
    assert throttle.retry_after(keys) == pytest.approx(200)
    clock.now += 200  # the first ages out: four left
    assert throttle.retry_after(keys) == 0
    assert throttle.retry_after(throttle.keys("zhao.min", None)) == 0
    assert throttle_module.minutes(1) == 1 and throttle_module.minutes(61) == 2
