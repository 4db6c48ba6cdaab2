"""QA of issue 15 on the tablet: it writes times in the wire's one shape whatever its zone,
refuses another shape before saving, says a refused time or date with the shape and an example
in its user's language, and still reads a record the server stored in a looser shape before the
fix (a replica reloaded after an upgrade or a 410). Real SQLite files and a real server."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from mobile.messages import problem_text, refusal_text
from mobile.services import CustomerLookup, RecordCapture
from mobile.store import LocalStore, RecordRefused
from mobile.sync import RequestsTransport, SyncClient
from shared.timeutil import parse_time, parse_wire_time
from tests.mobile.test_store import make_store

TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2})")


@pytest.mark.parametrize("zone", [timezone(timedelta(hours=8)), timezone(timedelta(hours=-12)),
                                  timezone(timedelta(hours=14)), timezone(timedelta(hours=5, minutes=45)),
                                  timezone(timedelta(hours=8, minutes=5, seconds=43))],  # Shanghai's local mean time
                         ids=["+08:00", "-12:00", "+14:00", "+05:45", "lmt_with_seconds"])
def test_qa15_the_tablet_writes_captured_at_in_the_one_shape_whatever_its_zone(tmp_path, zone):
    store = make_store(tmp_path)
    moment = datetime.now(zone) - timedelta(minutes=1)
    capture = RecordCapture(store, now=lambda: moment)
    record = capture.capture("walkin", name="张伟", phone="138 0013 8000", rep="wang.li", data={"visit": "first"})
    assert TIME.fullmatch(record["captured_at"]), record["captured_at"]
    assert abs(parse_wire_time(record["captured_at"]) - moment) < timedelta(milliseconds=1)


@pytest.mark.parametrize("shape", ["2026-12-02 10:00:00+08:00", "20261202T100000+0800", "2026-12-02T10:00:00+1400",
                                   "2026-12-02T10:00:00.1234567+08:00", "２０２６-12-02T10:00:00+08:00",
                                   "2026-12-02T10:00:00+08:00:30"])
def test_qa15_the_tablets_store_refuses_another_time_shape_before_saving(tmp_path, shape):
    store = make_store(tmp_path)
    wire = RecordCapture(store).build("walkin", name="张伟", phone="138 0013 8000", rep="wang.li",
                                      data={"visit": "first"})
    with pytest.raises(RecordRefused) as refused:
        store.add_record({**wire, "captured_at": shape}, phone_hash_=None)
    assert [(p.code, p.field) for p in refused.value.problems] == [("invalid_time", "captured_at")]
    assert "2026-11-22T10:00:00.000+08:00" in refused.value.message("zh")
    assert "2026-11-22T10:00:00.000+08:00" in refused.value.message("en")
    assert store.counts()["total"] == 0


SERVER_TIME_REFUSAL = {
    "code": "invalid_time", "field": "captured_at", "params": {"reason": "time_shape"},
    "message": "captured_at must be a time written YYYY-MM-DDTHH:MM:SS, optionally with a fraction of 1 to 6 digits "
               "(.000), then Z or the UTC offset ±HH:MM from -12:00 to +14:00 — ASCII digits, upper-case T and Z — like "
               "2026-11-22T10:00:00.000+08:00 (docs/protocol.md, \"Times\"); '20261202T100000+0800' is not one."}
SERVER_DATE_REFUSAL = {
    "code": "invalid_value", "field": "data.visited_on", "params": {"reason": "date_shape"},
    "message": "data.visited_on must be a date written YYYY-MM-DD in ASCII digits, like 2026-11-22 (docs/protocol.md, "
               "\"Times\"); '20261202' is not one: pick the date again."}


@pytest.mark.parametrize("kept_params", [True, False], ids=["as_answered", "from_the_outbox"])
def test_qa15_a_refused_time_or_date_is_said_with_its_shape_in_the_users_language(kept_params):
    """The sync screen reads a refusal from the outbox, which keeps code, message and field but
    not ``params``: the shape is read from the server's message then."""
    def error(refusal: dict) -> dict:
        return refusal if kept_params else {k: v for k, v in refusal.items() if k != "params"}

    zh = refusal_text(error(SERVER_TIME_REFUSAL), "zh", "walkin")
    en = refusal_text(error(SERVER_TIME_REFUSAL), "en", "walkin")
    assert zh.startswith("登记时间须为 2026-11-22T10:00:00.000+08:00 这样的时间") and "更新应用" in zh, zh
    assert en.startswith("Time of capture must be a time like 2026-11-22T10:00:00.000+08:00") and "update" in en, en
    assert "校准日期和时间" not in zh  # the clock is not wrong: the shape is
    zh = refusal_text(error(SERVER_DATE_REFUSAL), "zh", "visit_report")
    en = refusal_text(error(SERVER_DATE_REFUSAL), "en", "visit_report")
    assert zh == "走访日期须为 2026-11-22 这样的日期（年-月-日，半角数字）：请重新选择日期。", zh
    assert en == "Visit date must be a date like 2026-11-22 (YYYY-MM-DD): pick the date again.", en
    unlabelled = {**error(SERVER_DATE_REFUSAL), "field": "data.day"}
    assert problem_text(unlabelled, "zh", "rotation").startswith("日期须为 2026-11-22 这样的日期")


def _make_legacy(server, record_id: str, loose: str) -> None:
    """What a server before the fix kept for a record pushed with ``loose`` as ``captured_at``:
    the text as sent, in its column and in its wire."""
    with sqlite3.connect(server.db_path) as conn:
        (text,) = conn.execute("select wire from records where id = ?", (record_id,)).fetchone()
        wire = {**json.loads(text), "captured_at": loose}
        conn.execute("update records set captured_at = ?, wire = ? where id = ?",
                     (loose, json.dumps(wire, ensure_ascii=False), record_id))


@pytest.mark.parametrize("snapshots", [True, False], ids=["snapshot", "paged_pull"])
def test_qa15_a_record_the_server_stored_in_a_looser_shape_still_counts_on_the_tablet(tmp_path, server, snapshots):
    store = LocalStore(tmp_path / "desk" / "fieldsync.db")
    client = SyncClient(store, RequestsTransport(), batch_size=20)
    client.enroll(server.base_url, "desk.li", "secret-pass-1", "前台-旧格式")
    record = RecordCapture(store).capture("walkin", name="欧阳娜娜", phone="138 0013 8123", rep="wang.li",
                                          data={"visit": "first"})
    client.sync()
    loose = parse_time(record["captured_at"]).strftime("%Y-%m-%d %H:%M:%S.%f%z")  # a space, +0800
    _make_legacy(server, record["id"], loose)
    store.reset_replica()  # the replica loaded again (an upgrade's migration drops it; a 410)
    store.set_meta(cursor="")
    client.snapshots = snapshots
    client.sync()
    assert json.loads(store.records_for(store.phone_tag_of("+8613800138123", "CN"))[0]["wire"])["captured_at"] == loose
    # the desk registers the customer again, for 张强, before it syncs: the tablet decides over its
    # replica and that record — the stored one must count (dropped, 张强 read as the owner)
    RecordCapture(store).capture("walkin", name="欧阳娜娜", phone="138 0013 8123", rep="zhang.qiang",
                                 data={"visit": "first"})
    for lang, words in (("zh", "首次登记，接待人 王丽"), ("en", "received by 王丽")):
        answer = CustomerLookup(store, lang=lambda lang=lang: lang).check("138 0013 8123")
        assert answer.provisional and answer.owner == "wang.li", answer
        assert any(words in line for line in answer.explanation), answer.explanation
    store.close()
