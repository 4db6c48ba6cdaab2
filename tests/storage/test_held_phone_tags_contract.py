"""Held phones' tags (issue 13 / 14, ``0026_held_phone_tags``) in the storage contract, on SQLite
and PostgreSQL: holding a record keeps its phone (once a phone) for the tagger; the tagger's pass
(``tag_pending``) gives each such phone both tags without a change id; ``phone_tags(held=True)``
(a manager's pull) returns them beside the customers' in one read, ``held=False`` (everybody
else) as before; a refused record's phone keeps its row; each site is its own."""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import text

from shared.phones import phone_tag, phone_tag2
from sync_server.services.tagging import tag_pending, tag_site_now
from sync_server.storage.base import Device, HeldRecord, Site
from tests.storage.records import make_record, seed

HELD = [f"+86137666000{n}" for n in range(3)]
CUSTOMER = "+8613766600099"


def _hold(store, site_id: str, device_id: str, author: str, phones: list[str], first_seq: int = 1) -> list[str]:
    rows = [make_record(seq=first_seq + i, id=str(uuid.uuid4()), site_id=site_id, device_id=device_id, author=author,
                        phone_key=phone) for i, phone in enumerate(phones)]
    with store.write(site_id):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in rows])
        store.hold_records([HeldRecord(site_id, r.id, author, r.phone_key, "2026-12-02T11:00:00.000Z") for r in rows])
    return [r.id for r in rows]


def test_issue13_held_phones_are_tagged_once_without_a_change_id_and_read_beside_customers(store):
    seed(store)
    store.add_site(Site("s2", "二号"))
    store.add_device(Device("d9", "s2", "zhao.min", "other desk", "2026-11-20T00:00:00.000Z"), "t9")
    ids = _hold(store, "s1", "d1", "wang.li", [*HELD, HELD[0]])  # the same phone twice: one row
    _hold(store, "s2", "d9", "zhao.min", HELD[:1])
    with store.write("s1"):
        store.ensure_customers("s1", {CUSTOMER: ""})
    assert store.untagged_held_phones("s1", 10) == HELD and store.untagged_held_phones("s1", 10, "tag2") == HELD
    assert store.untagged_held_phones("s2", 10, "tag2") == HELD[:1]
    wanted = [*HELD, CUSTOMER, "+8613700000000"]  # and a phone nobody named
    assert store.phone_tags("s1", wanted, "tag2", held=True) == {CUSTOMER: None, **dict.fromkeys(HELD)}
    head = store.head("s1")
    assert tag_pending(store, ["s1"], batch=2) == 2 + 2 * 3  # the customer's two tags, the held phones' six
    assert store.head("s1") == head + 2, "held phones' tags spend no change id (only the customer's two)"
    assert store.untagged_held_phones("s1", 10) == store.untagged_held_phones("s1", 10, "tag2") == []
    key = store.get_site("s1").replica_key
    assert store.phone_tags("s1", wanted, "tag2", held=True) == {n: phone_tag2(key, n) for n in [*HELD, CUSTOMER]}
    assert store.phone_tags("s1", wanted, "tag", held=True) == {n: phone_tag(key, n) for n in [*HELD, CUSTOMER]}
    assert store.phone_tags("s1", wanted, "tag2") == {CUSTOMER: phone_tag2(key, CUSTOMER)}, "held=False: as before"
    assert store.untagged_held_phones("s2", 10, "tag2") == HELD[:1], "another site's phone is its own"
    # a refused record's phone keeps its tag; a tag stored meanwhile is left alone
    with store.write("s1"):
        store.dismiss_held("s1", ids[:1], "zhao.min", "2026-12-02T11:10:00.000Z", "junk")
    assert store.phone_tags("s1", HELD[:1], "tag2", held=True) == {HELD[0]: phone_tag2(key, HELD[0])}
    assert store.set_held_phone_tags("s1", {HELD[0]: "other"}, "tag2") == 0


def test_issue13_a_held_phone_that_is_also_a_customer_reads_the_one_tag(store):
    """Released later (or another pusher's record made the customer): the customer's tag and
    the held phone's are the same value; whichever is set is read, the customer untagged or not."""
    seed(store)
    _hold(store, "s1", "d1", "wang.li", [CUSTOMER])
    with store.write("s1"):
        store.ensure_customers("s1", {CUSTOMER: ""})
    assert tag_site_now(store, "s1") == 4  # a push's few: both kinds of the customer and of the held phone
    key = store.get_site("s1").replica_key
    assert store.phone_tags("s1", [CUSTOMER], "tag2", held=True) == {CUSTOMER: phone_tag2(key, CUSTOMER)}
    with store.engine.begin() as conn:  # the customer without its tag2: the held phone's is read
        conn.execute(text("UPDATE customers SET phone_tag2 = NULL"))
    assert store.phone_tags("s1", [CUSTOMER], "tag2") == {CUSTOMER: None}
    assert store.phone_tags("s1", [CUSTOMER], "tag2", held=True) == {CUSTOMER: phone_tag2(key, CUSTOMER)}

