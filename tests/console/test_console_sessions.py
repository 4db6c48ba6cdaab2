"""Console sessions on the server (issue 9, item 11): sign-out ends the session for every copy
of the cookie and on every worker; every console page says ``Cache-Control: no-store``;
several workers refuse to start without a shared secret. Real server processes throughout."""

from __future__ import annotations

import subprocess

import pytest
import requests

from tests.console.conftest import csrf_of, requests_session
from tests.live_server import ROOT, LiveServer, _command
from tests.postgres_server import fresh_database


def _copy_of(session: requests.Session) -> requests.Session:
    """Another client holding the same cookie: what a stolen or copied cookie gives."""
    thief = requests.Session()
    for cookie in session.cookies:
        thief.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def _sign_out(server, session: requests.Session) -> requests.Response:
    csrf = csrf_of(session.get(server.base_url + "/console/disputes", timeout=30).text)
    return session.post(server.base_url + "/console/logout", data={"csrf_token": csrf}, timeout=30,
                        allow_redirects=False)


def test_a_copied_cookie_stops_working_once_its_owner_signs_out(server):
    manager = requests_session(server)
    thief = _copy_of(manager)
    assert thief.get(server.base_url + "/console/confirm", timeout=30, allow_redirects=False).status_code == 200
    signed_out = _sign_out(server, manager)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/console/login"
    assert "您已退出登录" in manager.get(server.base_url + "/console/login", timeout=30).text
    for path in ("/console/confirm", "/console/customers", "/console/disputes"):
        response = thief.get(server.base_url + path, timeout=30, allow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/console/login")


def test_every_signed_in_page_and_redirect_says_no_store(server, day):
    session = requests_session(server)
    for path in ("/console/disputes", "/console/confirm", "/console/customers?q=张", "/console/numbers",
                 "/console/devices", "/console/exports", "/console/login"):
        response = session.get(server.base_url + path, timeout=30, allow_redirects=False)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
    assert _sign_out(server, session).headers["cache-control"] == "no-store"
    static = requests.get(server.base_url + "/console/static/console.css", timeout=30)
    assert "no-store" not in static.headers.get("cache-control", "")


def test_several_workers_refuse_to_start_without_a_console_secret(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([*_command(), "serve", "--db", f"sqlite:///{tmp_path / 'w.db'}", "--workers", "2",
                             "--port", "1"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "FIELDSYNC_CONSOLE_SECRET" in result.stderr and "--workers" in result.stderr


@pytest.mark.postgres
def test_sign_in_and_sign_out_hold_across_three_workers():
    with fresh_database("fieldsync_console_workers") as url, LiveServer(
            db_url=url, serve_args=["--workers", "3"],
            env={"FIELDSYNC_CONSOLE_SECRET": "workers-share-this-secret-0123"}) as live:
        manager = requests_session(live)
        thief = _copy_of(manager)
        # many requests, so several workers answer: every one knows the session
        for _ in range(12):
            assert manager.get(live.base_url + "/console/disputes", timeout=30,
                               allow_redirects=False).status_code == 200
        assert _sign_out(live, manager).status_code == 303
        for _ in range(12):
            assert thief.get(live.base_url + "/console/disputes", timeout=30,
                             allow_redirects=False).status_code == 303


def test_a_form_posted_after_the_session_ended_signs_in_back_to_its_page_never_elsewhere(server):
    """Issue 9 QA: a decision posted after sign-out in another tab landed on the console home;
    the sign-in now leads back to the page the form was on (from Referer, this console only)."""
    manager = requests_session(server)
    tab = _copy_of(manager)
    _sign_out(server, manager)
    page = server.base_url + "/console/disputes/some-dispute?x=1"
    answer = tab.post(server.base_url + "/console/disputes/some-dispute/decision", timeout=30,
                      allow_redirects=False, data={"reason": "客户坚持"}, headers={"Referer": page})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?next=/console/disputes/some-dispute%3Fx%3D1&unsaved=1"
    assert "刚才提交的内容未保存" in tab.get(server.base_url + answer.headers["location"], timeout=30).text
    for referer in ("https://evil.example/console/disputes", server.base_url + "/console/login?next=/x", ""):
        answer = tab.post(server.base_url + "/console/confirm", timeout=30, allow_redirects=False,
                          data={"all": "1"}, headers={"Referer": referer})
        assert answer.headers["location"] == "/console/login?next=/console/&unsaved=1"
