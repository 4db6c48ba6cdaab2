"""The tablet's local store: migrations, atomic saves, results, replica, resync."""

import random
import threading

import pytest

from mobile.services import CustomerLookup, ProfileService, RecordCapture
from mobile.store import MIGRATIONS, LocalStore
from mobile.store.name_index import name_distance, pinyin_key, within_one_edit
from mobile.store.rotation_queries import rotation_records
from shared.phones import mask_phone, normalise_phone, phone_tag2
from tests.builders import T0

SITE_KEY = "test-site-replica-key-" + "k" * 22  # a fixed key: replayable tags (issue 14)
# The name index as one row a key, ``(key, ref, seen_at, phone_hash, name, phone_masked, owner_name,
# pinyin)``, whatever the ids of ``names`` (012 keeps a name once and its keys narrow).
NAME_INDEX = ("select k.key, n.ref, k.seen_at, n.phone_hash, n.name, n.phone_masked, n.owner_name, n.pinyin"
              " from name_keys k join names n on n.id = k.name_id")


def make_store(tmp_path):
    store = LocalStore(tmp_path / "tablet.db")
    store.set_meta(user={"username": "desk.li", "role": "reception", "site_id": "s1"})
    store.apply_changes([
        {"change_id": 1, "kind": "site", "site": {"id": "s1", "name": "星河湾销售中心", "validity_days": 30,
                                                   "household": "split", "region": "CN", "utc_offset_minutes": 480,
                                                   "replica_keys": "private", "replica_key": SITE_KEY}},
        {"change_id": 2, "kind": "user", "user": {"username": "wang.li", "name": "王丽", "role": "rep", "active": True}},
        {"change_id": 3, "kind": "user", "user": {"username": "zhang.qiang", "name": "张强", "role": "rep", "active": True}},
    ], cursor="3")
    return store


def walkin(capture, phone="138 0013 8000", name="张伟", rep="wang.li"):
    return capture.capture("walkin", name=name, phone=phone, rep=rep, data={"visit": "first", "party_size": 2})


def test_reopening_the_store_applies_no_migration_twice_and_keeps_records(tmp_path):
    store = make_store(tmp_path)
    saved = walkin(RecordCapture(store))
    store.close()
    again = LocalStore(tmp_path / "tablet.db")
    assert [r["name"] for r in again.db["_migrations"].rows] == [name for name, _ in MIGRATIONS]
    assert again.pending_batch()[0]["id"] == saved["id"]
    assert again.db.execute("pragma journal_mode").fetchone()[0] == "wal"



def test_a_migration_that_fails_halfway_leaves_nothing_behind_and_runs_again_next_time(tmp_path, monkeypatch):
    from mobile.store import migrations

    make_store(tmp_path).close()

    def half_done(db):
        db.execute("insert into meta(key, value) values ('half', '1')")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, ("999_half", half_done)])
    with pytest.raises(RuntimeError):
        LocalStore(tmp_path / "tablet.db")
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    store = LocalStore(tmp_path / "tablet.db")
    assert store.get_meta("half") is None
    assert "999_half" not in [r["name"] for r in store.db["_migrations"].rows]

def test_records_get_consecutive_seq_even_when_saved_from_many_threads(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    threads = [threading.Thread(target=walkin, args=(capture, f"1380013{8000 + i:04d}")) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["seq"] for r in store.pending_batch()) == list(range(1, 21))


def test_a_failed_registration_write_leaves_nothing_behind(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    wire = capture.build("walkin", name="张伟", phone="13800138000", rep="wang.li", data={"visit": "first"})
    store.add_record(wire, phone_hash_=None)
    event = capture.build_rotation("wang.li", {"day": "2026-11-20", "event": "receive", "visit": "new", "turn": 1})
    try:  # same id again: the insert fails, so the rotation record of the same write must not stay
        store.add_record(wire, phone_hash_=None, rotation_event=event)
    except Exception:
        pass
    assert store.counts()["total"] == 1 and rotation_records(store, "2026-11-20") == ([], [])


def test_rejected_record_keeps_the_servers_reason_until_corrected_by_a_new_record(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    saved = walkin(capture)
    store.record_results([{"id": saved["id"], "status": "rejected",
                           "error": {"code": "unknown_rep", "message": "not a rep", "field": "rep"}}], "now")
    entry = store.outbox_entry(saved["id"])
    assert entry.needs_attention and entry.error_code == "unknown_rep" and store.counts()["rejected"] == 1
    fixed = capture.correct(saved["id"], rep="zhang.qiang")
    assert "supersedes" not in fixed and store.counts() == {"pending": 1, "rejected": 0, "total": 2}
    assert store.outbox_entry(saved["id"]).superseded_by == fixed["id"]


def test_resync_forgets_server_copies_but_keeps_unsent_records(tmp_path):
    store = make_store(tmp_path)
    walkin(RecordCapture(store))
    store.reset_replica()
    assert store.site() is None and store.users() == [] and store.get_meta("cursor") is None
    assert store.counts()["pending"] == 1


MANAGER = {"change_id": 4, "kind": "user", "user": {"username": "zhao.min", "name": "赵敏", "role": "manager",
                                                    "active": True}}
SITE = {"change_id": 1, "kind": "site", "site": {"id": "s1", "name": "星河湾销售中心", "validity_days": 30,
                                                 "household": "split", "region": "CN", "utc_offset_minutes": 480}}


def confirmation(change_id, record_id, at="2026-11-22T10:05:00.000Z", by="zhao.min"):
    return {"change_id": change_id, "kind": "confirmation",
            "confirmation": {"record_id": record_id, "confirmed_by": by, "confirmed_at": at}}


def test_a_pulled_confirmation_marks_the_own_record_confirmed_by_the_managers_name(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    confirmed, other = walkin(capture)["id"], walkin(capture, phone="139 0000 1111", name="李娜")["id"]
    store.record_results([{"id": confirmed, "status": "accepted"}, {"id": other, "status": "accepted"}], "now")
    store.apply_changes([MANAGER, confirmation(7, confirmed)], cursor="7")
    entry = store.outbox_entry(confirmed)
    assert entry.confirmed and (entry.confirmed_by, entry.confirmed_by_name, entry.confirmed_at) == (
        "zhao.min", "赵敏", "2026-11-22T10:05:00.000Z")
    assert not store.outbox_entry(other).confirmed
    listed = {e.id: e for e in store.outbox(("accepted",))}  # what the sync screen lists
    assert listed[confirmed].confirmed_by_name == "赵敏" and not listed[other].confirmed
    # the same confirmation again, or a later one for the same record, leaves the first standing
    store.apply_changes([confirmation(8, confirmed, at="2026-11-23T01:00:00.000Z", by="someone")], cursor="8")
    assert store.outbox_entry(confirmed).confirmed_at == "2026-11-22T10:05:00.000Z"


def test_a_confirmation_by_a_manager_the_replica_does_not_know_shows_the_username(tmp_path):
    store = make_store(tmp_path)
    record = walkin(RecordCapture(store))["id"]
    store.apply_changes([confirmation(7, record, by="sun.li")], cursor="7")
    entry = store.outbox_entry(record)
    assert entry.confirmed and (entry.confirmed_by, entry.confirmed_by_name) == ("sun.li", None)


def test_a_confirmation_survives_a_resync_once_the_server_sends_it_again(tmp_path):
    store = make_store(tmp_path)
    record = walkin(RecordCapture(store))["id"]
    store.record_results([{"id": record, "status": "accepted"}], "now")
    store.apply_changes([MANAGER, confirmation(7, record)], cursor="7")
    store.reset_replica()  # 410: the replica is rebuilt from scratch, confirmations included
    assert not store.outbox_entry(record).confirmed and store.outbox_entry(record).state == "accepted"
    store.apply_changes([SITE, MANAGER, confirmation(31, record)], cursor="31")  # the new database's ids
    entry = store.outbox_entry(record)
    assert (entry.confirmed_by_name, entry.confirmed_at) == ("赵敏", "2026-11-22T10:05:00.000Z")


def test_upgrading_a_store_keeps_its_records_and_starts_with_nothing_confirmed(tmp_path):
    from sqlite_utils import Database

    db = Database(tmp_path / "old.db")
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, step in MIGRATIONS[:2]:  # a store of the release before confirmations
        with db.conn:
            step(db)
            db["_migrations"].insert({"name": name, "applied_at": "2026-11-01"})
    db.conn.close()
    store = LocalStore(tmp_path / "old.db")
    assert "003_confirmations" in [r["name"] for r in store.db["_migrations"].rows]
    record = walkin(RecordCapture(store))["id"]
    assert not store.outbox_entry(record).confirmed
    store.apply_changes([confirmation(7, record)], cursor="7")
    assert store.outbox_entry(record).confirmed


def test_lookup_says_returning_customer_of_the_owner_from_the_replica(tmp_path):
    store = make_store(tmp_path)
    key = normalise_phone("13800138000")
    store.apply_changes([{"change_id": 9, "kind": "ownership", "customer": {
        "customer_id": "c1", "phone_tag": phone_tag2(SITE_KEY, key), "phone_masked": "+86 *******8000", "phone": None,
        "name": None, "owner": "wang.li", "owner_name": "王丽", "status": "protected",
        "protected_until": "2099-12-20T10:00:00.000+08:00", "first_registered_at": T0.isoformat(), "split": None,
        "explanation": []}}], cursor="9")
    answer = CustomerLookup(store).check("138 0013 8000")
    assert (answer.verdict, answer.owner_name, answer.provisional) == ("returning", "王丽", False)


def test_lookup_counts_own_unsent_registration_and_warns_of_similar_names(tmp_path):
    store = make_store(tmp_path)
    walkin(RecordCapture(store), rep="zhang.qiang")
    answer = CustomerLookup(store).check("+86 138-0013-8000")
    assert (answer.verdict, answer.owner, answer.provisional) == ("returning", "zhang.qiang", True)
    other = CustomerLookup(store).check("13900001111", name="张玮")
    assert other.verdict == "new" and [s.name for s in other.similar] == ["张伟"]


def test_profile_formats_times_in_the_sites_zone_from_memory_without_touching_the_store(tmp_path):
    store = make_store(tmp_path)
    store.set_meta(token="t", server_url="http://10.0.0.2:8000", device_name="前台平板-1")
    profile = ProfileService(store)
    loaded = profile.load()
    store.close()  # everything a screen asks for below comes from memory
    assert (loaded.site_name, loaded.signed_in, loaded.server_url, loaded.device_name) == (
        "星河湾销售中心", True, "http://10.0.0.2:8000", "前台平板-1")
    assert profile.current.local_text("2026-11-20T02:30:00.000Z") == "2026-11-20 10:30"
    assert [r["name"] for r in profile.current.reps] == ["王丽", "张强"]


def ownership(change_id, customer_id, name, phone, owner=("wang.li", "王丽"), at="2026-11-01T10:00:00.000+08:00"):
    key = normalise_phone(phone)
    return {"change_id": change_id, "kind": "ownership", "customer": {
        "customer_id": customer_id, "phone_tag": phone_tag2(SITE_KEY, key), "phone_masked": mask_phone(key),
        "phone": None, "name": name, "owner": owner[0], "owner_name": owner[1], "status": "protected",
        "protected_until": "2099-12-20T10:00:00.000+08:00", "first_registered_at": at, "split": None,
        "explanation": []}}


def test_similar_name_check_finds_names_one_edit_apart_and_not_unrelated_ones(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10 + i, f"c{i}", name, f"1390000{1000 + i}") for i, name in enumerate(
        ["张玮", "李那", "汪芳", "张伟国", "刘强", "王建国", "赵敏", "Zhang Wei"])], cursor="20")
    walkin(RecordCapture(store), phone="137 0000 2222", name="张 伟")  # an own unsent record, spaced
    lookup = CustomerLookup(store)

    def similar(name):
        return [s.name for s in lookup.similar_names(name)]

    assert similar("张伟") == ["张 伟", "张玮", "张伟国"]  # same name first, then substituted, then added
    assert similar("李娜") == ["李那"] and similar("王芳") == ["汪芳"]
    assert similar("zhangwei") == ["Zhang Wei"]
    assert similar("陈杰") == [] and similar("李建国") == ["王建国"] and similar("赵") == []
    found = lookup.similar_names("李娜")[0]
    assert (found.phone_masked, found.owner_name) == ("+86 *******1001", "王丽")


def test_similar_names_follow_renames_corrections_and_resync(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c1", "张玮", "13900001000")], cursor="10")
    store.apply_changes([ownership(11, "c1", "陈玮", "13900001000")], cursor="11")  # renamed on the server
    lookup = CustomerLookup(store)
    assert [s.name for s in lookup.similar_names("张伟")] == []
    assert [s.name for s in lookup.similar_names("陈伟")] == ["陈玮"]
    capture = RecordCapture(store)
    typo = walkin(capture, phone="137 0000 2222", name="李那")
    capture.correct(typo["id"], name="李娜")
    assert [s.name for s in lookup.similar_names("李哪")] == ["李娜"]  # the corrected name only
    store.reset_replica()
    assert [s.name for s in lookup.similar_names("陈伟")] == [] and [s.name for s in lookup.similar_names("李娜")] == ["李娜"]


def test_a_customer_changed_twice_in_one_page_keeps_its_last_change_and_only_its_names(tmp_path):
    """Pages are written per kind (issue 13): the page's last change of a customer stands, in
    the row and in the name keys, whether the customer was held before or is new."""
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c1", "张玮", "13900001000")], cursor="10")
    store.apply_changes([ownership(11, "c1", "陈玮", "13900001000"), ownership(12, "c2", "刘强", "13900002000"),
                         ownership(13, "c1", "李玮", "13900001000", owner=("zhang.qiang", "张强")),
                         ownership(14, "c2", "刘强强", "13900002000")], cursor="14")
    lookup = CustomerLookup(store)
    assert [s.name for s in lookup.similar_names("张伟")] == [] and [s.name for s in lookup.similar_names("陈伟")] == []
    assert [(s.name, s.owner_name) for s in lookup.similar_names("李伟")] == [("李玮", "张强")]
    assert [s.name for s in lookup.similar_names("刘强强")] == ["刘强强"]
    assert store.get_meta("cursor") == "14"
    rows = store._rows("select customer_id, name, change_id from customers order by customer_id")
    assert [(r["customer_id"], r["name"], r["change_id"]) for r in rows] == [("c1", "李玮", 13), ("c2", "刘强强", 14)]


def _migrate_until(db, last: str) -> None:
    """Apply the store's migrations not yet applied, up to and including ``last`` (a store of
    that release; ``migrate`` would go on to the newest)."""
    done = {row["name"] for row in db["_migrations"].rows}
    for name, step in MIGRATIONS:
        if name not in done:
            with db.conn:
                step(db)
                db["_migrations"].insert({"name": name, "applied_at": "2026-11-01"})
        if name == last:
            return


def test_upgrading_a_store_indexes_the_names_it_already_holds(tmp_path):
    from sqlite_utils import Database

    db = Database(tmp_path / "old.db")
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    MIGRATIONS[0][1](db)
    db["_migrations"].insert({"name": MIGRATIONS[0][0], "applied_at": "2026-11-01"})
    db["customers"].insert({"customer_id": "c1", "phone_hash": "h1", "name": "汪芳", "owner_name": "王丽",
                            "first_registered_at": "2026-11-01T10:00:00.000+08:00"})
    _migrate_until(db, "009_rotation_records")
    assert {r[0] for r in db.execute("select ref from name_keys").fetchall()} == {"c:c1"}
    db.conn.close()
    # 010 (issue 14) then forgets the server's copies with their unkeyed hashes: the next sync
    # brings them back with tags, and a new store indexes them as ``test_similar_name…`` shows
    store = LocalStore(tmp_path / "old.db")
    assert store.db.execute("select count(*) from name_keys").fetchone()[0] == 0
    assert store.db.execute("select count(*) from customers").fetchone()[0] == 0


def recent(day):
    return f"2026-11-{day:02d}T10:00:00.000+08:00"


# For each typed name: the homophone registered first, then five unrelated one-edit names
# registered later (the warning shows five, most recent first within a rank).
HOMOPHONE_CASES = [("张玮", "张伟", ["张强", "张磊", "张军", "张洋", "张勇"]),
                   ("李那", "李娜", ["李强", "李磊", "李军", "李洋", "李敏"]),
                   ("汪芳", "王芳", ["汪洋", "汪强", "汪磊", "汪军", "汪敏"])]


def seed_homophone_cases(store):
    changes, i = [], 0
    for _typed, homophone, others in HOMOPHONE_CASES:
        for day, name in enumerate([homophone, *others], 1):
            i += 1
            changes.append(ownership(10 + i, f"c{i}", name, f"1390000{1000 + i}", at=recent(day)))
    store.apply_changes(changes, cursor=str(10 + i))


def test_homophone_typos_are_found_and_ranked_above_more_recent_unrelated_one_edit_names(tmp_path):
    store = make_store(tmp_path)
    seed_homophone_cases(store)
    lookup = CustomerLookup(store)
    for typed, homophone, others in HOMOPHONE_CASES:
        shown = [s.name for s in lookup.similar_names(typed)]
        assert shown == [homophone] and not set(shown) & set(others), typed  # QA14 L2: not every 张X too


def test_qa14_l2_a_two_character_name_is_not_similar_to_every_name_of_its_surname(tmp_path):
    """QA of issue 14 (L2): typing 张伟 warned of 张强, 张磊, … — one character of two changed is
    another person, not a slip. A homophone (张玮), a doubled or added character (张伟国) and a
    character read alike (曾/增) still warn."""
    store = make_store(tmp_path)
    store.apply_changes([ownership(10 + i, f"c{i}", name, f"1390000{1000 + i}", at=recent(i + 1)) for i, name in
                         enumerate(["张强", "张磊", "王伟", "张玮", "张伟国", "增伟"])], cursor="20")
    assert [s.name for s in CustomerLookup(store).similar_names("张伟")] == ["张玮", "张伟国"]
    assert [s.name for s in CustomerLookup(store).similar_names("曾伟")] == ["增伟"]


def test_exact_duplicates_come_before_homophones_and_homophones_two_edits_away_after_one_edit(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c1", "章薇", "13900001001", at=recent(20)),  # zhang wei, both changed
                         ownership(11, "c2", "张强", "13900001002", at=recent(21)),
                         ownership(12, "c3", "张玮", "13900001003", at=recent(1)),
                         ownership(13, "c4", "张伟", "13900001004", at=recent(2))], cursor="13")
    assert [s.name for s in CustomerLookup(store).similar_names("张伟")] == ["张伟", "张玮", "章薇"]  # not 张强 (L2)


def test_a_changed_character_that_can_be_read_alike_ranks_above_other_one_edit_names(tmp_path):
    store = make_store(tmp_path)  # 曾 reads ceng or zeng (the surname), 增 zeng
    store.apply_changes([ownership(10, "c1", "增伟", "13900001001", at=recent(1)),
                         ownership(11, "c2", "曾强", "13900001002", at=recent(2)),
                         ownership(12, "c3", "王芳芳", "13900001003", at=recent(3)),
                         ownership(13, "c4", "王芳华", "13900001004", at=recent(4))], cursor="13")
    lookup = CustomerLookup(store)
    assert [s.name for s in lookup.similar_names("曾伟")] == ["增伟"]  # not 曾强: one of two changed (QA14 L2)
    assert [s.name for s in lookup.similar_names("王芳")] == ["王芳芳", "王芳华"]  # a doubled character first


def test_unrelated_names_are_not_flagged_even_when_they_share_a_syllable(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10 + i, f"c{i}", name, f"1390000{1000 + i}") for i, name in enumerate(
        ["陈杰", "王建国", "赵敏", "张建国", "伟张", "章为国", "Zhang Wei", "魏章"])], cursor="20")
    lookup = CustomerLookup(store)
    # 张建国/章为国: two edits, other pinyin; 伟张/魏章: the syllables swapped; Zhang Wei: Latin letters
    assert [s.name for s in lookup.similar_names("张伟")] == []
    assert [s.name for s in lookup.similar_names("刘洋")] == []


def test_traditional_characters_are_homophones_of_the_simplified_name(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c1", "張偉", "13900001001")], cursor="10")
    assert [s.name for s in CustomerLookup(store).similar_names("张伟")] == ["張偉"]


def test_homophones_follow_renames_corrections_and_resync(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c1", "张玮", "13900001000")], cursor="10")
    store.apply_changes([ownership(11, "c1", "陈强", "13900001000")], cursor="11")  # renamed on the server
    lookup = CustomerLookup(store)
    assert [s.name for s in lookup.similar_names("章薇")] == []
    capture = RecordCapture(store)
    typo = walkin(capture, phone="137 0000 2222", name="李那")
    capture.correct(typo["id"], name="刘洋")
    assert [s.name for s in lookup.similar_names("丽娜")] == []  # li na: the corrected name only
    assert [s.name for s in lookup.similar_names("柳阳")] == ["刘洋"]
    store.apply_changes([ownership(12, "c2", "王芳", "13900001001")], cursor="12")
    store.reset_replica()
    assert [s.name for s in lookup.similar_names("汪芳")] == [] and [s.name for s in lookup.similar_names("刘阳")] == [
        "刘洋"]


def test_upgrading_a_store_indexes_the_pinyin_of_names_it_already_holds_as_a_new_store_would(tmp_path):
    from sqlite_utils import Database

    changes = [ownership(10 + i, f"c{i}", name, f"1390000{1000 + i}", at=recent(1 + i))
               for i, name in enumerate(["张伟", "李娜", "王芳", "张强", "Anna", "阿依·买买提"])]
    db = Database(tmp_path / "old.db")  # a store of the release before pinyin keys, holding customers
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, step in MIGRATIONS[:3]:
        with db.conn:
            step(db)
            db["_migrations"].insert({"name": name, "applied_at": "2026-11-01"})
        if name == "001_initial":  # customers pulled before the name index existed (keyed as then)
            db["customers"].insert_all({**{k: v for k, v in change["customer"].items()
                                           if k not in ("split", "explanation", "phone_tag")},
                                        "phone_hash": change["customer"]["phone_tag"]} for change in changes)
    _migrate_until(db, "009_rotation_records")  # the release before issue 14's purge
    fresh = LocalStore(tmp_path / "fresh.db")
    fresh.apply_changes(changes, cursor="20")
    # the release before 012 kept one wide row a key; the fresh store the same rows as names + narrow keys
    old_index = ("select key, ref, seen_at, phone_hash, name, phone_masked, owner_name, pinyin from name_keys"
                 " order by ref, key")
    index = NAME_INDEX + " order by n.ref, k.key"
    assert db.execute(old_index).fetchall() == fresh.db.execute(index).fetchall()
    assert ("zhang wei", "c:c0") in {(r[0], r[1]) for r in db.execute(old_index).fetchall()}
    db.conn.close()
    lookup = CustomerLookup(fresh)
    assert [s.name for s in lookup.similar_names("张玮")] == ["张伟"]  # not 张强 (QA of issue 14, L2)
    assert [s.name for s in lookup.similar_names("李那")] == ["李娜"]
    assert [s.name for s in lookup.similar_names("汪芳")] == ["王芳"]
    upgraded = LocalStore(tmp_path / "old.db")  # 010 (issue 14) purges the server's copies: the next sync reloads
    assert [r["name"] for r in upgraded.db["_migrations"].rows][3:] == [name for name, _ in MIGRATIONS[3:]]
    walkin(RecordCapture(upgraded), phone="137 0000 2222", name="章薇")  # kept current after the upgrade
    assert [s.name for s in CustomerLookup(upgraded).similar_names("张玮")] == ["章薇"]
    upgraded.close()
    again = LocalStore(tmp_path / "old.db")  # reopened: nothing re-applied, the index as it was
    assert [s.name for s in CustomerLookup(again).similar_names("张玮")] == ["章薇"]


def test_pinyin_keys_are_toneless_one_syllable_a_character_and_only_for_names_with_chinese():
    assert pinyin_key("张 伟") == pinyin_key("张玮") == "zhang wei"
    assert pinyin_key("吕乐") == "lv le" and pinyin_key("阿依·买买提") == "a yi mai mai ti"
    assert pinyin_key("Zhang Wei") == pinyin_key("张") == ""
    assert pinyin_key("张a") == "zhang a"  # a character without a reading stands for itself (issue 14 F5)



def test_the_fast_one_edit_check_agrees_with_levenshtein_distance():
    rng = random.Random(5)
    for _ in range(5000):
        a, b = ("".join(rng.choice("张伟玮李") for _ in range(rng.randrange(5))) for _ in range(2))
        assert within_one_edit(a, b) == (name_distance(a, b) <= 1), (a, b)


def test_returning_customer_comes_with_the_servers_explanation_in_the_desks_language(tmp_path):
    store = make_store(tmp_path)
    change = ownership(10, "c1", "张伟", "13800138000")
    change["customer"]["explanation"] = [
        {"rule": "R1", "key": "first_registration", "params": {},
         "text": {"zh": "2026-11-01 10:00 在 前台平板-1 首次登记，接待人 王丽", "en": "first registration by 王丽"}},
        {"rule": "R2", "key": "protected_until", "params": {}, "text": {"zh": "保护期至 2099-12-20"}}]
    store.apply_changes([change], cursor="10")
    lang = ["zh"]
    lookup = CustomerLookup(store, lang=lambda: lang[0])
    assert lookup.check("13800138000").explanation == ("2026-11-01 10:00 在 前台平板-1 首次登记，接待人 王丽",
                                                         "保护期至 2099-12-20")
    lang[0] = "en"  # a step without English text falls back to the Chinese rather than a blank line
    assert lookup.check("13800138000").explanation == ("first registration by 王丽", "保护期至 2099-12-20")


def test_provisional_answer_explains_itself_with_the_engines_steps(tmp_path):
    store = make_store(tmp_path)
    walkin(RecordCapture(store), rep="zhang.qiang")
    answer = CustomerLookup(store, lang=lambda: "en").check("13800138000")
    assert answer.provisional and answer.explanation[0].startswith("first registration")
    assert "张强" in answer.explanation[0]


def test_desk_not_shown_the_servers_explanation_still_sees_which_rules_decide(tmp_path):
    store = make_store(tmp_path)  # the server sends [] to a desk that does not own the customer
    change = ownership(10, "c1", None, "13800138000")
    change["customer"]["protected_until"] = "2026-12-21T10:00:00.000+08:00"
    store.apply_changes([change], cursor="10")
    answer = CustomerLookup(store, now=lambda: T0, lang=lambda: "en").check("13800138000")
    assert answer.explanation[0] == "first registration 2026-11-01 10:00, received by 王丽"  # no device known: none named (F3)
    assert answer.explanation[-1] == "protected until 2026-12-21"


def _summary(store, first_registered_at: str, first_ever: str | None) -> None:
    key = normalise_phone("13800138000")
    store.apply_changes([{"change_id": 9, "kind": "ownership", "customer": {
        "customer_id": "c1", "phone_tag": phone_tag2(SITE_KEY, key), "phone_masked": "+86 *******8000", "phone": None,
        "name": None, "owner": "zhang.qiang", "owner_name": "张强", "status": "protected",
        "protected_until": "2099-12-20T10:00:00.000+08:00", "first_registered_at": first_registered_at,
        "first_ever_registered_at": first_ever, "split": None, "explanation": []}}], cursor="9")


def test_the_desks_lookup_names_a_claim_after_a_lapse_a_registration_again_with_the_first_ever(tmp_path):
    """Issue 9 QA item 2: the replica keeps the server's first_ever_registered_at; a desk that may
    not see the server's explanation rebuilds it and must not call the new claim 首次登记."""
    store = make_store(tmp_path)
    _summary(store, "2026-11-30T02:00:00.000Z", "2026-10-22T02:00:00.000Z")
    assert store.customer_by_hash(phone_tag2(SITE_KEY, normalise_phone("13800138000")))["first_ever_registered_at"] \
        == "2026-10-22T02:00:00.000Z"
    zh = "\n".join(CustomerLookup(store, lang=lambda: "zh").check("138 0013 8000").explanation)
    assert "再次登记，接待人 张强（前次已失效，首次登记 2026-10-22 10:00）" in zh and "首次登记" not in zh.replace("首次登记 2026-10-22", "")
    en = "\n".join(CustomerLookup(store, lang=lambda: "en").check("138 0013 8000").explanation)
    assert "registered again 2026-11-30 10:00" in en and "first registered 2026-10-22 10:00" in en
    assert "first registration" not in en


def test_the_desks_lookup_still_says_first_registration_when_nothing_lapsed(tmp_path):
    store = make_store(tmp_path)
    _summary(store, "2026-11-30T02:00:00.000Z", "2026-11-30T02:00:00.000Z")
    zh = "\n".join(CustomerLookup(store, lang=lambda: "zh").check("138 0013 8000").explanation)
    assert "2026-11-30 10:00 首次登记，接待人 张强" in zh and "再次登记" not in zh and "某台平板" not in zh


def test_the_sites_walkin_landlines_setting_is_kept_from_the_pull_and_refusals_say_what_to_do(tmp_path):
    """Issue 14: the tablet keeps the site's setting (default no) and says the server's
    ``landline_walkin`` refusal in the user's language, naming the field."""
    from mobile.messages import refusal_text

    store = make_store(tmp_path)
    assert store.site()["walkin_landlines"] == 0
    store.apply_changes([{"change_id": 30, "kind": "site", "site": {
        "id": "s1", "name": "星河湾销售中心", "validity_days": 30, "household": "split", "region": "CN",
        "utc_offset_minutes": 480, "walkin_landlines": True}}], cursor="30")
    assert store.site()["walkin_landlines"] == 1
    error = {"code": "landline_walkin", "message": "010 1234 5678 is a landline…", "field": "customer.phone"}
    assert refusal_text(error, "zh", "walkin").startswith("手机号码：这是固定电话")
    assert "ask the customer for their mobile" in refusal_text(error, "en", "walkin")


def test_a_pasted_name_loses_its_invisible_characters_before_it_is_saved(tmp_path):
    """QA remark: a name pasted with a zero-width space looked like 张伟 and was another name; the
    tablet saves the name a person sees (the server refuses the invisible characters)."""
    saved = walkin(RecordCapture(make_store(tmp_path)), name="\u200b张\u200b伟\u200e ")
    assert saved["customer"]["name"] == "张伟"


def test_an_unsent_walk_in_meets_an_owner_holding_by_a_decision_alone_as_that_owner_provisionally(tmp_path):
    """QA8: the server names no registration for an owner holding by a manager's decision alone
    (``first_registered_at`` null). The desk registers the customer for 张强 offline: the
    provisional answer keeps the server's owner 王丽 (the rebuilt claim starts her decided
    window), not 张强 as if the customer were new."""
    store = make_store(tmp_path)
    change = ownership(9, "c-1", "张伟", "138 0013 8000")
    change["customer"]["first_registered_at"] = None
    store.apply_changes([change], cursor="9")
    walkin(RecordCapture(store), rep="zhang.qiang")
    answer = CustomerLookup(store).check("138 0013 8000")
    assert (answer.verdict, answer.owner, answer.provisional) == ("returning", "wang.li", True), answer
