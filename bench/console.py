"""Console speed at a million records (issue 11): every page and export over HTTP, timed.

    python bench/console.py [--records 1000000] [--backend sqlite|postgres|both] [--repeat 15]

Builds (once; cached under ``--cache`` by record count and the builder's source) a site with
``--records`` records (``bench/console_data.py``: a year of walk-ins, calls, deals, follow-ups,
visit reports, complaints, corrections, withdrawals; customers registered on several tablets;
ownership decided by the server's own code), starts a real ``fieldsync-server serve`` on it,
signs in as the manager and requests every console page and export once to warm up, then
``--repeat`` times (fewer once ``--budget`` seconds are spent, at least 3; a page whose warm-up
alone takes longer than ``--budget`` is reported from that one run, ``n`` = 1). Prints, per page,
the median and p95 in ms (whole response read), the median time to the first byte for
exports, the warm-up request's time (an export's first build: the repeats are the file kept
since the site last changed, ``console/export_cache.py``), and each median against the 300 ms goal and against the baseline measured in the same
run (the sign-in page, which reads no records). PostgreSQL: a throw-away server whose data
directory is cached next to the SQLite file (``tests/postgres_server.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from console_data import MANAGER, PASSWORD, build  # noqa: E402

from tests.live_server import _command, _free_port  # noqa: E402
from tests.postgres_server import PostgresServer, find_bin_dir  # noqa: E402

GOAL_MS = 300.0
KINDS = ("registrations", "calls", "visits", "follow_ups", "complaints", "conflicts", "decisions")


class CachedPostgres(PostgresServer):
    """A PostgreSQL server whose data directory stays in ``directory`` between runs."""

    def __init__(self, bin_dir: Path, directory: Path):
        super().__init__(bin_dir)
        shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp = str(directory)
        self.data_dir, self.socket_dir = directory / "data", directory
        self.log_path = directory / "postgres.log"

    @classmethod
    def open(cls, directory: Path) -> CachedPostgres:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise SystemExit("no PostgreSQL binaries (apt-get install postgresql)")
        directory.mkdir(parents=True, exist_ok=True)
        server = cls(bin_dir, directory)
        if not (server.data_dir / "PG_VERSION").exists():
            shutil.rmtree(server.data_dir, ignore_errors=True)
            server._initdb()
        server._pg_ctl("start", "-w", "-t", "120", "-l", str(server.log_path), "-o",
                       f"-p {server.port} -c listen_addresses=127.0.0.1 -k {server.socket_dir} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB")
        return server

    def has_database(self, name: str) -> bool:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast", "-w")  # clean: the cached database survives

    def _cleanup(self) -> None:  # the directory is the cache
        pass


def _data_key(records: int) -> str:
    source = (ROOT / "bench" / "console_data.py").read_bytes()
    return f"console-{records}-{hashlib.sha256(source).hexdigest()[:10]}"


def prepare(backend: str, records: int, cache: Path) -> tuple[str, dict, CachedPostgres | None]:
    """The database URL (built now unless cached), what the builder said about it, the
    PostgreSQL server to stop afterwards."""
    key = _data_key(records)
    info_path = cache / f"{key}-{backend}.json"
    postgres = None
    if backend == "sqlite":
        url = f"sqlite:///{cache / (key + '.db')}"
        ready = info_path.exists() and (cache / (key + ".db")).exists()
    else:
        postgres = CachedPostgres.open(cache / "postgres")
        name = key.replace("-", "_")
        url = postgres.url(name)
        ready = info_path.exists() and postgres.has_database(name)
        if not ready:
            postgres.drop_database(name)
            postgres.create_database(name)
    if not ready:
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (cache / (key + ".db" + suffix)).unlink(missing_ok=True)
        print(f"building {records:,} records on {backend} (cached afterwards) …", flush=True)
        info = build(url, records, log=lambda line: print(line, flush=True))
        info_path.write_text(json.dumps(info, ensure_ascii=False, indent=1))
        print(f"built in {info['seconds']:.0f} s", flush=True)
    return url, json.loads(info_path.read_text()), postgres


class Server:
    """``fieldsync-server serve`` on ``url`` (schema upgraded first, which may build indexes)."""

    def __init__(self, url: str, log: Path):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "FIELDSYNC_CONSOLE_SECRET": "bench-console-secret-0123456789"}
        subprocess.run([*_command(), "db", "upgrade", "--db", url], env=env, cwd=ROOT, check=True,
                       capture_output=True, timeout=3600)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([*_command(), "serve", "--db", url, "--host", "127.0.0.1", "--port",
                                         str(self.port), "--log-level", "warning"], env=env, cwd=ROOT,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        for _ in range(1200):
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"server exited: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        raise SystemExit("server did not answer /healthz")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._log.close()


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    form = session.get(base + "/console/login", timeout=60).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    answer = session.post(base + "/console/login", timeout=60, data={
        "username": MANAGER, "password": PASSWORD, "csrf_token": csrf, "next": "/console/disputes"})
    if "/console/login" in answer.url:
        raise SystemExit("the manager could not sign in")
    return session


def pages(session: requests.Session, base: str, info: dict) -> list[tuple[str, str]]:
    """``(label, path)`` of every page and export, ids read from the pages themselves."""
    busy = info["busy_day"]
    search = session.get(f"{base}/console/customers?q={info['probe_phone']}", timeout=600).text
    customer = re.search(r'href="(/console/customers/[^"?]+)"', search)
    disputes = session.get(f"{base}/console/disputes", timeout=600).text
    dispute = re.search(r'href="(/console/disputes/[0-9a-f-]{36})"', disputes)
    out = [("baseline: sign-in page", "/console/login"),
           ("numbers, days (14 days)", f"/console/numbers?period=day&end={busy}"),
           ("numbers, weeks (8 weeks)", f"/console/numbers?period=week&end={busy}"),
           ("numbers, months (6 months)", f"/console/numbers?period=month&end={busy}"),
           (f"confirm, the busy day ({busy})", f"/console/confirm?day={busy}"),
           ("confirm, an ordinary day", f"/console/confirm?day={_days_before(busy, 30)}"),
           ("customers, latest (no query)", "/console/customers"),
           (f"customers, name {info['query_name']}", f"/console/customers?q={info['query_name']}"),
           ("customers, phone last four", f"/console/customers?q={info['query_phone']}"),
           ("customers, no match", "/console/customers?q=不存在的名字")]
    out += [("a customer's page", customer.group(1))] if customer else []
    out += [("disputes, open", "/console/disputes"), ("disputes, decided", "/console/disputes?status=decided")]
    out += [("a dispute's page", dispute.group(1))] if dispute else []
    out += [("care", "/console/care"), ("care, a rep's customers (100 a page)", "/console/care?rep=wang.li"),
            ("devices", "/console/devices"), ("exports form", "/console/exports")]
    first = _days_before(busy, 5)
    for kind in KINDS:
        for fmt in ("csv", "xlsx"):
            out.append((f"export {kind} {fmt} (7 days)",
                        f"/console/exports/download?kind={kind}&format={fmt}&start={first}&end={_days_before(busy, -1)}"))
    out.append(("export all xlsx (7 days)", f"/console/exports/download?kind=all&format=xlsx&start={first}"
                f"&end={_days_before(busy, -1)}"))
    return out


def _days_before(day: str, n: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=n)).isoformat()


def timed(session: requests.Session, url: str) -> tuple[float, float, int, int]:
    """(ms to the last byte, ms to the first byte, status, bytes)."""
    started = time.perf_counter()
    with session.get(url, timeout=3600, stream=True, allow_redirects=False) as answer:
        chunks = answer.iter_content(65536)
        first = next(chunks, b"")
        first_ms = (time.perf_counter() - started) * 1000
        size = len(first) + sum(len(c) for c in chunks)
    return (time.perf_counter() - started) * 1000, first_ms, answer.status_code, size


def measure(backend: str, records: int, cache: Path, repeat: int, budget: float, only: str | None,
            skip: str | None = None) -> list[dict]:
    url, info, postgres = prepare(backend, records, cache)
    server = None
    try:
        server = Server(url, cache / f"server-{backend}.log")
        session = sign_in(server.base)
        rows = []
        for label, path in pages(session, server.base, info):
            if not label.startswith("baseline") and ((only and not any(o in label for o in only.split(",")))
                                                     or (skip and any(o in label for o in skip.split(",")))):
                continue
            samples: list[tuple[float, float, int, int]] = [timed(session, server.base + path)]  # warm-up, kept apart
            spent, runs = 0.0, []
            if samples[0][0] / 1000 > budget:  # one run is over the budget: that run is the figure (n=1)
                runs = samples
            while len(runs) < repeat and (len(runs) < 3 or spent < budget) and runs is not samples:
                runs.append(timed(session, server.base + path))
                spent += runs[-1][0] / 1000
            total = sorted(r[0] for r in runs)
            p95 = total[min(len(total) - 1, round(0.95 * (len(total) - 1)))]
            rows.append({"page": label, "median": statistics.median(total), "p95": p95,
                         "first_byte": statistics.median(r[1] for r in runs), "n": len(runs),
                         "status": runs[-1][2], "bytes": runs[-1][3], "cold": samples[0][0]})
            print(f"  {label}: {rows[-1]['median']:.0f} ms (n={len(runs)})", flush=True)
        return rows
    finally:
        if server is not None:
            server.stop()
        if postgres is not None:
            postgres.stop()


def report(backend: str, records: int, rows: list[dict]) -> None:
    base = next((r["median"] for r in rows if r["page"].startswith("baseline")), 1.0)
    load = os.getloadavg()
    print(f"\n{backend}, {records:,} records, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    print("| page | median ms | p95 ms | first byte ms | n | status | size | vs 300 ms | vs baseline | warm-up ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:  # warm-up: the page's first request (an export's first build; kept files answer the rest)
        verdict = "ok" if r["median"] < GOAL_MS else f"**{r['median'] / GOAL_MS:.1f}×**"
        print(f"| {r['page']} | {r['median']:.0f} | {r['p95']:.0f} | {r['first_byte']:.0f} | {r['n']} | {r['status']} "
              f"| {r['bytes'] / 1024:.0f} KB | {verdict} | {r['median'] / base:.1f}× | {r['cold']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page (after one warm-up)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per page before stopping at 3 runs")
    parser.add_argument("--only", help="time only the pages whose label contains this (or one of a,b,c)")
    parser.add_argument("--skip", help="leave out the pages whose label contains this (or one of a,b,c)")
    parser.add_argument("--cache", type=Path, default=Path("/var/tmp/fieldsync-bench"))
    parser.add_argument("--build-only", action="store_true", help="build (or find) the databases, time nothing")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # PostgreSQL runs as its own user: it must reach its cached data directory
        shutil.chown(args.cache, "postgres")
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    if args.build_only:
        for backend in backends:
            _, info, postgres = prepare(backend, args.records, args.cache)
            if postgres is not None:
                postgres.stop()
            print(json.dumps(info, ensure_ascii=False))
        return
    results = {b: measure(b, args.records, args.cache, args.repeat, args.budget, args.only, args.skip) for b in backends}
    for backend, rows in results.items():
        report(backend, args.records, rows)


if __name__ == "__main__":
    main()
