"""QA of issue 12 N3, on SQLite and PostgreSQL: a password a manager typed (or pasted from a
chat) could be only spaces, tabs, zero-width spaces or control characters (NUL, ``\\x01``); the
person was then locked out, and the enrolment's error blamed "a lone UTF-16 surrogate" in
English inside Chinese. Every place a password is set refuses them, in the user's language:
the console (add person, reset), the command line (``users add``, ``users passwd``), the
tablet's first sign-in / change of password (API ``new_password``)."""

from __future__ import annotations

import re

import pytest
import requests

from mobile.i18n import tr
from mobile.messages import sign_in_failure_text
from mobile.store import LocalStore
from mobile.sync import RequestRejected, SyncClient
from tests.console.conftest import csrf_of, requests_session
from tests.live_server import PASSWORD, LiveServer
from tests.postgres_server import fresh_database

BAD = {  # what a paste from a chat or a document gives
    "ten_nuls": ("\x00" * 10, "password_control"),
    "ten_spaces": (" " * 10, "blank_password"),
    "ten_tabs": ("\t" * 10, "password_control"),
    "ten_zero_width_spaces": ("\u200b" * 10, "blank_password"),
    "ctrl_a_then_letters": ("\x01abcdefgh", "password_control"),
    "ideographic_spaces": ("\u3000" * 10, "blank_password"),
    # the QA's re-check (D): characters that draw nothing but are not white space
    "zero_width_joiners": ("\u200d" * 10, "blank_password"),
    "blank_braille": ("\u2800" * 10, "blank_password"),
    "hangul_fillers": ("\u3164" * 10, "blank_password"),
    "variation_selectors": ("\ufe0f" * 10, "blank_password"),
    "line_separator_then_letters": ("\u2028abcdefgh", "password_control"),
}
ZH = {"password_control": "含有控制字符", "blank_password": "不能只有空格或不可见字符"}
EN = {"password_control": "control characters", "blank_password": "only spaces or invisible characters"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request):
    env = {"FIELDSYNC_CONSOLE_SECRET": "console-test-secret-0123456789"}
    if request.param == "sqlite":
        with LiveServer(env=env) as live:
            yield live
        return
    with fresh_database("srv_password_rules") as url, LiveServer(env=env, db_url=url) as live:
        yield live


def _post(session: requests.Session, server, path: str, **data: str) -> requests.Response:
    csrf = csrf_of(session.get(server.base_url + "/console/people", timeout=30).text)
    return session.post(server.base_url + path, data={"csrf_token": csrf, **data}, timeout=30)


@pytest.mark.parametrize("case", sorted(BAD))
def test_n3_the_console_refuses_a_reset_or_new_persons_password_nobody_could_type(server, case):
    password, code = BAD[case]
    manager = requests_session(server)
    reset = _post(manager, server, "/console/people/chen.jie/reset", password=password)
    assert reset.status_code == 422 and ZH[code] in reset.text, reset.text[:300]
    added = _post(manager, server, "/console/people", username=f"pw.{case[:20]}", name="新人", role="rep",
                  password=password)
    assert added.status_code == 422 and ZH[code] in added.text
    assert f"pw.{case[:20]}" not in server.cli("users", "list", "--site", "s1").stdout
    assert requests.post(server.url("/auth/enroll"), timeout=30, json={  # chen.jie's password was not reset
        "username": "chen.jie", "password": PASSWORD, "device_name": f"t-{case}"}).status_code == 200


@pytest.mark.parametrize("case", sorted(BAD))
def test_n3_the_command_line_refuses_them_too(server, case):
    password, code = BAD[case]
    passwd = server.cli("users", "passwd", "chen.jie", "--password", password, check=False) \
        if "\x00" not in password else None  # a NUL cannot be an argument of a process at all
    if passwd is not None:
        assert passwd.returncode == 1 and EN[code] in passwd.stderr
    if "\x00" not in password:
        added = server.cli("users", "add", "--site", "s1", "--username", "cli.pw", "--password", password,
                           "--role", "rep", "--name", "新人", check=False)
        assert added.returncode == 1 and EN[code] in added.stderr


@pytest.mark.parametrize("case", sorted(BAD))
def test_n3_a_new_password_chosen_at_the_tablets_sign_in_is_refused_in_the_users_language(server, case, tmp_path):
    password, code = BAD[case]
    server.cli("users", "passwd", "zhang.qiang", "--password", "temporary-pw", "--must-change")
    store = LocalStore(tmp_path / "fieldsync.db")
    try:
        with pytest.raises(RequestRejected) as refused:
            SyncClient(store).enroll(server.base_url, "zhang.qiang", "temporary-pw", "t", new_password=password)
        assert refused.value.code == code and refused.value.field == "new_password"
        assert sign_in_failure_text(refused.value, "zh") == tr(f"signin.{code}", "zh")
        assert sign_in_failure_text(refused.value, "en") == tr(f"signin.{code}", "en")
    finally:
        store.close()
    answer = requests.post(server.url("/auth/enroll"), timeout=30, headers={"Accept-Language": "zh"}, json={
        "username": "zhang.qiang", "password": "temporary-pw", "device_name": "t", "new_password": password})
    assert answer.status_code == 422 and ZH[code] in answer.json()["error"]["message"]


def test_n3_signing_in_with_a_nul_password_says_control_characters_not_a_surrogate(server):
    answer = requests.post(server.url("/auth/enroll"), timeout=30, headers={"Accept-Language": "zh"}, json={
        "username": "wang.li", "password": "\x00" * 10, "device_name": "t"})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert "控制字符" in error["message"] and "surrogate" not in error["message"]
    assert not re.search(r"Value error|[A-Za-z]{4,}", error["message"].replace("/docs", "")
                         .replace("password", "").replace("NUL", "")), error["message"]
    assert "control characters" in error["messages"]["en"] and "surrogate" not in error["messages"]["en"]
