"""Fixtures for the console tests: one real server seeded over HTTP, one headless Chromium.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright for Python; browsers are
never downloaded. Screenshots of every page land in tests/artifacts/console/ (gitignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import requests

from tests.console.seed import SeededDay, seed_day
from tests.live_server import PASSWORD, LiveServer

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "console"
CHROMIUM = os.environ.get("FIELDSYNC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(request):
    """The module's server, on a temporary SQLite file; on a fresh PostgreSQL database of the
    shared test PostgreSQL when ``FIELDSYNC_CONSOLE_DB=postgresql`` (the console's cases once
    more on the other backend, as a manager on PostgreSQL sees them)."""
    env = {"FIELDSYNC_CONSOLE_SECRET": "console-test-secret-0123456789"}
    if os.environ.get("FIELDSYNC_CONSOLE_DB", "sqlite") != "postgresql":
        with LiveServer(env=env) as live:
            yield live
        return
    from tests.postgres_server import fresh_database

    with fresh_database("console_" + re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])) as url, \
            LiveServer(env=env, db_url=url) as live:
        yield live


@pytest.fixture(scope="module")
def day(server) -> SeededDay:
    return seed_day(server)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.base_url, locale="zh-CN", accept_downloads=True,
                                  viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def shot(page, name: str) -> Path:
    """Save a full-page screenshot as tests/artifacts/console/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, username: str = "zhao.min", password: str = PASSWORD) -> None:
    page.goto("/console/login")
    page.fill("#username", username)
    page.fill("#password", password)
    submit(page, "main form[action='/console/login'] button[type=submit]")


def submit(page, target) -> None:
    """Click ``target`` (a Locator or a selector) that submits a form or follows a link, and return
    once the page it leads to has loaded (after any redirect: POST, 303, GET).

    Playwright's click returns when the navigation has committed, before the new document is
    parsed: a read that does not wait (``is_visible``, ``count``, ``content``) right after it can
    see an empty page on a loaded machine (a CI run of 2026-12-02 read no decision after 裁定)."""
    with page.expect_navigation():
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()


def requests_session(server, username: str = "zhao.min", lang: str | None = None) -> requests.Session:
    """A signed-in console session without a browser (for status codes and headers);
    ``lang``: the browser's language at sign-in (``en`` or ``zh``; the session keeps it)."""
    session = requests.Session()
    if lang is not None:
        session.headers["Accept-Language"] = "en" if lang == "en" else "zh-CN"
    form = session.get(server.base_url + "/console/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    session.post(server.base_url + "/console/login", timeout=30,
                 data={"username": username, "password": PASSWORD, "csrf_token": csrf, "next": "/console/disputes"})
    return session


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
