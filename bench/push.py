"""Push throughput: 100,000 walk-ins from 20 tablets over HTTP against raw SQLite inserts.

    python bench/push.py [--records N] [--tablets 20] [--batch 500] [--repeat 1]
                         [--db postgresql://…/empty_db --workers 3 --sites 20]
    python bench/push.py --profile [--records 20000]   # where the server's time goes
    python bench/push.py --against /work/wt/oldstore --repeat 3   # this tree's server vs another's

Starts a real ``fieldsync-server serve`` (tests/live_server.py) on a temp SQLite file, has
20 enrolled tablets push walk-ins (20% of them about customers another walk-in also names)
concurrently in batches of 500, then inserts the same rows with plain
``sqlite3.executemany`` into a table with the same columns and indexes (one transaction per
batch, same pragmas), and prints records/s for both and the ratio, plus the CPU seconds the
server process and this client used during the HTTP run (the box has 2 CPUs; the server's
Python runs on one of them at a time). ``--repeat`` runs both paths that many times,
alternating, and prints every run and the median ratio.

``--against ROOT`` instead alternates the HTTP push against this tree's server and against
the server of the tree at ``ROOT`` (its own ``.venv``; e.g. a worktree of an older commit),
``--repeat`` pairs of runs with the order flipped every pair, and prints records/s and server
CPU seconds per record for both and the medians of the per-pair ratios: on a shared, noisy
machine only figures taken side by side compare.

``--profile`` instead runs ``services.push.push`` in this process under cProfile (timing CPU
seconds, not wall: on a shared box a wait for a CPU would be charged to whatever ran) over a real
SQLite store (same records, devices and batches, pushes taken round-robin as the threads
would) and prints where the time goes, by area and by function.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tests.live_server as live_server  # noqa: E402
from sync_server.storage.migrations.legacy import SQLITE as MIGRATIONS  # noqa: E402
from tests.live_server import LiveServer, enroll  # noqa: E402

CST = timezone(timedelta(hours=8))
REPS = ("wang.li", "zhang.qiang", "chen.jie")


def make_records(total: int, tablets: int, seed: int = 7) -> list[list[dict]]:
    """Per tablet, its walk-ins in seq order; 20% name a phone from a shared pool."""
    rng = random.Random(seed)
    shared_pool = [f"135{n:08d}" for n in range(max(1, total // 20))]
    start = datetime.now(CST) - timedelta(hours=4)
    per_tablet: list[list[dict]] = [[] for _ in range(tablets)]
    for n in range(total):
        tablet = n % tablets
        phone = rng.choice(shared_pool) if rng.random() < 0.2 else f"139{n:08d}"
        at = start + timedelta(milliseconds=n * 100)
        seq = len(per_tablet[tablet]) + 1
        per_tablet[tablet].append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "seq": seq, "type": "walkin",
            "captured_at": at.isoformat(timespec="milliseconds"),
            "clock": {"boot_id": f"boot-{tablet}", "elapsed_ms": 1_000_000 + n * 100},
            "rep": REPS[n % len(REPS)], "customer": {"name": "客户", "phone": phone},
            "data": {"party_size": 2, "source": "walk_in", "visit": "first", "intent": "B", "notes": ""}})
    return per_tablet


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _site_user(username: str, site: int) -> str:
    """Site 1 is the live server's seeded ``s1`` with its users; site k > 1 has ``name.sk``."""
    return username if site == 1 else f"{username}.s{site}"


def add_sites(db_url: str, sites: int) -> None:
    """Sites s2..s<sites>, each with a reception user and the reps of ``REPS`` (``_site_user``)."""
    from sync_server.services import admin
    from sync_server.storage import open_store
    from sync_server.storage.base import Site
    from tests.live_server import PASSWORD

    store = open_store(db_url)
    try:
        for k in range(2, sites + 1):
            admin.add_site(store, Site(id=f"s{k}", name=f"bench site {k}"))
            for username, role in (("desk.li", "reception"), *((rep, "rep") for rep in REPS)):
                admin.add_user(store, site_id=f"s{k}", username=_site_user(username, k), password=PASSWORD,
                               role=role, name=username)
    finally:
        store.close()


def spread_over_sites(per_tablet: list[list[dict]], sites: int) -> list[list[dict]]:
    """Tablet i belongs to site ``i % sites + 1``: its records name that site's reps."""
    return [[{**r, "rep": _site_user(r["rep"], i % sites + 1)} for r in records]
            for i, records in enumerate(per_tablet)]


def bench_http(per_tablet: list[list[dict]], batch: int, db_url: str | None = None,
               workers: int = 1, sites: int = 1) -> tuple[float, int, float, float]:
    """``(seconds, accepted, server CPU seconds, client CPU seconds)`` of the HTTP run;
    tablet i pushes to site ``i % sites + 1``."""
    # several workers must share the console's signing key (serve refuses to start without one)
    with LiveServer(db_url=db_url, serve_args=["--workers", str(workers)],
                    env={"FIELDSYNC_CONSOLE_SECRET": "bench-shared-console-secret",
                         # a bulk load through desks: no record held by the budget (issue 14)
                         "FIELDSYNC_RECORD_BUDGET": "1000000"}) as server:
        return push_all(server, per_tablet, batch, sites)


def push_all(server: LiveServer, per_tablet: list[list[dict]], batch: int,
             sites: int = 1) -> tuple[float, int, float, float]:
    """Enrol one desk tablet per list and push them all concurrently over HTTP, in batches of
    ``batch``; ``(seconds, accepted, server CPU seconds, client CPU seconds)``."""
    if sites > 1:
        add_sites(server.db_url, sites)
        per_tablet = spread_over_sites(per_tablet, sites)
    devices = [enroll(server.base_url, _site_user("desk.li", i % sites + 1), f"bench-{i}")
               for i in range(len(per_tablet))]
    errors: list[str] = []
    accepted = [0]
    lock = threading.Lock()

    def run(i: int) -> None:
        device_id, token = devices[i]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        records = per_tablet[i]
        for start in range(0, len(records), batch):
            chunk = records[start:start + batch]
            body = {"device_id": device_id, "sent_at": datetime.now(CST).isoformat(timespec="milliseconds"),
                    "clock": {"boot_id": f"boot-{i}", "elapsed_ms": 10_000_000_000}, "records": chunk}
            response = session.post(server.url("/sync/push"), json=body, timeout=600)
            if response.status_code != 200:
                errors.append(response.text[:200])
                return
            ok = sum(r["status"] == "accepted" for r in response.json()["results"])
            with lock:
                accepted[0] += ok

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(per_tablet))]
    assert server.process is not None
    server_cpu, client_cpu = _cpu_seconds(server.process.pid), time.process_time()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    server_cpu = _cpu_seconds(server.process.pid) - server_cpu
    client_cpu = time.process_time() - client_cpu
    if errors:
        raise SystemExit(f"push failed: {errors[0]}")
    return elapsed, accepted[0], server_cpu, client_cpu


def bench_http_of(root: Path | None, per_tablet: list[list[dict]], batch: int) -> tuple[float, int, float, float]:
    """``bench_http`` against the server of the tree at ``root`` (None: this tree)."""
    if root is None:
        return bench_http(per_tablet, batch)
    saved = live_server.ROOT, live_server._command
    live_server.ROOT = root
    live_server._command = lambda: [str(root / ".venv" / "bin" / "python"), "-m", "sync_server"]
    try:
        return bench_http(per_tablet, batch)
    finally:
        live_server.ROOT, live_server._command = saved


def against(per_tablet: list[list[dict]], batch: int, root: Path, repeat: int) -> None:
    """Pairs of HTTP runs, this tree vs ``root``, alternating; medians of the per-pair ratios."""
    records = sum(map(len, per_tablet))
    print(f"{records} walk-ins, {len(per_tablet)} tablets, batches of {batch}, sqlite; this tree {ROOT} "
          f"vs baseline {root}; {os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
    print(f"{'pair':<5}{'server':<10}{'seconds':>9}{'records/s':>11}{'server CPU s':>14}{'CPU µs/record':>15}")
    rate_ratios, cpu_ratios, rates, cpus = [], [], {"this": [], "base": []}, {"this": [], "base": []}
    for pair in range(1, repeat + 1):
        order = [("this", None), ("base", root)] if pair % 2 else [("base", root), ("this", None)]
        got = {}
        for name, tree in order:
            seconds, accepted, server_cpu, _ = bench_http_of(tree, per_tablet, batch)
            if accepted != records:
                raise SystemExit(f"{name}: only {accepted} of {records} records were accepted")
            got[name] = (records / seconds, server_cpu)
            rates[name].append(records / seconds)
            cpus[name].append(server_cpu)
            print(f"{pair:<5}{name:<10}{seconds:>9.2f}{records / seconds:>11.0f}{server_cpu:>14.1f}"
                  f"{server_cpu / records * 1e6:>15.0f}", flush=True)
        rate_ratios.append(got["this"][0] / got["base"][0])
        cpu_ratios.append(got["this"][1] / got["base"][1])
        print(f"{pair:<5}{'this/base':<10}{'':>9}{rate_ratios[-1]:>11.3f}{cpu_ratios[-1]:>14.3f}", flush=True)

    print(f"median records/s: this {statistics.median(rates['this']):.0f}, base {statistics.median(rates['base']):.0f}; "
          f"median server CPU s: this {statistics.median(cpus['this']):.1f}, base {statistics.median(cpus['base']):.1f}")
    print(f"median ratio this/base: records/s {statistics.median(rate_ratios):.3f}, server CPU {statistics.median(cpu_ratios):.3f} "
          f"({repeat} pairs); load average after: {os.getloadavg()[0]:.1f}")


def bench_raw(per_tablet: list[list[dict]], batch: int) -> float:
    """The same rows into the same ``records`` table and indexes, with nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(str(Path(tmp) / "raw.db"), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        schema = MIGRATIONS[0][1]
        for statement in schema.split(";"):
            if "records" in statement and statement.strip():
                conn.execute(statement)
        rows = []
        for tablet, records in enumerate(per_tablet):
            for r in records:
                rows.append((r["id"], "s1", f"device-{tablet}", "desk.li", r["seq"], "walkin", r["rep"],
                             "+86" + r["customer"]["phone"], None, None, r["customer"]["name"], r["captured_at"],
                             r["captured_at"], 2000, "same_boot", r["captured_at"], r["id"],
                             json.dumps(r, ensure_ascii=False), len(rows) + 1))
        sql = f"INSERT INTO records VALUES ({','.join('?' * 19)})"
        began = time.perf_counter()
        for start in range(0, len(rows), batch):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, rows[start:start + batch])
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - began
        conn.close()
    return elapsed


# -- in-process profile ----------------------------------------------------------------

_AREAS = [  # (label, function whose cumulative time is the area), printed in this order
    ("validate records (parse_record)", ("shared/records.py", "parse_record")),
    ("  of which phones (normalise_phone)", ("shared/phones.py", "normalise_phone")),
    ("decide ownership (decide_ownership)", ("shared/ownership.py", "decide_ownership")),
    ("rebuild stored records for the engine", ("services/ownership.py", "timed_record")),
    ("render explanations (Step.as_dict)", ("shared/explain.py", "as_dict")),
    ("insert records", ("storage/sql/records.py", "insert_records")),
    ("read the touched units' records", ("storage/sql/records.py", "records_for_keys_reusing")),
    ("write customers", ("storage/sql/ownership.py", "save_customers")),
    ("write conflicts", ("storage/sql/ownership.py", "save_conflicts")),
    ("commit (fsync)", ("contextlib.py", "__exit__")),
]


def profile_push(per_tablet: list[list[dict]], batch: int, top: int = 25) -> None:
    """``services.push.push`` in this process under cProfile, over a real SQLite store."""
    from sync_server.services.auth import Caller
    from sync_server.services.push import PushEnvelope, push
    from sync_server.storage import open_store
    from sync_server.storage.base import Device, Site, User
    from tests.live_server import SITE_ID, USERS

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'profile.db'}")
        store.add_site(Site(SITE_ID, "bench"))
        for username, (role, name) in USERS.items():
            store.add_user(User(username, SITE_ID, name, role, "-"))
        callers = []
        for i in range(len(per_tablet)):
            device = Device(str(uuid.uuid4()), SITE_ID, "desk.li", f"bench-{i}", "2026-11-22T00:00:00.000+08:00")
            store.add_device(device, f"token-{i}")
            callers.append(Caller(user=store.get_user("desk.li"), site=store.get_site(SITE_ID), device=device))
        rounds = range(0, max(len(records) for records in per_tablet), batch)
        pushes = [(i, records[start:start + batch]) for start in rounds
                  for i, records in enumerate(per_tablet) if records[start:start + batch]]
        profiler = cProfile.Profile(time.process_time)  # CPU time: the box is shared
        total = sum(len(chunk) for _, chunk in pushes)
        began, cpu = time.perf_counter(), time.process_time()
        for i, chunk in pushes:
            envelope = PushEnvelope(callers[i].device.id, datetime.now(CST).isoformat(timespec="milliseconds"),
                                    {"boot_id": f"boot-{i}", "elapsed_ms": 10_000_000_000}, chunk)
            profiler.enable()
            push(store, callers[i], envelope)
            profiler.disable()
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        store.close()
    stats = pstats.Stats(profiler)
    print(f"{total} walk-ins in {len(pushes)} pushes, in-process under cProfile: {elapsed:.2f} s "
          f"({total / elapsed:.0f} records/s, CPU {cpu:.2f} s; cProfile itself slows it ~1.5-2x)")
    whole = stats.total_tt
    print(f"{'area (cumulative, areas overlap where indented)':<48}{'CPU s':>9}{'share':>8}")
    for label, (path, name) in _AREAS:
        spent = sum(entry[3] for (file, _, func), entry in stats.stats.items()  # type: ignore[attr-defined]
                    if func == name and file.endswith(path))
        print(f"{label:<48}{spent:>9.2f}{spent / whole:>8.0%}")
    print(f"{'everything':<48}{whole:>9.2f}{1:>8.0%}\n")
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=None, help="default 100,000 (20,000 with --profile)")
    parser.add_argument("--tablets", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1, help="run both paths this many times, alternating")
    parser.add_argument("--db", help="serve this empty database (e.g. postgresql://…) instead of a temp SQLite file")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--sites", type=int, default=1, help="spread the tablets over this many sites")
    parser.add_argument("--profile", action="store_true", help="profile services.push in-process instead")
    parser.add_argument("--against", type=Path, help="alternate with the server of the tree at this root")
    args = parser.parse_args()
    records = args.records or (20_000 if args.profile else 100_000)
    per_tablet = make_records(records, args.tablets)
    if args.profile:
        profile_push(per_tablet, args.batch)
        return
    if args.against:
        against(per_tablet, args.batch, args.against.resolve(), args.repeat)
        return
    print(f"{records} walk-ins, {args.tablets} tablets, batches of {args.batch}, "
          f"{(args.db or 'sqlite').split(':')[0]}, {args.workers} worker(s), {args.sites} site(s); "
          f"{os.cpu_count()} CPUs; load average before: "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'run':<5}{'path':<32}{'seconds':>9}{'records/s':>11}{'server CPU s':>14}{'client CPU s':>14}"
          f"{'ratio':>8}")
    ratios = []
    for run in range(1, args.repeat + 1):
        http_s, accepted, server_cpu, client_cpu = bench_http(per_tablet, args.batch, args.db, args.workers,
                                                               args.sites)
        if accepted != records:
            raise SystemExit(f"only {accepted} of {records} records were accepted")
        raw_s = bench_raw(per_tablet, args.batch)
        http_rate, raw_rate = records / http_s, records / raw_s
        ratios.append(http_rate / raw_rate)
        print(f"{run:<5}{'HTTP push (validate+own+store)':<32}{http_s:>9.2f}{http_rate:>11.0f}{server_cpu:>14.1f}"
              f"{client_cpu:>14.1f}{'':>8}")
        print(f"{run:<5}{'raw sqlite3.executemany':<32}{raw_s:>9.2f}{raw_rate:>11.0f}{'':>14}{'':>14}"
              f"{ratios[-1]:>8.3f}")
    ratios.sort()
    print(f"ratio push/raw: {ratios[len(ratios) // 2]:.3f}" + (f" (median of {len(ratios)}; "
          f"{ratios[0]:.3f}-{ratios[-1]:.3f})" if len(ratios) > 1 else "")
          + f"; load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
