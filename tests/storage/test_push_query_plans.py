"""Issue 10, "the single-process push on SQLite must not get slower": every statement a push
(and a pull) runs on SQLite searches an index by the keys it is given, never every row of the
site. Two such plans made the SQLAlchemy store slower than the old one as a site grew:
``ORDER BY change_id`` on the records read by phone (SQLite walked ``records_site_change``)
and the ``INDEXED BY`` hint of the household walk, which SQLAlchemy's SQLite compiler dropped.
Checked with ``EXPLAIN QUERY PLAN`` on the statements recorded during real pushes.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import event

from sync_server.services.auth import Caller
from sync_server.services.pull import pull
from sync_server.services.push import PushEnvelope, push
from sync_server.storage import open_store
from tests.storage.records import seed, walkin_wires

PER_SITE = ("records", "record_facts", "fact_days", "customer_days", "customers", "customer_links", "conflicts",
            "decisions")
SITE_ONLY = re.compile(r"^SEARCH (\w+) USING (?:COVERING )?INDEX \S+ \(site_id=\?\)$")
SCAN = re.compile(r"^SCAN (\w+)")


def test_push_and_pull_never_read_a_whole_site(tmp_path):
    path = tmp_path / "plans.db"
    store = open_store(f"sqlite:///{path}")
    statements: dict[str, object] = {}

    def record(conn, cursor, statement, params, context, many):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.setdefault(statement, params[0] if many else params)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        seed(store)
        caller = Caller(user=store.get_user("desk.li"), site=store.get_site("s1"), device=store.get_device("d1"))
        now = datetime.now(UTC).astimezone()
        phones = [("13800138000", None), ("13800138000", None), ("13900139000", "13800138000"),
                  ("13700137000", "13900139000")]
        wires = walkin_wires(now, phones)
        for batch in (wires[:2], wires[2:]):
            result = push(store, caller, PushEnvelope("d1", now.isoformat(timespec="milliseconds"),
                                                      {"boot_id": "boot-1", "elapsed_ms": 10_000}, batch))
            assert {r["status"] for r in result["results"]} == {"accepted"}, result
        pull(store, caller, None, 100)
    finally:
        store.close()
    assert any("INDEXED BY customer_links_linked" in s for s in statements)
    conn = sqlite3.connect(path)
    try:
        bad = []
        for statement, params in statements.items():
            for row in conn.execute("EXPLAIN QUERY PLAN " + statement, params or ()):
                step = row[3]
                match = SITE_ONLY.match(step) or SCAN.match(step)
                if match and match.group(1) in PER_SITE:
                    bad.append((" ".join(statement.split())[:160], step))
    finally:
        conn.close()
    assert not bad, bad
