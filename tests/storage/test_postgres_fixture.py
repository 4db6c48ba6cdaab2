"""The PostgreSQL test fixture skips locally without binaries but fails under CI."""

from __future__ import annotations

import pytest

from tests import postgres_server


def test_missing_postgresql_skips_locally(monkeypatch):
    monkeypatch.setattr(postgres_server, "find_bin_dir", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        postgres_server.postgres_or_skip()


def test_missing_postgresql_fails_under_ci(monkeypatch):
    monkeypatch.setattr(postgres_server, "find_bin_dir", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must test the PostgreSQL backend"):
        postgres_server.postgres_or_skip()
