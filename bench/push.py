"""Push throughput: 100,000 walk-ins from 20 tablets over HTTP against raw SQLite inserts.

    python bench/push.py [--records N] [--tablets 20] [--batch 500]
                         [--db postgresql://…/empty_db --workers 3]

Starts a real ``fieldsync-server serve`` (tests/live_server.py) on a temp SQLite file, has
20 enrolled tablets push walk-ins (20% of them about customers another walk-in also names)
concurrently in batches of 500, then inserts the same rows with plain
``sqlite3.executemany`` into a table with the same columns and indexes (one transaction per
batch, same pragmas), and prints records/s for both and the ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
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

from sync_server.storage.sqlite_schema import MIGRATIONS  # noqa: E402
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


def bench_http(per_tablet: list[list[dict]], batch: int, db_url: str | None = None,
               workers: int = 1) -> tuple[float, int]:
    with LiveServer(db_url=db_url, serve_args=["--workers", str(workers)]) as server:
        devices = [enroll(server.base_url, "desk.li", f"bench-{i}") for i in range(len(per_tablet))]
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
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        if errors:
            raise SystemExit(f"push failed: {errors[0]}")
    return elapsed, accepted[0]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--tablets", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--db", help="serve this empty database (e.g. postgresql://…) instead of a temp SQLite file")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    per_tablet = make_records(args.records, args.tablets)
    http_s, accepted = bench_http(per_tablet, args.batch, args.db, args.workers)
    raw_s = bench_raw(per_tablet, args.batch)
    http_rate, raw_rate = args.records / http_s, args.records / raw_s
    print(f"{args.records} walk-ins, {args.tablets} tablets, batches of {args.batch} ({accepted} accepted), "
          f"{(args.db or 'sqlite').split(':')[0]}, {args.workers} worker(s)")
    print(f"{'path':<34}{'seconds':>10}{'records/s':>12}")
    print(f"{'HTTP push (validate+own+store)':<34}{http_s:>10.2f}{http_rate:>12.0f}")
    print(f"{'raw sqlite3.executemany':<34}{raw_s:>10.2f}{raw_rate:>12.0f}")
    print(f"ratio push/raw: {http_rate / raw_rate:.3f}")


if __name__ == "__main__":
    main()
