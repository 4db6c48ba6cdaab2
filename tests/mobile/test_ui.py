"""The real Kivy app under Xvfb, driven through its widgets (marker ``ui``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live_server import LiveServer
from tests.xvfb import xvfb

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.ui, pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")]


@pytest.fixture(scope="module")
def display():
    with xvfb() as number:
        yield number


def app_env(display: str, tmp_path: Path) -> dict:
    return {**os.environ, "DISPLAY": display, "KIVY_NO_ARGS": "1", "KIVY_HOME": str(tmp_path / "kivy"),
            "KIVY_NO_CONSOLELOG": "1", "PYTHONPATH": str(ROOT)}


SHOTS = ROOT / "tests" / "artifacts" / "mobile"


def run_phase(driver: Path, display: str, tmp: Path, url: str, tablet: str, phase: str, *args: str) -> dict:
    """One phase of a multi-phase Xvfb ``driver`` for one tablet (its data folder ``tmp/tablet``
    persists between phases) against ``url``; its findings, asserted free of an error."""
    result_path = tmp / f"{tablet}-{phase}.json"
    (tmp / tablet).mkdir(exist_ok=True)
    done = subprocess.run([sys.executable, str(driver), url, str(tmp / tablet), str(result_path), phase, *args],
                          env=app_env(display, tmp / tablet), cwd=ROOT, timeout=150, capture_output=True, text=True)
    assert done.returncode == 0, (tablet, phase, done.stderr[-3000:])
    result = json.loads(result_path.read_text(encoding="utf-8"))
    assert "error" not in result, (tablet, phase, result, done.stderr[-3000:])
    return result


def run_driver(driver: str, display: str, tmp_path: Path, server_url: str | None = None, shots: bool = False,
               timeout: float = 180) -> dict:
    """Run the Xvfb driver script ``driver`` (next to this file) with the real app against
    ``server_url`` (a fresh live server when None); its findings, asserted free of an error.
    The driver gets argv: server_url data_dir result_json [shots_dir]."""
    result_path = tmp_path / "result.json"

    def run(url: str) -> None:
        args = [url, str(tmp_path / "desk"), str(result_path)] + ([str(SHOTS)] if shots else [])
        subprocess.run([sys.executable, str(Path(__file__).with_name(driver)), *args],
                       env=app_env(display, tmp_path), cwd=ROOT, timeout=timeout, check=True)

    if server_url is None:
        with LiveServer() as server:
            run(server.base_url)
    else:
        run(server_url)
    result = json.loads(result_path.read_text(encoding="utf-8"))
    assert "error" not in result, (result.get("error"), result)  # the error first: pytest cuts a long dict
    return result


@pytest.fixture(scope="module")
def desk_result(display, tmp_path_factory):
    """One run of ui_walkin_driver.py (the desk's app against a real server); its findings."""
    return run_driver("ui_walkin_driver.py", display, tmp_path_factory.mktemp("desk"), timeout=120)


def test_desk_types_a_phone_sees_new_customer_registers_and_then_sees_a_returning_customer(desk_result):
    result = desk_result
    assert result["first_verdict"].startswith("新客户")
    assert "陈杰" in result["receiver"] and "轮到" in result["receiver"]
    # issue 14: the confirmation numbers the day's visitors and gives the time, so a second save reads differently
    assert result["saved_message"].startswith("已登记（本机今天第 1 位）李娜，由 陈杰 接待，")
    assert "老客户：属于 陈杰" in result["second_verdict"] and "R5" not in result["second_verdict"]  # no rule codes
    assert result["synced"]


def test_returning_customer_shows_the_rules_explanation_in_the_current_language(desk_result):
    result = desk_result
    # just registered: the tablet's provisional reasons or, if the sync was quicker, the server's
    assert "R1" not in result["second_explanation"]  # plain words, no rule codes (issue 14)
    assert "陈杰" in result["second_explanation"] and "首次登记" in result["second_explanation"]
    # after the sync, in English (the server keeps its own text for the owner and managers; the
    # desk gets the engine's steps over what it may see), the claim counted once, not renewed
    assert not result["english_provisional"]
    lines = result["english_explanation"].split("\n")
    assert lines[0].startswith("first registration") and "陈杰" in lines[0]
    assert lines[1:] == [line for line in lines[1:] if line.startswith("protected until")] and len(lines) == 2


def test_screens_never_read_the_store_on_the_ui_thread(desk_result):
    assert desk_result["ui_thread_store_calls"] == [], "screens read the store on the UI thread"


@pytest.fixture(scope="module")
def demo_run(display, tmp_path_factory):
    """One run of ``fieldsync-app --demo-shots`` (the scripted day): (process result, shot files)."""
    tmp_path = tmp_path_factory.mktemp("demo")
    shots = tmp_path / "shots"
    run = subprocess.run([sys.executable, "-m", "mobile.main", "--demo-shots", str(shots)],
                         env=app_env(display, tmp_path), cwd=ROOT, timeout=300, capture_output=True, text=True)
    return run, sorted(shots.glob("*.png"))


def test_demo_scenario_runs_as_scripted_and_saves_a_png_of_every_screen(demo_run):
    run, pngs = demo_run
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert len(pngs) >= 24 and all(p.stat().st_size > 10_000 for p in pngs)
    assert "demo passed" in run.stdout
    # every screen, the 排班 undo dialog included (issue 12 leftovers)
    for name in ("enrol", "rotation_errand", "walkin_new_customer", "sync_rejected_with_reason", "today_visitors",
                 "find_zw", "customer_card", "rotation_undo_list", "rotation_undo_confirm", "home_rep",
                 "my_customers_due", "follow_up_date_picker", "visit_report_signed", "complaint",
                 "deal_small_deposit", "walkin_english"):
        assert any(p.name.endswith(f"_{name}.png") for p in pngs), name


def test_tapping_a_customer_opens_the_follow_up_prefilled_and_starts_a_visit_report_or_complaint(demo_run):
    run, _ = demo_run
    for check in ("the follow-up is prefilled with 王芳 and her phone",  # tapped in 我的客户
                  "the visit report starts with 王芳 as main contact",     # from the follow-up
                  "the complaint starts with 王芳 and her phone"):
        assert "ok   " + check in run.stdout, run.stdout[-3000:]


def test_the_desk_sees_the_rules_explanation_for_returning_and_disputed_customers(demo_run):
    run, _ = demo_run
    for check in ("the desk sees why in plain words: first registration, received by 陈杰, protected until",
                  "the dispute is explained: who registered first",
                  "the English screen explains in English"):
        assert "ok   " + check in run.stdout, run.stdout[-3000:]


def test_a_walkin_confirmed_in_the_console_shows_on_the_desks_sync_screen_as_confirmed_by_zhao_min(demo_run):
    run, pngs = demo_run
    assert "ok   the sync screen shows 已确认：赵敏 beside the confirmed walk-ins" in run.stdout, run.stdout[-3000:]
    assert any(p.name.endswith("_sync_confirmed_by_manager.png") for p in pngs)


@pytest.fixture(scope="module")
def alert_result(display, tmp_path_factory):
    """One run of ui_alert_driver.py: the desk's registration is overtaken by an earlier claim."""
    return run_driver("ui_alert_driver.py", display, tmp_path_factory.mktemp("alert"), shots=True)


def test_a_desk_registration_now_disputed_is_an_alert_on_home_and_sync_in_both_languages(alert_result):
    result = alert_result
    assert result["new_verdict"].startswith("新客户") and result["alerts_before"] == ""
    receiver = result["saved_message"].split("由 ")[1].split(" 接待")[0]
    for key in ("home_alert", "sync_alert"):
        assert result[key].startswith("注意：张伟（") and f"由 {receiver} 接待" in result[key]
        assert "现有归属争议" in result[key] and "暂归 王丽" in result[key]
    for key in ("home_alert_en", "sync_alert_en"):
        assert result[key].startswith("Note: 张伟 (") and "disputed" in result[key] and "王丽" in result[key]
