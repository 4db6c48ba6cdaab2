"""The step runner the Xvfb UI drivers share (run as scripts, they import it as ``ui_steps``).

A driver's script is a generator: it acts on the real app, then yields a condition; the runner
polls that condition on the Kivy clock (never blocking the UI thread) and resumes the script
when it holds. A condition that stays false for ``timeout_s`` seconds, or an exception in the
script, stops the app with ``result["error"]`` saying which; the result is written as JSON."""

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kivy.clock import Clock

__all__ = ["run_steps", "answer_walkin", "save_shot"]


def save_shot(shots_dir: str, name: str) -> str:
    """The window as ``shots_dir/name.png`` (the folder made if missing); its path, or "" when
    ``shots_dir`` is empty (a run that takes no screenshots)."""
    if not shots_dir:
        return ""
    from kivy.core.window import Window

    Path(shots_dir).mkdir(parents=True, exist_ok=True)
    # Kivy numbers the name (tmp-<pid>0001.png) by the first that does not exist yet: a name of
    # this process's own, or two drivers of two test workers write and move the same file
    made = Window.screenshot(name=str(Path(shots_dir) / f"tmp-{os.getpid()}.png"))
    target = Path(shots_dir) / f"{name}.png"
    os.replace(made, target)
    return str(target)


def answer_walkin(app, walkin, party: str = "1", source: str = "walk_in") -> None:
    """来访人数 and 获知渠道 as the desk answers them for each visitor (nothing is preselected,
    issue 14 F6): the party size typed, the channel chosen from the list."""
    walkin.ids.party.text = party
    walkin.ids.source.text = app.t("source." + source, app.lang)


def run_steps(app, steps: Iterator[Callable[[], bool]], result: dict, result_path: str,
              timeout_s: float = 30) -> None:
    """Run ``app`` with ``steps`` driving it; write ``result`` to ``result_path`` when it stops."""
    deadline = [time.monotonic() + timeout_s]
    waiting: list[Callable[[], bool] | None] = [None]

    def tick(_dt) -> None:
        if waiting[0] is not None and not waiting[0]():
            if time.monotonic() > deadline[0]:
                frame = getattr(steps, "gi_frame", None)  # the driver's line that waited (a generator)
                where = f" waiting at line {frame.f_lineno} of {frame.f_code.co_filename}" if frame else ""
                result["error"] = f"timed out{where} after {sorted(result)}"
                app.stop()
                return
            Clock.schedule_once(tick, 0.1)
            return
        try:
            waiting[0] = next(steps)
            deadline[0] = time.monotonic() + timeout_s
        except StopIteration:
            app.stop()
            return
        except Exception as exc:  # noqa: BLE001 - reported to the test
            result["error"] = repr(exc)
            app.stop()
            return
        Clock.schedule_once(tick, 0.1)

    Clock.schedule_once(tick, 0.5)
    app.run()
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)
