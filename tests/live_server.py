"""A real ``fieldsync-server serve`` process on 127.0.0.1 for tests (tablet, console, server).

Usage::

    from tests.live_server import LiveServer, enroll

    with LiveServer() as server:                  # temp SQLite file, free port, seeded site s1
        device_id, token = enroll(server.base_url, "wang.li", "tablet-1")
        requests.get(server.base_url + "/api/v1/sync/pull", headers=server.auth(token))

Seed: site ``s1`` "星河湾销售中心" (30-day validity, household split, CN, UTC+8) and the users
in ``USERS`` (all with ``PASSWORD``). ``server.cli(...)`` runs a management command against
the same database. The process is stopped (SIGTERM, then SIGKILL) on exit.

The seed is made by the real CLI (``sites add``, ``users add``) once per test process for each
kind of seed (backend, site options, ``FIELDSYNC_*`` settings) into a template, and every
server of that kind starts from a copy of it: six CLI processes cost ~12 s a server, which was
most of the suite's time. SQLite copies the file with the backup API; PostgreSQL makes the
database again ``TEMPLATE`` the seeded one.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

__all__ = ["LiveServer", "enroll", "USERS", "PASSWORD", "SITE_ID", "SITE_NAME"]

ROOT = Path(__file__).resolve().parents[1]
SITE_ID = "s1"
SITE_NAME = "星河湾销售中心"
PASSWORD = "secret-pass-1"
USERS = {  # username -> (role, name)
    "zhao.min": ("manager", "赵敏"),
    "desk.li": ("reception", "李静"),
    "wang.li": ("rep", "王丽"),
    "zhang.qiang": ("rep", "张强"),
    "chen.jie": ("rep", "陈杰"),
}


def _command() -> list[str]:
    """The console script when installed, else the same entry point through ``-m``."""
    script = shutil.which("fieldsync-server")
    return [script] if script else [sys.executable, "-m", "sync_server"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A server subprocess with its own temporary database. ``seed=False`` starts it empty.
    ``db_url``: use this (empty) database instead of a temporary SQLite file, e.g. a
    ``postgresql://`` one; ``serve_args``: more ``serve`` options, e.g. ``["--workers", "3"]``."""

    def __init__(self, *, seed: bool = True, env: dict[str, str] | None = None,
                 site_options: list[str] | None = None, db_url: str | None = None,
                 serve_args: list[str] | None = None):
        self._tmp = tempfile.TemporaryDirectory(prefix="fieldsync-")
        self.db_path = Path(self._tmp.name) / "fieldsync.db"
        self.db_url = db_url or f"sqlite:///{self.db_path}"
        self.serve_args = serve_args or []
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.seed, self.site_options = seed, site_options or []
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
                    "FIELDSYNC_DB": self.db_url, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log_path = Path(self._tmp.name) / "server.log"

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``fieldsync-server --db <this db> ARGS`` and return the finished process."""
        result = subprocess.run([*_command(), "--db", self.db_url, *args], env=self.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise RuntimeError(f"fieldsync-server {' '.join(args)} failed: {result.stderr}")
        return result

    def seed_site(self) -> None:
        """Give this server's database the seed: a copy of the template of its kind (made by
        ``seed_with_cli`` the first time it is asked for)."""
        if self.db_url.startswith("sqlite:///"):
            template = _sqlite_template(self._seed_kind(), self.seed_with_cli)
            with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(self.db_url.removeprefix("sqlite:///"))) as target:
                source.backup(target)
        elif self.db_url.startswith("postgresql"):
            _copy_postgres_template(self.db_url, self._seed_kind(), self.seed_with_cli)
        else:
            self.seed_with_cli()

    def seed_with_cli(self, db_url: str | None = None) -> None:
        """Seed ``db_url`` (default: this server's database) through the real CLI."""
        saved, self.db_url = self.db_url, db_url or self.db_url
        try:
            self.cli("sites", "add", "--id", SITE_ID, "--name", SITE_NAME, *self.site_options)
            for username, (role, name) in USERS.items():
                self.cli("users", "add", "--site", SITE_ID, "--username", username, "--password", PASSWORD,
                         "--role", role, "--name", name, "--listed-from", "2020-01-01")  # an office already at work
        finally:
            self.db_url = saved

    def _seed_kind(self) -> str:
        """What makes two seeds differ: the code that seeds (a benchmark may run an older
        checkout's server), the site options and the settings the CLI reads."""
        settings = sorted((k, v) for k, v in self.env.items() if k.startswith("FIELDSYNC_") and k != "FIELDSYNC_DB")
        return hashlib.sha256(repr((_command(), str(ROOT), self.site_options, settings)).encode()).hexdigest()[:16]

    def start(self) -> LiveServer:
        if self.seed:
            self.seed_site()
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*_command(), "serve", "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "warning", *self.serve_args], env=self.env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"fieldsync-server exited: {self.log_path.read_text(errors='replace')}")
            try:
                if requests.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # a loaded machine may answer late
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("fieldsync-server did not answer /healthz within 30 s")

    def terminate(self) -> None:
        """Stop the server process but keep its database: ``start()`` brings the same server back
        (tests of a tablet riding out an outage)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            self._log.close()
        self.process = None
        self.seed = False  # the database already holds the site and its users

    def stop(self) -> None:
        """Stop the process and delete its database."""
        self.terminate()
        self._tmp.cleanup()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        """``/api/v1`` + path (``/healthz`` and other absolute paths as they are)."""
        return self.base_url + (path if path.startswith(("/api/", "/healthz", "/docs", "/openapi")) else "/api/v1" + path)

    @staticmethod
    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


_templates: dict[str, str] = {}  # seed kind -> SQLite template path or PostgreSQL template database
_template_dir: tempfile.TemporaryDirectory | None = None


def _sqlite_template(kind: str, seed_with_cli) -> str:
    global _template_dir
    if kind not in _templates:
        if _template_dir is None:
            _template_dir = tempfile.TemporaryDirectory(prefix="fieldsync-seed-")
            atexit.register(_template_dir.cleanup)
        path = str(Path(_template_dir.name) / f"{kind}.db")
        seed_with_cli(f"sqlite:///{path}")
        _templates[kind] = path
    return _templates[kind]


def _copy_postgres_template(db_url: str, kind: str, seed_with_cli) -> None:
    """Make the (empty) database of ``db_url`` again as a copy of the seeded template on the
    same PostgreSQL server."""
    import psycopg

    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    template = f"seed_{kind}"
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    key = f"{parts.netloc}/{kind}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if key not in _templates:
            conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{template}"')
            seed_with_cli(urlunsplit(parts._replace(path="/" + template)))
            _templates[key] = template
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def enroll(base_url: str, username: str, device_name: str, password: str = PASSWORD) -> tuple[str, str]:
    """Enrol a device for ``username``; return ``(device_id, token)``."""
    response = requests.post(f"{base_url}/api/v1/auth/enroll",
                             json={"username": username, "password": password, "device_name": device_name},
                             timeout=30)
    response.raise_for_status()
    body = response.json()
    return body["device_id"], body["token"]
