"""A throwaway ``fieldsync-server`` process for the demo (a subprocess: the tablet code never
imports the server package). Sample site 星河湾销售中心 and its people, set up through the CLI."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

__all__ = ["DemoServer", "PASSWORD"]

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "secret-pass-1"
PEOPLE = [("zhao.min", "manager", "赵敏"), ("desk.li", "reception", "李静"), ("wang.li", "rep", "王丽"),
          ("zhang.qiang", "rep", "张强"), ("chen.jie", "rep", "陈杰")]


def _command() -> list[str]:
    script = shutil.which("fieldsync-server")
    return [script] if script else [sys.executable, "-m", "sync_server"]


class DemoServer:
    def __init__(self, workdir: Path):
        self.db_url = f"sqlite:///{workdir / 'server.db'}"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "FIELDSYNC_DB": self.db_url,
                    "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.log = workdir / "server.log"
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> None:
        subprocess.run([*_command(), "--db", self.db_url, *args], env=self.env, cwd=ROOT, check=True,
                       capture_output=True, timeout=60)

    def seed(self) -> None:
        self.cli("sites", "add", "--id", "s1", "--name", "星河湾销售中心", "--validity-days", "30", "--region", "CN")
        for username, role, name in PEOPLE:
            self.cli("users", "add", "--site", "s1", "--username", username, "--password", PASSWORD,
                     "--role", role, "--name", name, "--listed-from", "2020-01-01")

    def confirm(self, record_ids: list[str], manager: str = "zhao.min") -> None:
        """The manager confirms registrations (审核确认) the way people do: signed in to the
        console, posting its confirm form with the page's CSRF token."""
        session = requests.Session()

        def csrf(path: str) -> str:
            page = session.get(self.base_url + path, timeout=30)
            page.raise_for_status()
            found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            if found is None:
                raise RuntimeError(f"{path} has no CSRF token; is this a fieldsync console?")
            return found.group(1)

        session.post(self.base_url + "/console/login", timeout=30, data={
            "username": manager, "password": PASSWORD, "csrf_token": csrf("/console/login"), "next": "/console/confirm"})
        answer = session.post(self.base_url + "/console/confirm", timeout=30,
                              data={"csrf_token": csrf("/console/confirm"), "record_id": record_ids})
        answer.raise_for_status()

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([*_command(), "serve", "--db", self.db_url, "--host", "127.0.0.1",
                                             "--port", str(self.port)], env=self.env, cwd=ROOT, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"the demo server did not start; see {self.log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
