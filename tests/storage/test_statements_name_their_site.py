"""Issue 10, shardable by site: every statement the store issues on a per-site table names
``site_id`` — recorded with SQLAlchemy's ``before_cursor_execute`` during a representative
run (enrol, pushes through the real push service with a household and a conflict, pull,
the console's reading, a confirmation, a hand-over, a person deactivated with its audit row, a decision awaiting approval and approved), on SQLite.

The tables are those distributed by site (``tables.SITE_TABLES``: every primary key starts
with ``site_id``); ``sites``, ``users``, ``devices`` (identity and token), ``console_sessions``
and ``meta`` are reference tables, looked up before a site is known (docs/storage.md).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from sync_server.services import approval, handover, people
from sync_server.services.audit import Origin
from sync_server.services.auth import Actor, Caller
from sync_server.services.confirmation import confirm_records
from sync_server.services.conflicts import decide
from sync_server.services.pull import pull
from sync_server.services.push import PushEnvelope, push
from sync_server.services.tagging import tag_pending, tag_site_now
from sync_server.storage import open_reporting, open_store
from sync_server.storage.organisations import Director, Organisation
from sync_server.storage.sql.tables import SITE_TABLES
from tests.storage.records import seed, walkin_wires

PER_SITE = tuple(t.name for t in SITE_TABLES)


def _table_of(statement: str) -> set[str]:
    return {t for t in PER_SITE if re.search(rf"\b(FROM|INTO|UPDATE|JOIN)\s+{t}\b", statement)}


def test_every_statement_on_a_per_site_table_names_its_site(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'statements.db'}")
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, params, context, many: statements.append(statement))
    try:
        seed(store)
        caller = Caller(user=store.get_user("desk.li"), site=store.get_site("s1"), device=store.get_device("d1"))
        now = datetime.now(UTC).astimezone()
        wires = walkin_wires(now, [("13800138000", None), ("13800138000", None), ("13900139000", "13800138000")])
        refused = {**wires[0], "id": str(uuid.UUID(int=4)), "seq": 4, "rep": "nobody"}  # unknown_rep: a refused seq
        for wire in [*wires, refused]:
            result = push(store, caller, PushEnvelope("d1", now.isoformat(timespec="milliseconds"),
                                                      {"boot_id": "boot-1", "elapsed_ms": 10_000}, [wire]))
            assert result["results"][0]["status"] == ("rejected" if wire is refused else "accepted"), result
            tag_site_now(store, "s1")  # what the push route does after the commit (issue 14)
        assert tag_pending(store) == 0  # the background tagger's round: nothing left, every site asked
        # issue 11: a complaint and a step of it (complaint_steps, complaint_cases kept in the write)
        opened = {"id": str(uuid.UUID(int=5)), "seq": 5, "type": "complaint", "rep": "wang.li",
                  "captured_at": now.isoformat(timespec="milliseconds"), "clock": {"boot_id": "boot-1", "elapsed_ms": 9_000},
                  "customer": {"name": "张伟", "phone": "13800138000"},
                  "data": {"status": "open", "content": "样板间漏水", "severity": "general", "handler": "王丽"}}
        step = {**opened, "id": str(uuid.UUID(int=6)), "seq": 6,
                "data": {"status": "responded", "refers_to": opened["id"], "content": ""}}
        for wire in (opened, step):
            result = push(store, caller, PushEnvelope("d1", now.isoformat(timespec="milliseconds"),
                                                      {"boot_id": "boot-1", "elapsed_ms": 10_000}, [wire]))
            assert result["results"][0]["status"] == "accepted", result
        pull(store, caller, None, 100)
        pull(store, caller, None, 100, keys="tag")
        reporting = open_reporting(store)
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        reporting.day_records("s1", ["walkin"], day - timedelta(days=1), day + timedelta(days=2))
        customer = next(iter(store.customers_by_keys("s1", [c.row.phone_key for c in store.changes_after(
            "s1", 0, store.head("s1"), 100, record_scope=None, conflicts=False) if c.kind == "ownership"]).values()))
        reporting.timeline("s1", customer.id)
        reporting.devices("s1")
        reporting.open_cases("s1", now)  # the care page's complaint queue (issue 11)
        reporting.care_by_rep("s1", now.date())
        confirm_records(store, site_id="s1", author="zhao.min", record_ids=[wires[0]["id"]])
        manager = Actor(user=store.get_user("zhao.min"), site=store.get_site("s1"))
        made = handover.record(store, manager, "wang.li", "draw", "调离", seed="s",  # issue 12
                              origin=Origin.console("zhao.min", "192.0.2.7"))
        store.get_handover("s1", made.id)
        store.list_handovers("s1")
        # issue 12: an act on a person with its audit row, and the console's reading of the log
        people.set_active(store, Origin.console("zhao.min", "192.0.2.7"), "chen.jie", False, site_id="s1")
        assert reporting.audit_entries(["s1"], person="chen.jie").total == 1
        reporting.last_sign_ins("s1")
        # issue 12, R10: a decision awaiting the director, listed, approved
        store.add_org(Organisation("org", "华东"))
        store.set_site_org("s1", org_id="org", approval="all")
        open_conflict = store.list_conflicts("s1", "open")[0]
        owner = next(c["rep"] for c in open_conflict.claims if c["rep"] != "chen.jie")  # chen.jie left (above)
        decided = decide(store, manager, open_conflict.id, owner, None, "书面意见")
        director = approval.DirectorActor(Director("dir", "org", "钱总", "x"), ("s1",))
        assert [p.id for p in approval.queue(store, director)] == [decided["approval"]["id"]]
        approval.approve(store, director, Origin.cli(), "s1", decided["approval"]["id"])
    finally:
        store.close()

    unscoped = {" ".join(s.split()) for s in statements if _table_of(s) and "site_id" not in s.split("WHERE", 1)[-1]
                and not s.lstrip().upper().startswith(("CREATE", "PRAGMA"))}
    touched = {t for s in statements for t in _table_of(s)}
    assert len(statements) > 50 and touched == set(PER_SITE), (len(statements), set(PER_SITE) - touched)
    assert unscoped == set(), "statements on per-site tables that do not name site_id"
