"""A private replica on the tablet (issue 14), against a real server on both backends and on
real SQLite files.

The report: a rep's script read ``phone_hash`` (unsalted SHA-256) and ``phone_masked`` (7 of 11
digits) from the replica and recovered 3 of 3 numbers of customers it does not own in 0.02 s.
The assertions are on the *work* left to such a script, never on time: the tablet's file holds
no unkeyed digest of any number, shows at most the last four digits of a hidden one, and names
it by a keyed scrypt tag — the one ``shared`` computes for the typed number at the documented
cost. The desk still finds a customer registered on another tablet by full phone and last four.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3

import pytest

from mobile.screens.forms import verdict_kind
from mobile.services import CustomerLookup, CustomerSearch, RecordCapture
from mobile.services.ownership_alerts import ownership_alerts
from mobile.services.search import customer_card
from mobile.store import MIGRATIONS, LocalStore
from mobile.sync import RequestsTransport, SyncClient
from shared.phones import TAG2_SCRYPT, phone_hash, phone_tag, phone_tag2
from tests.live_server import PASSWORD, SITE_ID, LiveServer
from tests.postgres_server import fresh_database

# the report's three hidden numbers (customers of zhang.qiang and chen.jie), replayable
HIDDEN = {"13912340001": "zhang.qiang", "13712340002": "chen.jie", "18612340003": "zhang.qiang"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request):
    if request.param == "sqlite":
        with LiveServer() as live:
            yield live
        return
    with fresh_database("tab_private_replica") as url, LiveServer(db_url=url) as live:
        yield live


def _tablet(path, server, username: str) -> tuple[LocalStore, SyncClient]:
    store = LocalStore(path / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, username, PASSWORD, f"{username} {path.name}")
    return store, client


@pytest.fixture(scope="module")
def registered(server, tmp_path_factory):
    """The desk registers 张伟 for wang.li and the three hidden customers, then syncs."""
    store, client = _tablet(tmp_path_factory.mktemp("desk1"), server, "desk.li")
    capture = RecordCapture(store)
    capture.capture("walkin", name="张伟", phone="138 0013 8000", rep="wang.li",
                    data={"visit": "first", "party_size": 2})
    for i, (phone, rep) in enumerate(HIDDEN.items()):
        capture.capture("walkin", name=f"客户{i}", phone=phone, rep=rep, data={"visit": "first", "party_size": 1})
    report = client.sync()
    assert report.accepted == 1 + len(HIDDEN)
    store.close()
    return server


def _texts(path) -> str:
    """Every text value of every table of a tablet's SQLite file, as one string."""
    conn = sqlite3.connect(path)
    try:
        out = []
        for (table,) in conn.execute("select name from sqlite_master where type = 'table'"):
            for row in conn.execute(f'select * from "{table}"'):  # noqa: S608 - names from the file itself
                out += [str(v) for v in row if v is not None]
        return "\n".join(out)
    finally:
        conn.close()


def test_issue14_a_reps_replica_holds_no_tag_of_another_reps_customer(registered, tmp_path):
    """"The whole replica years": with every customer's tag and last four digits a rep's script
    needs ~10^4 passes of 521,600 scrypts (~10 months of one core, less with a 号段 list). Now
    the rep's file holds the tags of her own customers only: another rep's customer is a masked
    row with its owner (nothing to test candidates against), no unkeyed digest anywhere. Her
    look-up of such a number says it cannot tell (the server decides after sync)."""
    store, client = _tablet(tmp_path, registered, "wang.li")
    client.sync()
    site_key = store.site()["replica_key"]
    hidden = {r["phone_masked"]: r for r in store._rows("select * from customers where phone is null")}
    assert len(hidden) == len(HIDDEN)
    for number, owner in HIDDEN.items():
        row = hidden["+86 *******" + number[-4:]]  # the last four digits, nothing more
        assert row["phone_hash"] is None and row["owner"] == owner
        answer = CustomerLookup(store).check(number)
        assert (answer.verdict, answer.partial) == ("new", True)
        assert verdict_kind(answer) == "info"  # not the green of a certain new customer (QA6)
    (own,) = store._rows("select * from customers where phone is not null")
    assert own["phone_hash"] == phone_tag2(site_key, "+8613800138000") == store.phone_tag_of("138 0013 8000")
    assert own["phone_hash"] == hashlib.scrypt(b"+8613800138000", salt=site_key.encode(), maxmem=64 << 20,
                                               **TAG2_SCRYPT).hex()
    assert CustomerLookup(store).check("138 0013 8000").partial is False
    assert all(r["phone_hash"] is None for r in store._rows("select phone_hash from names where ref like 'c:%'")
               if r["phone_hash"] != own["phone_hash"])
    store.close()
    everything = _texts(tmp_path / "fieldsync.db")
    for number in HIDDEN:
        e164 = "+86" + number
        for digest in (phone_hash(SITE_ID, e164), hashlib.sha256(e164.encode()).hexdigest(),
                       hashlib.sha256(number.encode()).hexdigest(), phone_tag(site_key, e164),
                       phone_tag2(site_key, e164)):
            assert digest not in everything  # no digest of a hidden number anywhere in the file
        assert number[:7] not in everything and number not in everything
    masks = re.findall(r"\+86 [*\d]+", everything)
    assert masks and all(len(re.sub(r"\D", "", m[4:])) <= 4 for m in masks)


def test_issue14_a_reps_own_walkin_of_another_reps_customer_is_still_told_after_sync(registered, tmp_path):
    """The rep's tablet keeps the tag of a number its own records named: after the sync her
    walk-in of 陈杰's customer shows on the home screen's alert (issue 9) and her look-up says
    whose customer it is (disputed: two first visits within the window)."""
    store, client = _tablet(tmp_path, registered, "zhang.qiang")
    RecordCapture(store).capture("walkin", name="陈杰的客户", phone="137 1234 0002", rep="zhang.qiang",
                                 data={"visit": "first", "party_size": 1})
    client.sync()
    client.sync()
    [alert] = ownership_alerts(store)
    assert (alert.customer_name, alert.owner_name) == ("陈杰的客户", "陈杰")
    answer = CustomerLookup(store).check("137 1234 0002")
    assert (answer.verdict, answer.owner_name, answer.partial) == ("disputed", "陈杰", False)
    store.close()


def test_issue14_a_reps_tablet_drops_tags_an_older_server_sends_and_the_upgrade_drops_old_ones(tmp_path):
    """Whatever a server sends (one from before this rule sends every tag), a rep's tablet keeps
    its own customers', a split's and those of numbers its records named; migration
    ``014_rep_tags`` drops the ones a rep's tablet pulled before."""
    key = "k" * 43
    tags = {n: phone_tag2(key, "+86" + n) for n in ("13800138000", "13912340001", "13712340002", "18612340003",
                                                    "13655550004", "13655550005")}
    site = {"id": "s1", "name": "星河湾销售中心", "region": "CN", "utc_offset_minutes": 480,
            "replica_keys": "private", "replica_key": key}

    def customer(cid: str, number: str, owner: str, split=None) -> dict:
        return {"customer_id": cid, "phone_tag": tags[number], "phone_masked": "+86 *******" + number[-4:],
                "owner": owner, "owner_name": owner, "status": "protected", "split": split}

    store = LocalStore(tmp_path / "rep.db")
    store.set_meta(user={"username": "wang.li", "role": "rep", "site_id": "s1"}, replica_key=key)  # as enrolled
    RecordCapture(store).capture("walkin", name="某", phone="186 1234 0003", rep="wang.li",
                                 data={"visit": "first", "party_size": 1, "household_phone": "136 5555 0004"})
    store.apply_changes([{"change_id": 1, "kind": "site", "site": site},
                         {"change_id": 2, "kind": "ownership", "customer": customer("c0", "13800138000", "wang.li")},
                         {"change_id": 3, "kind": "ownership", "customer": customer("c1", "13912340001", "zhang.qiang")},
                         {"change_id": 4, "kind": "ownership",
                          "customer": customer("c2", "13712340002", "chen.jie", {"chen.jie": 0.5, "wang.li": 0.5})},
                         {"change_id": 5, "kind": "ownership", "customer": customer("c3", "18612340003", "zhang.qiang")},
                         {"change_id": 6, "kind": "ownership", "customer": customer("c4", "13655550004", "chen.jie")},
                         {"change_id": 7, "kind": "ownership",  # a share of 0 % is no share (QA6 H1)
                          "customer": customer("c5", "13655550005", "chen.jie", {"chen.jie": 100, "wang.li": 0})}],
                        cursor="7")
    kept = {r["customer_id"]: r["phone_hash"] for r in store._rows("select customer_id, phone_hash from customers")}
    assert kept == {"c0": tags["13800138000"], "c1": None, "c2": tags["13712340002"], "c3": tags["18612340003"],
                    "c4": tags["13655550004"], "c5": None}  # c3 her walk-in's number, c4 its household member's (R6)
    store.close()

    # a rep's tablet of the release before: every tag stored; the upgrade drops the others' ones
    conn = sqlite3.connect(tmp_path / "rep.db")
    conn.execute("update customers set phone_hash = ? where customer_id = 'c1'", (tags["13912340001"],))
    conn.execute("update names set phone_hash = ? where ref = 'c:c1'", (tags["13912340001"],))
    conn.execute("delete from _migrations where name = '014_rep_tags'")
    conn.commit()
    conn.close()
    store = LocalStore(tmp_path / "rep.db")
    assert store._rows("select phone_hash from customers where customer_id = 'c1'") == [{"phone_hash": None}]
    assert tags["13912340001"] not in _texts(tmp_path / "rep.db")
    assert store._rows("select phone_hash from customers where customer_id = 'c0'") == [
        {"phone_hash": tags["13800138000"]}]
    store.close()


def test_issue14_the_desk_finds_a_customer_registered_on_another_tablet_by_full_phone_and_last_four(
        registered, tmp_path):
    store, client = _tablet(tmp_path, registered, "desk.li")  # a second desk tablet
    client.sync()
    search = CustomerSearch(store)
    for typed in ("138 0013 8000", "+86 138-0013-8000", "8000"):
        found = search.find(typed)
        assert [(f.phone_masked, f.owner_name) for f in found] == [("+86 *******8000", "王丽")], typed
    answer = CustomerLookup(store).check("13800138000")
    assert (answer.verdict, answer.owner_name) == ("returning", "王丽")
    hidden = CustomerLookup(store).check("139 1234 0001")
    assert (hidden.verdict, hidden.owner_name) == ("returning", "张强")
    assert CustomerLookup(store).check("139 1234 0009").verdict == "new"
    store.close()


def _old_store(path) -> None:
    """A tablet of the release before issue 14: SHA-256 keys and 7-digit masks everywhere."""
    from sqlite_utils import Database

    db = Database(path)
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, step in MIGRATIONS:
        if name == "011_private_replica":
            break
        with db.conn:
            step(db)
            db["_migrations"].insert({"name": name, "applied_at": "2026-11-01"})
    old = hashlib.sha256(b"s1:+8613912340001").hexdigest()
    mine = hashlib.sha256(b"s1:+8613800138000").hexdigest()
    db["site"].insert({"id": "s1", "name": "星河湾销售中心", "region": "CN", "utc_offset_minutes": 480})
    db["customers"].insert({"customer_id": "c1", "phone_hash": old, "phone_masked": "+86 139****0001",
                            "owner": "zhang.qiang", "owner_name": "张强", "change_id": 5})
    db["records"].insert({"id": "r1", "type": "walkin", "phone_hash": old, "wire": "{}", "change_id": 4})
    db["name_keys"].insert({"key": "t0001", "ref": "c:c1", "seen_at": "2026-11-30", "phone_hash": old, "name": "",
                            "phone_masked": "+86 139****0001", "owner_name": "张强"})
    wire = {"id": "o1", "seq": 1, "type": "walkin", "captured_at": "2026-11-30T10:00:00.000+08:00",
            "clock": {"boot_id": "b", "elapsed_ms": 1}, "rep": "wang.li",
            "customer": {"name": "张伟", "phone": "138 0013 8000"}, "data": {"visit": "first", "party_size": 1}}
    db["outbox"].insert({"id": "o1", "seq": 1, "type": "walkin", "wire": json.dumps(wire, ensure_ascii=False),
                         "phone_hash": mine, "customer_name": "张伟", "rep": "wang.li", "state": "pending"})
    db["name_keys"].insert({"key": "t8000", "ref": "o:o1", "seen_at": "2026-11-30", "phone_hash": mine, "name": "张伟",
                            "phone_masked": "+86 138****8000", "owner_name": "王丽"})
    db["meta"].insert({"key": "cursor", "value": json.dumps("c-old")})
    db.conn.close()


def test_issue14_the_tablet_upgrade_purges_unkeyed_hashes_and_seven_digit_masks_and_keeps_own_records(tmp_path):
    path = tmp_path / "old.db"
    _old_store(path)
    store = LocalStore(path)
    everything = _texts(path)
    assert hashlib.sha256(b"s1:+8613912340001").hexdigest() not in everything
    assert hashlib.sha256(b"s1:+8613800138000").hexdigest() not in everything
    assert not re.search(r"\+86 \d{3}\*", everything) and "+86 *******8000" in everything  # last four only
    assert store.get_meta("cursor") is None  # the next sync loads the replica again, with tags
    (own,) = store.outbox(("pending",))
    assert own.wire["customer"] == {"name": "张伟", "phone": "138 0013 8000"} and own.phone_hash is None
    # the site change of the next sync brings the key: own records are tagged in the same transaction
    store.apply_changes([{"change_id": 9, "kind": "site", "site": {
        "id": "s1", "name": "星河湾销售中心", "region": "CN", "utc_offset_minutes": 480,
        "replica_keys": "private", "replica_key": "k" * 43}}], cursor="9")
    tag = phone_tag2("k" * 43, "+8613800138000")
    assert store.outbox_entry("o1").phone_hash == tag == store.phone_tag_of("138 0013 8000")
    assert {r["phone_hash"] for r in store._rows("select phone_hash from names where ref = 'o:o1'")} == {tag}
    store.close()


def test_qa14_a_reps_card_of_another_reps_customer_shows_its_protection_window(registered, tmp_path):
    """QA of issue 14 (r50): wang.li finds another rep's customer by its last four; the card read
    本机记录，尚未同步 because the summary was looked up by a tag her tablet does not hold. The
    replica's row says whose it is and until when: the card shows that (保护期内（至 …）)."""
    store, client = _tablet(tmp_path, registered, "wang.li")
    client.sync()
    [theirs] = CustomerSearch(store).find("0001")  # 张强's, untouched by the module's other tests
    assert theirs.phone_hash is None and theirs.customer_id
    card = customer_card(store, theirs)
    row = store.customer_by_id(theirs.customer_id)
    assert row is not None and (row["owner"], row["status"]) == ("zhang.qiang", "protected")
    assert (card.owner_name, card.status, card.protected_until) == ("张强", "protected", row["protected_until"])
    assert card.protected_until and card.phone_shown == "+86 *******0001" and card.entries == ()
    store.close()


# -- the whole replica years (issue 14): the tablet holds keys=tag2 tags ------------------------

def test_issue14_tag2_the_desks_replica_holds_only_the_costlier_tags_and_still_finds_customers(registered, tmp_path):
    """The desk's tablet holds every customer's tag (its look-up is the product): since
    ``017_tag2`` each is ``phone_tag2`` (scrypt n = 2^13), so a script testing a candidate
    against the replica pays 4× the n = 2^11 work of ``keys=tag`` — and no n = 2^11 tag of any
    number is left in the file to test candidates against cheaply. The desk still recognises a
    returning customer registered on another tablet by the typed number, and by last four."""
    store, client = _tablet(tmp_path, registered, "desk.li")
    client.sync()
    key = store.site()["replica_key"]
    rows = {r["phone_masked"][-4:]: r["phone_hash"] for r in store._rows("select phone_masked, phone_hash from customers")}
    numbers = ["13800138000", *HIDDEN]
    assert {n[-4:]: rows.get(n[-4:]) for n in numbers} == {n[-4:]: phone_tag2(key, "+86" + n) for n in numbers}
    for number in numbers:
        assert store.phone_tag_of(number) == phone_tag2(key, "+86" + number)
    answer = CustomerLookup(store).check("139 1234 0001")
    assert (answer.verdict, answer.owner_name, answer.partial) == ("returning", "张强", False)
    assert [f.owner_name for f in CustomerSearch(store).find("139 1234 0001")] == ["张强"]
    store.close()
    everything = _texts(tmp_path / "fieldsync.db")
    for number in numbers:
        assert phone_tag(key, "+86" + number) not in everything  # the cheap kind: nowhere


def _tablet_of_the_first_release(path, key: str) -> None:
    """A desk tablet as issue 14's first release left it: every phone key an n = 2^11
    ``phone_tag`` (customers, records, names, own records), a cursor of its ``keys=tag`` pulls."""
    store = LocalStore(path)
    store.set_meta(user={"username": "desk.li", "role": "reception", "site_id": "s1"}, replica_key=key)
    RecordCapture(store).capture("walkin", name="张伟", phone="138 0013 8000", rep="wang.li",
                                 data={"visit": "first", "party_size": 1})
    site = {"id": "s1", "name": "星河湾销售中心", "region": "CN", "utc_offset_minutes": 480,
            "replica_keys": "private", "replica_key": key}
    store.apply_changes([{"change_id": 1, "kind": "site", "site": site}, *[
        {"change_id": 2 + i, "kind": "ownership", "customer": {
            "customer_id": f"c{i}", "phone_tag": phone_tag(key, "+86" + n), "phone_masked": "+86 *******" + n[-4:],
            "phone": None, "name": None, "owner": owner, "owner_name": owner, "status": "protected",
            "first_registered_at": "2026-11-20T01:00:00.000Z", "split": None, "explanation": []}}
        for i, (n, owner) in enumerate(HIDDEN.items())]], cursor="c-tag")
    store.close()
    conn = sqlite3.connect(path)  # its own records' tags were phone_tag too; 017 not applied yet
    conn.execute("update outbox set phone_hash = ?", (phone_tag(key, "+8613800138000"),))
    conn.execute("update names set phone_hash = ? where ref like 'o:%'", (phone_tag(key, "+8613800138000"),))
    conn.execute("delete from _migrations where name = '017_tag2'")
    conn.commit()
    conn.close()


def test_issue14_tag2_the_upgrade_of_a_tablet_holding_old_tags_drops_them_and_reloads(tmp_path):
    """Migration ``017_tag2`` on a tablet of the first release: every n = 2^11 tag goes (the
    server's copies with their names, and the cursor: the next sync loads a ``keys=tag2``
    snapshot), own records keep everything the user entered and are filed under their
    ``phone_tag2``; after the reload the look-up finds the customers by the new tags."""
    key, path = "k" * 43, tmp_path / "desk.db"
    _tablet_of_the_first_release(path, key)
    old = {phone_tag(key, "+86" + n) for n in ["13800138000", *HIDDEN]}
    assert all(t in _texts(path) for t in old)
    store = LocalStore(path)  # migrates
    assert not any(t in _texts(path) for t in old)
    assert store.get_meta("cursor") is None and store._rows("select * from customers") == []
    (own,) = store.outbox(("pending",))
    assert own.wire["customer"] == {"name": "张伟", "phone": "138 0013 8000"}
    assert own.phone_hash == phone_tag2(key, "+8613800138000") == store.phone_tag_of("138 0013 8000")
    assert {r["phone_hash"] for r in store._rows("select phone_hash from names where ref like 'o:%'")} == {own.phone_hash}
    assert store.site() is not None  # the settings stay until the reload
    store.apply_changes([{"change_id": 9, "kind": "ownership", "customer": {
        "customer_id": "c0", "phone_tag": phone_tag2(key, "+8613912340001"), "phone_masked": "+86 *******0001",
        "phone": None, "name": None, "owner": "zhang.qiang", "owner_name": "张强", "status": "protected",
        "first_registered_at": "2026-11-20T01:00:00.000Z", "split": None, "explanation": []}}], cursor="c-tag2")
    answer = CustomerLookup(store).check("139 1234 0001")
    assert (answer.verdict, answer.owner_name) == ("returning", "张强")
    store.close()


def test_issue14_tag2_a_tablet_asks_the_server_for_tag2(registered, tmp_path):
    """The tablet's pulls and snapshot ask ``keys=tag2`` (an old tablet's ``keys=tag`` is served
    alongside: tests/server/test_replica_tag2.py): the site's tags it gets are the costlier ones
    for the rep too, and the rep's file holds none of another rep's customer (either kind)."""
    store, client = _tablet(tmp_path, registered, "wang.li")
    client.sync()
    key = store.site()["replica_key"]
    (own,) = store._rows("select phone_hash from customers where phone is not null")
    assert own["phone_hash"] == phone_tag2(key, "+8613800138000")
    store.close()
    everything = _texts(tmp_path / "fieldsync.db")
    for number in HIDDEN:
        assert phone_tag(key, "+86" + number) not in everything and phone_tag2(key, "+86" + number) not in everything
