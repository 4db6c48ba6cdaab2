"""Tablet enrolment slows password guessing like the console's sign-in does: after 5 wrong
passwords for a user the API answers 429 with Retry-After, without checking the password."""

from __future__ import annotations

import pytest
import requests

from tests.live_server import LiveServer


@pytest.fixture
def live_server():
    """A server per test: failures also count against the client address (127.0.0.1 here)."""
    with LiveServer() as server:
        yield server


def enrol(live_server, username: str, password: str) -> requests.Response:
    return requests.post(live_server.url("/auth/enroll"),
                         json={"username": username, "password": password, "device_name": "guess"}, timeout=30)


def test_five_wrong_passwords_make_enrolment_answer_429_even_for_the_right_one(live_server):
    for _ in range(5):
        assert enrol(live_server, "chen.jie", "wrong-password").status_code == 401
    refused = enrol(live_server, "chen.jie", "secret-pass-1")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_attempts"
    assert "wait" in refused.json()["error"]["message"] and int(refused.headers["Retry-After"]) > 0


def test_a_right_password_clears_earlier_mistakes(live_server):
    for _ in range(4):
        enrol(live_server, "zhang.qiang", "wrong-password")
    assert enrol(live_server, "zhang.qiang", "secret-pass-1").status_code == 200
    for _ in range(4):
        assert enrol(live_server, "zhang.qiang", "wrong-password").status_code == 401
    assert enrol(live_server, "zhang.qiang", "secret-pass-1").status_code == 200
