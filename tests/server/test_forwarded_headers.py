"""Issue 8, item 9: forwarded headers are believed only from configured proxies.

A real ``fieldsync-server serve`` (uvicorn) on 127.0.0.1: the bypass came from uvicorn
rewriting the client address from ``X-Forwarded-For`` for requests through 127.0.0.1. The
throttle is per process, so these tests take a server of their own each (SQLite: the store does
not matter here)."""

from __future__ import annotations

import random
import re

import pytest
import requests

from sync_server.services.client_address import TrustedProxies, client_address
from sync_server.services.throttle import ADDRESS_MAX_FAILURES, MAX_FAILURES
from tests.live_server import PASSWORD, LiveServer


def _random_address() -> str:
    return ".".join(str(random.randint(1, 254)) for _ in range(4))


def _enrol(server: LiveServer, username: str, password: str, headers: dict[str, str]) -> requests.Response:
    return requests.post(server.url("/auth/enroll"), headers=headers, timeout=30,
                         json={"username": username, "password": password, "device_name": "guess"})


def _console_sign_in(server: LiveServer, username: str, password: str, headers: dict[str, str]) -> requests.Response:
    session = requests.Session()
    page = session.get(server.base_url + "/console/login", headers=headers, timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return session.post(server.base_url + "/console/login", headers=headers, allow_redirects=False, timeout=30,
                        data={"username": username, "password": password, "csrf_token": csrf, "next": ""})


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded"])
def test_issue8_twelve_wrong_enrolments_with_a_random_forwarded_address_each_get_429(header):
    """The issue's input: one username guessed 12 times, a random forwarded address each time."""
    with LiveServer() as server:
        answers = []
        for _ in range(12):
            value = _random_address() if header == "X-Forwarded-For" else f"for={_random_address()}"
            answers.append(_enrol(server, "wang.li", "wrong-password", {header: value}).status_code)
        assert answers[:MAX_FAILURES] == [401] * MAX_FAILURES and set(answers[MAX_FAILURES:]) == {429}, answers


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded"])
def test_a_username_spray_with_random_forwarded_addresses_is_counted_on_the_peer_address(header):
    """Many usernames from one peer: the address count (kept high for shared office routers, issue 9)
    still locks it, because a forged forwarded address does not make a new client."""
    with LiveServer() as server:
        answers = []
        for attempt in range(ADDRESS_MAX_FAILURES + 2):
            value = _random_address() if header == "X-Forwarded-For" else f"for={_random_address()}"
            answers.append(_enrol(server, f"nobody-{attempt}", "wrong-password", {header: value}).status_code)
        assert answers[:ADDRESS_MAX_FAILURES] == [401] * ADDRESS_MAX_FAILURES, answers
        assert set(answers[ADDRESS_MAX_FAILURES:]) == {429}, answers


def test_issue8_twelve_wrong_console_passwords_with_a_random_x_forwarded_for_each_get_429():
    with LiveServer() as server:
        answers = [_console_sign_in(server, "zhao.min", "wrong-password",
                                    {"X-Forwarded-For": _random_address()}).status_code for _ in range(12)]
        assert answers[:MAX_FAILURES] == [401] * MAX_FAILURES and set(answers[MAX_FAILURES:]) == {429}, answers


def test_behind_a_configured_proxy_each_forwarded_client_is_counted_apart():
    with LiveServer(env={"FIELDSYNC_TRUSTED_PROXIES": "127.0.0.1"}) as server:
        for attempt in range(ADDRESS_MAX_FAILURES):
            assert _enrol(server, f"nobody-{attempt}", "wrong", {"X-Forwarded-For": "203.0.113.9"}).status_code == 401
        assert _enrol(server, "nobody-x", "wrong", {"X-Forwarded-For": "203.0.113.9"}).status_code == 429
        # another office behind the same proxy is not locked out by the guesser
        assert _enrol(server, "wang.li", PASSWORD, {"X-Forwarded-For": "198.51.100.7"}).status_code == 200


TRUSTED = TrustedProxies.parse("10.0.0.1, 192.168.0.0/16, ::1")


@pytest.mark.parametrize(("peer", "headers", "expected"), [
    ("203.0.113.9", {"x-forwarded-for": "1.2.3.4"}, "203.0.113.9"),             # not a proxy: headers ignored
    ("10.0.0.1", {"x-forwarded-for": "1.2.3.4"}, "1.2.3.4"),
    ("10.0.0.1", {"x-forwarded-for": "6.6.6.6, 1.2.3.4, 192.168.1.2"}, "1.2.3.4"),  # spoofed left part skipped
    ("10.0.0.1", {"forwarded": 'for=6.6.6.6, for="[2001:db8::7]:4711";proto=https'}, "2001:db8::7"),
    ("10.0.0.1", {"forwarded": "for=unknown"}, "10.0.0.1"),
    ("10.0.0.1", {}, "10.0.0.1"),
    ("::1", {"x-forwarded-for": "1.2.3.4:5555"}, "1.2.3.4"),
])
def test_the_client_is_the_rightmost_address_not_a_trusted_proxy(peer, headers, expected):
    assert client_address(peer, headers, TRUSTED) == expected


def test_by_default_no_proxy_is_trusted():
    assert client_address("127.0.0.1", {"x-forwarded-for": "1.2.3.4"}, TrustedProxies.parse("")) == "127.0.0.1"


def test_a_mistyped_proxy_setting_names_the_entry():
    with pytest.raises(ValueError, match="not-an-ip"):
        TrustedProxies.parse("10.0.0.1, not-an-ip")
