"""The cyclic collector's tuning (issue 13, ``shared.collector``): what the server and the
tablet app set at start-up, checked in fresh interpreters (the setting is process-wide)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shared.collector import YOUNG_THRESHOLD, tune_collector

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip()


def test_tuning_raises_the_young_threshold_keeps_the_older_ratios_and_freezes_what_is_alive():
    out = _run("import gc; from shared.collector import tune_collector; before = tune_collector(); "
               "print(before, gc.get_threshold(), gc.get_freeze_count() > 0)")
    assert out == f"(700, 10, 10) ({YOUNG_THRESHOLD}, 10, 10) True"


def test_a_young_threshold_of_zero_would_turn_the_collector_off_and_is_refused():
    with pytest.raises(ValueError, match="turn the cyclic collector off"):
        tune_collector(0)


def test_the_servers_start_up_tunes_the_collector(tmp_path):
    # the app's lifespan (what ``serve`` and each worker of ``serve --workers N`` run)
    out = _run("import gc; from fastapi.testclient import TestClient; from sync_server.app import create_app; "
               "from sync_server.config import Settings; "
               f"app = create_app(Settings(db_url='sqlite:///{tmp_path / 'gc.db'}')); "
               "before = gc.get_threshold()\n"
               "with TestClient(app) as client: print(before[0], gc.get_threshold()[0], client.get('/healthz').status_code)")
    assert out == f"700 {YOUNG_THRESHOLD} 200"
