"""The server's share of a fresh tablet's first sync: rendering the snapshot, in-process (issue 13).

    python bench/snapshot_render.py ROOT [--records 20000] [--repeat 3]   # ROOT: the tree to import

Pushes ``--records`` walk-ins of ``bench/push.py``'s workload (20 desk tablets, batches of
500) through ``services.push.push`` of the tree at ``ROOT`` into a real SQLite file, then
renders ``services.snapshot.snapshot`` for a rep (``wang.li``) and a manager (``zhao.min``),
``--repeat`` times each, and prints the median wall and CPU seconds (``time.process_time``:
on a shared, loaded box the CPU seconds compare, the wall seconds less) and the snapshot's
bytes. Where the tree knows ``steps=params`` (issue 13) it renders both ways, alternating:
``text`` (what an old tablet gets) and ``params`` (what the current tablet asks for). Run it
for two trees to compare (e.g. a ``git archive`` of the commit before).
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

CST = timezone(timedelta(hours=8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path[:0] = [str(root)]
    from bench.push import make_records
    from sync_server.services.auth import Caller
    from sync_server.services.push import PushEnvelope, push
    from sync_server.services.snapshot import snapshot
    from sync_server.storage import open_store
    from sync_server.storage.base import Device, Site, User
    from tests.live_server import SITE_ID, USERS

    per_tablet = make_records(args.records, 20)
    ways = ["text", "params"] if "rendered" in inspect.signature(snapshot).parameters else ["text"]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'render.db'}")
        store.add_site(Site(SITE_ID, "bench"))
        for username, (role, name) in USERS.items():
            store.add_user(User(username, SITE_ID, name, role, "-"))
        site = store.get_site(SITE_ID)
        callers = []
        for i in range(len(per_tablet)):
            device = Device(str(uuid.UUID(int=i + 1)), SITE_ID, "desk.li", f"bench-{i}", "2026-11-22T00:00:00.000+08:00")
            store.add_device(device, f"token-{i}")
            callers.append(Caller(user=store.get_user("desk.li"), site=site, device=device))
        for start in range(0, max(len(r) for r in per_tablet), 500):
            for i, records in enumerate(per_tablet):
                if records[start:start + 500]:
                    push(store, callers[i], PushEnvelope(
                        callers[i].device.id, datetime.now(CST).isoformat(timespec="milliseconds"),
                        {"boot_id": f"boot-{i}", "elapsed_ms": 10_000_000_000}, records[start:start + 500]))
        readers = {}
        for username in ("wang.li", "zhao.min"):
            device = Device(str(uuid.uuid5(uuid.NAMESPACE_URL, username)), SITE_ID, username, username,
                            "2026-11-22T00:00:00.000+08:00")
            store.add_device(device, f"token-{username}")
            readers[username] = Caller(user=store.get_user(username), site=site, device=device)
        print(f"{root}: {args.records} walk-ins; load average {__import__('os').getloadavg()[0]:.1f}")
        print(f"{'caller':<10}{'steps':<8}{'changes':>9}{'MB':>8}{'wall s':>9}{'CPU s':>8}")
        for username, caller in readers.items():
            times: dict[str, list[tuple[float, float]]] = {way: [] for way in ways}
            sizes: dict[str, tuple[int, int]] = {}
            for _ in range(args.repeat):
                for way in ways:
                    wall, cpu = time.perf_counter(), time.process_time()
                    taken = (snapshot(store, caller, rendered=way == "text") if len(ways) > 1
                             else snapshot(store, caller))
                    times[way].append((time.perf_counter() - wall, time.process_time() - cpu))
                    sizes[way] = (taken.count, taken.size)
                    taken.body.close()
            for way in ways:
                print(f"{username:<10}{way:<8}{sizes[way][0]:>9}{sizes[way][1] / 1e6:>8.1f}"
                      f"{statistics.median(t[0] for t in times[way]):>9.2f}"
                      f"{statistics.median(t[1] for t in times[way]):>8.2f}")
        store.close()


if __name__ == "__main__":
    main()
