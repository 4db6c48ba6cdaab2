"""今日来访 (the desk's day) on a real store — QA of issue 14 F8: a walk-in the server refused
is no visitor of the day until corrected; every row names its rep, a rep deactivated since too."""

from __future__ import annotations

from mobile.services import RecordCapture
from mobile.services.today import TodaysVisitors
from tests.mobile.test_store import make_store


def _day(store):
    return TodaysVisitors(store).today()


def test_issue14_f8_a_walkin_the_server_refused_is_counted_apart_not_as_a_visitor(tmp_path):
    """Before: "今日 来人 5 来电 1" counted 孙八, whose walk-in the server had rejected."""
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    kept = capture.capture("walkin", name="赵六", phone="137 0000 6666", rep="wang.li",
                           data={"visit": "first", "party_size": 1})
    refused = capture.capture("walkin", name="孙八", phone="137 0000 8888", rep="zhang.qiang",
                              data={"visit": "first", "party_size": 2})
    capture.capture("call", name="来电甲", phone="139 0000 2001", rep=None, data={})
    store.refuse(refused["id"], "rep_inactive", "the rep was deactivated", "rep")
    day = _day(store)
    assert (day.walkins, day.calls, day.to_fix) == (1, 1, 1)
    assert {v.name for v in day.visitors if v.to_fix} == {"孙八"}
    assert kept["id"] != refused["id"]


def test_issue14_f8_a_refused_walkin_corrected_counts_once_as_its_correction(tmp_path):
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    refused = capture.capture("walkin", name="孙八", phone="137 0000 8888", rep="zhang.qiang",
                              data={"visit": "first", "party_size": 2})
    store.refuse(refused["id"], "rep_inactive", "the rep was deactivated", "rep")
    capture.correct(refused["id"], rep="wang.li")
    day = _day(store)
    assert (day.walkins, day.to_fix) == (1, 0)


def test_issue14_f8_rows_name_a_rep_deactivated_since_and_calls_have_no_rep(tmp_path):
    """Before: the rows of 张强's receptions (deactivated since) had an empty rep column."""
    store = make_store(tmp_path)
    capture = RecordCapture(store)
    capture.capture("walkin", name="赵六", phone="137 0000 6666", rep="zhang.qiang",
                    data={"visit": "first", "party_size": 1})
    capture.capture("call", name="来电甲", phone="139 0000 2001", rep=None, data={})
    store.apply_changes([{"change_id": 4, "kind": "user", "user": {
        "username": "zhang.qiang", "name": "张强", "role": "rep", "active": False,
        "deactivated_at": "2026-12-01T11:51:00Z"}}], cursor="4")
    rows = {v.name: v for v in _day(store).visitors}
    assert rows["赵六"].rep_name == "张强"
    assert rows["来电甲"].rep_name == ""  # the screen shows "—"
