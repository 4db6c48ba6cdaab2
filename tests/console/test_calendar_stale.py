"""Complaint deadlines kept with an older working calendar (issue 11): a real server whose
database says its kept deadlines were computed with "chinesecalendar 1.10.0 (2004–2025)" (as a
server before the 2026 release left them) logs a warning at start and shows its managers a
banner on every console page, in their language, saying what to run; ``fieldsync-server care
status`` and ``care rebuild`` (real command line) report and fix it, the banner goes and the
audit log shows the rebuild. Complaints pushed over HTTP by a tablet."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from shared.working_calendar import calendar_version
from tests.console.conftest import csrf_of, requests_session
from tests.console.seed import Tablet
from tests.live_server import SITE_ID, LiveServer

OLD = "chinesecalendar 1.10.0 (2004–2025)"


@pytest.fixture(scope="module")
def server():
    with LiveServer(env={"FIELDSYNC_CONSOLE_SECRET": "console-test-secret-0123456789"}) as live:
        desk = Tablet(live, "desk.li", "前台平板-日历")
        desk.push([desk.record("complaint", timedelta(hours=3 - i), name=f"客户{i}", phone=f"139 0013 {8000 + i}",
                               data={"status": "open", "content": f"投诉{i}", "severity": "general"})
                   for i in range(3)])
        live.terminate()
        with sqlite3.connect(live.db_path) as db:  # the rows as an older calendar left them
            db.execute("UPDATE care_calendar SET version = ? WHERE site_id = ?", (OLD, SITE_ID))
        live.start()
        yield live


def test_the_server_warns_at_start_and_managers_see_a_banner_until_care_rebuild(server):
    log = server.log_path.read_text(encoding="utf-8", errors="replace")
    assert f"site {SITE_ID}: complaint deadlines were computed with {OLD}" in log
    assert f"fieldsync-server care rebuild --site {SITE_ID}" in log

    manager = requests_session(server)
    for path in ("/console/disputes", "/console/care"):
        page = manager.get(server.base_url + path, timeout=30).text
        assert 'data-testid="calendar-stale"' in page
        assert f"投诉期限是按{OLD}算的，服务器现装的节假日日历是{calendar_version()}" in page
        assert f"fieldsync-server care rebuild --site {SITE_ID}" in page
    english = requests_session(server)
    csrf = csrf_of(english.get(server.base_url + "/console/disputes", timeout=30).text)
    english.post(server.base_url + "/console/lang", data={"csrf_token": csrf, "lang": "en"}, timeout=30)
    page = english.get(server.base_url + "/console/disputes", timeout=30).text
    assert f"Complaint deadlines were computed with {OLD}; the server now has {calendar_version()}" in page
    status = server.cli("care", "status")
    assert f"{SITE_ID}\tcomputed with {OLD}\tinstalled {calendar_version()}\tstale" in status.stdout

    done = server.cli("care", "rebuild", "--site", SITE_ID)
    assert f"site {SITE_ID}: 3 complaint case(s) computed again with {calendar_version()}" in done.stdout
    assert "up to date" in server.cli("care", "status", "--site", SITE_ID).stdout
    page = manager.get(server.base_url + "/console/disputes", timeout=30).text
    assert 'data-testid="calendar-stale"' not in page
    audit = manager.get(server.base_url + "/console/audit", timeout=30).text
    assert "按新的工作日历重算投诉期限" in audit
    assert f"重算 3 个投诉，0 个期限有变；日历 {OLD} → {calendar_version()}" in audit


def test_care_rebuild_of_an_unknown_site_says_what_to_do(server):
    refused = server.cli("care", "rebuild", "--site", "nowhere", check=False)
    assert refused.returncode == 1
    assert "No site 'nowhere'; list them with 'sites list'." in refused.stderr
    refused = server.cli("care", "rebuild", "--batch", "0", check=False)
    assert refused.returncode == 2 and "write 1 or more" in refused.stderr
