"""The demo's toolkit (``--demo-shots``): finding and pressing widgets as a finger would, and
``Demo``, the script's state (screenshots taken, checks made, the other tablets) and helpers.
The script itself: ``demo_desk`` (the desk's day), ``demo_rep`` (a rep's tablet), ``demo_deal``;
the runner: ``demo.run_demo``."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .demo_server import PASSWORD, DemoServer

__all__ = ["Demo", "ScriptFailed", "find_widget", "press"]


def find_widget(root, predicate: Callable) -> object | None:
    """The first widget under ``root`` (depth first) for which ``predicate`` holds."""
    todo = [root]
    while todo:
        widget = todo.pop(0)
        if predicate(widget):
            return widget
        todo.extend(widget.children[::-1])  # kivy keeps children last-added first
    return None


def press(button) -> None:
    """Press and release a button as a finger would: the same calls as ButtonBehavior's touch
    handlers (state changes, toggle groups, on_press, on_release)."""
    button._do_press()
    button.dispatch("on_press")
    button._do_release()
    button.dispatch("on_release")


class ScriptFailed(Exception):
    pass


class Demo:
    """The scripted day's state; ``script`` yields the waits the runner (``run_demo``) honours:
    a number of seconds, or ``until(predicate, timeout, what)``."""

    def __init__(self, app, shots: Path, server: DemoServer, workdir: Path):
        self.app, self.shots, self.server, self.workdir = app, shots, server, workdir
        self.checks: list[tuple[str, bool]] = []
        self.rep_tablets: list[tuple] = []
        self.shot_count = 0
        self.failed: str | None = None

    # -- helpers -----------------------------------------------------------------------------
    def shot(self, name: str) -> None:
        from kivy.core.window import Window

        self.shot_count += 1
        target = self.shots / f"{self.shot_count:02d}_{name}.png"
        made = Window.screenshot(name=str(self.shots / "tmp.png"))
        os.replace(made, target)

    def check(self, what: str, ok: bool) -> None:
        self.checks.append((what, bool(ok)))
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            raise ScriptFailed(what)

    def screen(self, name: str):
        return self.app.screen(name)

    def type_into(self, screen_name: str, field: str, text: str) -> None:
        self.screen(screen_name).ids[field].text = text

    def answer_walkin(self, party: str = "1", source: str = "walk_in") -> None:
        """来访人数 and 获知渠道, asked of each visitor (nothing is preselected, issue 14 F6)."""
        walkin = self.screen("walkin")
        walkin.ids.party.text = party
        walkin.ids.source.text = self.app.t("source." + source, self.app.lang)

    def tap(self, screen_name: str, predicate) -> None:
        button = find_widget(self.screen(screen_name), predicate)
        if button is None:
            raise ScriptFailed(f"no such button on {screen_name}")
        press(button)

    def tap_text(self, screen_name: str, text: str) -> None:
        self.tap(screen_name, lambda w: getattr(w, "text", None) == text and hasattr(w, "on_release"))

    def until(self, predicate, timeout: float = 20.0, what: str = ""):
        return ("until", predicate, timeout, what)

    def walkin_status(self, phone_key: str):
        status = self.screen("walkin").status
        return status if status is not None and status.phone_key == phone_key else None

    def rep_tablet(self, username: str) -> tuple:
        """Another rep's tablet, driven through the same services (no window of its own)."""
        from .services import RecordCapture
        from .store import LocalStore
        from .sync import SyncClient

        store = LocalStore(self.workdir / f"tablet-{username}" / "fieldsync.db")
        client = SyncClient(store)
        client.enroll(self.server.base_url, username, PASSWORD, f"{username}-tablet")
        tablet = (store, RecordCapture(store), client)
        self.rep_tablets.append(tablet)
        return tablet

    def script(self):
        """The whole day: the desk's (``demo_desk``), then a rep's tablet (``demo_rep``)."""
        from .demo_desk import desk_steps
        from .demo_rep import rep_steps

        yield from desk_steps(self)
        yield from rep_steps(self)
