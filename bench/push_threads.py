"""CPU seconds of ``services.push.push`` in this process, 20 tablets pushing in 20 threads over
a real SQLite store (no HTTP, no profiler): compares storage implementations directly.

    python bench/push_threads.py [ROOT] [RECORDS]    # ROOT: the tree to import (default: this one)

Run it from two trees alternately (e.g. a worktree of the previous commit) for a comparison.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import push as bench  # noqa: E402

from sync_server.services.auth import Caller  # noqa: E402
from sync_server.services.push import PushEnvelope, push  # noqa: E402
from sync_server.storage import open_store  # noqa: E402
from sync_server.storage.base import Device, Site, User  # noqa: E402
from tests.live_server import SITE_ID, USERS  # noqa: E402


def main() -> None:
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    per_tablet = bench.make_records(records, 20)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'threads.db'}")
        store.add_site(Site(SITE_ID, "bench"))
        for username, (role, name) in USERS.items():
            store.add_user(User(username, SITE_ID, name, role, "-"))
        callers = []
        for i in range(len(per_tablet)):
            device = Device(str(uuid.uuid4()), SITE_ID, "desk.li", f"b-{i}", "2026-11-22T00:00:00.000+08:00")
            store.add_device(device, f"t-{i}")
            callers.append(Caller(user=store.get_user("desk.li"), site=store.get_site(SITE_ID), device=device))

        def run(i: int) -> None:
            for start in range(0, len(per_tablet[i]), 500):
                push(store, callers[i], PushEnvelope(
                    callers[i].device.id, datetime.now(bench.CST).isoformat(timespec="milliseconds"),
                    {"boot_id": f"boot-{i}", "elapsed_ms": 10_000_000_000}, per_tablet[i][start:start + 500]))

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(per_tablet))]
        cpu, wall = time.process_time(), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"{ROOT}: {records} walk-ins, CPU {time.process_time() - cpu:.2f} s, "
              f"wall {time.perf_counter() - wall:.2f} s")
        store.close()


if __name__ == "__main__":
    main()
