"""A pull notes its device's last download at most once a minute (issue 12 QA: 设备/人员 最近下载),
on a real SQLite store: a pull stays a read, not a write per page."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from shared.timeutil import format_time, parse_time, utc_now
from sync_server.services.auth import Caller
from sync_server.services.pull import PULL_NOTE_EVERY, note_pull, pull
from sync_server.storage import open_store
from tests.storage.records import seed


def _caller(store) -> Caller:
    return Caller(user=store.get_user("desk.li"), site=store.get_site("s1"), device=store.get_device("d1"))


def test_a_pull_notes_the_device_once_a_minute(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'pulls.db'}")
    try:
        seed(store)
        pull(store, _caller(store), None, 10)
        first = store.get_device("d1").last_pull_at
        assert first is not None
        pull(store, _caller(store), None, 10)  # within the minute: not written again
        assert store.get_device("d1").last_pull_at == first
        stale = replace(_caller(store), device=replace(store.get_device("d1"), last_pull_at=format_time(
            utc_now() - PULL_NOTE_EVERY - timedelta(seconds=1))))
        note_pull(store, stale)  # a minute on: written
        assert parse_time(store.get_device("d1").last_pull_at) >= parse_time(first)
    finally:
        store.close()
