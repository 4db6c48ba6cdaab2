"""Contact cadence (issue 11): grade intervals (000 §五), tier plans (003), the first revisit
after a deal (003) and the follow-up's next date (003 模板2), never in the past."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.cadence import CadencePolicy, Contact, contact_from_record, next_due
from shared.records import validate_record
from tests.builders import wire

CST = timezone(timedelta(hours=8))
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)


def on(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=CST)


def test_grades_a_b_c_are_due_after_seven_fourteen_and_thirty_days():
    for grade, days in (("A", 7), ("B", 14), ("C", 30)):
        due = next_due([Contact(on("2026-11-02"), "walkin", grade=grade)])
        assert (due.due_on, due.reason) == (date(2026, 11, 2) + timedelta(days=days), "grade")


def test_a_regrade_changes_the_interval_from_the_last_contact():
    contacts = [Contact(on("2026-11-02"), "walkin", grade="C"),
                Contact(on("2026-11-10"), "follow_up", grade="A")]
    due = next_due(contacts)
    assert (due.grade, due.due_on) == ("A", date(2026, 11, 17))
    down = next_due([*contacts, Contact(on("2026-11-12"), "call", grade="B")])
    assert (down.grade, down.due_on) == ("B", date(2026, 11, 26))


def test_tier_plans_take_their_most_frequent_contact_when_stricter_than_the_grade():
    policy = CadencePolicy()
    assert policy.interval("C", "vip") == 7  # weekly news
    assert policy.interval("C", "core") == 30  # a call a month
    assert policy.interval("C", "regular") == 30  # the grade's monthly contact is stricter than half a year
    due = next_due([Contact(on("2026-11-02"), "follow_up", grade="C", tier="vip")])
    assert (due.due_on, due.reason, due.tier) == (date(2026, 11, 9), "tier", "vip")


def test_a_deal_opens_the_first_revisit_window_of_three_to_five_days():
    contacts = [Contact(on("2026-11-02"), "walkin", grade="B"), Contact(on("2026-11-20", 16), "deal", deal=True)]
    due = next_due(contacts)
    assert (due.reason, due.revisit_from, due.due_on) == ("first_revisit", date(2026, 11, 23), date(2026, 11, 25))
    assert due.state(date(2026, 11, 25)) == "due" and due.days_overdue(date(2026, 11, 28)) == 3
    # a second deal stage is not a revisit (the window restarts from it); a call is
    staged = next_due([*contacts, Contact(on("2026-11-21"), "deal", deal=True)])
    assert (staged.reason, staged.due_on) == ("first_revisit", date(2026, 11, 26))
    after = next_due([*contacts, Contact(on("2026-11-24"), "follow_up")])
    assert (after.reason, after.due_on) == ("grade", date(2026, 12, 8))


def test_qa11_f4_a_contact_in_the_deals_own_visit_is_no_first_revisit():
    """QA of issue 11, F4: walk-in 10:00, 小定 11:00, follow-up 11:10 (the same visit) read as the
    revisit and the customer went back to the grade's interval; the revisit is 3–5 days after the
    deal (003), so a contact before the window leaves it due, and one from its first day meets it."""
    visit = [Contact(on("2026-12-01", 10), "walkin", grade="B"), Contact(on("2026-12-01", 11), "deal", deal=True),
             Contact(on("2026-12-01", 11).replace(minute=10), "follow_up")]
    due = next_due(visit, zone=CST)
    assert (due.reason, due.revisit_from, due.due_on) == ("first_revisit", date(2026, 12, 4), date(2026, 12, 6))
    early = next_due([*visit, Contact(on("2026-12-03"), "call")], zone=CST)  # day 2: still due
    assert (early.reason, early.due_on) == ("first_revisit", date(2026, 12, 6))
    met = next_due([*visit, Contact(on("2026-12-04"), "follow_up")], zone=CST)
    assert (met.reason, met.due_on) == ("grade", date(2026, 12, 18))
    # the 签约 two days later, before any revisit, restarts the window from its own day
    signed = next_due([*visit, Contact(on("2026-12-03", 15), "deal", deal=True)], zone=CST)
    assert (signed.reason, signed.revisit_from, signed.due_on) == ("first_revisit", date(2026, 12, 6),
                                                                   date(2026, 12, 8))


def test_a_follow_ups_next_date_sets_the_due_day_until_the_next_contact():
    contacts = [Contact(on("2026-11-15"), "walkin", grade="C"),
                Contact(on("2026-11-20"), "follow_up", next_on=date(2026, 11, 28))]
    due = next_due(contacts)  # the demo's case: the list said 12-15, the rep had set 11-28
    assert (due.due_on, due.reason) == (date(2026, 11, 28), "follow_up_date")
    assert next_due([*contacts, Contact(on("2026-11-22"), "call")]).due_on == date(2026, 12, 22)


def test_contacts_come_from_records():
    follow = contact_from_record("follow_up", on("2026-11-20"), {"next_action_on": "2026-11-28", "grade": "A",
                                                                 "tier": "core"})
    assert (follow.next_on, follow.grade, follow.tier) == (date(2026, 11, 28), "A", "core")
    assert contact_from_record("walkin", on("2026-11-20"), {"intent": "B"}).grade == "B"
    assert contact_from_record("deal", on("2026-11-20"), {"stage": "contract"}).deal
    assert contact_from_record("complaint", on("2026-11-20"), {}) is None


def test_a_follow_up_may_not_plan_its_next_contact_before_its_own_day():
    record = wire("follow_up", at=on("2026-11-20", 23), data={"next_action_on": "2026-11-19"})
    problems = validate_record(record, now=on("2026-11-21"))
    assert [(p.code, p.field) for p in problems] == [("date_in_past", "data.next_action_on")]
    same_day = wire("follow_up", at=on("2026-11-20", 23), data={"next_action_on": "2026-11-20"})
    assert validate_record(same_day, now=on("2026-11-21")) == []
    # a tablet offline for a week pushes later: judged by its own capture day, not the arrival
    assert validate_record(same_day, now=on("2026-11-28")) == []


def test_complaint_status_records_name_their_case_and_extensions_say_who_approved():
    problems = validate_record(wire("complaint", data={"status": "extension_approved"}))
    assert {(p.code, p.field) for p in problems} == {
        ("missing_field", "data.refers_to"), ("missing_field", "data.limit_days"),
        ("missing_field", "data.approved_by")}
    ok = wire("complaint", data={"status": "extension_approved", "refers_to": "3f0c1b9e-8a7d-4c2e-9f1a-2b3c4d5e6f70",
                                 "limit_days": 7, "approved_by": "赵经理"})
    assert validate_record(ok) == []
    assert [p.code for p in validate_record(wire("complaint", data={"status": "open", "limit_days": 8}))] == [
        "invalid_value"]


contacts = st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["walkin", "call", "follow_up", "deal"]),
                              st.sampled_from([None, "A", "B", "C"]), st.sampled_from([None, "vip", "core"]),
                              st.one_of(st.none(), st.integers(0, 30))), min_size=1, max_size=8)


@SETTINGS
@given(drawn=contacts, seed=st.integers(0, 2**32))
def test_any_order_gives_the_same_due_day_which_is_never_before_the_last_contact(drawn, seed):
    start = on("2026-01-05")
    records = [Contact(start + timedelta(days=d, minutes=i), kind, grade=g, tier=t if kind == "follow_up" else None,
                       next_on=(start + timedelta(days=d + n)).date() if n is not None and kind == "follow_up" else None,
                       deal=kind == "deal")
               for i, (d, kind, g, t, n) in enumerate(drawn)]
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    due = next_due(records)
    assert next_due(shuffled) == due
    assert due.due_on >= due.last_contact.date()
    assert due.last_contact == max(c.at for c in records)


def test_a_time_stored_in_utc_is_read_on_the_sites_day_when_the_zone_is_given():
    """The server's estimates are UTC: 01:17 in Beijing on 11-10 is 17:17Z on 11-09. With the
    site's zone the contact is on 11-10 (the tablet said 逾期 7 天 for 6 before)."""
    at = on("2026-11-10", 1).replace(minute=17).astimezone(UTC)
    due = next_due([Contact(at, "walkin", grade="A")], zone=CST)
    assert due.due_on == date(2026, 11, 17)
    deal = next_due([Contact(at, "deal", deal=True)], zone=CST)
    assert (deal.revisit_from, deal.due_on) == (date(2026, 11, 13), date(2026, 11, 15))


def test_qa11_f11_two_follow_ups_of_one_instant_give_one_answer_in_any_order():
    at = on("2026-11-20")
    a = Contact(at, "follow_up", grade="A", next_on=date(2026, 11, 25))
    b = Contact(at, "follow_up", grade="B", next_on=date(2026, 11, 27))
    assert next_due([a, b]) == next_due([b, a])
    assert next_due([a, b]).due_on == date(2026, 11, 27)  # the later date: nothing is dropped for a tie
