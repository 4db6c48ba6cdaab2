"""The sync server on PostgreSQL with several worker processes, end to end over HTTP.

A real ``fieldsync-server serve --db postgresql://… --workers 3`` on a throwaway PostgreSQL
(``tests/postgres_server.py``): requests land on different processes, so these tests see what
a tablet sees when the server scales out — enrolment, push, pull, look-up, and concurrent pushes
that must still agree on one owner and store a record once.
"""

from __future__ import annotations

import subprocess
import threading
import time
from datetime import timedelta

import psycopg
import pytest
import requests

from tests.live_server import LiveServer
from tests.postgres_server import shared_server
from tests.server.helpers import Tablet

pytestmark = pytest.mark.postgres

WORKERS = 3
REPS = ("wang.li", "zhang.qiang", "chen.jie")


@pytest.fixture(scope="module")
def database_url():
    server = shared_server()
    server.drop_database("fieldsync_e2e")
    url = server.create_database("fieldsync_e2e")
    yield url
    server.drop_database("fieldsync_e2e")


@pytest.fixture(scope="module")
def live_server(database_url):
    with LiveServer(db_url=database_url, serve_args=["--workers", str(WORKERS)],
                    env={"FIELDSYNC_CONSOLE_SECRET": "workers-share-this-secret-0123"}) as server:
        yield server


def _run_together(jobs) -> list:
    """Run the callables in threads released at the same instant; their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = jobs[i]()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_the_server_runs_several_worker_processes(live_server):
    deadline = time.monotonic() + 20
    while True:
        children = subprocess.run(["ps", "-ww", "--ppid", str(live_server.process.pid), "-o", "args="],
                                  capture_output=True, text=True).stdout.splitlines()
        workers = [c for c in children if "multiprocessing.spawn" in c]
        if len(workers) == WORKERS or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(workers) == WORKERS, children
    assert requests.get(live_server.url("/healthz"), timeout=10).json() == {"status": "ok"}


def test_tablets_enrol_push_pull_and_look_up_across_workers(live_server):
    desk, rep, manager = Tablet(live_server, "desk.li"), Tablet(live_server, "wang.li"), Tablet(live_server, "zhao.min")
    first = desk.record(rep="wang.li", phone="138 0013 8000", name="张伟", ago=timedelta(minutes=30))
    second = desk.record(rep="zhang.qiang", phone="139 1234 5678", name="李娜", ago=timedelta(minutes=20))
    body = desk.push(first, second)
    assert [r["status"] for r in body["results"]] == ["accepted", "accepted"]
    assert body["contiguous_seq"] == 2
    assert desk.statuses(first) == ["duplicate"]  # idempotent, whichever worker answers
    changed = {**first, "customer": {"name": "张伟", "phone": "138 0013 8001"}}
    assert desk.statuses(changed) == ["id_reused"]

    lookup = rep.get("/customers/lookup", phone="+86 138-0013-8000").json()
    assert (lookup["owner"], lookup["status"]) == ("wang.li", "protected")

    changes, cursor = manager.pull_all(limit=3)  # several pages, likely from several workers
    ids = [c["change_id"] for c in changes]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert {c["record"]["id"] for c in changes if c["kind"] == "record"} >= {first["id"], second["id"]}
    rep_changes, _ = rep.pull_all()
    assert {c["record"]["id"] for c in rep_changes if c["kind"] == "record"} == {first["id"]}

    third = desk.record(rep="chen.jie", phone="137 0000 1111", name="王芳")
    desk.push(third)
    later, _ = manager.pull_all(cursor)
    assert [c["record"]["id"] for c in later if c["kind"] == "record"] == [third["id"]]


def test_twelve_tablets_pushing_the_same_customer_at_once_all_agree_on_the_earliest(live_server):
    tablets = [Tablet(live_server, "desk.li", f"pg-desk-{i}") for i in range(12)]
    phone = "135 0000 8888"
    minutes = [19 - ((i * 5) % 12) * 1.0 if i != 7 else 20 for i in range(12)]  # tablet 7 captured first
    records = [t.record(rep=REPS[i % 3], phone=phone, name="赵六", ago=timedelta(minutes=m))
               for i, (t, m) in enumerate(zip(tablets, minutes, strict=True))]
    statuses = _run_together([lambda t=t, r=r: t.statuses(r) for t, r in zip(tablets, records, strict=True)])
    assert statuses == [["accepted"]] * 12

    winner = REPS[7 % 3]
    assert {t.get("/customers/lookup", phone=phone).json()["owner"] for t in tablets} == {winner}
    manager = Tablet(live_server, "zhao.min", "pg-manager")
    lookup = manager.get("/customers/lookup", phone=phone).json()
    conflicts = [c for c in manager.get("/conflicts").json() if c["customer_id"] == lookup["customer_id"]]
    assert len(conflicts) == 1
    assert conflicts[0]["claims"][0]["record_id"] == records[7]["id"]
    pulled = [c["customer"] for c in manager.pull_all()[0]
              if c["kind"] == "ownership" and c["customer"]["customer_id"] == lookup["customer_id"]]
    assert pulled[-1]["owner"] == winner


def test_the_same_record_pushed_to_several_workers_at_once_is_stored_once(live_server, database_url):
    tablet = Tablet(live_server, "desk.li", "pg-retrying-desk")
    record = tablet.record(rep="chen.jie", phone="136 2222 3333", name="刘洋")
    clash = {**tablet.record(rep="chen.jie", phone="136 2222 4444", name="刘洋"), "id": record["id"],
             "seq": record["seq"]}  # same id, different content
    # eight retries of the same batch plus one reuse of its id, all in flight together
    outcomes = _run_together([lambda: tablet.statuses(record) for _ in range(8)] + [lambda: tablet.statuses(clash)])
    plain = sorted(o[0] for o in outcomes[:8])
    if outcomes[8] == ["accepted"]:  # the clash won the race: every retry is then the reuse
        assert plain == ["id_reused"] * 8
    else:
        assert outcomes[8] == ["id_reused"]
        assert plain == ["accepted"] + ["duplicate"] * 7
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM records WHERE id = %s", (record["id"],)).fetchone() == (1,)
    assert tablet.push()["contiguous_seq"] == record["seq"]


def test_change_ids_reach_a_pulling_tablet_in_order_while_workers_write(live_server):
    manager = Tablet(live_server, "zhao.min", "pg-puller")
    _, cursor = manager.pull_all()
    writers = [Tablet(live_server, "desk.li", f"pg-writer-{i}") for i in range(6)]
    pushed: set[str] = set()
    stop = threading.Event()
    seen: list[dict] = []

    def pull_until_stopped() -> None:
        nonlocal cursor
        while True:
            finished = stop.is_set()
            changes, cursor = manager.pull_all(cursor, limit=5)
            seen.extend(changes)
            if finished:
                return

    def write(tablet: Tablet, n: int) -> None:
        for i in range(5):
            record = tablet.record(rep=REPS[i % 3], phone=f"139 {n:02d}{i:02d} 0000", name="孙七")
            assert tablet.statuses(record) == ["accepted"]
            pushed.add(record["id"])

    puller = threading.Thread(target=pull_until_stopped)
    puller.start()
    _run_together([lambda t=t, n=n: write(t, n) for n, t in enumerate(writers)])
    stop.set()
    puller.join()
    ids = [c["change_id"] for c in seen]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert {c["record"]["id"] for c in seen if c["kind"] == "record"} == pushed
