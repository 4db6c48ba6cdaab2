"""Settings in one typed object, how they reach ``serve --workers N``, and ``--db`` on either
side of the subcommand (issue 10). Real SQLite files and real server processes throughout."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from sync_server import cli
from sync_server.config import Settings, SettingsError, load_settings, worker_environment
from sync_server.storage import open_store
from sync_server.storage.base import Device
from tests.live_server import PASSWORD, ROOT, LiveServer, _command

SECRET = "workers-share-this-secret-0123"


@pytest.fixture
def clean_env(monkeypatch):
    """No FIELDSYNC_* variable from the machine running the tests leaks into the settings."""
    for name in [n for n in os.environ if n.startswith("FIELDSYNC_")]:
        monkeypatch.delenv(name)


# -- validation at start ------------------------------------------------------------------

@pytest.mark.parametrize(("env", "says"), [
    ({"FIELDSYNC_DB": "mysql://root@db/fieldsync"}, "--db / FIELDSYNC_DB: 'mysql://root@db/fieldsync' is not a database"),
    ({"FIELDSYNC_DB": "sqlite:///"}, "write sqlite:///path/to/fieldsync.db"),
    ({"FIELDSYNC_DB_POOL_SIZE": "0"}, "FIELDSYNC_DB_POOL_SIZE: the pool needs at least 1 connection, not 0"),
    ({"FIELDSYNC_PG_POOL_SIZE": "-3"}, "the pool needs at least 1 connection, not -3"),
    ({"FIELDSYNC_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, "FIELDSYNC_TRUSTED_PROXIES: 'proxy.local' is not an "
                                                              "address or network (write e.g. 10.0.0.1"),
    ({"FIELDSYNC_MAX_RECORDS": "lots"}, "FIELDSYNC_MAX_RECORDS: 'lots' is not a whole number; write one such as 1000"),
    ({"FIELDSYNC_MAX_BODY_BYTES": "0"}, "FIELDSYNC_MAX_BODY_BYTES: must be at least 1; leave it unset for 33554432"),
    ({"FIELDSYNC_CONSOLE_SECRET": "short"}, "FIELDSYNC_CONSOLE_SECRET: must be at least 16 bytes"),
    ({"FIELDSYNC_WORKERS": "3"}, "--workers 3 needs FIELDSYNC_CONSOLE_SECRET"),
    ({"FIELDSYNC_WORKERS": "0"}, "--workers / FIELDSYNC_WORKERS: must be 1 or more, not 0"),
    ({"FIELDSYNC_KEEP_ALIVE_S": "0"}, "FIELDSYNC_KEEP_ALIVE_S: must be at least 1; leave it unset for 75"),
])
def test_a_bad_setting_is_refused_at_start_naming_the_variable_and_the_fix(clean_env, monkeypatch, env, says):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert says in str(refused.value)


def test_a_short_console_secret_is_not_echoed_in_the_error(clean_env, monkeypatch):
    monkeypatch.setenv("FIELDSYNC_CONSOLE_SECRET", "hunter2-hunter2")  # 15 bytes
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert "hunter2" not in str(refused.value)


def test_every_problem_is_listed_at_once_not_one_per_restart(clean_env, monkeypatch):
    monkeypatch.setenv("FIELDSYNC_DB_POOL_SIZE", "0")
    monkeypatch.setenv("FIELDSYNC_MAX_RECORDS", "x")
    with pytest.raises(SettingsError) as refused:
        load_settings(db_url="oracle://x")
    assert [line.split(":")[0] for line in str(refused.value).splitlines()[1:]] == [
        "  --db / FIELDSYNC_DB", "  FIELDSYNC_DB_POOL_SIZE", "  FIELDSYNC_MAX_RECORDS"]


def test_options_win_over_the_environment_and_the_old_pool_variable_still_counts(clean_env, monkeypatch):
    monkeypatch.setenv("FIELDSYNC_DB", "sqlite:///from-env.db")
    monkeypatch.setenv("FIELDSYNC_PG_POOL_SIZE", "3")
    monkeypatch.setenv("FIELDSYNC_TRUSTED_PROXIES", " 10.0.0.5 , 192.168.0.0/16 ")
    settings = load_settings(db_url="sqlite:///from-option.db", workers=None)
    assert (settings.db_url, settings.workers, settings.db_pool_size) == ("sqlite:///from-option.db", 1, 3)
    assert settings.trusted_proxies == "10.0.0.5,192.168.0.0/16"
    assert settings.trusted_proxy_networks().trusts("192.168.4.4")


def test_a_kubernetes_service_port_variable_does_not_stop_the_server(clean_env, monkeypatch):
    # a Service named "fieldsync" puts FIELDSYNC_PORT=tcp://10.0.0.9:8000 into every pod
    monkeypatch.setenv("FIELDSYNC_PORT", "tcp://10.0.0.9:8000")
    monkeypatch.setenv("FIELDSYNC_SERVICE_HOST", "10.0.0.9")
    assert load_settings().db_url == "sqlite:///./fieldsync.db"


def test_serve_with_a_bad_setting_exits_1_with_the_fix_on_stderr(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "FIELDSYNC_TRUSTED_PROXIES": "10.0.0.0/33"}
    result = subprocess.run([*_command(), "serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", "1"],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "fieldsync-server: invalid settings:\n  FIELDSYNC_TRUSTED_PROXIES: '10.0.0.0/33'" in result.stderr
    assert "Traceback" not in result.stderr


# -- settings reach the workers, not the parent's environment ------------------------------

def test_preparing_workers_leaves_the_callers_environment_unchanged(clean_env, tmp_path):
    settings = load_settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", workers=2, console_secret=SECRET,
                             trusted_proxies="10.0.0.5")
    before = dict(os.environ)
    argv, env = cli.worker_program(settings, "127.0.0.1", 8123, "warning")
    assert dict(os.environ) == before
    assert "FIELDSYNC_WORKER_SETTINGS" not in os.environ and "FIELDSYNC_WORKER_SETTINGS" in env
    assert argv[1:] == ["-m", "uvicorn", "sync_server.app:create_app", "--factory", "--host", "127.0.0.1",
                        "--port", "8123", "--workers", "2", "--log-level", "warning", "--no-proxy-headers",
                        "--timeout-keep-alive", "75"]
    # what a worker reads back is the validated object, secret included
    again = Settings.model_validate_json(env["FIELDSYNC_WORKER_SETTINGS"])
    assert again == settings and again.console_key() == SECRET.encode()
    assert worker_environment(settings, {"PATH": "/bin"})["PATH"] == "/bin"


@pytest.mark.parametrize("workers", [1, 2])
def test_an_idle_connection_stays_open_past_uvicorns_five_seconds(workers):
    """A console session's requests failed with 'Connection reset by peer' when a test (or a
    manager) paused more than uvicorn's default 5 s keep-alive: the server closed the idle
    connection as the client reused it. ``keep_alive_s`` (default 75 s) keeps it open, in one
    process and in ``--workers N``'s."""
    serve_args = ["--workers", str(workers)] if workers > 1 else []
    with LiveServer(serve_args=serve_args, env={"FIELDSYNC_CONSOLE_SECRET": SECRET}) as live:
        conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
        assert _ask(conn, "GET", "/healthz")[0].status == 200
        time.sleep(6.5)
        assert _ask(conn, "GET", "/healthz")[0].status == 200  # the same connection, reused
        conn.close()


def test_two_workers_share_the_console_session_and_the_command_line_database():
    """Sign in on one worker, use the session on the other, proven by which process holds each
    connection. FIELDSYNC_DB in the environment names another file: the workers must use the
    --db that only the settings handed to them carry."""
    with LiveServer(serve_args=["--workers", "2"],
                    env={"FIELDSYNC_CONSOLE_SECRET": SECRET, "FIELDSYNC_DB": "sqlite:////nonexistent/other.db"}) as live:
        workers = _worker_pids(live.process.pid, expected=2)
        assert len(workers) == 2
        by_worker: dict[int, http.client.HTTPConnection] = {}
        for _ in range(60):  # new connections until each worker holds one (the kernel picks)
            conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
            _ask(conn, "GET", "/healthz")
            by_worker.setdefault(_holder(conn, live.port, workers), conn)
            if len(by_worker) == 2:
                break
        assert sorted(by_worker) == sorted(workers), "one worker answered every new connection"
        first, second = (by_worker[pid] for pid in workers)

        form, text = _ask(first, "GET", "/console/login")
        cookie = form.getheader("set-cookie").split(";")[0]
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
        body = urlencode({"username": "zhao.min", "password": PASSWORD, "csrf_token": csrf, "next": "/console/disputes"})
        signed_in, _ = _ask(second, "POST", "/console/login", body,  # the form came from the other worker
                         {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        assert (signed_in.status, signed_in.getheader("location")) == (303, "/console/disputes")
        cookie = signed_in.getheader("set-cookie").split(";")[0]
        for conn in (first, second, first, second):
            page, _ = _ask(conn, "GET", "/console/disputes", headers={"Cookie": cookie})
            assert page.status == 200, (page.status, page.getheader("location"))
        # the requests above were answered by the workers that hold the connections
        assert {_holder(conn, live.port, workers) for conn in (first, second)} == set(workers)
        for conn in (first, second):
            conn.close()


def _ask(conn: http.client.HTTPConnection, method: str, path: str, body: str | None = None,
         headers: dict[str, str] | None = None) -> tuple[http.client.HTTPResponse, str]:
    """The response (read to the end, so the connection stays usable) and its text."""
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response, response.read().decode()


def _holder(conn: http.client.HTTPConnection, server_port: int, workers: list[int]) -> int:
    """The worker process whose file descriptors hold the server side of ``conn``."""
    client_port = conn.sock.getsockname()[1]
    inodes = {fields[9] for fields in (line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:])
              if int(fields[1].split(":")[1], 16) == server_port and int(fields[2].split(":")[1], 16) == client_port}
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in {f"socket:[{inode}]" for inode in inodes}:
                    return pid
            except OSError:  # closed while we looked
                continue
    raise AssertionError(f"no worker holds the connection from port {client_port}")


def _worker_pids(parent: int, expected: int) -> list[int]:
    deadline = time.monotonic() + 20
    while True:
        children = subprocess.run(["ps", "-ww", "--ppid", str(parent), "-o", "pid=,args="],
                                  capture_output=True, text=True).stdout.splitlines()
        workers = [int(line.split()[0]) for line in children if "multiprocessing.spawn" in line]
        if len(workers) >= expected or time.monotonic() > deadline:
            return workers
        time.sleep(0.2)


# -- --db before or after the subcommand ---------------------------------------------------

COMMANDS = [
    ["sites", "add", "--id", "s9", "--name", "河畔销售中心"],
    ["sites", "list"],
    ["users", "add", "--site", "s9", "--username", "li.na", "--password", "long-password-9", "--role", "rep",
     "--name", "李娜"],
    ["users", "list"],
    ["users", "list", "--site", "s9"],
    ["users", "deactivate", "li.na"],
    ["users", "activate", "li.na"],
    ["users", "passwd", "li.na", "--password", "another-password-9"],
    ["devices", "list"],
    ["devices", "list", "--site", "s9"],
    ["devices", "revoke", "dev-1"],
]


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_is_accepted_before_or_after_every_subcommand(clean_env, tmp_path, capsys, where):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    outputs = []
    for command in COMMANDS:
        if command == ["devices", "list"]:  # a tablet to list and revoke (enrolment needs HTTP)
            store = open_store(url)
            store.add_device(Device(id="dev-1", site_id="s9", username="li.na", name="平板",
                                    enrolled_at="2026-11-30T08:00:00.000Z"), "0" * 64)
            store.close()
        argv = ["--db", url, *command] if where == "before" else [*command, "--db", url]
        assert cli.main(argv) == 0, (argv, capsys.readouterr().err)
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == "site s9 created\n"
    assert outputs[1].startswith("s9\t河畔销售中心\t")
    assert "li.na\trep\t李娜\tactive" in outputs[3] and outputs[3] == outputs[4]
    assert "dev-1\ts9\tli.na" in outputs[8] and outputs[8] == outputs[9]
    assert outputs[10] == "device dev-1 revoked\n"


def test_db_after_the_subcommand_wins_over_one_before(clean_env, tmp_path, capsys):
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    assert cli.main(["--db", first, "sites", "add", "--id", "b", "--name", "B", "--db", second]) == 0
    capsys.readouterr()
    assert cli.main(["sites", "list", "--db", first]) == 1  # the first was never opened, so never made
    assert "No database at" in capsys.readouterr().err
    assert cli.main(["sites", "list", "--db", second]) == 0
    assert capsys.readouterr().out.startswith("b\tB\t")


def test_serve_accepts_db_after_the_subcommand_and_before_it(tmp_path):
    # the real console script: a bad URL fails at settings, proving which --db was read
    for argv in (["--db", "mysql://x", "serve", "--port", "1"], ["serve", "--port", "1", "--db", "mysql://x"]):
        result = subprocess.run([*_command(), *argv], env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and "'mysql://x' is not a database" in result.stderr, result.stderr


def test_a_setting_that_is_not_a_number_says_what_to_write_and_the_default():
    """Issue 10 QA: pydantic's "Input should be a valid integer" said what was wrong, not what
    to write; every numeric setting now names a whole number and its default."""
    from sync_server.config import SettingsError, load_settings

    for kw, line in (({"db_pool_size": "abc"}, "FIELDSYNC_DB_POOL_SIZE: 'abc' is not a whole number; write one such as 8"),
                     ({"workers": "two"}, "FIELDSYNC_WORKERS: 'two' is not a whole number; write one such as 1"),
                     ({"max_body_bytes": "32MB"}, "'32MB' is not a whole number; write one such as 33554432"),
                     ({"max_records": "-5"}, "FIELDSYNC_MAX_RECORDS: must be at least 1; leave it unset for 1000"),
                     ({"max_records": "99999999"}, "FIELDSYNC_MAX_RECORDS: must be at most 10000 (a push is one "
                      "transaction; more would hold the database's write lock too long); leave it unset for 1000"),
                     ({"max_body_bytes": str(2 ** 40)}, "FIELDSYNC_MAX_BODY_BYTES: must be at most 1073741824 (1 GiB: "
                      "a request body is read into memory whole); leave it unset for 33554432")):
        with pytest.raises(SettingsError) as refused:
            load_settings(**kw)
        assert line in str(refused.value) and "Input should be" not in str(refused.value)
