"""Customers' phone tags (issue 14) in the storage contract, on SQLite and PostgreSQL: a new
customer has none; ``tag_pending`` (the tagger's pass, also the backfill after migration
0012) tags every customer of every site off any push transaction, each with a new change id
(tablets pull the tag), leaves a tag stored meanwhile alone, and each site has its own key."""

from __future__ import annotations

from shared.phones import phone_tag, phone_tag2
from sync_server.services.tagging import tag_pending
from sync_server.storage.base import Site
from tests.storage.records import seed


def test_the_tagger_tags_every_customer_of_every_site_with_a_new_change_id(store):
    seed(store)
    store.add_site(Site("s2", "二号"))
    numbers = [f"+861380013{i:04d}" for i in range(5)]
    with store.write("s1"):
        store.ensure_customers("s1", {n: "" for n in numbers})
    with store.write("s2"):
        store.ensure_customers("s2", {numbers[0]: ""})
    assert len(store.untagged_customers("s1", 100)) == 5 and len(store.untagged_customers("s2", 100)) == 1
    head = store.head("s1")
    assert tag_pending(store, batch=2) == 12  # both kinds (keys=tag and keys=tag2) of 6 customers
    assert store.untagged_customers("s1", 100) == store.untagged_customers("s2", 100) == []
    assert store.untagged_customers("s1", 100, "tag2") == store.untagged_customers("s2", 100, "tag2") == []
    s1, s2 = store.get_site("s1"), store.get_site("s2")
    tagged = store.customers_by_keys("s1", numbers)
    assert {n: c.phone_tag for n, c in tagged.items()} == {n: phone_tag(s1.replica_key, n) for n in numbers}
    assert {n: c.phone_tag2 for n, c in tagged.items()} == {n: phone_tag2(s1.replica_key, n) for n in numbers}
    # the tag first, then the tag2, each a new change id: a customer's last is its tag2's
    assert sorted(c.change_id for c in tagged.values()) == list(range(head + 6, head + 11))
    other = store.customers_by_keys("s2", numbers[:1])[numbers[0]]
    assert other.phone_tag == phone_tag(s2.replica_key, numbers[0]) != tagged[numbers[0]].phone_tag
    assert tag_pending(store) == 0  # nothing left: no change ids spent


def test_a_tag_stored_meanwhile_is_left_alone_and_a_push_keeps_the_tag(store):
    seed(store)
    with store.write("s1"):
        row = store.ensure_customers("s1", {"+8613800138000": "张伟"})["+8613800138000"]
    assert store.set_phone_tags("s1", {row.id: ("+8613800138000", "first")}) == 1
    assert store.set_phone_tags("s1", {row.id: ("+8613800138000", "second")}) == 0
    with store.write("s1"):
        store.ensure_customers("s1", {"+8613800138000": "张伟伟"})  # a rename in a later push
        again = store.customers_by_keys("s1", ["+8613800138000"])["+8613800138000"]
        store.save_customers([again])
    assert store.customers_by_keys("s1", ["+8613800138000"])["+8613800138000"].phone_tag == "first"


def test_a_users_first_tag2_pull_is_remembered_and_no_later_one(store):
    """``note_tag2`` (issue 14): the first time stands, no change id is spent (tablets are not
    told), and only that user of that site is marked."""
    seed(store)
    first, other = [u.username for u in store.list_users("s1")][:2]
    head = store.head("s1")
    store.note_tag2("s1", first, "2026-12-02T07:00:00.000Z")
    store.note_tag2("s1", first, "2026-12-02T08:00:00.000Z")
    store.note_tag2("s2", other, "2026-12-02T08:00:00.000Z")  # another site: not this user's
    assert store.get_user(first).tag2_since == "2026-12-02T07:00:00.000Z"
    assert store.get_user(other).tag2_since is None
    assert store.head("s1") == head
