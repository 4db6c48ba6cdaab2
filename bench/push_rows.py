"""Same answers before and after a push optimisation: a deterministic workload, every row it leaves.

    python bench/push_rows.py ROOT OUT.json [RECORDS]   # ROOT: the tree to import (e.g. an older commit's)
    cmp /tmp/before.json /tmp/after.json                # identical files: identical rows and pulls

Plays ``RECORDS`` (default 1,500) seeded records through ``services.push.push`` of the tree at
``ROOT``, in-process over a real SQLite file, with the clock (``utc_now``) and every generated
id (``uuid.uuid4``) made replayable: walk-ins, calls, follow-ups and deals of three reps on
six tablets over a small pool of phones (so claims meet, conflicts open and windows renew),
phones typed in several shapes (spaces, +86, 86…, full-width digits, landlines, invalid ones),
households (``data.household_phone``), corrections that change the phone, withdrawals,
retried batches (``duplicate``), reused ids (``id_reused``), tablets whose clock has no anchor
(``unverified``), a manager's decision half-way, and invalid records. Then it writes to
``OUT`` every row of every table (JSON columns parsed, rows sorted), each push's response and
the first pages of a manager's and a rep's pull. Two trees that leave the same file give the
same answers (``PYTHONHASHSEED=0``: the script sets it, since the order of sets of ids
decides the order of change ids). Not timed: this is a check, not a benchmark.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import sqlite3
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve()
sys.path[:0] = [str(ROOT)]

from shared.timeutil import format_time  # noqa: E402
from sync_server.errors import Unprocessable  # noqa: E402
from sync_server.services import conflicts as conflict_service  # noqa: E402
from sync_server.services import pull as pull_service  # noqa: E402
from sync_server.services import push as push_service  # noqa: E402
from sync_server.services.auth import Caller  # noqa: E402
from sync_server.storage import open_store  # noqa: E402
from sync_server.storage.base import Device, Site, User  # noqa: E402

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
CST = timezone(timedelta(hours=8))
REPS = {"wang.li": "王丽", "zhang.qiang": "张强", "chen.jie": "陈杰"}


class Replay:
    """A clock that moves 7 s a reading and ids drawn from a seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng, self.now = random.Random(seed), START

    def utc_now(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _phone(rng: random.Random, pool: list[str]) -> str:
    """A pooled number typed in one of the shapes desks type, sometimes not a number at all."""
    digits = rng.choice(pool)
    shape = rng.random()
    if shape < 0.55:
        return digits
    if shape < 0.65:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if shape < 0.72:
        return f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if shape < 0.78:
        return "86" + digits
    if shape < 0.82:
        return digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if shape < 0.88:
        return rng.choice(["010 6552 9988", "021-5081 2345", "0755 8888 1234"])
    if shape < 0.92:
        return rng.choice(["12345678901", "1380013800", "10086", "400 810 8888", "+1 415 555 2671"])
    return digits


def workload(total: int, seed: int = 11) -> list[tuple[int, list[dict]]]:
    """``(tablet, records)`` pushes in order; tablets 0-3 are reception desks, 4-5 reps' tablets."""
    rng = random.Random(seed)
    pool = [f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" for _ in range(max(20, total // 12))]
    seqs = [0] * 6
    sent: list[tuple[int, dict]] = []
    pushes: list[tuple[int, list[dict]]] = []
    batch: dict[int, list[dict]] = {t: [] for t in range(6)}
    for n in range(total):
        tablet = rng.randrange(6)
        seqs[tablet] += 1
        at = START - timedelta(days=rng.choice([40, 20, 5, 1, 0]), minutes=rng.randrange(600))
        rep = rng.choice(list(REPS))
        kind = "walkin" if tablet < 4 else rng.choice(["follow_up", "deal", "walkin", "call"])
        if tablet < 4 and rng.random() < 0.1:
            kind = "call"
        data: dict = {"visit": rng.choice(["first", "return"]), "party_size": rng.randrange(1, 5),
                      "source": "walk_in", "intent": rng.choice("ABCD"), "notes": rng.choice(["", "看三居室", "n"])}
        if kind == "walkin" and rng.random() < 0.08:
            data["household_phone"] = rng.choice(pool)
        if kind == "walkin" and rng.random() < 0.05:
            data[rng.choice(["designated", "duty"])] = True
        if kind == "call":
            data = {"topic": "价格", "intent": "C"}
        if kind == "follow_up":
            data = {"method": "phone", "content": "回访"}
        if kind == "deal":
            data = {"stage": rng.choice(["small_deposit", "contract"]), "amount": 2_000_000}
        boot = f"boot-{tablet}" if rng.random() < 0.9 else f"boot-{tablet}-old"
        record = {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "seq": seqs[tablet], "type": kind,
                  "captured_at": at.astimezone(CST).isoformat(timespec="milliseconds"),
                  "clock": {"boot_id": boot, "elapsed_ms": 1_000_000 + n * 1000},
                  "rep": rep, "customer": {"name": rng.choice(["张伟", "王芳", "", "李娜 ", "Li Na"]),
                                           "phone": _phone(rng, pool)}, "data": data}
        roll = rng.random()
        if sent and roll < 0.06:  # a correction, sometimes to another phone
            _, old = rng.choice(sent)
            record["supersedes"] = old["id"]
            if rng.random() < 0.5:
                record["customer"] = {**old["customer"], "phone": rng.choice(pool)}
        elif sent and roll < 0.09:
            _, old = rng.choice(sent)
            record.update(type="withdrawal", supersedes=old["id"], data={"reason": "登记错误"})
        elif sent and roll < 0.11:  # an id used again for other content
            record["id"] = rng.choice(sent)[1]["id"]
        elif roll < 0.13:
            record["data"] = {**record["data"], "party_size": "two"}
        if tablet >= 4 and record["type"] == "walkin" and rng.random() < 0.5:
            record["rep"] = "wang.li" if tablet == 4 else "zhang.qiang"
        batch[tablet].append(record)
        sent.append((tablet, record))
        if len(batch[tablet]) >= rng.choice([3, 20, 60]):
            pushes.append((tablet, batch[tablet]))
            if rng.random() < 0.1:  # a retried batch
                pushes.append((tablet, list(batch[tablet])))
            batch[tablet] = []
    pushes += [(t, records) for t, records in batch.items() if records]
    return pushes


def _parsed(value: object) -> object:
    """A JSON column's value parsed (compared as data, not as text); anything else unchanged."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def rows(path: Path) -> dict[str, list]:
    """Every row of every table, JSON text parsed, sorted."""
    conn = sqlite3.connect(str(path))
    out: dict[str, list] = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        found = []
        for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - names from the schema itself
            found.append([_parsed(v) for v in row])
        out[table] = sorted(found, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True, default=str))
    conn.close()
    return out


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":  # sets of ids iterate in hash order: make it replayable
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    out, total = Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    replay = Replay(5)
    for module in (push_service, pull_service, conflict_service):
        module.utc_now = replay.utc_now  # type: ignore[attr-defined]
    uuid.uuid4 = replay.uuid4  # type: ignore[assignment]
    report: dict = {"responses": [], "pulls": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.db"
        store = open_store(f"sqlite:///{path}")
        site = Site("s1", "星河湾销售中心")
        if hasattr(site, "replica_key"):  # issue 14: a random secret per site; fixed so that two runs compare
            site = dataclasses.replace(site, replica_key="push-rows-fixed-replica-key")
        store.add_site(site)
        users = {"desk.li": ("reception", "李静"), "zhao.min": ("manager", "赵敏")}
        users.update({rep: ("rep", name) for rep, name in REPS.items()})
        for username, (role, name) in users.items():
            store.add_user(User(username, site.id, name, role, "-"))
        callers = []
        for tablet in range(6):
            username = "desk.li" if tablet < 4 else ("wang.li" if tablet == 4 else "zhang.qiang")
            device = Device(f"device-{tablet}", site.id, username, f"平板 {tablet}", format_time(START - timedelta(days=60)))
            store.add_device(device, f"token-{tablet}")
            callers.append(Caller(user=store.get_user(username), site=store.get_site(site.id), device=device))
        manager = Caller(user=store.get_user("zhao.min"), site=store.get_site(site.id), device=callers[0].device)
        pushes = workload(total)
        for n, (tablet, records) in enumerate(pushes):
            sent = replay.now + timedelta(seconds=3)
            envelope = push_service.PushEnvelope(f"device-{tablet}", format_time(sent),
                                                 {"boot_id": f"boot-{tablet}", "elapsed_ms": 1_000_000 + 1000 * total},
                                                 records)
            report["responses"].append(push_service.push(store, callers[tablet], envelope))
            if n == len(pushes) // 2:
                for conflict in store.list_conflicts(site.id, "open"):  # the first one a plain decision fits
                    try:
                        conflict_service.decide(store, manager, conflict.id, conflict.owner, None, "经理核实：先到先得")
                        break
                    except Unprocessable:  # a split holder would be left out
                        continue
        for caller in (manager, callers[4]):
            cursor = None
            for _ in range(3):
                page = pull_service.pull(store, caller, cursor, 500)
                report["pulls"].append(page)
                cursor = page["cursor"]
        store.close()
        report["rows"] = rows(path)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True, default=str))
    accepted = sum(r["status"] == "accepted" for resp in report["responses"] for r in resp["results"])
    print(f"{ROOT}: {len(pushes)} pushes, {accepted} accepted, "
          f"{sum(len(v) for v in report['rows'].values())} rows -> {out}")


if __name__ == "__main__":
    main()
