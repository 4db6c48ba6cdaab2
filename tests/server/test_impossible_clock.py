"""Issue 8, item 7: a capture time that cannot be true is never trusted silently.

The exact scenario of the issue, on SQLite and PostgreSQL: a tablet whose clock was reset to
1970 captures a walk-in (boot X), reboots with the right time (boot Y) and pushes; minutes later
another desk registers the same phone for another rep. The first record is marked ``impossible``,
its claim opens a conflict flagged ``impossible_clock`` for the manager, and the first receiver
does not silently lose the customer."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.server.helpers import CST, Tablet, now_cst, wire


@pytest.fixture(scope="module")
def manager(live_server):
    return Tablet(live_server, "zhao.min")


def _conflicts_of(manager: Tablet, customer_id: str) -> list[dict]:
    return [c for c in manager.get("/conflicts", status="open").json() if c["customer_id"] == customer_id]


def test_issue8_a_1970_walkin_pushed_after_a_reboot_opens_a_conflict_for_the_manager(live_server, manager):
    phone = "137 1970 0101"
    reset = Tablet(live_server, "desk.li", "desk reset to 1970", boot="boot-X")
    # boot X: the wall clock reads 1970-01-01 08:05 (+08:00); 300 s after boot
    walkin_1970 = wire(rep="wang.li", phone=phone, name="周敏", seq=next(reset.seq), boot="boot-X", elapsed_ms=300_000,
                       at=datetime(1970, 1, 1, 8, 5, tzinfo=CST))
    reset.reboot("boot-Y")  # rebooted with the right time: nothing of boot X is anchored
    assert reset.statuses(walkin_1970) == ["accepted"]

    other = Tablet(live_server, "desk.li", "desk two")
    assert other.statuses(other.record(rep="zhang.qiang", phone=phone, name="周敏", ago=timedelta(minutes=0))) == ["accepted"]

    lookup = manager.get("/customers/lookup", phone=phone).json()
    assert lookup["status"] == "disputed", lookup
    detail = manager.get(f"/customers/{lookup['customer_id']}").json()
    stored = next(r for r in detail["records"] if r["id"] == walkin_1970["id"])
    assert stored["clock_method"] == "impossible"
    assert datetime.fromisoformat(stored["estimated_at"]).year >= 2020  # never 1970
    [conflict] = _conflicts_of(manager, lookup["customer_id"])
    assert "impossible_clock" in conflict["flags"]
    assert {c["rep"] for c in conflict["claims"]} == {"wang.li", "zhang.qiang"}
    claim = next(c for c in conflict["claims"] if c["record_id"] == walkin_1970["id"])
    assert claim["clock"] == "impossible" and claim["captured_at"].startswith("1970-01-01")
    texts = " ".join(step["text"]["en"] for step in conflict["explanation"])
    assert "Impossible clock" in texts


def test_issue8_an_impossible_claim_alone_is_already_shown_to_the_manager(live_server, manager):
    phone = "137 1970 0202"
    tablet = Tablet(live_server, "desk.li", "desk 2000", boot="boot-old")
    record = wire(rep="chen.jie", phone=phone, name="吴昊", seq=next(tablet.seq), boot="boot-old", elapsed_ms=5_000,
                  at=datetime(2000, 1, 1, 0, 0, tzinfo=CST))
    tablet.reboot("boot-new")
    assert tablet.statuses(record) == ["accepted"]
    lookup = manager.get("/customers/lookup", phone=phone).json()
    assert (lookup["owner"], lookup["status"]) == ("chen.jie", "disputed")
    [conflict] = _conflicts_of(manager, lookup["customer_id"])
    assert conflict["flags"] == ["impossible_clock"] and len(conflict["claims"]) == 1


def test_issue8_a_capture_time_after_the_push_is_impossible_too(live_server, manager):
    phone = "137 1970 0303"
    tablet = Tablet(live_server, "desk.li", "desk future", boot="boot-f1")
    record = wire(rep="wang.li", phone=phone, name="郑雪", seq=next(tablet.seq), boot="boot-f1", elapsed_ms=5_000,
                  at=now_cst() + timedelta(days=3))
    tablet.reboot("boot-f2")
    assert tablet.statuses(record) == ["accepted"]
    lookup = manager.get("/customers/lookup", phone=phone).json()
    detail = manager.get(f"/customers/{lookup['customer_id']}").json()
    stored = next(r for r in detail["records"] if r["id"] == record["id"])
    assert stored["clock_method"] == "impossible"
    assert datetime.fromisoformat(stored["estimated_at"]) <= now_cst()
    assert "impossible_clock" in _conflicts_of(manager, lookup["customer_id"])[0]["flags"]


def test_an_honest_unverified_clock_is_not_called_impossible(live_server, manager):
    phone = "137 1970 0404"
    tablet = Tablet(live_server, "desk.li", "desk honest", boot="boot-h1")
    record = wire(rep="wang.li", phone=phone, name="冯宁", seq=next(tablet.seq), boot="boot-h1", elapsed_ms=5_000,
                  at=now_cst() - timedelta(hours=2))
    tablet.reboot("boot-h2")
    assert tablet.statuses(record) == ["accepted"]
    lookup = manager.get("/customers/lookup", phone=phone).json()
    assert lookup["status"] == "protected"
    detail = manager.get(f"/customers/{lookup['customer_id']}").json()
    assert next(r for r in detail["records"] if r["id"] == record["id"])["clock_method"] == "unverified"
