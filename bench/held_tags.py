"""Tags a fresh manager tablet computes at its first sync (issue 13 / 14), one command:

    python bench/held_tags.py [--held 300] [--bulk 250]

Two real ``fieldsync-server serve`` processes on temp SQLite files (tests/live_server.py), real
``LocalStore`` files and the real ``SyncClient`` (the bootstrap snapshot, ``keys=tag2``):

- **held**: a server with ``FIELDSYNC_RECORD_BUDGET=2``; the desk pushes ``--held`` + 2 new
  walk-ins in one push (all but 2 held: no customer row), the bench waits until the tagger has
  tagged every customer and (where the server has ``held_phone_tags``) every held phone, then a
  fresh manager tablet syncs;
- **backlog**: a server with the default budget; the desk pushes ``--bulk`` new walk-ins in one
  push (more than ``tagging.NOW_AT_MOST``: the background tagger's), and a fresh manager tablet
  syncs right away, during the tagger's backlog; then a second fresh manager tablet.

For each sync: wall seconds, the tablet's scrypts (``phone_tag2.cache_info().misses``), the
CPU seconds of the tablet (this process) and of the server process (``/proc``). The tablet's
scrypt here is this box's (~15-25 ms a tag2), not a tablet's (30-60 ms).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pull import cpu_seconds  # noqa: E402

from mobile.store import LocalStore  # noqa: E402
from mobile.sync.client import SyncClient  # noqa: E402
from shared.phones import phone_tag2  # noqa: E402
from tests.live_server import PASSWORD, LiveServer  # noqa: E402
from tests.server.helpers import MANAGER, Tablet  # noqa: E402


def _untagged(db_path: Path) -> int:
    """Customers lacking a tag of either kind, plus held phones lacking one (where the table exists)."""
    with sqlite3.connect(db_path) as conn:
        (left,) = conn.execute("SELECT count(*) FROM customers WHERE phone_tag IS NULL OR phone_tag2 IS NULL").fetchone()
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'held_phone_tags'").fetchone():
            left += conn.execute("SELECT count(*) FROM held_phone_tags WHERE phone_tag IS NULL OR phone_tag2 IS NULL"
                                 ).fetchone()[0]
    return left


def _push(server: LiveServer, n: int, prefix: str) -> None:
    desk = Tablet(server, "desk.li", f"bench desk {prefix}")
    records = [desk.record("walkin", name=f"客户{i}", phone=f"{prefix}{i:05d}", rep="wang.li") for i in range(n)]
    for start in range(0, n, 1000):
        desk.push(*records[start:start + 1000])


def _manager_sync(server: LiveServer, folder: Path, name: str) -> dict:
    store = LocalStore(folder / name / "fieldsync.db")
    client = SyncClient(store)
    client.enroll(server.base_url, MANAGER, PASSWORD, name)
    phone_tag2.cache_clear()
    pid = server.process.pid if server.process else 0
    server_cpu, tablet_cpu, began = cpu_seconds(pid), time.process_time(), time.perf_counter()
    client.sync()
    figures = {"seconds": time.perf_counter() - began, "scrypts": phone_tag2.cache_info().misses,
               "tablet_cpu": time.process_time() - tablet_cpu, "server_cpu": cpu_seconds(pid) - server_cpu}
    store.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--held", type=int, default=300)
    parser.add_argument("--bulk", type=int, default=250)
    args = parser.parse_args()
    rows: list[tuple[str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="held-tags-") as tmp:
        with LiveServer(env={"FIELDSYNC_RECORD_BUDGET": "2"}) as server:
            _push(server, args.held + 2, "137001")
            began = time.perf_counter()
            while _untagged(server.db_path) and time.perf_counter() - began < 1800:
                time.sleep(0.5)
            print(f"held: tagger settled in {time.perf_counter() - began:.1f} s", flush=True)
            rows.append((f"held ({args.held} held walk-ins), fresh manager", _manager_sync(server, Path(tmp), "m-held")))
        with LiveServer() as server:
            _push(server, args.bulk, "137002")
            rows.append((f"backlog ({args.bulk} new customers), fresh manager", _manager_sync(server, Path(tmp), "m-1")))
            rows.append(("backlog, a second fresh manager right after", _manager_sync(server, Path(tmp), "m-2")))
    print("| case | seconds | tablet scrypts | tablet CPU s | server CPU s |")
    print("|---|---|---|---|---|")
    for label, f in rows:
        print(f"| {label} | {f['seconds']:.2f} | {f['scrypts']} | {f['tablet_cpu']:.2f} | {f['server_cpu']:.2f} |")


if __name__ == "__main__":
    main()
