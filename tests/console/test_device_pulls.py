"""Issue 12 QA (设备 / 人员 said 从未同步 / — for a rep's tablet that only pulls): both pages show
the last upload (最近上传) and the last download (最近下载) of each tablet and person, on a real
server (SQLite; PostgreSQL with ``FIELDSYNC_CONSOLE_DB=postgresql``)."""

from __future__ import annotations

import re

import requests

from tests.console.conftest import csrf_of
from tests.live_server import PASSWORD, LiveServer, enroll


def _manager(server) -> requests.Session:
    session = requests.Session()
    csrf = csrf_of(session.get(server.base_url + "/console/login", timeout=30).text)
    session.post(server.base_url + "/console/login", timeout=30, data={
        "username": "zhao.min", "password": PASSWORD, "csrf_token": csrf, "next": "/console/devices"})
    return session


def _row(html: str, attribute: str, value: str) -> str:
    match = re.search(rf'<tr data-testid="(?:device|person)" {attribute}="{re.escape(value)}">(.*?)</tr>', html, re.S)
    assert match, value
    return match.group(1)


def _cell(row: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</td>', row, re.S)
    assert match, testid
    return match.group(1).strip()


def test_a_rep_tablet_that_only_pulls_shows_its_last_download(server: LiveServer):
    device_id, token = enroll(server.base_url, "wang.li", "王丽的平板")
    for _ in range(2):  # a rep's tablet after a hand-over: nothing to send, only pulls
        assert requests.get(server.url("/api/v1/sync/pull"), headers=server.auth(token), timeout=30).status_code == 200
    manager = _manager(server)
    devices = manager.get(server.base_url + "/console/devices", timeout=30).text
    assert "最近上传" in devices and "最近下载" in devices
    row = _row(devices, "data-device", device_id)
    assert _cell(row, "last-push") == "从未上传"
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", _cell(row, "last-pull")), row
    people = manager.get(server.base_url + "/console/people", timeout=30).text
    assert "最近下载" in people
    person = _row(people, "data-username", "wang.li")
    assert _cell(person, "last-push") == "—"
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", _cell(person, "last-pull")), person


def test_a_snapshot_counts_as_a_download_too(server: LiveServer):
    device_id, token = enroll(server.base_url, "zhang.qiang", "张强的新平板")
    assert requests.get(server.url("/sync/snapshot"), headers=server.auth(token), timeout=30).status_code == 200
    row = _row(_manager(server).get(server.base_url + "/console/devices", timeout=30).text, "data-device", device_id)
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", _cell(row, "last-pull")), row
