"""Tablet benchmarks (one command): ``python bench/mobile.py``.

1. local phone look-up with 100,000 customers in the replica (p95, target < 5 ms);
2. saving a registration, durable (WAL, synchronous=FULL) (p95, target < 20 ms);
3. the longest UI-frame gap while a 10,000-record sync runs (target < 100 ms): the real app
   under Xvfb (started here if DISPLAY is unset) syncing with a real server process.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mobile.services import CustomerLookup, RecordCapture  # noqa: E402
from mobile.store import LocalStore  # noqa: E402
from shared.phones import normalise_phone, phone_hash  # noqa: E402

SITE = {"change_id": 1, "kind": "site", "site": {"id": "s1", "name": "星河湾销售中心", "validity_days": 30,
                                                 "household": "split", "region": "CN", "utc_offset_minutes": 480}}
REPS = [("wang.li", "王丽"), ("zhang.qiang", "张强"), ("chen.jie", "陈杰")]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[94]


def phone(i: int) -> str:
    return f"13{i % 10}{i:08d}"[:11]


def seeded_store(path: Path, customers: int) -> LocalStore:
    store = LocalStore(path)
    store.set_meta(user={"username": "desk.li", "role": "reception", "site_id": "s1"})
    store.apply_changes([SITE] + [{"change_id": 2 + i, "kind": "user", "user": {"username": u, "name": n, "role": "rep",
                                                                               "active": True}}
                                  for i, (u, n) in enumerate(REPS)], "4")
    surnames = "王李张刘陈杨赵黄周吴"
    change = 10
    for start in range(0, customers, 5000):
        page = []
        for i in range(start, min(start + 5000, customers)):
            change += 1
            key = normalise_phone(phone(i))
            rep, name = REPS[i % 3]
            page.append({"change_id": change, "kind": "ownership", "customer": {
                "customer_id": f"c{i}", "phone_hash": phone_hash("s1", key), "phone_masked": key[:6] + "****" + key[-4:],
                "phone": None, "name": surnames[i % 10] + "客" + str(i), "owner": rep, "owner_name": name,
                "status": "protected", "protected_until": "2099-01-01T00:00:00.000+08:00",
                "first_registered_at": "2026-11-01T10:00:00.000+08:00", "split": None, "explanation": []}})
        store.apply_changes(page, str(change))
    return store


def bench_lookup(tmp: Path) -> tuple[float, float]:
    store = seeded_store(tmp / "lookup.db", 100_000)
    lookup = CustomerLookup(store)
    rng = random.Random(7)
    samples, named = [], []
    for n in range(1000):
        i = rng.randrange(120_000)  # about a sixth are numbers nobody registered
        t0 = time.perf_counter()
        answer = lookup.check(phone(i))
        samples.append((time.perf_counter() - t0) * 1000)
        assert answer.verdict == ("returning" if i < 100_000 else "new"), (i, answer)
        if n < 300:
            t0 = time.perf_counter()
            lookup.check(phone(i), name="王客" + str(i))
            named.append((time.perf_counter() - t0) * 1000)
    store.close()
    return p95(samples), p95(named)


def bench_save(tmp: Path) -> float:
    store = seeded_store(tmp / "save.db", 0)
    capture = RecordCapture(store)
    samples = []
    for i in range(300):
        t0 = time.perf_counter()
        capture.capture("walkin", name="张伟", phone=phone(i), rep="wang.li", data={"visit": "first", "party_size": 2},
                        rotation_event={"kind": "receive", "visit": "new", "rep": "wang.li"})
        samples.append((time.perf_counter() - t0) * 1000)
    store.close()
    return p95(samples)


FRAME_SCRIPT = r'''
import sys, time, json
from kivy.clock import Clock
from mobile.app import FieldsyncApp
from mobile.services import RecordCapture
from mobile.store import LocalStore
from mobile.sync import SyncClient
server, data_dir, out = sys.argv[1:4]
store = LocalStore(data_dir + "/fieldsync.db")
SyncClient(store).enroll(server, "desk.li", "secret-pass-1", "bench-desk")
capture = RecordCapture(store)
for i in range(10_000):
    capture.capture("walkin", name=f"客户{i}", phone=f"13{i % 10}{i:08d}"[:11], rep=("wang.li", "zhang.qiang", "chen.jie")[i % 3],
                    data={"visit": "first", "party_size": 1})
store.close()
app = FieldsyncApp(data_dir=data_dir, sync_interval=3600)
gaps, state = [], {"last": None, "start": None}
def frame(_dt):
    now = time.perf_counter()
    if state["last"] is not None and state["start"] is not None:
        gaps.append((now - state["last"]) * 1000)
    state["last"] = now
def watch(_dt):
    if state["start"] is None and app.status.syncing:
        state["start"] = time.perf_counter()
    if state["start"] is not None and app.status.pending == 0 and not app.status.syncing and app.status.last_success:
        json.dump({"max_gap_ms": max(gaps), "frames": len(gaps), "sync_s": time.perf_counter() - state["start"],
                   "pending": app.status.pending}, open(out, "w"))
        app.stop()
Clock.schedule_interval(frame, 0)
Clock.schedule_interval(watch, 0.05)
app.run()
'''


def bench_frames(tmp: Path) -> dict:
    import json

    from mobile.demo_server import DemoServer

    env = {**os.environ, "KIVY_NO_ARGS": "1", "KIVY_HOME": str(tmp / "kivy"), "KIVY_NO_CONSOLELOG": "1",
           "PYTHONPATH": str(ROOT)}
    xvfb = None
    if not env.get("DISPLAY"):
        xvfb = subprocess.Popen(["Xvfb", ":97", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env["DISPLAY"] = ":97"
        time.sleep(1)
    server = DemoServer(tmp)
    server.seed()
    server.start()
    try:
        script = tmp / "frames.py"
        script.write_text(FRAME_SCRIPT, encoding="utf-8")
        out = tmp / "frames.json"
        subprocess.run([sys.executable, str(script), server.base_url, str(tmp / "desk"), str(out)], env=env, cwd=ROOT,
                       check=True, timeout=900, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.loads(out.read_text())
    finally:
        server.stop()
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="fieldsync-bench-"))
    try:
        lookup_p95, named_p95 = bench_lookup(tmp)
        save_p95 = bench_save(tmp)
        frames = bench_frames(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = [
        ("phone look-up, 100,000 customers (p95)", f"{lookup_p95:.2f} ms", "< 5 ms", lookup_p95 < 5),
        ("look-up + near-duplicate name check (p95)", f"{named_p95:.2f} ms", "none", True),
        ("save a registration, durable (p95)", f"{save_p95:.2f} ms", "< 20 ms", save_p95 < 20),
        (f"longest UI frame gap, 10,000-record sync ({frames['sync_s']:.1f} s)", f"{frames['max_gap_ms']:.0f} ms",
         "< 100 ms", frames["max_gap_ms"] < 100),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>10}  {'target':>8}  ok")
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:>10}  {target:>8}  {'yes' if ok else 'NO'}")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
