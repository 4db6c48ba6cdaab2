"""Run by test_ui_first_sync.py under Xvfb: the real app's first sync of a busy site (issue 13).
argv: server_url data_dir result_json.

Enrols the manager zhao.min on a fresh tablet and opens the sync screen at once; every frame
it notes the progress line and bar the sync screen shows while the bootstrap snapshot loads,
and finally the screen after the sync.
"""

import sys
import time

from kivy.clock import Clock
from ui_steps import run_steps

from mobile.app import FieldsyncApp
from mobile.demo import press

server_url, data_dir, result_path = sys.argv[1:4]
app = FieldsyncApp(data_dir=data_dir, sync_interval=600)
result: dict = {"seen": [], "bars": []}
frames = {"last": None, "max_gap_ms": 0.0}


def watch(_dt) -> None:
    now = time.perf_counter()
    if frames["last"] is not None:  # noted, never asserted on (timings belong in bench/)
        frames["max_gap_ms"] = max(frames["max_gap_ms"], (now - frames["last"]) * 1000)
    frames["last"] = now
    sync = app.screen("sync")
    if sync.progress and (not result["seen"] or result["seen"][-1] != sync.progress):
        result["seen"].append(sync.progress)
        result["bars"].append([sync.progress_done, sync.progress_about])


def script():
    enrol = app.screen("enrol")
    enrol.ids.server.text, enrol.ids.username.text, enrol.ids.password.text = server_url, "zhao.min", "secret-pass-1"
    press(enrol.ids.submit)
    yield lambda: app.sm.current == "home"
    app.show("sync")
    Clock.schedule_interval(watch, 0)
    yield lambda: app.status.last_report is not None and not app.status.syncing
    yield lambda: app.screen("sync").summary != ""
    sync = app.screen("sync")
    result["after"] = sync.progress
    result["pulled"] = app.status.last_report.pulled
    result["max_gap_ms"] = frames["max_gap_ms"]
    app.toggle_language()
    sync.show_progress((1500, 6000))
    result["en"] = sync.progress


run_steps(app, script(), result, result_path, timeout_s=120)
