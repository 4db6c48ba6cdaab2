"""Issue 13: the name index keeps a name once (``names``) and narrow keys (``name_keys``:
key, seen_at, name_id), on a real store file; renames, corrections and resyncs leave no key
behind; the fast UTC path of ``recency_key`` gives what ``parse_time`` gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mobile.services import CustomerLookup, RecordCapture
from mobile.store.name_index import index_keys, recency_key
from mobile.store.replica import dumps, raw_tail
from shared.timeutil import parse_time
from tests.mobile.test_store import make_store, ownership, walkin


def columns(store, table: str) -> list[str]:
    return [r[1] for r in store.db.conn.execute(f"pragma table_info({table})")]  # noqa: S608 - fixed names


def test_issue13_a_named_customer_is_stored_once_and_each_key_row_holds_no_copy_of_it(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c1", "张伟", "13900001000")], cursor="10")
    conn = store.db.conn
    assert conn.execute("select ref, name, owner_name, pinyin from names").fetchall() == [("c:c1", "张伟", "王丽",
                                                                                          "zhang wei")]
    assert columns(store, "name_keys") == ["key", "seen_at", "name_id"]
    keys = sorted(k for (k,) in conn.execute("select key from name_keys"))
    assert keys == sorted(index_keys("张伟", "+86139****1000")[1]) and len(keys) == 8
    assert [i[1] for i in conn.execute("pragma index_list(name_keys)")] == ["sqlite_autoindex_name_keys_1"]
    assert [s.name for s in CustomerLookup(store).similar_names("张玮")] == ["张伟"]
    store.close()


def test_issue13_renames_corrections_and_a_resync_leave_no_key_of_the_old_name(tmp_path):
    store = make_store(tmp_path)
    store.apply_changes([ownership(10, "c1", "张伟", "13900001000")], cursor="10")
    store.apply_changes([ownership(11, "c1", "陈强强", "13900001000")], cursor="11")
    capture = RecordCapture(store)
    typo = walkin(capture, phone="137 0000 2222", name="李那")
    capture.correct(typo["id"], name="刘洋")
    conn = store.db.conn
    held = {name: len(index_keys(name, masked)[1]) for name, masked in conn.execute("select name, phone_masked from names")}
    assert held == {"陈强强": 8, "刘洋": 8}  # 陈强强 has two deletion keys alike (强强 twice: once)
    assert conn.execute("select count(*) from name_keys").fetchone()[0] == 16
    assert conn.execute("select count(*) from name_keys where name_id not in (select id from names)").fetchone()[0] == 0
    store.reset_replica()
    assert [n for (n,) in conn.execute("select name from names")] == ["刘洋"]
    assert conn.execute("select count(*) from name_keys").fetchone()[0] == 8
    store.close()


def _parse_time_key(iso: str) -> str:
    """``recency_key`` as it was before its fast path: through ``parse_time``."""
    try:
        return parse_time(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    except (ValueError, OverflowError):
        return ""


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 30)),
       st.sampled_from(["milliseconds", "microseconds", "seconds"]), st.sampled_from(["+00:00", "Z", "+08:00"]))
@example(datetime(2026, 8, 7, 16, 58, 30, 703000), "milliseconds", "+00:00")  # as the server writes it
def test_issue13_the_fast_utc_recency_key_equals_the_parse_time_one(moment, spec, zone):
    text = moment.replace(tzinfo=timezone(timedelta(hours=8 if zone == "+08:00" else 0))).isoformat(timespec=spec)
    text = text.replace("+00:00", zone) if zone == "Z" else text
    assert recency_key(text) == _parse_time_key(text)


def test_issue13_a_recency_key_of_no_calendar_day_is_empty_as_before():
    for text in ("2026-02-30T10:00:00.000+00:00", "2026-08-07T24:00:00Z", "0999-01-01T00:00:00+00:00"):
        assert recency_key(text) == _parse_time_key(text)


_text = st.lists(st.sampled_from(list('ab张伟",:{}[]\\\n\u2028😀') + [',"record":', ',"explanation":']),
                 max_size=6).map("".join)
_json = st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | _text,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3), max_leaves=8)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.dictionaries(_text, _json, max_size=4), st.lists(st.dictionaries(_text, _json, max_size=3), max_size=3))
@example({"id": "r1", "data": {"notes": '引号"与,"record":'}}, [{"rule": "R1", "params": {"explanation": 1}}])
def test_issue13_a_snapshot_line_s_record_or_explanation_text_is_what_dumps_writes_or_none(record, steps):
    """A record or explanation is stored as the snapshot line carries it (no second encoding),
    only when that text is exactly what ``dumps`` writes; otherwise the loader encodes it."""
    import json

    import orjson  # what the server writes snapshot lines with

    for change, key, value in (({"change_id": 1, "kind": "record", "record": record}, "", record),
                               ({"change_id": 2, "kind": "ownership", "customer": {"customer_id": "c1", "name": "张伟",
                                                                                   "explanation": steps}},
                                "explanation", steps)):
        line = orjson.dumps(change)
        text = raw_tail(line, json.loads(line), key)
        assert text is None or text == dumps(value)
        if not key and b',"record":' not in orjson.dumps(record):
            assert text == dumps(value)  # the usual record: taken as it came
