"""``fieldsync-app``: the tablet app, or ``--demo-shots DIR`` for the scripted demo."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldsync-app", description="fieldsync tablet app (reception and reps)")
    parser.add_argument("--server", help="server address to offer on the enrol screen, e.g. http://10.0.0.2:8000")
    parser.add_argument("--data-dir", default=os.environ.get("FIELDSYNC_DATA", str(Path.home() / ".fieldsync")),
                        help="where the tablet keeps its store (default ~/.fieldsync)")
    parser.add_argument("--sync-interval", type=float, default=180.0, help="seconds between automatic syncs")
    parser.add_argument("--demo-shots", metavar="DIR",
                        help="run the scripted reception-and-rep demo against a throwaway server; save PNGs in DIR")
    parser.add_argument("--size", default="1280x800", help="window size WxH (a 10-inch tablet in landscape)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    width, height = (int(v) for v in args.size.lower().split("x"))
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")
    if args.demo_shots:
        from .demo import run_demo

        return run_demo(Path(args.demo_shots))
    from .app import FieldsyncApp

    FieldsyncApp(data_dir=args.data_dir, server_url=args.server, sync_interval=args.sync_interval).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
