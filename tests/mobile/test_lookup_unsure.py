"""QA of issue 14, H1: the desk's look-up said a certain 新客户 for a returning customer — even its
own registration of minutes before — whenever the replica's row had no tag yet: after a push of
more than 16 new customers (the server tags them in the background; the next pull is minutes
away), during the backfill of a new tag, and on a tablet whose replica was not loaded. Now the
tablet's own sent records and the records pulled under the tag still decide (provisionally),
and a "new" the desk cannot be sure of says why (``CustomerStatus.unsure``), never green."""

from __future__ import annotations

from mobile.services import CustomerLookup, RecordCapture
from mobile.store import LocalStore
from shared.phones import mask_phone, normalise_phone
from tests.mobile.test_own_record_tags import _pulled
from tests.mobile.test_store import make_store, ownership, walkin


def _untagged(change_id: int, customer_id: str, name: str, phone: str, owner=("wang.li", "王丽")) -> dict:
    """An ownership change as the server pulls it before its tagger reached the customer."""
    change = ownership(change_id, customer_id, name, phone, owner)
    change["customer"] = {**change["customer"], "phone_tag": None, "phone_masked": mask_phone(normalise_phone(phone))}
    return change


def test_qa14_h1_a_desks_own_walkin_sent_and_pulled_back_untagged_reads_returning(tmp_path):
    """desk.li registered 13700000005 for 王丽, synced (the push was one of 20 new customers, so
    the server tags them later) and pulled it back untagged: typing the number again said
    新客户：按排班接待 for three minutes. It is 王丽's returning customer (provisional)."""
    store = make_store(tmp_path)
    wire = walkin(RecordCapture(store), phone="137 0000 0005", name="午后5", rep="wang.li")
    store.record_results([{"id": wire["id"], "status": "accepted"}], "2026-12-02T08:00:00.000Z")
    lookup = CustomerLookup(store)
    sent = lookup.check("137 0000 0005")  # accepted, not pulled back yet
    assert (sent.verdict, sent.owner, sent.provisional) == ("returning", "wang.li", True)
    store.apply_changes([_untagged(10, "c5", "午后5", "13700000005"), _pulled(11, wire, None)], cursor="11")
    pulled = lookup.check("137 0000 0005")
    assert (pulled.verdict, pulled.owner, pulled.owner_name) == ("returning", "wang.li", "王丽")
    assert pulled.known_name == "午后5"
    store.close()


def test_qa14_h1_a_customer_ending_alike_without_its_tag_makes_a_new_unsure(tmp_path):
    """During the backfill of a new tag (or the tagger's backlog) another tablet's customer is on
    the desk with its masked phone but no tag: a number ending in the same four digits cannot be
    said new for certain; one ending otherwise can."""
    store = make_store(tmp_path)
    store.apply_changes([_untagged(10, "c1", "周敏", "13901641148", ("chen.jie", "陈杰"))], cursor="10")
    lookup = CustomerLookup(store)
    same_four = lookup.check("139 0164 1148")
    assert (same_four.verdict, same_four.unsure) == ("new", "untagged")
    assert lookup.check("139 0000 1148").unsure == "untagged"  # the mask cannot tell them apart
    assert (lookup.check("139 0164 2222").verdict, lookup.check("139 0164 2222").unsure) == ("new", "")
    store.close()


def test_qa14_h1_a_desk_whose_replica_is_not_loaded_says_it_cannot_recognise_anyone(tmp_path):
    """A tablet never synced, or reloading its replica after an upgrade (tablet migration
    017_tag2 empties it until the server sends it again): every number would read a certain
    新客户; it says the customer list is not on the tablet yet."""
    store = LocalStore(tmp_path / "fresh.db")
    store.set_meta(user={"username": "desk.li", "role": "reception", "site_id": "s1"})
    status = CustomerLookup(store).check("138 0013 8000")
    assert (status.verdict, status.unsure) == ("new", "unloaded")
    store.close()
    loaded = make_store(tmp_path / "loaded")
    assert CustomerLookup(loaded).check("138 0013 8000").unsure == ""
    loaded.close()


def test_qa14_h1_a_reps_new_stays_partial_not_unsure(tmp_path):
    """A rep's tablet holds no tag of other reps' customers by design: its "new" already says so
    (``partial``), not that the list is still being updated."""
    store = make_store(tmp_path)
    store.set_meta(user={"username": "wang.li", "role": "rep", "site_id": "s1"})
    store.apply_changes([_untagged(10, "c1", "周敏", "13901641148", ("chen.jie", "陈杰"))], cursor="10")
    status = CustomerLookup(store).check("139 0164 1148")
    assert (status.verdict, status.partial, status.unsure) == ("new", True, "")
    store.close()
