"""Hand-overs (001 §14(五)3(12)) in the storage contract, on SQLite and PostgreSQL: stored with
their draw's inputs and result as written (JSON kept, booleans read back as booleans), listed
newest first per site, never visible from another site, items found by phone key; a hand-over
in a write that fails is not kept."""

from __future__ import annotations

import pytest

from sync_server.storage.base import CustomerRow, HandoverItemRow, HandoverRow, Site
from tests.storage.records import seed


def _row(id_: str, at: str, site_id: str = "s1", **changes) -> HandoverRow:
    values = dict(id=id_, site_id=site_id, from_rep="wang.li", author="zhao.min", created_at=at, reason="调离",
                  method="draw", deals_too=False, seed="5d2b73aea70820a1", algorithm="sha256-order-v1",
                  receivers=["chen.jie", "zhang.qiang"], drawn=["c1", "c2"], result={"c1": "chen.jie", "c2": "zhang.qiang"})
    return HandoverRow(**{**values, **changes})


def test_a_handover_reads_back_as_written_and_per_site(store):
    seed(store)
    store.add_site(Site("s2", "二号"))
    first, second = _row("h1", "2026-11-20T02:00:00.000Z"), _row("h2", "2026-11-21T02:00:00.000Z", method="choice",
                                                                     deals_too=True, seed=None, algorithm=None,
                                                                     receivers=[], drawn=[])
    items = [HandoverItemRow("s1", "h1", "k1", "c1", "chen.jie"), HandoverItemRow("s1", "h1", "k2", "c2", "zhang.qiang")]
    with store.write("s1"):
        store.add_handover(first, items)
        store.add_handover(second, [HandoverItemRow("s1", "h2", "k1", "c1", "wang.li")])
    with store.write("s2"):
        store.add_handover(_row("h3", "2026-11-22T02:00:00.000Z", site_id="s2"),
                           [HandoverItemRow("s2", "h3", "k1", "c9", "x")])
    assert store.get_handover("s1", "h1") == first and store.get_handover("s1", "h2") == second
    assert store.get_handover("s2", "h1") is None and store.get_handover("s1", "h3") is None
    assert [r.id for r in store.list_handovers("s1")] == ["h2", "h1"]
    assert store.handover_items_for_keys("s1", ["k1"]) == [HandoverItemRow("s1", "h1", "k1", "c1", "chen.jie"),
                                                           HandoverItemRow("s1", "h2", "k1", "c1", "wang.li")]
    assert store.handover_items_for_keys("s1", ["nobody"]) == []


def test_a_handover_in_a_write_that_fails_is_not_kept(store):
    seed(store)
    with pytest.raises(RuntimeError), store.write("s1"):
        store.add_handover(_row("h1", "2026-11-20T02:00:00.000Z"), [HandoverItemRow("s1", "h1", "k1", "c1", "x")])
        raise RuntimeError("later step failed")
    assert store.get_handover("s1", "h1") is None and store.handover_items_for_keys("s1", ["k1"]) == []


def test_customers_of_an_owner(store):
    seed(store)
    with store.write("s1"):
        rows = store.ensure_customers("s1", {"k1": "张伟", "k2": "李娜"})
        store.save_customers([CustomerRow(id=rows["k1"].id, site_id="s1", phone_key="k1", name="张伟", owner="wang.li",
                                          status="protected", change_id=store.next_change_id())])
    assert [c.phone_key for c in store.customers_of_owner("s1", "wang.li")] == ["k1"]
    assert store.customers_of_owner("s2", "wang.li") == []
