"""QA of issue 14 (M2, M3): what is pasted along with a name or a phone — emoji, bidi
embeddings, zero-width characters — does not stop the tablet from finding the customer."""

from __future__ import annotations

import unicodedata

from mobile.services import CustomerSearch, RecordCapture
from mobile.services.lookup import CustomerLookup
from mobile.store import LocalStore
from mobile.store.name_index import SEARCH, _deletion_keys, _search_keys, index_keys, normalise_name
from tests.mobile.test_store import make_store, ownership, walkin

SMILE, THUMB, ZWJ = "\U0001F600", "\U0001F44D", "\u200d"
PASTED = "\u202a138 0013 8000\u202c"  # a number copied from a phone's contacts (bidi embedding around it)


def names(found) -> list[str]:
    return [f.name for f in found]


def desk_with_decorated_names(tmp_path) -> LocalStore:
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c0", f"{SMILE}王小明{THUMB}", "13900000001"),
                         ownership(11, "c1", "张伟", "13800138000")], cursor="11")
    walkin(RecordCapture(store), phone="137 0000 2222", name=f"王{ZWJ}小红")  # the desk's own, unsent
    return store


def test_qa14_m3_names_with_emoji_or_a_zero_width_joiner_are_found_by_their_letters(tmp_path):
    """😀王小明👍 was found only by 😀王小明, wxm or 0001; 王\u200d小红 by nothing typed."""
    search = CustomerSearch(desk_with_decorated_names(tmp_path))
    for query in ("王小明", f"王小明{THUMB}", f"{SMILE}王小明", "wxm", "wangxiaoming", "0001",
                  f"王{ZWJ}小明", "\u200b王小明"):
        assert names(search.find(query)) == [f"{SMILE}王小明{THUMB}"], query
    for query in ("王小红", f"王{ZWJ}小红", "wxh", "wangxiaohong"):
        assert names(search.find(query)) == [f"王{ZWJ}小红"], query


def test_qa14_m3_a_replica_indexed_before_019_finds_them_after_the_upgrade(tmp_path):
    """A tablet that indexed such names under the rules before (the emoji inside the key) gets
    the new keys from migration 019 and loses the old ones; other names' keys are untouched."""
    store = desk_with_decorated_names(tmp_path)
    before_rows = {}
    for name_id, seen, name, masked in store.db.execute("select id, seen_at, name, phone_masked from names").fetchall():
        folded = "".join(c for c in unicodedata.normalize("NFKC", name).casefold() if c not in " .")
        if folded == normalise_name(name):
            continue  # no decoration: same keys under both rules
        store.db.execute("delete from name_keys where name_id = ?", (name_id,))
        old = _deletion_keys(folded) + _search_keys(folded, masked)
        store.db.conn.executemany("insert into name_keys(key, seen_at, name_id) values (?,?,?)",
                             [(k, seen, name_id) for k in old])
        before_rows[name_id] = old  # the keys 019 must replace
    store.db.execute("delete from _migrations where name = '019_names_without_decoration'")
    assert names(CustomerSearch(store).find("王小明")) == [] and names(CustomerSearch(store).find("王小红")) == []
    others = f"select * from name_keys where name_id not in ({','.join('?' * len(before_rows))}) order by 1, 2, 3"
    untouched = store.db.execute(others, list(before_rows)).fetchall()
    store.close()
    upgraded = LocalStore(tmp_path / "tablet.db")
    assert names(CustomerSearch(upgraded).find("王小明")) == [f"{SMILE}王小明{THUMB}"]
    assert names(CustomerSearch(upgraded).find("王小红")) == [f"王{ZWJ}小红"]
    for name_id in before_rows:
        held = {k for (k,) in upgraded.db.execute("select key from name_keys where name_id = ?", (name_id,))}
        name, masked = upgraded.db.execute("select name, phone_masked from names where id = ?", (name_id,)).fetchone()
        assert held == set(index_keys(name, masked)[1]), name  # the new keys, none of the old left
        assert not any(SMILE in k or ZWJ in k for k in held)
    assert upgraded.db.execute(others, list(before_rows)).fetchall() == untouched
    assert SEARCH + "n王小明" in {k for (k,) in upgraded.db.execute("select key from name_keys")}


def test_qa14_m2_a_phone_pasted_with_invisible_characters_is_looked_up_found_and_saved_as_the_number(tmp_path):
    """\u202a138 0013 8000\u202c was 号码里有“”：请删去 on the walk-in and call screens and was taken
    for a name by 查找客户; it is +8613800138000 everywhere, as typed plainly."""
    store = desk_with_decorated_names(tmp_path)
    lookup = CustomerLookup(store)
    for pasted in (PASTED, "\u200e13800138000\u200f", "1380\u200b013\u20608000", "\ufeff138\u00ad0013 8000"):
        status = lookup.check(pasted)
        assert (status.verdict, status.problem, status.phone_key) == (lookup.check("13800138000").verdict, "",
                                                                      "+8613800138000"), pasted
        assert names(CustomerSearch(store).find(pasted)) == ["张伟"], pasted
    saved = walkin(RecordCapture(store), phone=PASTED, name="张伟")
    assert saved["customer"]["phone"] == "138 0013 8000"  # what goes to the server: no invisible characters


ZALGO = "Zalgo\u0301\u0302\u0303\u0304\u0305"  # Zalgó̂̃̄̅: four marks stacked on ó after NFC


def test_qa14_l4_a_name_stacking_accents_is_refused_at_capture_saying_so_and_real_names_stand(tmp_path):
    """QA of issue 14, L4: "Zalgó̂̃̄̅" was saved and drew boxes on 今日来访. Chosen: refused at
    capture (more than 3 combining marks on one letter), in the tablet's words; names of real
    scripts (Vietnamese, Thai, Devanagari, Hebrew, Arabic, Tibetan) stay well under the cap."""
    import pytest

    from mobile.messages import problem_text
    from shared.errors import RecordInvalid

    store = make_store(tmp_path)
    capture = RecordCapture(store)
    with pytest.raises(RecordInvalid) as refused:
        walkin(capture, phone="137 0000 3333", name=ZALGO)
    [problem] = refused.value.problems
    assert (problem.code, problem.field) == ("invalid_value", "customer.name")
    assert problem_text(problem, "zh", "walkin") == "客户姓名里有一个字母叠了太多附加符号（最多 3 个），无法正常显示：请重新输入。"
    assert "too many accents on one letter (the limit is 3)" in problem_text(problem, "en", "walkin")
    for i, name in enumerate(("Nguyễn Thị Ánh", "สมศักดิ์", "क़्षत्रिय", "שָׁלוֹם", "مُحَمَّد", "བསྒྲུབས", "José")):
        walkin(capture, phone=f"137 0000 40{i:02d}", name=name)
