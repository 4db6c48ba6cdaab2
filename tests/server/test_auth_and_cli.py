"""Enrolment, tokens, device revocation, health and the management commands."""

from __future__ import annotations

import pytest
import requests

from tests.live_server import PASSWORD, enroll


def test_enroll_returns_device_token_and_user(live_server):
    body = requests.post(live_server.url("/auth/enroll"), json={
        "username": "wang.li", "password": PASSWORD, "device_name": "王丽的平板"}).json()
    assert body["device_id"] and len(body["token"]) >= 40
    assert body["user"] == {"username": "wang.li", "name": "王丽", "role": "rep", "site_id": "s1"}


def test_enroll_with_wrong_password_is_401_with_error_body(live_server):
    response = requests.post(live_server.url("/auth/enroll"), json={
        "username": "wang.li", "password": "wrong-password", "device_name": "t"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_credentials"


def test_enroll_with_unknown_user_is_401(live_server):
    response = requests.post(live_server.url("/auth/enroll"), json={
        "username": "nobody", "password": PASSWORD, "device_name": "t"})
    assert response.status_code == 401


def test_healthz_answers_ok_when_store_answers(live_server):
    response = requests.get(live_server.url("/healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_unknown_path_is_404_in_the_one_error_shape(live_server):
    response = requests.get(live_server.url("/nothing-here"))
    assert response.status_code == 404
    assert set(response.json()["error"]) >= {"code", "message"}


def test_manager_revokes_device_and_its_token_then_gets_403(live_server):
    device_id, token = enroll(live_server.base_url, "chen.jie", "lost tablet")
    _, manager = enroll(live_server.base_url, "zhao.min", "desk")
    ok = requests.get(live_server.url("/sync/pull"), headers=live_server.auth(token))
    assert ok.status_code == 200
    gone = requests.delete(live_server.url(f"/devices/{device_id}"), headers=live_server.auth(manager))
    assert gone.status_code == 204
    denied = requests.get(live_server.url("/sync/pull"), headers=live_server.auth(token))
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "device_revoked"


def test_rep_may_not_revoke_devices_403(live_server):
    device_id, _ = enroll(live_server.base_url, "chen.jie", "t")
    _, rep = enroll(live_server.base_url, "wang.li", "t")
    response = requests.delete(live_server.url(f"/devices/{device_id}"), headers=live_server.auth(rep))
    assert response.status_code == 403 and response.json()["error"]["code"] == "manager_only"


def test_revoking_unknown_device_is_404(live_server):
    _, manager = enroll(live_server.base_url, "zhao.min", "desk")
    response = requests.delete(live_server.url("/devices/no-such-device"), headers=live_server.auth(manager))
    assert response.status_code == 404


def test_cli_refuses_unknown_site_duplicate_user_weak_password_and_bad_role(live_server):
    cases = [
        (["users", "add", "--site", "nope", "--username", "a.b", "--password", "long-enough", "--role", "rep",
          "--name", "A"], "does not exist"),
        (["users", "add", "--site", "s1", "--username", "wang.li", "--password", "long-enough", "--role", "rep",
          "--name", "A"], "already exists"),
        (["users", "add", "--site", "s1", "--username", "new.one", "--password", "short", "--role", "rep",
          "--name", "A"], "too weak"),
        (["users", "add", "--site", "s1", "--username", "new.two", "--password", "long-enough", "--role", "boss",
          "--name", "A"], "not known"),
        (["sites", "add", "--id", "s1", "--name", "again"], "already exists"),
        (["users", "add", "--site", "s1", "--username", "new.three", "--password", "long-enough", "--role", "rep",
          "--name", "A", "--listed-from", "2026-02-30"], "is not a day (YYYY-MM-DD) or a time"),
        # and in Chinese, as the command's other refusals (QA re-check of issue 12, F)
        (["users", "add", "--site", "s1", "--username", "new.five", "--password", "long-enough", "--role", "rep",
          "--name", "A", "--listed-from", "2026-02-30"], "不是日期（YYYY-MM-DD）或带时区的时间"),
        (["users", "add", "--site", "s1", "--username", "new.four", "--password", "long-enough", "--role", "rep",
          "--name", "A", "--listed-from", "2026-12-01T09:00:00"], "with its offset"),
    ]
    for args, words in cases:
        result = live_server.cli(*args, check=False)
        assert result.returncode != 0, args
        assert words in result.stderr, (args, result.stderr)


def test_cli_lists_sites_users_and_devices(live_server):
    assert "星河湾销售中心" in live_server.cli("sites", "list").stdout
    users = live_server.cli("users", "list", "--site", "s1").stdout
    assert "wang.li" in users and "manager" in users
    enroll(live_server.base_url, "desk.li", "前台平板")
    assert "前台平板" in live_server.cli("devices", "list").stdout


def test_deactivated_user_cannot_enroll_or_call(live_server):
    live_server.cli("users", "add", "--site", "s1", "--username", "leaving.rep", "--password", PASSWORD,
                    "--role", "rep", "--name", "离职")
    _, token = enroll(live_server.base_url, "leaving.rep", "t")
    live_server.cli("users", "deactivate", "leaving.rep")
    assert requests.get(live_server.url("/sync/pull"), headers=live_server.auth(token)).status_code == 403
    response = requests.post(live_server.url("/auth/enroll"), json={
        "username": "leaving.rep", "password": PASSWORD, "device_name": "t"})
    assert response.status_code == 403


def test_cli_passwd_changes_the_password(live_server):
    live_server.cli("users", "add", "--site", "s1", "--username", "pw.rep", "--password", PASSWORD,
                    "--role", "rep", "--name", "改密")
    live_server.cli("users", "passwd", "pw.rep", "--password", "another-pass-2")
    enroll(live_server.base_url, "pw.rep", "t", password="another-pass-2")
    assert live_server.cli("users", "passwd", "pw.rep", "--password", "short", check=False).returncode != 0


def test_cli_db_current_and_upgrade_name_the_alembic_revision(tmp_path):
    """Issue 10: ``db upgrade`` / ``db current`` (``--db`` after the subcommand too)."""
    import subprocess
    import sys

    from sync_server.storage.migrations import head_revision

    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def cli(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "sync_server", *args], capture_output=True, text=True,
                              check=True, timeout=120).stdout

    assert "none (not under Alembic yet)" in cli("db", "current", "--db", url)
    upgraded = cli("db", "upgrade", "--db", url)
    assert "upgraded through 0001_baseline, 0002_site_heads, 0003_site_keys" in upgraded and head_revision() in upgraded
    assert "already at the newest revision" in cli("--db", url, "db", "upgrade")
    assert f"current revision: {head_revision()}" in cli("db", "current", "--db", url)


def test_db_commands_and_serve_say_in_one_line_when_the_database_is_newer_or_not_a_database(tmp_path):
    """Issue 10 QA: a database a newer release upgraded, or a file that is not a database,
    stops ``db current``, ``db upgrade`` and ``serve`` with what to do, exit 1, no traceback."""
    import sqlite3
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "sync_server", *args], capture_output=True, text=True,
                              timeout=120)

    newer = tmp_path / "newer.db"
    assert cli("db", "upgrade", "--db", f"sqlite:///{newer}").returncode == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    for args in (("db", "current"), ("db", "upgrade"), ("serve", "--port", "1")):
        result = cli(*args, "--db", f"sqlite:///{newer}")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-500:]
        assert "0099_future" in result.stderr and "newer release" in result.stderr
    junk = tmp_path / "junk.db"
    junk.write_text("hello\n" * 200)
    for args in (("db", "current"), ("db", "upgrade"), ("serve", "--port", "1")):
        result = cli(*args, "--db", f"sqlite:///{junk}")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-500:]
        assert "not a database fieldsync can use" in result.stderr


def test_a_region_phone_numbers_cannot_be_read_for_and_a_username_differing_only_in_capitals_are_refused(tmp_path):
    """Issue 10 QA: ``--region XX`` was accepted (then every national number was refused), and
    ``WL4`` / ``wl4`` became two users although sign-in throttles count names case-insensitively."""
    from sync_server.services import admin
    from sync_server.storage import open_store
    from sync_server.storage.base import Site

    store = open_store(f"sqlite:///{tmp_path / 'admin.db'}")
    try:
        with pytest.raises(admin.AdminError, match="'XX' is not a country"):
            admin.add_site(store, Site("s9", "九号", region="XX"))
        admin.add_site(store, Site("s1", "一号", region="HK"))
        admin.add_user(store, site_id="s1", username="WL4", password="secret-pass-1", role="rep", name="王")
        with pytest.raises(admin.AdminError, match="'WL4' exists and differs from 'wl4' only in capitals"):
            admin.add_user(store, site_id="s1", username="wl4", password="secret-pass-1", role="rep", name="王")
    finally:
        store.close()


def test_a_listing_without_a_database_says_so_instead_of_making_one_and_a_bad_port_is_one_line(tmp_path):
    """Issue 10 QA: ``sites list`` with no --db created an empty ./fieldsync.db and printed nothing;
    ``serve --port 99999`` ended in a uvicorn traceback; ``sites list | head`` in BrokenPipeError."""
    import os
    import subprocess
    import sys

    from tests.live_server import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FIELDSYNC_DB", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "sync_server", *args], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path, env=env)

    listing = cli("sites", "list")
    assert listing.returncode == 1 and "No database at ./fieldsync.db" in listing.stderr
    assert not (tmp_path / "fieldsync.db").exists()
    port = cli("serve", "--port", "99999")
    assert port.returncode == 2 and "write one from 1 to 65535" in port.stderr and "Traceback" not in port.stderr
    url = f"sqlite:///{tmp_path / 'many.db'}"
    assert cli("sites", "add", "--id", "s0", "--name", "x" * 2000, "--db", url).returncode == 0
    from sync_server.services import admin
    from sync_server.storage import open_store
    from sync_server.storage.rows import Site

    store = open_store(url)  # the other 39 in this process: 80 KB of listing, more than a pipe holds
    for n in range(1, 40):
        admin.add_site(store, Site(id=f"s{n}", name="x" * 2000))
    store.close()
    head = subprocess.run(f"{sys.executable} -m sync_server sites list --db {url} | head -1", shell=True,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert head.stdout.startswith("s0\t") and "Traceback" not in head.stderr
