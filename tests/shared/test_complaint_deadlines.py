"""Complaint deadlines (issue 11): the hour steps of 003 and the working-day limits of
001 §2 第十一条, counted on the official PRC calendar with its make-up workdays (调休)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.complaints import ComplaintStep, build_case, build_cases, case_keys
from shared.working_calendar import DEFAULT_CALENDAR, WorkingCalendar

CST = timezone(timedelta(hours=8))
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def opened(when: str, severity: str = "general", id_: str = "c-1") -> ComplaintStep:
    return ComplaintStep(id_, at(when), {"status": "open", "severity": severity, "content": "漏水",
                                         "handler": "王丽"}, "李娜", "139 0013 9000", "wang.li")


def later(id_: str, when: str, status: str, **data) -> ComplaintStep:
    return ComplaintStep(id_, at(when), {"status": status, "refers_to": "c-1", **data})


def due(case, step: str) -> datetime:
    return next(d.due for d in case.deadlines if d.step == step)


def test_the_calendar_follows_the_2026_national_day_holiday_and_its_make_up_saturday():
    assert not DEFAULT_CALENDAR.is_working_day(date(2026, 10, 1))  # 国庆 Thursday
    assert not DEFAULT_CALENDAR.is_working_day(date(2026, 10, 7))  # a Wednesday off
    assert DEFAULT_CALENDAR.is_working_day(date(2026, 10, 10))  # make-up Saturday (调休上班)
    assert DEFAULT_CALENDAR.is_working_day(date(2026, 2, 14))  # 春节 make-up Saturday
    assert not DEFAULT_CALENDAR.is_working_day(date(2026, 2, 23))  # 春节 Monday off
    assert DEFAULT_CALENDAR.official(date(2026, 6, 1))


def test_a_year_without_an_official_schedule_falls_back_to_weekdays_and_says_so():
    assert not DEFAULT_CALENDAR.official(date(2030, 1, 1))
    assert DEFAULT_CALENDAR.is_working_day(date(2030, 1, 7))  # a Monday
    assert not DEFAULT_CALENDAR.is_working_day(date(2030, 1, 5))  # a Saturday
    case = build_case(ComplaintStep("c-9", datetime(2030, 3, 1, 10, tzinfo=CST), {"status": "open"}), [])
    assert [d.official for d in case.deadlines if d.step == "close"] == [False]


def test_a_complaint_the_evening_before_the_holiday_counts_the_make_up_saturday():
    # Wednesday 2026-09-30 19:30, the eve of 国庆 (10-01..10-07 off, Saturday 10-10 worked)
    general = build_case(opened("2026-09-30T19:30"), [])
    assert due(general, "respond") == at("2026-09-30T20:30")
    assert due(general, "first_solution") == at("2026-09-30T23:30")
    assert due(general, "result") == at("2026-10-01T19:30")  # 24 clock hours: the holiday too
    assert due(general, "close") == at("2026-10-08T19:30")  # 1 working day: the Thursday after
    major = build_case(opened("2026-09-30T19:30", "major"), [])
    assert due(major, "close") == at("2026-10-10T19:30")  # 10-08, 10-09, Saturday 10-10 (调休)


def test_a_complaint_on_a_holiday_has_the_whole_next_working_day():
    case = build_case(opened("2026-10-03T10:00"), [])
    assert due(case, "close") == at("2026-10-09T00:00")  # end of Thursday 10-08


def test_raising_the_severity_gives_three_working_days_from_the_opening():
    case = build_case(opened("2026-09-30T19:30"), [later("s-1", "2026-10-08T09:00", "severity_changed",
                                                          severity="major")])
    assert (case.severity, case.limit_days) == ("major", 3)
    assert due(case, "close") == at("2026-10-10T19:30")
    lowered = build_case(opened("2026-09-30T19:30", "major"), [
        later("s-1", "2026-10-01T09:00", "severity_changed", severity="general")])
    assert due(lowered, "close") == at("2026-10-08T19:30")


def test_an_approval_extends_a_major_complaint_to_seven_working_days_and_no_further():
    approval = later("x-1", "2026-10-09T09:00", "extension_approved", limit_days=7, approved_by="赵经理")
    case = build_case(opened("2026-09-30T19:30", "major"), [approval])
    # 10-08, 10-09, 10-10 (调休), 10-12, 10-13, 10-14, 10-15
    assert (case.limit_days, case.extended_by, due(case, "close")) == (7, "赵经理", at("2026-10-15T19:30"))
    too_long = later("x-2", "2026-10-09T09:00", "extension_approved", limit_days=9, approved_by="赵经理")
    assert build_case(opened("2026-09-30T19:30", "major"), [too_long]).limit_days == 7
    shorter = later("x-3", "2026-10-09T09:00", "extension_approved", limit_days=2, approved_by="赵经理")
    assert build_case(opened("2026-09-30T19:30", "major"), [shorter]).limit_days == 3  # never below the rule


def test_the_spring_festival_eve_with_make_up_saturdays_on_both_sides():
    # Friday 2026-02-13 evening; Saturday 02-14 worked; 02-15..02-23 off; Saturday 02-28 worked
    case = build_case(opened("2026-02-13T18:00", "major"), [])
    assert due(case, "close") == at("2026-02-25T18:00")  # 02-14 (调休), 02-24, 02-25


def test_a_site_closed_day_is_not_a_working_day():
    calendar = WorkingCalendar.for_site(["2026-10-08"])
    case = build_case(opened("2026-09-30T19:30"), [], calendar)
    assert due(case, "close") == at("2026-10-09T19:30")


def test_each_step_meets_its_deadline_and_the_satisfaction_check_is_due_three_days_after_resolving():
    steps = [later("r-1", "2026-11-02T10:20", "responded"), later("r-2", "2026-11-02T15:00", "solution_offered"),
             later("r-3", "2026-11-03T09:00", "resolved")]
    case = build_case(opened("2026-11-02T10:00"), steps)
    done = {d.step: (d.done_at, d.overdue(at("2026-11-10T00:00"))) for d in case.deadlines}
    assert done["respond"] == (at("2026-11-02T10:20"), False)
    assert done["first_solution"] == (at("2026-11-02T15:00"), True)  # 5 h: late
    assert done["close"] == (at("2026-11-03T09:00"), False)
    assert due(case, "satisfaction") == at("2026-11-06T09:00")
    assert case.next_deadline().step == "satisfaction"
    assert case.overdue(at("2026-11-06T10:00")) and not case.overdue(at("2026-11-05T10:00"))
    checked = build_case(opened("2026-11-02T10:00"), [*steps, later("r-4", "2026-11-06T08:00",
                                                                          "satisfaction_checked")])
    assert checked.finished and checked.next_deadline() is None


def test_the_next_deadline_of_an_untouched_case_is_the_response():
    case = build_case(opened("2026-11-02T10:00"), [])
    assert case.next_deadline().step == "respond" and case.overdue(at("2026-11-02T11:01"))
    assert case.age(at("2026-11-02T13:00")) == timedelta(hours=3)


steps = st.lists(st.tuples(st.sampled_from(["responded", "solution_offered", "resolved", "severity_changed",
                                             "extension_approved", "satisfaction_checked"]),
                           st.integers(0, 60 * 24 * 12)), max_size=8)


@SETTINGS
@given(opened_minute=st.integers(0, 60 * 24 * 365), kinds=steps, seed=st.integers(0, 2**32))
def test_any_record_order_gives_the_same_case(opened_minute, kinds, seed):
    start = datetime(2026, 1, 1, tzinfo=CST) + timedelta(minutes=opened_minute)
    first = ComplaintStep("c-1", start, {"status": "open", "severity": "general"})
    records = [first] + [
        ComplaintStep(f"s-{i}", start + timedelta(minutes=m), {
            "status": kind, "refers_to": "c-1", "severity": "major", "limit_days": 5, "approved_by": "赵经理"})
        for i, (kind, m) in enumerate(kinds)]
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    assert build_cases(shuffled) == build_cases(records)
    case = build_cases(records)[0]
    close = next(d for d in case.deadlines if d.step == "close")
    # the limit is counted in working days: the close deadline falls on a working day at the
    # time of day it opened; opened on a closed day, at the end (24:00) of a working day. (A
    # random hunt found an opening at 00:00 on a working day: due at 00:00 of the N-th working
    # day, whose previous instant is a Sunday.)
    opened_working = DEFAULT_CALENDAR.is_working_day(start.date())
    last = close.due if opened_working else close.due - timedelta(microseconds=1)
    assert DEFAULT_CALENDAR.is_working_day(last.date())
    assert 1 <= case.limit_days <= 7


def test_qa11_f1_a_corrected_opening_keeps_its_case_and_every_step():
    """A correction of the opening (a new record superseding it, the text fixed) keeps the
    case's steps, whichever version they name; the case keeps the original's id."""
    original = opened("2026-11-30 18:00", "major")
    steps = [original,
             later("s-1", "2026-11-30 18:30", "responded"),
             later("s-2", "2026-11-30 19:00", "severity_changed", severity="major"),
             later("s-3", "2026-11-30 19:10", "extension_approved", limit_days=7, approved_by="赵敏")]
    fixed = ComplaintStep("c-2", at("2026-11-30 18:00"), {**original.data, "content": "漏水（已核实）"},
                          "李娜", "139 0013 9000", "wang.li", supersedes="c-1")
    after_fix = ComplaintStep("s-4", at("2026-11-30 20:00"), {"status": "solution_offered", "refers_to": "c-2"})
    stale_name = ComplaintStep("s-5", at("2026-11-30 23:55"), {"status": "resolved", "refers_to": "c-1"})
    before = build_cases(steps)[0]
    (case,) = build_cases([replace(original, live=False), *steps[1:], fixed, after_fix, stale_name])
    assert case.id == "c-1" and case.content == "漏水（已核实）"
    assert case.severity == "major" and case.limit_days == 7 and case.extended_by == "赵敏"
    assert case.status == "resolved"
    done = {d.step: d.done_at for d in case.deadlines}
    assert done["respond"] == at("2026-11-30 18:30") and done["first_solution"] == at("2026-11-30 20:00")
    assert done["close"] == at("2026-11-30 23:55")
    assert due(case, "close") == due(before, "close")  # the approval still counts
    # only the live versions given (a server's live read): the correction still leads to c-1
    assert build_cases([*steps[1:], fixed, after_fix, stale_name])[0].status == "resolved"


def test_qa11_f1_a_second_correction_and_a_corrected_step_stay_in_the_case():
    original = opened("2026-11-30 18:00")
    v2 = replace(original, id="c-2", supersedes="c-1", live=False)
    v3 = replace(original, id="c-3", supersedes="c-2", data={**original.data, "content": "第三版"})
    responded = later("s-1", "2026-11-30 18:20", "responded")
    fixed_step = ComplaintStep("s-2", at("2026-11-30 18:25"), {"status": "resolved", "refers_to": "c-2"},
                               supersedes="s-1")
    (case,) = build_cases([replace(original, live=False), v2, v3, replace(responded, live=False), fixed_step])
    assert (case.id, case.content, case.status) == ("c-1", "第三版", "resolved")
    keys = case_keys([replace(original, live=False), v2, v3, responded, fixed_step])
    assert set(keys.values()) == {"c-1"}


def test_qa11_f9_a_year_without_its_notice_still_skips_the_statutory_holidays():
    """QA of issue 11, F9: with no official 2027 schedule a complaint's limit fell on 元旦 and
    inside 春节. A year the package does not cover counts Monday–Friday without the days the law
    fixes (元旦, 春节 from 除夕 to 初三, 清明, 劳动节 2, 端午, 中秋, 国庆 3), still provisional."""
    from shared.working_calendar import statutory_holidays

    assert sorted(statutory_holidays(2027)) == [
        date(2027, 1, 1), date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8), date(2027, 4, 5),
        date(2027, 5, 1), date(2027, 5, 2), date(2027, 6, 9), date(2027, 9, 15), date(2027, 10, 1),
        date(2027, 10, 2), date(2027, 10, 3)]
    # the law's days of a covered year are holidays in its official schedule too
    assert not any(DEFAULT_CALENDAR.is_working_day(d) for d in statutory_holidays(2026))
    # 2035 (no notice for years): 除夕 is Wednesday 02-07; a general complaint of Tuesday evening
    case = build_case(opened("2035-02-06 18:00"), [])
    assert (due(case, "close"), case.deadlines[3].official) == (at("2035-02-12 18:00"), False)
    if not DEFAULT_CALENDAR.official(date(2027, 1, 1)):  # until the package carries the 2027 notice
        assert due(build_case(opened("2026-12-31 17:00"), []), "close") == at("2027-01-04 17:00")
        assert due(build_case(opened("2027-02-05 20:00", "major"), []), "close") == at("2027-02-12 00:00")


def test_qa15_a_a_case_reads_the_same_in_any_order_steps_after_the_closing_and_early_checks_left_out():
    """QA15 A: a 已回应 captured after the 结案 reopened the case (its status was the latest step's);
    a satisfaction check captured before the resolution set the case finished before it was solved.
    Steps after the first closing and checks before the first resolution are left out, the status
    is the furthest step reached: the same case whatever order the records come in."""
    start = opened("2026-12-01 09:00")
    steps = [later("s-resolved", "2026-12-01 12:00", "resolved"),
             later("s-early-check", "2026-12-01 11:00", "satisfaction_checked", satisfaction="satisfied"),
             later("s-late-response", "2026-12-01 13:00", "responded"),
             later("s-closed", "2026-12-01 14:00", "closed"),
             later("s-after-close", "2026-12-01 15:00", "solution_offered")]
    cases = set()
    for seed_ in range(6):
        shuffled = steps[:]
        random.Random(seed_).shuffle(shuffled)
        case = build_case(start, shuffled)
        cases.add(case)
    [case] = cases
    assert case.status == "closed" and case.finished
    done = {d.step: d.done_at for d in case.deadlines}
    assert done["satisfaction"] == at("2026-12-01 14:00")  # by the closing, not the early check
    # without the closing: the late 已回应 moves nothing back; the early check does not count
    open_case = build_case(start, steps[:3])
    assert open_case.status == "resolved" and not open_case.finished
    assert {d.step: d.done_at for d in open_case.deadlines}["satisfaction"] is None
