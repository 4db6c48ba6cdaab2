"""A real, throwaway PostgreSQL server for tests (the storage contract suite, the server on
PostgreSQL).

    server = PostgresServer.start()        # initdb + pg_ctl start on a free 127.0.0.1 port
    url = server.create_database("t1")      # postgresql://postgres@127.0.0.1:PORT/t1
    server.stop()                           # pg_ctl stop -m immediate, remove the data dir

The binaries are Debian's (``/usr/lib/postgresql/<version>/bin``, from ``apt-get install
postgresql``) or whatever ``initdb`` is on PATH. PostgreSQL refuses to run as root, so as root
the data dir is chowned to the ``postgres`` OS user and initdb/pg_ctl run through
``runuser -u postgres --``. ``fsync=off``: test data need not survive a power cut.

``postgres_or_skip()`` is what fixtures call: the server, or a skip when there are no binaries
— except under CI (``CI`` set), where missing PostgreSQL is a failure, so CI really tests it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = ["PostgresServer", "find_bin_dir", "postgres_or_skip", "shared_server", "fresh_database"]


def find_bin_dir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl`` (newest Debian version first)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0, reverse=True)
    for directory in candidates:
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self._tmp = tempfile.mkdtemp(prefix="fieldsync-pg-")
        self.data_dir = Path(self._tmp) / "data"
        self.socket_dir = Path(self._tmp)
        self.log_path = Path(self._tmp) / "postgres.log"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.user = "postgres"
        self._databases: list[str] = []

    @classmethod
    def start(cls, bin_dir: Path | None = None) -> PostgresServer:
        bin_dir = bin_dir or find_bin_dir()
        if bin_dir is None:
            raise FileNotFoundError("no PostgreSQL binaries (initdb, pg_ctl); apt-get install postgresql")
        server = cls(bin_dir)
        try:
            server._initdb()
            server._pg_ctl("start", "-w", "-t", "60", "-l", str(server.log_path), "-o",
                           f"-p {server.port} -c listen_addresses=127.0.0.1 -k {server.socket_dir} "
                           "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        except BaseException:
            server._cleanup()
            raise
        return server

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({result.returncode}): {result.stderr}{result.stdout}\n{log}")

    def _initdb(self) -> None:
        if self.as_root:
            shutil.chown(self._tmp, self.user)
        else:
            self.user = os.environ.get("USER") or "postgres"
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), *args)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        self._admin(f'CREATE DATABASE "{name}"')
        self._databases.append(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._pg_ctl("stop", "-m", "immediate", "-w")
        finally:
            self._cleanup()

    def _cleanup(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)


def postgres_or_skip() -> PostgresServer:
    """A started server; a skip without binaries, a failure without them under CI."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = "PostgreSQL binaries not found (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must test the PostgreSQL backend", pytrace=False)
        pytest.skip(message)
    return PostgresServer.start(bin_dir)


_shared: PostgresServer | None = None


def shared_server() -> PostgresServer:
    """One server per test session (every module that needs PostgreSQL asks here); stopped
    when the interpreter exits. Skips/fails like ``postgres_or_skip``."""
    global _shared
    if _shared is None:
        import atexit

        _shared = postgres_or_skip()
        atexit.register(_shared.stop)
    return _shared


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """The URL of a new, empty database ``name`` on the shared server, dropped afterwards (one
    of that name left by a killed run is dropped first)."""
    postgres = shared_server()
    postgres.drop_database(name)
    try:
        yield postgres.create_database(name)
    finally:
        postgres.drop_database(name)
