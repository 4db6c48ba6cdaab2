"""Many tablets pushing the same customer at once agree on the earliest-captured registration."""

from __future__ import annotations

import threading
from datetime import timedelta

from tests.server.helpers import Tablet

REPS = ("wang.li", "zhang.qiang", "chen.jie")


def test_twelve_tablets_pushing_the_same_customer_at_once_all_agree_on_the_earliest(live_server):
    tablets = [Tablet(live_server, "desk.li", f"desk-{i}") for i in range(12)]
    phone = "135 0000 7777"
    # tablet 7 captured first (20 min ago); the others at 19, 18, ... minutes, in shuffled order
    minutes = [19 - ((i * 5) % 12) * 1.0 if i != 7 else 20 for i in range(12)]
    records = [t.record(rep=REPS[i % 3], phone=phone, name="赵六", ago=timedelta(minutes=m))
               for i, (t, m) in enumerate(zip(tablets, minutes, strict=True))]
    barrier = threading.Barrier(len(tablets))
    statuses: dict[int, list[str]] = {}

    def push(i: int) -> None:
        barrier.wait()
        statuses[i] = tablets[i].statuses(records[i])

    threads = [threading.Thread(target=push, args=(i,)) for i in range(len(tablets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(s == ["accepted"] for s in statuses.values()) and len(statuses) == 12

    winner = REPS[7 % 3]
    owners = {t.get("/customers/lookup", phone=phone).json()["owner"] for t in tablets}
    assert owners == {winner}
    manager = Tablet(live_server, "zhao.min")
    lookup = manager.get("/customers/lookup", phone=phone).json()
    conflicts = [c for c in manager.get("/conflicts").json() if c["customer_id"] == lookup["customer_id"]]
    assert len(conflicts) == 1
    assert conflicts[0]["claims"][0]["record_id"] == records[7]["id"]
    # the winner's own later registrations renew the window (R2); every other rep's is a claim
    competing = {r["id"] for r in records if r["rep"] != winner} | {records[7]["id"]}
    assert {c["record_id"] for c in conflicts[0]["claims"]} == competing
    pulled = [c["customer"] for c in manager.pull_all()[0] if c["kind"] == "ownership"
              and c["customer"]["customer_id"] == lookup["customer_id"]]
    assert pulled[-1]["owner"] == winner
