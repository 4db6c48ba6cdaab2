"""``fieldsync-app --demo-shots DIR``: a scripted reception-and-rep day through the real widgets.

A throwaway server is started; the desk enrols, sets the rotation, registers walk-ins (one
new, one returning), goes offline (registrations keep working), comes back, finds a dispute
and a rejected record, corrects it; the manager confirms two walk-ins in the console and the
desk sees who confirmed them; then a rep's tablet files a visit report with a drawn
signature, a follow-up, a complaint and a deal (小定, then 换房). A PNG of every screen
passed is saved in DIR. Exit status 0 only if every check of the script held.

This module runs the script (``run_demo``); the script is ``demo_desk`` and ``demo_rep`` (and
``demo_deal``), its toolkit ``demo_kit`` (``press`` and ``find_widget`` are re-exported here for
the UI tests' drivers).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from .demo_kit import Demo, ScriptFailed, find_widget, press
from .demo_server import DemoServer

__all__ = ["run_demo", "find_widget", "press"]


def run_demo(shots: Path) -> int:
    """Run the scripted demo; 0 if every check held."""
    shots.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="fieldsync-demo-"))
    os.environ.setdefault("KIVY_HOME", str(workdir / "kivy"))
    server = DemoServer(workdir)
    server.seed()
    server.start()
    from kivy.clock import Clock

    from .app import FieldsyncApp

    app = FieldsyncApp(data_dir=workdir / "desk", sync_interval=60)
    demo = Demo(app, shots, server, workdir)
    app.demo = demo
    steps = demo.script()
    state: dict = {"waiting": None}

    def fail(message: str) -> None:
        demo.failed = message
        print("FAIL " + message, flush=True)
        app.stop()

    def advance(_dt) -> None:
        try:
            if state["waiting"] is not None:
                _, predicate, deadline, what = state["waiting"]
                try:
                    done = predicate()
                except Exception:
                    done = False
                if not done:
                    if time.monotonic() > deadline:
                        fail(f"timed out waiting: {what or predicate}")
                        return
                    Clock.schedule_once(advance, 0.1)
                    return
                state["waiting"] = None
            step = next(steps)
        except StopIteration:
            app.stop()
            return
        except ScriptFailed as exc:
            fail(str(exc))
            return
        except Exception:
            fail(traceback.format_exc())
            return
        if isinstance(step, tuple) and step[0] == "until":
            state["waiting"] = ("until", step[1], time.monotonic() + step[2], step[3])
            Clock.schedule_once(advance, 0.1)
        else:
            Clock.schedule_once(advance, float(step))

    Clock.schedule_once(advance, 1.0)
    try:
        app.run()
    finally:
        server.stop()
        for store, _capture, _client in demo.rep_tablets:
            store.close()
        shutil.rmtree(workdir, ignore_errors=True)
    passed = demo.failed is None and demo.checks and all(ok for _, ok in demo.checks)
    print(f"demo {'passed' if passed else 'FAILED'}: {sum(ok for _, ok in demo.checks)} checks, "
          f"{demo.shot_count} screenshots in {shots}", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(run_demo(Path(sys.argv[1])))
