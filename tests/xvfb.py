"""A private Xvfb display for tests and benchmarks that draw the real Kivy window.

    with xvfb() as display:          # ":N", a display number Xvfb chose itself
        subprocess.run([...], env={**os.environ, "DISPLAY": display})

Xvfb picks a free display number and writes it to a pipe (``-displayfd``), so two test
processes started at once never pick the same one (scanning ``/tmp/.X11-unix`` for a free
number raced between parallel runs).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["xvfb"]


@contextmanager
def xvfb(screen: str = "1280x800x24", *, log=subprocess.DEVNULL, timeout_s: float = 30) -> Iterator[str]:
    """Start ``Xvfb`` with one screen of ``screen`` (``WxHxDEPTH``); yield its display
    (``":N"``); stop it on exit. ``RuntimeError`` when it does not come up within ``timeout_s``."""
    read_end, write_end = os.pipe()
    process = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", screen, "-nolisten", "tcp"],
                               pass_fds=(write_end,), stdout=log, stderr=log)
    os.close(write_end)
    try:
        number = _read_display_number(read_end, process, timeout_s)
        yield f":{number}"
    finally:
        os.close(read_end)
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_display_number(read_end: int, process: subprocess.Popen, timeout_s: float) -> int:
    import select

    text = b""
    while not text.endswith(b"\n"):
        ready, _, _ = select.select([read_end], [], [], timeout_s)
        chunk = os.read(read_end, 16) if ready else b""
        if not chunk:
            raise RuntimeError(f"Xvfb did not report a display within {timeout_s:.0f} s (exit code {process.poll()})")
        text += chunk
    return int(text)
