"""CPU seconds of a fresh tablet's first sync, each side alone, on a saved server file (issue 13).

    python bench/snapshot_cpu.py SERVER_DB [--root TREE] [--repeat 3] [--profile DIR] [--save DIR]

``SERVER_DB``: a pushed and tagged server file (``bench/pull.py --keep-db``), copied first
(never written). For a rep (``wang.li``) and a manager (``zhao.min``), alternating, ``--repeat``
times: the server rendering the snapshot the current tablet asks for (``steps=params&keys=tag2``)
in-process (``services.snapshot.snapshot``), then the tablet loading that stream into a fresh
``LocalStore`` file (``LocalStore.load_snapshot``, the lines split as ``requests``'
``iter_lines`` gives them). Prints the median CPU seconds (``time.process_time``: on a shared box
they compare where wall seconds do not), the wall seconds beside them and the snapshot's bytes.
``--root``: the tree to import (another worktree: before and after on the same file and venv).
``--profile DIR``: also a cProfile of each side (one run) into ``DIR``. ``--save DIR``: the
streams as ``DIR/<user>.ndjson``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server_db", type=Path)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--server-only", action="store_true", help="no tablet load (an untagged file: the tablet "
                        "would compute a scrypt a record)")
    args = parser.parse_args()
    sys.path[:0] = [str(args.root.resolve())]
    import requests

    from mobile.store import LocalStore
    from sync_server.services.auth import Caller
    from sync_server.services.snapshot import snapshot
    from sync_server.storage import open_store
    from tests.live_server import SITE_ID

    def lines_of(body: bytes):  # as the tablet's transport hands them (requests' iter_lines)
        answer = requests.Response()
        answer.raw = io.BytesIO(body)
        return answer.iter_lines(chunk_size=256 * 1024)

    print(f"tree {args.root}; {os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="fieldsync-snapcpu-") as tmp:
        folder = Path(tmp)
        copy = folder / "server.db"
        with sqlite3.connect(args.server_db) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        store = open_store(f"sqlite:///{copy}")
        site = store.get_site(SITE_ID)
        assert site is not None, f"no site {SITE_ID} in {args.server_db}"
        devices = {d.username: d for d in store.list_devices(SITE_ID)}
        for round_ in range(args.repeat):
            for username in ("wang.li", "zhao.min"):
                user = store.get_user(username)
                assert user is not None, f"no user {username}: a file bench/pull.py --keep-db saved?"
                device = devices.get(username) or next(iter(devices.values()))
                caller = Caller(user=user, site=site, device=device)
                profile = cProfile.Profile() if args.profile and round_ == 0 else None
                cpu, wall = time.process_time(), time.perf_counter()
                if profile:
                    profile.enable()
                shot = snapshot(store, caller, rendered=False, keys="tag2")
                body = shot.body.read()
                if profile:
                    profile.disable()
                    profile.dump_stats(str(args.profile / f"server-{username}.prof"))
                results.setdefault(("server", username), []).append((time.process_time() - cpu,
                                                                       time.perf_counter() - wall))
                sizes[username] = len(body)
                if args.save and round_ == 0:
                    (args.save / f"{username}.ndjson").write_bytes(body)
                if args.server_only:
                    continue
                path = folder / f"{username}-{round_}.db"
                tablet = LocalStore(path)
                tablet.set_meta(user={"username": username, "role": user.role, "name": user.name, "site_id": SITE_ID})
                profile = cProfile.Profile() if args.profile and round_ == 0 else None
                cpu, wall = time.process_time(), time.perf_counter()
                if profile:
                    profile.enable()
                loaded = tablet.load_snapshot(lines_of(body))
                if profile:
                    profile.disable()
                    profile.dump_stats(str(args.profile / f"tablet-{username}.prof"))
                results.setdefault(("tablet", username), []).append((time.process_time() - cpu,
                                                                       time.perf_counter() - wall))
                assert loaded == shot.count, (loaded, shot.count)
                tablet.close()
                for file in folder.glob(f"{username}-{round_}.db*"):
                    file.unlink()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{'side':<8}{'tablet':<10}{'CPU s (median)':>16}{'CPU s (runs)':>26}{'wall s (median)':>17}{'MB':>7}")
    for (side, username), runs in results.items():
        cpus = ", ".join(f"{c:.2f}" for c, _ in runs)
        print(f"{side:<8}{username:<10}{statistics.median(c for c, _ in runs):>16.2f}{cpus:>26}"
              f"{statistics.median(w for _, w in runs):>17.2f}{sizes[username] / 1e6:>7.1f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
