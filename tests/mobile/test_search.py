"""Issue 14, 查找客户: a customer found by name, pinyin initials (zw → 张伟), whole pinyin, the
phone or its last four digits, on a real store file; the keys follow renames, corrections,
resyncs and upgrades as the name warning's do."""

from __future__ import annotations

from mobile.services import CustomerSearch, RecordCapture
from mobile.services.search import customer_card
from mobile.store import MIGRATIONS, LocalStore
from mobile.store.name_index import SEARCH
from tests.mobile.test_store import _migrate_until, make_store, ownership, walkin


def names(found) -> list[str]:
    return [f.name for f in found]


def seeded(tmp_path) -> LocalStore:
    store = make_store(tmp_path)
    store.apply_changes([ownership(10 + i, f"c{i}", name, phone) for i, (name, phone) in enumerate([
        ("张伟", "13800138000"), ("张强", "13900001111"), ("朱文", "13700002222"), ("李娜", "13600005678"),
        ("Anna", "13500003333")])], cursor="20")
    return store


def test_issue14_zw_finds_zhang_wei_and_zhangwei_too(tmp_path):
    search = CustomerSearch(seeded(tmp_path))
    assert set(names(search.find("zw"))) == {"张伟", "朱文"}
    assert names(search.find("zhangwei")) == ["张伟"] and names(search.find("ZW"))[0] in ("张伟", "朱文")
    assert set(names(search.find("张"))) == {"张伟", "张强"} and names(search.find("an")) == ["Anna"]


def test_issue14_a_customer_is_found_by_the_whole_phone_or_its_last_four_digits(tmp_path):
    search = CustomerSearch(seeded(tmp_path))
    assert names(search.find("138 0013 8000")) == ["张伟"] and names(search.find("+86 138-0013-8000")) == ["张伟"]
    assert names(search.find("5678")) == ["李娜"]
    assert search.find("13800138001") == [] and search.find("9999") == []
    assert search.find("5678")[0].phone_masked == "+86 *******5678"  # the last four only (issue 14)


def test_an_own_unsent_record_is_found_and_shown_once_with_the_replicas_copy(tmp_path):
    store = seeded(tmp_path)
    walkin(RecordCapture(store), phone="138 0013 8000", name="张伟")  # the same customer, registered here
    walkin(RecordCapture(store), phone="137 1111 2222", name="周敏")  # a new one, not synced yet
    search = CustomerSearch(store)
    assert names(search.find("zw")).count("张伟") == 1
    found = search.find("zm")
    assert names(found) == ["周敏"] and found[0].own


def test_search_keys_follow_renames_corrections_and_resync(tmp_path):
    store = seeded(tmp_path)
    store.apply_changes([ownership(30, "c0", "陈伟", "13800138000")], cursor="30")  # renamed on the server
    search = CustomerSearch(store)
    assert "张伟" not in names(search.find("zw")) and names(search.find("cw")) == ["陈伟"]
    capture = RecordCapture(store)
    wrong = walkin(capture, phone="137 1111 2222", name="周敏")
    capture.correct(wrong["id"], name="周明")
    assert names(search.find("zm")) == ["周明"]
    store.reset_replica()
    assert names(search.find("cw")) == [] and names(search.find("zm")) == ["周明"]


def test_the_card_shows_the_owner_and_the_records_this_tablet_holds(tmp_path):
    store = seeded(tmp_path)
    walkin(RecordCapture(store), phone="138 0013 8000", name="张伟")
    card = customer_card(store, CustomerSearch(store).find("zw")[0])
    assert (card.name, card.owner_name, card.status) == ("张伟", "王丽", "protected")
    assert [(e.type, e.own) for e in card.entries] == [("walkin", True)]


def test_upgrading_a_store_indexes_search_keys_for_the_names_it_holds(tmp_path):
    from sqlite_utils import Database

    db = Database(tmp_path / "tablet.db")  # a store of the release before search keys, holding customers
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, step in MIGRATIONS[:5]:
        with db.conn:
            step(db)
            db["_migrations"].insert({"name": name, "applied_at": "2026-11-01"})
        if name == "001_initial":  # customers pulled before the name index existed (keyed as then)
            db["customers"].insert_all({**{k: v for k, v in change["customer"].items()
                                           if k not in ("split", "explanation", "phone_tag")},
                                        "phone_hash": change["customer"]["phone_tag"],
                                        "phone_masked": change["customer"]["phone_masked"].replace("*******", "138****")}
                                       for change in [ownership(10 + i, f"c{i}", name, phone) for i, (name, phone) in
                                                      enumerate([("张伟", "13800138000"), ("朱文", "13700002222")])])
    _migrate_until(db, "010_user_duty_times")  # the release before issue 14's purge: 006 indexed them
    keys = {(r[0], r[1]) for r in db.execute("select ref, key from name_keys")}
    assert {("c:c0", SEARCH + "izw"), ("c:c1", SEARCH + "izw"), ("c:c1", SEARCH + "t2222")} <= keys
    db.conn.close()
    upgraded = LocalStore(tmp_path / "tablet.db")
    applied = [r["name"] for r in upgraded.db["_migrations"].rows]
    assert applied[5:] == [name for name, _ in MIGRATIONS[5:]]  # 006 and every later one, in order
    assert {name for name, _ in MIGRATIONS} == set(applied)
    # 011 (issue 14) forgot the server's copies with their unkeyed hashes: the next sync reloads them
    assert names(CustomerSearch(upgraded).find("zw")) == [] and upgraded.get_meta("cursor") is None
