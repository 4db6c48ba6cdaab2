"""A fresh tablet's first sync at scale (issue 13), one command:

    python bench/pull.py [--records 100000] [--tablets 10] [--page 500] [--pages-only]
                         [--keep-db FILE | --from-db FILE]

Starts a real ``fieldsync-server serve`` on a temp SQLite file (tests/live_server.py), has
``--tablets`` desk tablets push ``--records`` walk-ins over HTTP (``bench/push.py``'s
deterministic workload: 20% of them name a phone another walk-in names too), then enrols
a fresh **rep** tablet (``wang.li``) and a fresh **manager** tablet (``zhao.min``) and lets
each do its first sync into a real ``LocalStore`` file through the real ``SyncClient`` —
exactly what the app runs: the bootstrap snapshot, then pages from its cursor
(``--pages-only``: page by page from the start, as before the snapshot). For each it prints
the seconds, the changes pulled and changes/s, the seconds spent applying on the tablet (pages;
for a snapshot its whole load, reading the stream included: since the server streams it as it
renders it, that includes waiting for the server), the seconds until the snapshot's first
line arrived ("1st line s": the server's count and header; before the streaming, its whole
rendering), the time of the first and of the last full page or snapshot chunk of 2,000 changes (if
the last is slower, the total grows faster than the data), and the tablet file's size, and the CPU seconds of each side during the sync (the tablet: this
process; the server: its process, from ``/proc``) — on a shared box those compare across runs
where the wall seconds do not.

Before the tablets start, the bench waits for the server's background tagger to give every
customer its phone tag (issue 14; ``settle_tags``): a tablet syncing during that backlog computes
a scrypt for each record of an untagged customer, which would be measured instead.

The baseline, measured in the same run: the same rows copied from the server's file into a
fresh SQLite file with ``executemany`` in one transaction (same pragmas as the tablet: WAL,
``synchronous=FULL``) — the site's customers, and the records the tablet received (their
ids read from its file after the sync: a rep's own records, every record for the manager).
Until 2026-12-03 the rep's baseline copied the customers alone (the "customers s" column still
shows it: a stricter figure than the issue's "the same rows"). Goals (issue 13): the rep within
2x the baseline, the manager within 4x, the last page no slower than the first.

The row "rep 410" is the rep's tablet again after its first sync, holding 20 walk-ins it has
not pushed, told to resync (a cursor the server cannot serve: 410): its pull reloads the
snapshot. Same goal and baseline as the rep's first sync; the bench fails if the outbox or
the unsent records' state changed (issue 13: a resync keeps the outbox untouched).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from push import make_records, push_all  # noqa: E402

from mobile.services import RecordCapture  # noqa: E402
from mobile.store import LocalStore  # noqa: E402
from mobile.sync.client import SyncClient  # noqa: E402
from shared.collector import tune_collector  # noqa: E402
from tests.live_server import PASSWORD, SITE_ID, LiveServer  # noqa: E402

GOALS = {"rep": 2.0, "rep 410": 2.0, "manager": 4.0}


def settle_tags(db_path: Path, wait_s: float = 1800.0) -> float:
    """Seconds until the server's background tagger has given every customer both its tags
    (``phone_tag`` and the ``keys=tag2`` ``phone_tag2`` the tablet asks for; issue 14: a keyed
    scrypt each, computed after the pushes commit). Until then a record of an untagged customer
    reaches the tablet without a tag and the tablet computes the scrypt itself
    (``mobile/store/phone_keys.py``: ~20-60 ms each), which is the tagging backlog's cost, not
    the first sync's; so the tablets start once it is empty."""
    began = time.perf_counter()
    while time.perf_counter() - began < wait_s:
        with sqlite3.connect(db_path) as conn:
            (left,) = conn.execute("SELECT count(*) FROM customers WHERE phone_tag IS NULL OR phone_tag2 IS NULL").fetchone()
        if not left:
            break
        time.sleep(1.0)
    return time.perf_counter() - began


class TimedStore(LocalStore):
    """The app's ``LocalStore``, timing each page it applies and each chunk of a snapshot it
    loads (from one progress report to the next: reading the stream included): ``pages`` is
    ``[(changes, seconds)]``; ``snapshot`` the seconds of the whole snapshot load."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.pages: list[tuple[int, float]] = []
        self.snapshot = 0.0
        self.first_line: float | None = None  # perf_counter() at the snapshot's first line

    def load_snapshot(self, lines, on_progress=None, for_token=None) -> int:
        began = last = time.perf_counter()

        def noted(stream):  # when the server's first line arrived (header: streamed or whole)
            for line in stream:
                if self.first_line is None:
                    self.first_line = time.perf_counter()
                yield line
        previous = 0

        def timed(done: int, count: int) -> None:
            nonlocal last, previous
            now = time.perf_counter()
            self.pages.append((done - previous, now - last))
            last, previous = now, done
            if on_progress is not None:
                on_progress(done, count)

        loaded = super().load_snapshot(noted(lines), timed, for_token=for_token)
        self.snapshot = time.perf_counter() - began
        return loaded

    def apply_changes(self, changes: Iterable[Mapping[str, Any]], cursor: str | None, for_token: str | None = None) -> int:
        changes = list(changes)
        began = time.perf_counter()
        applied = super().apply_changes(changes, cursor, for_token=for_token)
        self.pages.append((len(changes), time.perf_counter() - began))
        return applied


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux ``/proc``; every thread)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_sync(server: LiveServer, username: str, folder: Path, page: int, snapshots: bool) -> dict:
    """A fresh tablet of ``username``: enrol, then one ``sync()``; its figures, with the CPU
    seconds of each side (on a loaded box they compare where wall seconds do not): the tablet
    (this process) and the server process during the sync."""
    path = folder / f"{username}.db"
    store = TimedStore(path)
    client = SyncClient(store, page_size=page, timeout=600, snapshots=snapshots)
    client.enroll(server.base_url, username, PASSWORD, f"bench {username}")
    figures = timed(server, store, lambda: client.sync().pulled)
    store.close()
    return {**figures, "bytes": sum(f.stat().st_size for f in folder.glob(f"{username}.db*"))}


def timed(server: LiveServer, store: TimedStore, pull: Callable[[], int]) -> dict:
    """The figures of ``pull()`` (which returns the changes pulled into ``store``): wall seconds,
    the CPU seconds of the tablet (this process) and of the server process, and what ``store``
    timed of its snapshot and pages."""
    assert server.process is not None
    server_cpu, tablet_cpu = cpu_seconds(server.process.pid), time.process_time()
    began = time.perf_counter()
    changes = pull()
    seconds = time.perf_counter() - began
    tablet_cpu, server_cpu = time.process_time() - tablet_cpu, cpu_seconds(server.process.pid) - server_cpu
    full = [p for p in store.pages if p[0] == max(n for n, _ in store.pages)]
    apply = store.snapshot + sum(s for _, s in store.pages) if not store.snapshot else store.snapshot
    first = (store.first_line - began) if store.first_line is not None else 0.0
    return {"seconds": seconds, "changes": changes, "apply": apply, "first_line": first,
            "pages": len(store.pages), "first_page": full[0][1], "last_page": full[-1][1],
            "tablet_cpu": tablet_cpu, "server_cpu": server_cpu}


def resync(server: LiveServer, username: str, folder: Path, page: int, unsent: int = 20) -> dict:
    """The tablet of ``first_sync`` told to resync (issue 13): ``unsent`` walk-ins captured and
    not pushed, a cursor the server cannot serve (410), then its pull, which reloads the
    snapshot; its figures as ``first_sync``'s. Raises AssertionError when the outbox or the
    unsent records' state changed (they must go out at the next push, untouched)."""
    path = folder / f"{username}.db"
    store = TimedStore(path)
    capture = RecordCapture(store)
    ids = [capture.capture("walkin", name=f"未发{i}", phone=f"1369999{i:04d}", rep=username,
                           data={"visit": "first", "party_size": 1, "intent": "B"})["id"] for i in range(unsent)]
    outbox = store.db.conn.execute("select * from outbox order by seq").fetchall()
    store.set_meta(cursor="from-another-database")  # 410 resync
    client = SyncClient(store, page_size=page, timeout=600)
    resynced: list[bool] = []

    def pull() -> int:
        changes, told = client.pull()
        resynced.append(told)
        return changes

    figures = timed(server, store, pull)
    assert resynced == [True], "the server did not answer 410"
    assert store.db.conn.execute("select * from outbox order by seq").fetchall() == outbox, "the outbox changed"
    assert [store.outbox_entry(i).state for i in ids] == ["pending"] * unsent
    store.close()
    return {**figures, "bytes": sum(f.stat().st_size for f in folder.glob(f"{username}.db*"))}


def baseline_copy(server_db: Path, tables: dict[str, list[str] | None], folder: Path, name: str) -> float:
    """Seconds to copy the site's rows of ``tables`` from the server's file into a fresh file
    with ``executemany`` (same columns and indexes, one transaction, WAL, synchronous=FULL);
    ``tables``: name -> the ids of the rows to copy (None: every row of the site)."""
    target = folder / f"{name}.db"
    source = sqlite3.connect(server_db)
    for table, ids in tables.items():  # the ids to copy, in the source's temp schema (not timed)
        if ids is not None:
            source.execute(f"create temp table wanted_{table} (id text primary key)")
            source.executemany(f"insert into wanted_{table} values (?)", [(i,) for i in ids])
    began = time.perf_counter()
    out = sqlite3.connect(target, isolation_level=None)
    out.execute("PRAGMA journal_mode=WAL")
    out.execute("PRAGMA synchronous=FULL")
    out.execute("BEGIN")
    for table, ids in tables.items():
        (ddl,) = source.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
        out.execute(ddl)
        for (index_ddl,) in source.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                           "AND sql IS NOT NULL", (table,)):
            out.execute(index_ddl)
        wanted = "" if ids is None else f" AND id IN (SELECT id FROM temp.wanted_{table})"
        cursor = source.execute(f"SELECT * FROM {table} WHERE site_id = ?{wanted}", (SITE_ID,))  # noqa: S608 - fixed names
        width = len(cursor.description)
        out.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", cursor)  # noqa: S608
    out.execute("COMMIT")
    out.close()
    source.close()
    return time.perf_counter() - began


def tablet_record_ids(path: Path) -> list[str]:
    """The ids of the records a tablet's file holds (its replica's ``records``)."""
    with closing(sqlite3.connect(path)) as tablet:
        return [row[0] for row in tablet.execute("select id from records")]


def measure(server: LiveServer, folder: Path, args: argparse.Namespace) -> list[tuple[str, dict, float, float]]:
    """Per tablet: its figures, the baseline (the same rows) and the customers-alone copy."""
    rows = []
    for role, username in (("rep", "wang.li"), ("manager", "zhao.min")):
        got = first_sync(server, username, folder, args.page, not args.pages_only)
        customers = baseline_copy(server.db_path, {"customers": None}, folder, f"customers-{role}")
        base = baseline_copy(server.db_path, {"customers": None,
                                              "records": tablet_record_ids(folder / f"{username}.db")},
                             folder, f"baseline-{role}")
        rows.append((role, got, base, customers))
        if role == "rep":  # the same tablet, 20 records unsent, told to resync: the same goal
            rows.append(("rep 410", resync(server, username, folder, args.page), base, customers))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--tablets", type=int, default=10)
    parser.add_argument("--page", type=int, default=500, help="the tablet's pull page size")
    parser.add_argument("--pages-only", action="store_true",
                        help="no bootstrap snapshot: page by page from the start (as before issue 13)")
    parser.add_argument("--keep-db", type=Path, help="save the server's file here once pushed and tagged")
    parser.add_argument("--from-db", type=Path, help="start from a file --keep-db saved (copied; no push, no wait): "
                        "the same data for two trees")
    args = parser.parse_args()
    tune_collector()  # as the tablet app does at start-up (mobile/app.py)
    mode = "pages only" if args.pages_only else "bootstrap snapshot, then pages"
    print(f"{args.records} walk-ins from {args.tablets} tablets, sqlite server; {mode}; pull pages of {args.page}; "
          f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="fieldsync-pull-") as tmp:
        folder = Path(tmp)
        copy = folder / "server.db"
        if args.from_db:  # the same pushed and tagged data for two trees (A/B on one file)
            with sqlite3.connect(args.from_db) as source, sqlite3.connect(copy) as target:
                source.backup(target)
        bulk = {"FIELDSYNC_RECORD_BUDGET": "1000000"}  # desks push the history: nothing held (issue 14)
        server = (LiveServer(seed=False, db_url=f"sqlite:///{copy}", env=bulk) if args.from_db
                  else LiveServer(env=bulk))
        with server:
            if args.from_db:
                server.db_path = copy
                print(f"server file {args.from_db} (pushed and tagged before; copied)")
            else:
                seconds, accepted, _, _ = push_all(server, make_records(args.records, args.tablets), 500)
                print(f"pushed {accepted} records in {seconds:.1f} s ({accepted / seconds:,.0f} records/s)")
                print(f"the server's tagger tagged every customer {settle_tags(server.db_path):.1f} s later; "
                      f"load average {os.getloadavg()[0]:.1f}")
            if args.keep_db:
                with sqlite3.connect(server.db_path) as source, sqlite3.connect(args.keep_db) as target:
                    source.backup(target)
            rows = measure(server, folder, args)
    print(f"\n{'tablet':<9}{'seconds':>9}{'changes':>9}{'changes/s':>11}{'apply s':>9}{'1st line s':>11}"
          f"{'first page ms':>15}"
          f"{'last page ms':>14}{'file MB':>9}{'baseline s':>12}{'ratio':>7}{'goal':>6}{'customers s':>13}{'ratio':>7}"
          f"{'tablet CPU s':>14}{'server CPU s':>14}")
    met = True
    for role, got, base, customers in rows:
        ratio = got["seconds"] / base
        ok = ratio <= GOALS[role] and got["last_page"] <= got["first_page"] * 1.25
        met &= ok
        print(f"{role:<9}{got['seconds']:>9.1f}{got['changes']:>9}{got['changes'] / got['seconds']:>11,.0f}"
              f"{got['apply']:>9.1f}{got['first_line']:>11.1f}{got['first_page'] * 1000:>15.0f}{got['last_page'] * 1000:>14.0f}"
              f"{got['bytes'] / 1e6:>9.1f}{base:>12.2f}{ratio:>7.1f}{'≤' + str(GOALS[role]):>6}"
              f"{customers:>13.2f}{got['seconds'] / customers:>7.1f}"
              f"{got['tablet_cpu']:>14.2f}{got['server_cpu']:>14.2f}  {'met' if ok else 'NOT met'}")
    print("\n(last page 'no slower than the first' allows 25% for noise; ratio = tablet seconds / baseline seconds;"
          "\n 'customers s': the site's customers alone copied, the rep's baseline before 2026-12-03)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
