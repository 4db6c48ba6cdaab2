"""Passwords are argon2id; hashes written before it (``scrypt$…``) keep working and become
argon2id at the next successful sign-in — by enrolling a tablet or in the manager console —
over HTTP to a real server process on a real SQLite file."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import statistics
import time

import pytest
import requests
from argon2 import PasswordHasher

from sync_server.services.auth import (
    DUMMY_HASH,
    enroll,
    hash_password,
    password_needs_rehash,
    verify_password,
)
from sync_server.storage import open_store
from sync_server.storage.base import Site, User
from tests.live_server import PASSWORD, LiveServer

CURRENT = "$argon2id$v=19$m=19456,t=2,p=1$"


def old_scrypt_hash(password: str) -> str:
    """A hash exactly as the server wrote them before argon2id."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


@pytest.fixture(scope="module")
def server():
    with LiveServer() as live:
        yield live


@pytest.fixture
def store(server):
    """The server's own SQLite file, opened beside the running process."""
    opened = open_store(server.db_url)
    yield opened
    opened.close()


def plant(store, username: str, password_hash: str) -> None:
    store.update_user(username, password_hash=password_hash)
    assert store.get_user(username).password_hash == password_hash


def enrol_over_http(server, username: str, password: str) -> requests.Response:
    return requests.post(server.url("/auth/enroll"), timeout=30,
                         json={"username": username, "password": password, "device_name": "t"})


def console_sign_in(server, username: str, password: str) -> requests.Response:
    session = requests.Session()
    form = session.get(server.base_url + "/console/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return session.post(server.base_url + "/console/login", timeout=30, allow_redirects=False,
                        data={"username": username, "password": password, "csrf_token": csrf,
                              "next": "/console/disputes"})


def test_new_users_get_argon2id_hashes_with_the_current_costs(server, store):
    assert store.get_user("wang.li").password_hash.startswith(CURRENT)  # made by `users add`
    assert hash_password(PASSWORD) != hash_password(PASSWORD)  # a fresh salt each time


def test_old_scrypt_hash_enrols_a_tablet_and_is_then_stored_as_argon2id(server, store):
    plant(store, "wang.li", old_scrypt_hash(PASSWORD))

    assert enrol_over_http(server, "wang.li", PASSWORD).status_code == 200

    stored = store.get_user("wang.li").password_hash
    assert stored.startswith(CURRENT) and not password_needs_rehash(stored)
    assert enrol_over_http(server, "wang.li", PASSWORD).status_code == 200  # the new hash works
    assert store.get_user("wang.li").password_hash == stored  # and is not rewritten at each sign-in


def test_old_scrypt_hash_signs_in_to_the_console_and_is_then_stored_as_argon2id(server, store):
    plant(store, "zhao.min", old_scrypt_hash(PASSWORD))

    assert console_sign_in(server, "zhao.min", PASSWORD).status_code == 303

    assert store.get_user("zhao.min").password_hash.startswith(CURRENT)
    assert console_sign_in(server, "zhao.min", PASSWORD).status_code == 303


def test_wrong_password_against_an_old_hash_is_refused_and_the_old_hash_kept(server, store):
    old = old_scrypt_hash(PASSWORD)
    plant(store, "chen.jie", old)

    assert enrol_over_http(server, "chen.jie", "wrong-password").status_code == 401
    assert console_sign_in(server, "chen.jie", "wrong-password").status_code == 401
    assert store.get_user("chen.jie").password_hash == old


def test_wrong_password_after_the_rehash_is_still_refused(server, store):
    plant(store, "zhang.qiang", old_scrypt_hash(PASSWORD))
    assert enrol_over_http(server, "zhang.qiang", PASSWORD).status_code == 200

    assert enrol_over_http(server, "zhang.qiang", "wrong-password").status_code == 401
    assert enrol_over_http(server, "zhang.qiang", PASSWORD[:-1]).status_code == 401
    assert enrol_over_http(server, "zhang.qiang", PASSWORD + " ").status_code == 401


def test_argon2_hash_with_older_costs_is_rehashed_to_the_current_costs(server, store):
    cheap = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=2).hash(PASSWORD)
    assert verify_password(PASSWORD, cheap) and password_needs_rehash(cheap)
    plant(store, "desk.li", cheap)

    assert enrol_over_http(server, "desk.li", PASSWORD).status_code == 200

    assert store.get_user("desk.li").password_hash.startswith(CURRENT)


@pytest.mark.parametrize("stored", ["", "scrypt$", "scrypt$16384$8$1$bm90$bm90", "scrypt$99999999999$8$1$bm90$bm90",
                                    "$argon2id$v=19$m=19456,t=2,p=1$bm90", "sha256$abc", "plain-text-password"])
def test_malformed_or_unknown_stored_hash_refuses_without_raising(stored):
    assert verify_password(PASSWORD, stored) is False
    assert password_needs_rehash(stored)


def _median_seconds(check, repeat: int = 7) -> float:
    """Median CPU seconds of this process (``time.process_time``), not wall time: the hashes run
    on this thread, and other processes on a shared, loaded machine do not inflate it (wall
    time did: scrypt's ratio read 2.1 while two test runs shared two cores)."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        check()
        times.append(time.process_time() - start)
    return statistics.median(times)


@pytest.mark.parametrize("kind", ["argon2id", "scrypt"])
def test_wrong_password_costs_as_much_as_the_right_one(kind):
    """Timing-safe verify: a wrong password is not refused early (no prefix or length shortcut);
    the whole hash is computed and the digests compared in constant time."""
    stored = hash_password(PASSWORD) if kind == "argon2id" else old_scrypt_hash(PASSWORD)
    right = _median_seconds(lambda: verify_password(PASSWORD, stored))
    wrong_start = _median_seconds(lambda: verify_password("x" + PASSWORD[1:], stored))
    wrong_short = _median_seconds(lambda: verify_password("x", stored))
    for wrong in (wrong_start, wrong_short):
        assert 0.5 < wrong / right < 2, (kind, right, wrong)


def test_unknown_username_costs_as_much_as_a_known_one_with_a_wrong_password(tmp_path):
    """Enrolment checks a hash with the same costs for a name that does not exist, so a
    stopwatch does not tell which usernames are real."""
    store = open_store(f"sqlite:///{tmp_path / 'timing.db'}")
    store.add_site(Site("s1", "星河湾销售中心"))
    store.add_user(User("wang.li", "s1", "王丽", "rep", hash_password(PASSWORD)))
    assert DUMMY_HASH.startswith(CURRENT)

    def attempt(username: str) -> None:
        with pytest.raises(Exception, match="Wrong username or password"):
            enroll(store, username, "wrong-password", "t")

    known = _median_seconds(lambda: attempt("wang.li"))
    unknown = _median_seconds(lambda: attempt("no.such.user"))
    store.close()
    assert 0.5 < unknown / known < 2, (known, unknown)
