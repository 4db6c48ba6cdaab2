"""The console's read interface (``ReportingStore``), run against every backend.

The same day is written through the ``Store`` contract on each backend; every reporting
method must answer the same on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sync_server.storage.base import (
    ConfirmationRow,
    ConflictRow,
    DecisionRow,
    Device,
    RefusedSeq,
    Site,
)
from tests.storage.records import make_record, seed

CST = timezone(timedelta(hours=8))
DAY = (datetime(2026, 11, 20, tzinfo=CST), datetime(2026, 11, 21, tzinfo=CST))


@pytest.fixture
def day(store):
    """Records of 20 Nov (one corrected, one withdrawn), one of 21 Nov in 张伟's household, a
    gap on the desk's device, customers, two conflicts and a decision; another site's record."""
    seed(store)
    store.add_site(Site("s2", "二号"))
    store.add_device(Device("d9", "s2", "zhao.min", "other desk", "2026-11-20T00:00:00.000Z"), "t9")
    r = {
        "r1": make_record(seq=1, phone_key="+8613800138000", estimated_at="2026-11-20T10:00:00.000+08:00"),
        "r2": make_record(seq=2, type="call", rep="chen.jie", phone_key="+8613912345678", name="李娜",
                          estimated_at="2026-11-20T11:00:00.000+08:00", data={"source": "online"}),
        "r5": make_record(seq=5, phone_key="+8613700001111", household_key="+8613800138000", name="王芳",
                          estimated_at="2026-11-21T09:00:00.000+08:00", data={"source": "referral", "visit": "first"}),
        "r8": make_record(seq=8, phone_key="+8613600000000", name="赵六",
                          estimated_at="2026-11-19T23:59:59.000+08:00"),  # the day before, in UTC the same date
        "other": make_record(seq=1, site_id="s2", device_id="d9", author="zhao.min",
                             estimated_at="2026-11-20T10:00:00.000+08:00"),
    }
    r["r3"] = make_record(seq=3, phone_key="+8613800138000", supersedes=r["r1"].id,
                          estimated_at="2026-11-20T10:05:00.000+08:00", data={"source": "walk_in", "visit": "return"})
    r["r4"] = make_record(seq=4, type="withdrawal", rep=None, phone_key="+8613912345678", supersedes=r["r2"].id,
                          estimated_at="2026-11-20T12:00:00.000+08:00", data={"reason": "twice"})
    with store.write("s1"):
        store.insert_records([replace(rec, change_id=store.next_change_id()) for rec in r.values()])
        store.advance_contiguous_seq("s1", "d1")
        store.add_links("s1", [("+8613800138000", None), ("+8613700001111", "+8613800138000"),
                               ("+8613912345678", None)])
        customers = store.ensure_customers("s1", {"+8613800138000": "张伟", "+8613912345678": "李娜",
                                                  "+8613700001111": "王芳"})
        zhang = replace(customers["+8613800138000"], owner="wang.li", status="protected",
                        protected_until="2026-12-20T10:00:00.000+08:00",
                        first_registered_at="2026-11-20T10:00:00.000+08:00", change_id=store.next_change_id())
        store.save_customers([zhang])
        for cid, status, opened, decision in (("c1", "open", "2026-11-20T03:00:00.000Z", None),
                                              ("c2", "decided", "2026-11-20T04:00:00.000Z", "dec-1")):
            store.save_conflict(ConflictRow(
                id=cid, site_id="s1", customer_id=zhang.id, phone_key=zhang.phone_key, status=status,
                owner="wang.li", flags=[], claims=[{"record_id": r["r1"].id}], explanation=[], opened_at=opened,
                decision_id=decision, change_id=store.next_change_id()))
        store.add_decision(DecisionRow(id="dec-1", site_id="s1", conflict_id="c2", phone_key=zhang.phone_key,
                                       owner="wang.li", split=None, reason="先到", decided_at="2026-11-21T02:00:00.000Z",
                                       author="zhao.min", covers=[r["r1"].id]))
    return {**r, "zhang": zhang, "customers": customers}


def test_records_of_a_day_in_time_order_with_desk_names_and_version_state(reporting, day):
    views = reporting.records("s1", ["walkin", "call"], *DAY)
    assert [v.record.id for v in views] == [day["r1"].id, day["r3"].id, day["r2"].id]
    first, corrected, call = views
    assert (first.superseded, first.withdrawn) == (True, False)
    assert (corrected.superseded, corrected.withdrawn) == (False, False)
    assert (call.superseded, call.withdrawn) == (True, True)
    assert (first.device_name, first.rep_name, first.author_name) == ("front desk", "王丽", "李静")
    assert first.customer_id == day["zhang"].id and first.customer_name == "张伟"
    assert first.record.wire == day["r1"].wire
    assert reporting.records("s2", ["walkin"], *DAY)[0].record.id == day["other"].id


def test_records_by_ids_only_finds_the_sites_own(reporting, day):
    found = reporting.records_by_ids("s1", [day["r1"].id, day["other"].id, "missing"])
    assert [v.record.id for v in found] == [day["r1"].id]


def test_counts_leave_out_superseded_and_withdrawn_records(reporting, day):
    counts = reporting.counts("s1", DAY[0], DAY[1] + timedelta(days=1), 480)
    assert [(c.day, c.type, c.source, c.rep, c.visit, c.count) for c in counts] == [
        ("2026-11-20", "walkin", "walk_in", "wang.li", "return", 1),
        ("2026-11-21", "walkin", "referral", "wang.li", "first", 1)]


def test_conflicts_newest_first_and_decisions_in_a_window(reporting, day):
    assert [c.id for c in reporting.conflicts("s1", None)] == ["c2", "c1"]
    assert [c.id for c in reporting.conflicts("s1", "open")] == ["c1"]
    assert reporting.conflict("s1", "c2").decision_id == "dec-1"
    assert reporting.conflict("s2", "c2") is None
    assert [d.id for d in reporting.decisions("s1")] == ["dec-1"]
    assert reporting.decisions("s1", *DAY) == []
    assert [d.id for d in reporting.decisions("s1", DAY[1], DAY[1] + timedelta(days=1))] == ["dec-1"]
    assert reporting.decision("s1", "dec-1").reason == "先到"
    assert reporting.decision("s2", "dec-1") is None


def test_qa14_m3_the_console_finds_names_with_emoji_or_invisible_characters_by_their_letters(store, reporting):
    """QA of issue 14 (M3): 王小红 did not find 王<ZWJ>小红 (a zero-width joiner inside), nor would
    王小明 find 王😀小明; emoji and invisible characters are ignored in the name and the query."""
    seed(store)
    with store.write("s1"):
        store.ensure_customers("s1", {"+8613800000001": "😀王小明👍", "+8613800000002": "王\u200d小红",
                                      "+8613800000003": "王😀小明", "+8613800000004": "王大明",
                                      "+8613800000005": "王小红梅"})
    for query in ("王小明", "王小明👍", "😀王小明", "王\u200b小明", " 王 小明 "):
        assert sorted(c.name for c in reporting.find_customers("s1", query)) == sorted(["😀王小明👍", "王😀小明"]), query
    for query in ("王小红", "王\u200d小红"):
        assert sorted(c.name for c in reporting.find_customers("s1", query)) == sorted(["王\u200d小红", "王小红梅"]), query
    assert reporting.find_customers("s1", "王明") == []  # letters side by side, not scattered
    assert [c.name for c in reporting.find_customers("s1", "0000004")] == ["王大明"]
    assert reporting.find_customers("s1", "👍") == []


def test_customers_are_found_by_name_or_phone_digits(reporting, day):
    assert [c.name for c in reporting.find_customers("s1", "张")] == ["张伟"]
    assert [c.name for c in reporting.find_customers("s1", "139 1234")] == ["李娜"]


def test_qa14_a_phone_typed_in_full_width_digits_finds_its_customer(reporting, day):
    # a Chinese input method types full-width digits (QA sweep: the console's search found nobody)
    assert [c.name for c in reporting.find_customers("s1", "１３９ １２３４")] == ["李娜"]
    assert [c.name for c in reporting.find_customers("s1", "１３９１２３４")] == ["李娜"]
    assert reporting.find_customers("s1", "13") == []  # fewer than 3 digits never match phones
    assert reporting.find_customers("s2", "张") == []
    assert reporting.find_customers("s1", "")[0].id == day["zhang"].id  # most recently changed first
    assert reporting.customer("s1", day["zhang"].id) == day["zhang"]
    assert reporting.customer("s2", day["zhang"].id) is None
    assert reporting.customer_ids("s1", ["+8613800138000", "+8600"]) == {"+8613800138000": day["zhang"].id}


def test_a_customers_timeline_covers_the_household(reporting, day):
    timeline = reporting.timeline("s1", day["zhang"].id)
    assert timeline.customer == day["zhang"]
    assert [v.record.id for v in timeline.records] == [day["r1"].id, day["r3"].id, day["r5"].id]
    assert [d.id for d in timeline.decisions] == ["dec-1"]
    assert [c.id for c in timeline.conflicts] == ["c1", "c2"]
    assert reporting.timeline("s1", "nobody") is None
    assert reporting.timeline("s2", day["zhang"].id) is None


def test_protection_ending_in_a_window(reporting, day):
    ending = datetime(2026, 12, 20, tzinfo=CST)
    assert [c.id for c in reporting.protection_ending("s1", ending, ending + timedelta(days=1))] == [day["zhang"].id]
    assert reporting.protection_ending("s1", *DAY) == []


def test_devices_report_their_gaps_and_people_their_names(store, reporting, day):
    (desk,) = reporting.devices("s1")
    assert (desk.device.id, desk.user_name, desk.role) == ("d1", "李静", "reception")
    assert (desk.device.contiguous_seq, desk.highest_seq, desk.gaps, desk.gap_count) == (5, 8, [6, 7], 2)
    assert desk.last_sync == "2026-11-20T02:05:00.000Z"
    with store.write("s1"):  # seq 7 arrives and is refused, seq 9 too: neither is missing
        store.add_refused_seqs("s1", [RefusedSeq("d1", s, None, "invalid_phone", "check the digits", "2026-11-20T02:06:00.000Z")
                                for s in (7, 9)])
    (desk,) = reporting.devices("s1")
    assert (desk.highest_seq, desk.gaps, desk.gap_count) == (9, [6], 1)
    assert reporting.people("s1")["wang.li"] == ("王丽", "rep")
    assert reporting.people("s2") == {}


def test_the_first_confirmation_of_a_record_is_the_one_kept(store, reporting, day):
    rid = day["r3"].id
    assert reporting.confirmations("s1", [rid]) == {}
    first = ConfirmationRow("conf-1", "s1", rid, "zhao.min", "2026-11-20T10:00:00.000Z")
    later = ConfirmationRow("conf-2", "s1", rid, "zhao.min", "2026-11-20T11:00:00.000Z")
    with store.write("s1"):
        (stored,) = store.add_confirmations([first])
        store.add_confirmations([later])
    first = replace(first, change_id=stored.change_id)
    assert reporting.confirmations("s1", [rid, "other"]) == {rid: first}
    assert reporting.confirmations("s2", [rid]) == {}
    (view,) = reporting.records_by_ids("s1", [rid])
    assert view.confirmation == first


def test_disputes_come_a_page_at_a_time_in_the_order_of_the_whole_queue(store, reporting):
    """Issue 11: the open disputes of a busy site (thousands at a million records, 1.1 s for the
    whole list) are listed 100 a page; the pages, one after another, are the whole queue in
    its order (newest opened first, by the real instant: opened times carry their offsets)."""
    seed(store)
    with store.write("s1"):
        customer = store.ensure_customers("s1", {"+8613800138000": "张伟"})["+8613800138000"]
        for n in range(23):
            at = datetime(2026, 11, 20, 3, tzinfo=UTC) + timedelta(minutes=7 * (n % 11))
            opened = (at.astimezone(timezone(timedelta(hours=8))) if n % 2 else at).isoformat(timespec="milliseconds")
            store.save_conflict(ConflictRow(
                id=f"c{n:02d}", site_id="s1", customer_id=customer.id, phone_key=customer.phone_key,
                status="open" if n % 5 else "decided", owner="wang.li", flags=[], claims=[], explanation=[],
                opened_at=opened, change_id=store.next_change_id()))
    for status in ("open", "decided"):
        whole = reporting.conflicts("s1", status)
        pages = [reporting.conflicts_page("s1", status, offset, 4) for offset in range(0, 24, 4)]
        assert {total for total, _ in pages} == {len(whole)}
        assert [c for _, rows in pages for c in rows] == whole


def test_the_conflicts_export_reads_its_range_with_the_same_rows_as_the_whole_site_filtered(store, reporting, day):
    """Issue 11: the conflicts sheet read every conflict of the site (19,659 at a million records
    for 454 of the week) and one customer per row; now ``conflicts_opened`` and
    ``customers_by_ids``. The same rows in the same order as before: a tie at one instant written
    in two offsets (greater id first, as the old stable sort left them), a conflict at midnight
    CST written in UTC, one a second before the window, one of a customer no longer known."""
    from shared.timeutil import parse_time
    from sync_server.console.export_sheets import build_sheet, claims_text
    from sync_server.console.formatting import export_phone, local_datetime
    from sync_server.console.i18n import label, text

    zhang = day["zhang"]
    with store.write("s1"):
        for c in reporting.conflicts("s1", None):  # the fixture's claims name no rep: as a push writes them
            store.save_conflict(replace(c, claims=[{"rep": "wang.li", "estimated_at": c.opened_at, "clock": "ntp"}],
                                        change_id=store.next_change_id()))
        for cid, opened, customer in (("c3", "2026-11-20T11:00:00.000+08:00", zhang.id),
                                      ("c0", "2026-11-20T11:00:00.000+08:00", zhang.id),
                                      ("c4", "2026-11-20T16:00:00.000Z", zhang.id),
                                      ("c5", "2026-11-19T23:59:59.000+08:00", zhang.id),
                                      ("c6", "2026-11-20T20:00:00.000+08:00", "gone")):
            store.save_conflict(ConflictRow(
                id=cid, site_id="s1", customer_id=customer, phone_key=zhang.phone_key, status="open",
                owner="wang.li", flags=["close_call"], claims=[{"rep": "chen.jie", "estimated_at": opened}],
                explanation=[], opened_at=opened, decision_id=None, change_id=store.next_change_id()))
    people = reporting.people("s1")

    def name(username):
        return people.get(username or "", (username or "", ""))[0]

    def before(start, end, lang):  # the sheet's rows as the console built them before
        rows = []
        for c in sorted(reporting.conflicts("s1", None), key=lambda c: parse_time(c.opened_at)):
            if not start <= parse_time(c.opened_at) < end:
                continue
            d = reporting.decision("s1", c.decision_id) if c.decision_id else None
            customer = reporting.customer("s1", c.customer_id)
            claims = claims_text(c.claims, lang, 480, name)
            split = " / ".join(f"{name(k)} {v}%" for k, v in (d.split or {}).items()) if d else ""
            rows.append([local_datetime(c.opened_at, 480), customer.name if customer else "",
                         export_phone(c.phone_key), claims, ", ".join(text(f"flag.{f}", lang) for f in c.flags),
                         name(c.owner), label("disputes", "resolved" if d else c.status, lang),
                         local_datetime(d.decided_at, 480) if d else None, name(d.author) if d else "", split,
                         d.reason if d else "", c.id])
        return rows

    first = DAY[0] - timedelta(days=1)
    windows = [(first + timedelta(days=i), first + timedelta(days=i + 1)) for i in range(3)] + [
        (first, first + timedelta(days=3))]
    for start, end in windows:
        opened = reporting.conflicts_opened("s1", start, end)
        assert opened == [c for c in sorted(reporting.conflicts("s1", None), key=lambda c: parse_time(c.opened_at))
                          if start <= parse_time(c.opened_at) < end]
        for lang in ("zh", "en"):
            assert [list(r) for r in build_sheet(reporting, "s1", "conflicts", start, end, lang, 480).rows] == \
                before(start, end, lang)
    assert [c.id for c in reporting.conflicts_opened("s1", *DAY)] == ["c3", "c1", "c0", "c2", "c6"]
    assert reporting.customers_by_ids("s1", [zhang.id, "gone"]) == {zhang.id: reporting.customer("s1", zhang.id)}


def test_issue11_a_range_reads_its_records_by_instant_whatever_offset_their_text_carries(store, reporting):
    """``records``, ``live_records`` and ``range_chains`` bound ``estimated_at`` as text with
    ``estimated_text_bounds``' margin (hours either side, not a calendar day): a record whose text
    carries the widest offsets (+14:00, −12:00) at the range's edges is in or out by its instant."""
    seed(store)
    start, end = DAY
    east, west = timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))
    # a text in the west reads earlier than its instant's UTC text, one in the east later: the
    # margin must hold a western text at the start and an eastern one at the end
    inside = {"at start, -12:00": start.astimezone(west),
              "last ms, +14:00": (end - timedelta(milliseconds=1)).astimezone(east),
              "noon, UTC": datetime(2026, 11, 20, 4, tzinfo=UTC)}
    outside = {"a ms early, +14:00": (start - timedelta(milliseconds=1)).astimezone(east),
               "at end, -12:00": end.astimezone(west),
               "a day early, UTC": start - timedelta(days=1)}
    made = {label: make_record(seq=i, phone_key=f"+861380013800{i}", id=f"edge-{i}",
                               estimated_at=at.isoformat(timespec="milliseconds"))
            for i, (label, at) in enumerate({**inside, **outside}.items(), start=1)}
    # texts of shapes no push writes (basic offset, no seconds): the walk's instant filter in SQL
    # (julianday / timestamptz) does not read them, so it must leave them for Python's exact check
    odd = {"basic offset +0800, inside": "2026-11-20T12:00:00.000+0800", "no seconds, inside": "2026-11-20T05:00Z",
           "basic offset +0800, outside": "2026-11-21T09:00:00.000+0800"}
    made |= {label: make_record(seq=10 + i, phone_key=f"+861380013801{i}", id=f"edge-odd-{i}", estimated_at=at)
             for i, (label, at) in enumerate(odd.items())}
    inside |= dict.fromkeys(label for label in odd if label.endswith("inside"))
    with store.write("s1"):
        store.insert_records([replace(r, change_id=store.next_change_id()) for r in made.values()])
    want = sorted(made[label].id for label in inside)
    assert sorted(v.record.id for v in reporting.records("s1", ["walkin"], start, end)) == want
    assert sorted(r.id for r in reporting.live_records("s1", ["walkin"], start, end)) == want
    assert sorted(v.record.id for v in reporting.range_chains("s1", ["walkin"], start, end)) == want
    # a range to the calendar's ends (no instant bound there) reads them all, and fails nowhere
    every = reporting.range_chains("s1", ["walkin"], datetime(1, 1, 1, tzinfo=UTC),
                                   datetime(9999, 12, 31, 23, tzinfo=UTC))
    assert sorted(v.record.id for v in every) == sorted(r.id for r in made.values())


def test_issue11_estimated_text_bounds_hold_every_offset_and_clamp_at_the_calendars_ends():
    from sync_server.storage.sql.records import estimated_text_bounds

    low, after = estimated_text_bounds(*DAY)
    assert (low, after) == ("2026-11-19T02:00:00", "2026-11-21T06:00:00")
    assert estimated_text_bounds(datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, tzinfo=UTC)) == ("", "A")


def test_a_views_links_are_its_fields_replaced():
    """``RecordView.linked`` builds the view positionally (fast for an export's rows): it must be
    ``dataclasses.replace`` of exactly those fields, whatever fields the view gains."""
    from dataclasses import fields, replace

    from sync_server.storage.base import ConfirmationRow, DismissedRecord, HeldRecord
    from sync_server.storage.reporting import RecordView
    from tests.storage.records import make_record

    record = make_record(seq=1, id="linked-1")
    view = RecordView(record, "前台", "王丽", "李静", "c1", ConfirmationRow("k", "s1", "linked-1", "zhao.min", "t", 3),
                      False, True, "2026-11-20T02:00:00.000Z", None, None, False,
                      DismissedRecord(HeldRecord("s1", "linked-1", "desk.li", "k1", "t"), "t2", "zhao.min", "why"), True)
    assert all(getattr(view, f.name) != f.default for f in fields(RecordView)
               if f.name not in ("withdrawn", "previous", "withdrawal", "corrected"))  # every other field set
    before = replace(view, record=make_record(seq=2, id="linked-0"))
    gone = replace(view, record=make_record(seq=3, id="linked-w", type="withdrawal"))
    for previous, withdrawal, corrected in ((None, None, False), (before, gone, True)):
        assert view.linked(previous, withdrawal, corrected) == replace(
            view, previous=previous, withdrawal=withdrawal, withdrawn=withdrawal is not None, corrected=corrected)
