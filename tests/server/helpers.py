"""Small helpers for talking to a live server the way a tablet does."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from itertools import count

import requests

from tests.builders import wire

CST = timezone(timedelta(hours=8))

__all__ = ["Tablet", "wire", "CST", "now_cst"]


def now_cst() -> datetime:
    return datetime.now(CST)


MANAGER = "zhao.min"  # the live server's manager of site s1 (tests/live_server.py)


class Tablet:
    """An enrolled device: numbers its records, keeps a boot clock and pushes/pulls over HTTP.

    ``elapsed_ms`` is the device's elapsed-since-boot clock *now*; ``wall_skew`` how far its wall
    clock is off real time. ``record(...)`` captures a record ``ago`` before now."""

    def __init__(self, server, username: str, name: str | None = None, *, boot: str | None = None,
                 wall_skew: timedelta = timedelta(0)):
        from tests.live_server import enroll

        self.server, self.username = server, username
        self.device_id, self.token = enroll(server.base_url, username, name or f"{username}-tablet")
        self.boot = boot or f"boot-{self.device_id[:8]}"
        self.boot_started = now_cst() - timedelta(hours=5)  # real time the current boot began
        self.wall_skew = wall_skew
        self.seq = count(1)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def elapsed_at(self, at: datetime) -> int:
        return int((at - self.boot_started) / timedelta(milliseconds=1))

    def reboot(self, boot: str, *, at: datetime | None = None) -> None:
        self.boot, self.boot_started = boot, at or now_cst()

    def record(self, type_: str = "walkin", *, ago: timedelta = timedelta(minutes=1), **kwargs) -> dict:
        """A record captured ``ago`` before now, on the current boot, stamped with the (skewed) wall clock."""
        at = now_cst() - ago
        return wire(type_, at=at + self.wall_skew, seq=kwargs.pop("seq", None) or next(self.seq), boot=self.boot,
                    elapsed_ms=self.elapsed_at(at), **kwargs)

    def envelope(self, records: list[dict]) -> dict:
        now = now_cst()
        return {"device_id": self.device_id, "sent_at": (now + self.wall_skew).isoformat(timespec="milliseconds"),
                "clock": {"boot_id": self.boot, "elapsed_ms": self.elapsed_at(now)}, "records": records}

    def push_raw(self, records: list[dict]) -> requests.Response:
        return requests.post(self.server.url("/sync/push"), json=self.envelope(records), headers=self.headers,
                             timeout=60)

    def push(self, *records: dict) -> dict:
        response = self.push_raw(list(records))
        assert response.status_code == 200, response.text
        return response.json()

    def statuses(self, *records: dict) -> list[str]:
        return [r["status"] if r["status"] != "rejected" else r["error"]["code"] for r in self.push(*records)["results"]]

    def pull_all(self, cursor: str | None = None, limit: int = 500, **params: str) -> tuple[list[dict], str]:
        changes: list[dict] = []
        while True:
            response = requests.get(self.server.url("/sync/pull"),
                                    params={"cursor": cursor or "", "limit": limit, **params},
                                    headers=self.headers, timeout=60)
            assert response.status_code == 200, response.text
            body = response.json()
            changes += body["changes"]
            cursor = body["cursor"]
            if not body["more"]:
                return changes, cursor

    def settle_tags(self, wait_s: float = 420.0) -> list[dict]:
        """Wait until the server's tagger has given every customer of the site both its tags
        (``keys=tag`` and ``keys=tag2``; issue 14: tags are computed after the push commits, in
        the background); returns this tablet's ``keys=tag`` pull. A rep's pull holds only its own customers' tags
        (``shared.replica_privacy``): the site's manager watches then; the ``tag2`` kind is always
        watched by the manager (a user whose tablet pulled ``keys=tag2`` gets no ``keys=tag`` tags
        afterwards, managers excepted: docs/privacy.md). Waits for a state, never asserts on time:
        up to ``wait_s`` seconds (the tagger's threads run at nice 19, ~37 ms of CPU a customer for
        both tags: a full run at load 10 outlasted 600 quick polls)."""
        changes, _ = self.pull_all(keys="tag")
        role = next((c["user"]["role"] for c in changes if c["kind"] == "user" and c["user"]["username"] == self.username),
                    None)
        manager = self if role == "manager" else Tablet(self.server, MANAGER, "tag watcher")
        watcher = self if role != "rep" else manager
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            seen, _ = watcher.pull_all(keys="tag")
            if all(c["customer"]["phone_tag"] for c in seen if c["kind"] == "ownership") and all(
                    c["customer"]["phone_tag"] for c in manager.pull_all(keys="tag2")[0] if c["kind"] == "ownership"):
                return seen if watcher is self else self.pull_all(keys="tag")[0]
            time.sleep(0.2)
        raise AssertionError(f"the server's tagger did not tag every customer in {wait_s:.0f} s")

    def get(self, path: str, **params) -> requests.Response:
        return requests.get(self.server.url(path), params=params, headers=self.headers, timeout=60)

    def post(self, path: str, body: dict) -> requests.Response:
        return requests.post(self.server.url(path), json=body, headers=self.headers, timeout=60)


def two_organisations(server, password: str, second_site: str = "另一案场") -> None:
    """R10 set-up shared by the director tests: site s1 in 华东区域 (org-a, decisions against the
    rule's owner need approval) with director dir.a 钱总; a second site s2 (``second_site``) in
    华南区域 (org-b, every decision needs approval) with director dir.b 孙总; both sign in with
    ``password``."""
    server.cli("orgs", "add", "--id", "org-a", "--name", "华东区域")
    server.cli("orgs", "add", "--id", "org-b", "--name", "华南区域")
    server.cli("sites", "add", "--id", "s2", "--name", second_site)
    server.cli("sites", "set", "--id", "s1", "--org", "org-a", "--approval", "against_rule")
    server.cli("sites", "set", "--id", "s2", "--org", "org-b", "--approval", "all")
    for username, org, name in (("dir.a", "org-a", "钱总"), ("dir.b", "org-b", "孙总")):
        server.cli("users", "add", "--role", "director", "--org", org, "--username", username,
                   "--password", password, "--name", name)
