"""Run local work off the UI thread; hand results back on it (electrum-style)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kivy.clock import Clock

__all__ = ["BackgroundTasks"]


class BackgroundTasks:
    """One worker thread for store reads and writes the screens ask for (keeps them ordered)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldsync-local")
        self.busy = 0

    def run(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[BaseException], None] | None = None) -> None:
        self.busy += 1

        def finish(future) -> None:
            def on_main(_dt) -> None:
                self.busy -= 1
                exc = future.exception()
                if exc is not None:
                    if failed:
                        failed(exc)
                    else:
                        raise exc
                elif done:
                    done(future.result())
            Clock.schedule_once(on_main)

        self._pool.submit(work).add_done_callback(finish)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
