"""The numbers at a million records (issue 11): ``funnel``/``counts`` from the rollups against
the plain aggregation over ``record_facts`` they replaced, in the same run, SQLite and PostgreSQL.

    python bench/rollups.py [--records 1000000] [--repeat 5] [--backends sqlite,postgres]

Builds one site's year (365 days to 2026-11-30, the same number of records every day; walk-ins
45 %, calls 25 %, deals 10 %, follow-ups, visit reports and complaints; a quarter of the
records name a new customer, the rest one seen before; 3 % superseded) as ``record_facts`` rows
in bulk (the columns the store writes), then counts the rollups with the migration's own
backfill (``sql/rollups.rebuild_rollups``), and prints per question the median of ``--repeat``
answers from both, in ms, and the ratio. PostgreSQL: a throwaway server
(``tests/postgres_server.py``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import and_, case, func, literal, or_, select  # noqa: E402

from sync_server.storage import open_reporting, open_store  # noqa: E402
from sync_server.storage.base import Site  # noqa: E402
from sync_server.storage.facts import week_start  # noqa: E402
from sync_server.storage.sql.funnel_plain import PlainFunnel  # noqa: E402
from sync_server.storage.sql.rollups import rebuild_rollups  # noqa: E402
from sync_server.storage.sql.tables import customer_days, fact_days, record_facts, visitor_days  # noqa: E402

LAST = date(2026, 11, 30)
REPS = [f"rep.{i:02d}" for i in range(12)]
KINDS = [("walkin", 45), ("call", 25), ("deal", 10), ("follow_up", 15), ("visit_report", 3), ("complaint", 2)]
DEALS = [("small_deposit", "stage", 20000.0), ("large_deposit", "stage", 100000.0), ("contract", "stage", 1500000.0),
         ("small_deposit", "cancellation", 20000.0), ("contract", "unit_change", 1500000.0)]


def facts(total: int, seed: int = 11):
    """``total`` fact rows of site ``bench``, day by day (seeded: a rebuild gives the same)."""
    rng = random.Random(seed)
    kinds = [k for k, w in KINDS for _ in range(w)]
    phones: list[str] = []
    for i in range(total):
        day = LAST - timedelta(days=364 - i * 365 // total)
        kind = rng.choice(kinds)
        new = not phones or rng.random() < 0.25
        if new:
            phones.append(f"+86139{len(phones):08d}")
        phone = phones[-1] if new else rng.choice(phones)
        stage, event, amount = rng.choice(DEALS) if kind == "deal" else (None, None, None)
        yield {"site_id": "bench", "record_id": f"r{i:07d}", "type": kind, "rep": rng.choice(REPS),
               "phone_key": phone, "supersedes": None, "root_id": f"r{i:07d}", "local_day": day.isoformat(),
               "local_week": week_start(day).isoformat(),
               "visit": ("first" if new else "return") if kind == "walkin" else None,
               "source": rng.choice(["walk_in", "online", "friend", "outdoor"]) if kind in ("walkin", "call") else None,
               "party_size": rng.choice([None, 1, 2, 3, 4]) if kind == "walkin" else None,
               "stage": stage, "event": event, "amount": amount, "live": rng.random() >= 0.03}


def build(url: str, total: int) -> dict:
    store = open_store(url)
    store.add_site(Site("bench", "基准"))
    started = time.perf_counter()
    batch: list[dict] = []
    with store.write("bench"):  # one transaction (the store's own BEGIN; a bare engine.begin() autocommits on SQLite)
        conn = store._in_write()
        for row in facts(total):
            batch.append(row)
            if len(batch) == 20_000:
                conn.execute(record_facts.insert(), batch)
                batch = []
        if batch:
            conn.execute(record_facts.insert(), batch)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with store.write("bench"):
        rebuild_rollups(store._in_write(), "bench")
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # PostgreSQL: VACUUM sets the visibility map an index-only scan needs (autovacuum would)
        conn.exec_driver_sql("VACUUM ANALYZE" if store.dialect == "postgresql" else "ANALYZE")
        sizes = {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                 for t in (record_facts, fact_days, customer_days, visitor_days)}
    store.close()
    return {"load_s": loaded, "rollup_s": time.perf_counter() - started, **sizes}


QUESTIONS = [
    ("week by day", 7, "day"), ("month total", 30, "total"), ("56 days by week", 56, "week"),
    ("181 days by month", 181, "month"), ("year total", 365, "total"), ("year by rep", 365, "rep"),
]


VISITOR_QUESTIONS = [("181 days by month", 181, "month"), ("year total", 365, "total"), ("year by rep", 365, "rep")]


def _group_start(table, by: str, first: str):
    def later(start):
        return case((start > first, start), else_=first)

    return {"day": table.c.local_day, "week": later(table.c.local_week),
            "month": later(func.substr(table.c.local_day, 1, 7).concat("-01"))}.get(by, literal(first))


def _key(table, by: str):
    return {"day": table.c.local_day, "week": table.c.local_week, "month": func.substr(table.c.local_day, 1, 7),
            "rep": table.c.rep, "total": literal("")}[by].label("key")


def _customer_days_visitors(store, site_id: str, first: date, last: date, by: str) -> list:
    """The distinct visitors, first visitors and people as the funnel counted them before
    ``visitor_days`` (rows of ``customer_days``; the statement of ``sql/funnel.py`` at 0d1d0c6)."""
    c, low, high = customer_days, first.isoformat(), last.isoformat()
    start, key = _group_start(c, by, low), _key(c, by)
    query = (select(key, func.count(case((or_(c.c.prev_day.is_(None), c.c.prev_day < start), 1))),
                    func.count(case((and_(c.c.firsts > 0, or_(c.c.prev_first.is_(None), c.c.prev_first < start)), 1))),
                    func.sum(c.c.party))
             .where(c.c.site_id == site_id, c.c.by_rep == int(by == "rep"), c.c.local_day.between(low, high))
             .group_by(key).order_by(key))
    with store.engine.connect() as conn:
        return [tuple(int(v) for v in r[1:]) for r in conn.execute(query)]


def _visitor_days_visitors(store, site_id: str, first: date, last: date, by: str) -> list:
    """The same from ``visitor_days`` (the statement ``sql/funnel.py`` runs now)."""
    v, low, high = visitor_days, first.isoformat(), last.isoformat()
    start, key = _group_start(v, by, low), _key(v, by)
    new = or_(v.c.prev == "", v.c.prev < start)
    query = (select(key, func.sum(case((and_(v.c.kind == "v", new), v.c.n), else_=0)),
                    func.sum(case((and_(v.c.kind == "f", new), v.c.n), else_=0)),
                    func.sum(case((v.c.kind == "v", v.c.party), else_=0)))
             .where(v.c.site_id == site_id, v.c.by_rep == int(by == "rep"), v.c.local_day.between(low, high))
             .group_by(key).order_by(key))
    with store.engine.connect() as conn:
        return [tuple(int(x) for x in r[1:]) for r in conn.execute(query)]


def measure(url: str, repeat: int) -> list[tuple]:
    store = open_store(url)
    reporting = open_reporting(store)
    plain = PlainFunnel(reporting)
    results = []

    def timed(call) -> tuple[float, object]:
        times, answer = [], None
        for _ in range(repeat):
            started = time.perf_counter()
            answer = call()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), answer

    for name, days, by in QUESTIONS:
        first = LAST - timedelta(days=days - 1)
        before, old = timed(lambda first=first, by=by: plain.funnel("bench", first, LAST, by))
        after, new = timed(lambda first=first, by=by: reporting.funnel("bench", first, LAST, by))
        assert [r.visitors for r in old] == [r.visitors for r in new], name  # type: ignore[attr-defined]
        results.append((f"funnel: {name}", before, after))
    for name, days, by in VISITOR_QUESTIONS:  # the part visitor_days replaced, alone
        first = LAST - timedelta(days=days - 1)
        before, old = timed(lambda first=first, by=by: _customer_days_visitors(store, "bench", first, LAST, by))
        after, new = timed(lambda first=first, by=by: _visitor_days_visitors(store, "bench", first, LAST, by))
        assert old == new, name
        results.append((f"visitors only: {name} (customer_days → visitor_days)", before, after))
    zone = timezone(timedelta(hours=8))
    start = datetime.combine(LAST - timedelta(days=29), datetime.min.time(), zone)
    end = datetime.combine(LAST + timedelta(days=1), datetime.min.time(), zone)
    before, _ = timed(lambda: plain.counts("bench", start, end, 480))
    after, _ = timed(lambda: reporting.counts("bench", start, end, 480))
    results.append(("counts: 30 days (来人来电统计表)", before, after))
    store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"{args.records:,} records, one site, 365 days; median of {args.repeat}; "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    for backend in args.backends.split(","):
        if backend == "sqlite":
            folder = tempfile.mkdtemp(prefix="numbers-")
            url = f"sqlite:///{folder}/numbers.db"
        else:
            from tests.postgres_server import shared_server
            server = shared_server()
            server.drop_database("numbers_bench")
            url = server.create_database("numbers_bench")
        built = build(url, args.records)
        print(f"\n{backend}: facts loaded in {built['load_s']:.0f} s, rollups counted in {built['rollup_s']:.0f} s; "
              f"rows: record_facts {built['record_facts']:,}, fact_days {built['fact_days']:,}, "
              f"customer_days {built['customer_days']:,}, visitor_days {built['visitor_days']:,}")
        print(f"{'question':40} {'facts ms':>10} {'rollups ms':>11} {'ratio':>7}")
        for name, before, after in measure(url, args.repeat):
            print(f"{name:40} {before:10.1f} {after:11.1f} {before / after:7.1f}")


if __name__ == "__main__":
    main()
