"""The shared rotation board (issue 12): one board per day folded from every tablet's events.

Property (hypothesis, bounded and replayable: ``derandomize=True``, ids made from the example's
own device and seq): any permutation of a day's events, and any batching delivered in any order
with repeats, folds to the same board, clashes and fairness; examples check the rules."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.rotation_duty import DutySpan, duty_list
from shared.rotation_log import (
    Clash,
    DayBoard,
    RotationEvent,
    Tally,
    fairness_by_week,
    fold_day,
    week_of,
)
from shared.rotation_week import board_of, boards_of

DAY = "2026-12-01"
T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
REPS = ("chen.jie", "wang.li", "zhang.qiang")
DEVICES = ("desk-1", "desk-2", "rep-wang")
SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def ev(minute: float, device: str, seq: int, event: str, rep: str | None = None, *, visit: str | None = None,
       owner: str | None = None, turn: int | None = None, day: str = DAY) -> RotationEvent:
    return RotationEvent(id=f"{device}-{seq}", day=day, at=T0 + timedelta(minutes=minute), device_id=device, seq=seq,
                         event=event, rep=rep, visit=visit, owner=owner, turn=turn)


def withdrawal(minute: float, device: str, seq: int, of: str) -> RotationEvent:
    """The withdrawal of event ``of`` (a ``withdrawal`` record: no day of its own)."""
    return RotationEvent(id=f"{device}-{seq}", day="", at=T0 + timedelta(minutes=minute), device_id=device, seq=seq,
                         event="withdraw", withdraws=of)


def summary(board: DayBoard) -> tuple:
    rot = board.rotation
    return (rot.queue, sorted(rot.status.items()), sorted((k, v) for k, v in rot.owed.items() if v),
            sorted(rot.counted.items()), sorted(rot.uncounted.items()), sorted(rot.lost.items()), rot.lunch,
            board.receptions, board.clashes, board.next_up, sorted(board.tally().items()))


@st.composite
def days(draw) -> list[RotationEvent]:
    """A day of events from two desks and a rep's tablet: status changes, lunch, receptions of
    every kind with turn numbers that may repeat (desks offline), same-minute ties included."""
    seqs = dict.fromkeys(DEVICES, 0)
    events = []
    for _ in range(draw(st.integers(0, 24))):
        device = draw(st.sampled_from(DEVICES))
        seqs[device] += 1
        minute = draw(st.integers(0, 40)) / 2  # ties across devices happen
        kind = draw(st.sampled_from(("present", "absent", "assigned", "receive", "receive", "receive",
                                     "lunch_start", "lunch_end")))
        rep = draw(st.sampled_from(REPS + ("li.na",)))  # li.na: a rep the day's order did not know
        visit = draw(st.sampled_from(("new", "new", "returning", "designated"))) if kind == "receive" else None
        events.append(ev(minute, device, seqs[device], kind, None if kind.startswith("lunch") else rep, visit=visit,
                         owner=draw(st.sampled_from(REPS)) if visit == "returning" else None,
                         turn=draw(st.integers(1, 6)) if visit == "new" else None))
    # some events withdrawn (a reception tapped for the wrong rep), at any later or earlier time,
    # once or twice (two desks withdrawing the same mistake)
    for index in draw(st.lists(st.integers(0, max(len(events) - 1, 0)), max_size=4)) if events else []:
        device = draw(st.sampled_from(DEVICES))
        seqs[device] += 1
        events.append(withdrawal(draw(st.integers(0, 40)) / 2, device, seqs[device], events[index].id))
    return events


@SETTINGS
@given(events=days(), seed=st.integers(0, 2**32))
def test_any_permutation_of_a_days_events_gives_the_same_board(events, seed):
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)
    assert summary(fold_day(REPS, shuffled, DAY)) == summary(fold_day(REPS, events, DAY))


@SETTINGS
@given(events=days(), seed=st.integers(0, 2**32), cuts=st.lists(st.integers(0, 24), max_size=4),
       repeats=st.lists(st.integers(0, 24), max_size=3))
def test_any_batching_delivered_in_any_order_with_repeats_converges_to_one_board(events, seed, cuts, repeats):
    # a tablet folds whatever it holds after each delivery; once it holds everything, its board
    # is the server's, whatever the batches, their order, or a batch delivered twice
    bounds = sorted({0, len(events), *(c for c in cuts if c <= len(events))})
    batches = [events[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    batches += [batches[r % len(batches)] for r in repeats] if batches else []
    random.Random(seed).shuffle(batches)
    held: list[RotationEvent] = []
    for batch in batches:
        held += batch
        fold_day(REPS, held, DAY)  # a provisional board at every step never fails
    assert summary(fold_day(REPS, held, DAY)) == summary(fold_day(REPS, events, DAY))


@SETTINGS
@given(events=days())
def test_a_withdrawn_event_folds_as_if_it_had_never_been_recorded(events):
    withdrawn = {e.withdraws for e in events if e.event == "withdraw"}
    kept = [e for e in events if e.event != "withdraw" and e.id not in withdrawn]
    assert summary(fold_day(REPS, events, DAY)) == summary(fold_day(REPS, kept, DAY))


@SETTINGS
@given(events=days())
def test_events_of_another_day_change_nothing(events):
    other = [ev(1, "desk-9", i + 1, "absent", rep, day="2026-12-02") for i, rep in enumerate(REPS)]
    assert summary(fold_day(REPS, events + other, DAY)) == summary(fold_day(REPS, events, DAY))


def test_a_provisional_copy_and_the_servers_copy_of_one_event_fold_once():
    provisional = ev(5, "desk-1", 1, "receive", "chen.jie", visit="new", turn=1)
    server = RotationEvent(**{**provisional.__dict__, "at": T0 + timedelta(minutes=4)})
    board = fold_day(REPS, [provisional, server], DAY)
    assert board.rotation.counted == {"chen.jie": 1} and len(board.receptions) == 1


def test_two_desks_giving_the_same_turn_offline_both_stand_and_the_clash_is_reported():
    # both desks, offline on the same board, give turn 1 to 陈杰
    events = [ev(0.5, "desk-1", 1, "receive", "chen.jie", visit="new", turn=1),
              ev(1, "desk-2", 1, "receive", "chen.jie", visit="new", turn=1)]
    board = fold_day(REPS, events, DAY)
    assert [r.rep for r in board.receptions] == ["chen.jie", "chen.jie"]
    assert board.clashes == (Clash("same_turn", 1, ("desk-1-1", "desk-2-1"), ("chen.jie", "chen.jie"), "wang.li"),)
    assert board.rotation.counted == {"chen.jie": 2} and board.next_up.rep == "wang.li"


def test_a_desk_that_missed_an_absence_gives_the_turn_to_another_rep_and_one_clash_lists_both():
    # desk-2 marks 陈杰 absent and gives turn 1 to 王丽; desk-1, offline, gave turn 1 to 陈杰
    events = [ev(0, "desk-2", 1, "absent", "chen.jie"), ev(0.5, "desk-1", 1, "receive", "chen.jie", visit="new", turn=1),
              ev(1, "desk-2", 2, "receive", "wang.li", visit="new", turn=1)]
    board = fold_day(REPS, events, DAY)
    assert [r.rep for r in board.receptions] == ["chen.jie", "wang.li"]
    assert board.clashes == (Clash("same_turn", 1, ("desk-1-1", "desk-2-2"), ("chen.jie", "wang.li"), "wang.li"),)
    assert board.rotation.counted == {"chen.jie": 1, "wang.li": 1} and board.tally()["chen.jie"].lost == 0


def test_a_new_customer_received_out_of_order_stands_and_is_reported():
    board = fold_day(REPS, [ev(1, "desk-1", 1, "receive", "zhang.qiang", visit="new", turn=1)], DAY)
    assert board.clashes == (Clash("out_of_order", 1, ("desk-1-1",), ("zhang.qiang",), "chen.jie"),)
    assert board.rotation.queue == ("chen.jie", "wang.li", "zhang.qiang") and board.next_up.rep == "chen.jie"


def test_errand_turns_are_owed_and_made_up_first_when_back():
    events = [ev(0, "desk-1", 1, "assigned", "chen.jie"),
              ev(1, "desk-1", 2, "receive", "wang.li", visit="new", turn=1),
              ev(2, "desk-1", 3, "present", "chen.jie"),
              ev(3, "desk-1", 4, "receive", "chen.jie", visit="new", turn=2)]
    board = fold_day(REPS, events, DAY)
    assert board.clashes == ()
    assert [r.reason for r in board.receptions] == ["turn", "makeup"]
    assert board.tally()["chen.jie"] == Tally(taken=1, made_up=1)


def test_absent_at_their_turn_loses_it_and_the_board_lists_who_is_out():
    events = [ev(0, "desk-1", 1, "absent", "chen.jie"), ev(1, "desk-1", 2, "assigned", "zhang.qiang"),
              ev(2, "desk-1", 3, "receive", "wang.li", visit="new", turn=1)]
    board = fold_day(REPS, events, DAY)
    assert board.tally()["chen.jie"].lost == 1 and board.out() == {"chen.jie": "absent", "zhang.qiang": "assigned"}


def test_returning_duty_and_designated_receptions_are_not_turns():
    events = [ev(0, "desk-1", 1, "absent", "wang.li"),
              ev(1, "desk-1", 2, "receive", "zhang.qiang", visit="returning", owner="wang.li"),
              ev(2, "desk-1", 3, "receive", "chen.jie", visit="designated"),
              ev(3, "desk-1", 4, "receive", "chen.jie", visit="returning", owner="chen.jie")]
    board = fold_day(REPS, events, DAY)
    assert [r.reason for r in board.receptions] == ["duty", "designated", "returning"]
    assert board.rotation.counted == {} and board.next_up.rep == "chen.jie"
    assert board.tally()["zhang.qiang"].duty == 1 and board.tally()["chen.jie"].designated == 1


def test_at_lunch_the_first_two_in_the_order_take_the_new_customers():
    events = [ev(0, "desk-1", 1, "lunch_start"),
              ev(1, "desk-1", 2, "receive", "chen.jie", visit="new", turn=1),
              ev(2, "desk-1", 3, "receive", "wang.li", visit="new", turn=2),
              ev(3, "desk-1", 4, "receive", "chen.jie", visit="new", turn=3)]
    board = fold_day(REPS, events, DAY)
    assert board.rotation.lunch == ("chen.jie", "wang.li") and board.clashes == ()
    assert board.next_up.rep == "wang.li"
    after = fold_day(REPS, events + [ev(4, "desk-1", 5, "lunch_end")], DAY)
    assert after.next_up.rep == "zhang.qiang"  # kept his place through lunch, lost nothing
    assert after.tally()["zhang.qiang"] == Tally()


def test_fairness_sums_days_by_week():
    monday = fold_day(REPS, [ev(1, "d", 1, "receive", "chen.jie", visit="new", turn=1, day="2026-11-30")], "2026-11-30")
    tuesday = fold_day(REPS, [ev(1, "d", 2, "receive", "chen.jie", visit="new", turn=1, day=DAY)], DAY)
    assert week_of(DAY) == "2026-11-30"
    assert fairness_by_week([monday, tuesday])["2026-11-30"]["chen.jie"].taken == 2


def test_a_reception_tapped_for_the_wrong_rep_and_withdrawn_leaves_the_board():
    wrong = ev(1, "desk-1", 1, "receive", "wang.li", visit="new", turn=1)
    board = fold_day(REPS, [wrong, withdrawal(2, "desk-1", 2, wrong.id),
                            ev(3, "desk-1", 3, "receive", "chen.jie", visit="new", turn=1)], DAY)
    assert [r.rep for r in board.receptions] == ["chen.jie"] and board.clashes == ()
    assert wrong.id not in board.event_ids and board.next_up.rep == "wang.li"


MONDAY = "2026-11-30"


def test_a_turn_owed_for_the_managers_errand_and_the_order_carry_over_to_the_next_day():
    # Monday: 陈杰 is on the manager's errand at his turn (owed), 王丽 takes it; nobody marks him back
    events = [ev(0, "d", 1, "assigned", "chen.jie", day=MONDAY),
              ev(1, "d", 2, "receive", "wang.li", visit="new", turn=1, day=MONDAY)]
    monday = board_of(lambda _d: REPS, events, MONDAY)
    assert monday.rotation.owed == {"chen.jie": 1}
    tuesday = board_of(lambda _d: REPS, events, DAY)
    assert tuesday.rotation.queue == monday.rotation.queue  # the order rolls on (滚动循环)
    assert tuesday.rotation.owed == {"chen.jie": 1} and tuesday.rotation.status["chen.jie"] == "present"
    assert tuesday.next_up.rep == "chen.jie" and tuesday.next_up.reason == "makeup"
    assert tuesday.rotation.counted == {}  # the day's counts start afresh
    # made up on Tuesday: the week owes him nothing
    made_up = board_of(lambda _d: REPS, events + [ev(1, "d", 3, "receive", "chen.jie", visit="new", turn=1)], DAY)
    assert [r.reason for r in made_up.receptions] == ["makeup"] and made_up.clashes == ()
    week = fairness_by_week([monday, made_up])[MONDAY]
    assert week["chen.jie"].owed == 0 and week["chen.jie"].made_up == 1
    assert fairness_by_week([monday, tuesday])[MONDAY]["chen.jie"].owed == 1  # not counted twice


def test_monday_starts_from_the_duty_list_and_a_rep_off_it_drops_out_of_the_carried_order():
    sunday = "2026-11-29"
    events = [ev(0, "d", 1, "assigned", "chen.jie", day=sunday)]
    assert board_of(lambda _d: REPS, events, MONDAY).rotation.owed == {}  # a new week
    tuesday = board_of(lambda d: REPS if d == MONDAY else REPS[1:],
                       [ev(0, "d", 2, "assigned", "chen.jie", day=MONDAY),
                        ev(1, "d", 3, "receive", "wang.li", visit="new", turn=1, day=MONDAY)], DAY)
    assert "chen.jie" not in tuesday.rotation.queue and tuesday.rotation.owed == {}


@SETTINGS
@given(monday=days(), tuesday=days(), seed=st.integers(0, 2**32))
def test_a_weeks_boards_are_the_same_whatever_order_its_days_events_arrive_in(monday, tuesday, seed):
    week = [replace(e, day=MONDAY) if e.day else e for e in monday] + [replace(e, id="t" + e.id, withdraws=(
        "t" + e.withdraws) if e.withdraws else None) for e in tuesday]
    shuffled = list(week)
    random.Random(seed).shuffle(shuffled)
    assert summary(board_of(lambda _d: REPS, shuffled, DAY)) == summary(board_of(lambda _d: REPS, week, DAY))
    # the range the console shows is the same boards, day by day
    assert boards_of(lambda _d: REPS, week, MONDAY, DAY) == [board_of(lambda _d: REPS, week, d) for d in (MONDAY, DAY)]


def test_a_rep_added_in_the_afternoon_joins_the_back_then_and_the_mornings_turns_stay_in_order():
    """QA (issue 12): a rep added at 15:00 was on the duty list from the day's start, so the desk's
    morning turns, given by the list it had, read as out of order."""
    zone = T0.tzinfo
    spans = [DutySpan("chen.jie"), DutySpan("wang.li"), DutySpan("li.na", since=T0 + timedelta(hours=6))]
    roster, joins = duty_list(spans, DAY, zone)
    assert roster == ["chen.jie", "wang.li"] and [(e.event, e.rep) for e in joins] == [("join", "li.na")]
    morning = [ev(0, "desk-1", 1, "receive", "chen.jie", visit="new", turn=1),
               ev(30, "desk-1", 2, "receive", "wang.li", visit="new", turn=2)]
    afternoon = [ev(7 * 60, "desk-1", 3, "receive", "chen.jie", visit="new", turn=3),
                 ev(7 * 60 + 5, "desk-1", 4, "receive", "wang.li", visit="new", turn=4),
                 ev(7 * 60 + 9, "desk-1", 5, "receive", "li.na", visit="new", turn=5)]
    board = fold_day(roster, morning + joins + afternoon, DAY)
    assert board.clashes == ()
    assert [r.rep for r in board.receptions] == ["chen.jie", "wang.li", "chen.jie", "wang.li", "li.na"]
    # listed from the start, she would have been skipped at 09:00 and the desk blamed for turn 2
    assert [c.kind for c in fold_day([*roster, "li.na"], morning + afternoon, DAY).clashes] != []
    # the day before she was added she is on no list at all
    assert duty_list(spans, "2026-11-30", zone) == (["chen.jie", "wang.li"], [])


def test_a_rep_deactivated_at_noon_leaves_the_queue_then_and_keeps_the_mornings_turns():
    noon = T0 + timedelta(hours=3)
    spans = [DutySpan("chen.jie", until=noon), DutySpan("wang.li")]
    roster, leaves = duty_list(spans, DAY, T0.tzinfo)
    assert roster == ["chen.jie", "wang.li"] and [(e.event, e.rep) for e in leaves] == [("leave", "chen.jie")]
    events = [ev(0, "desk-1", 1, "receive", "chen.jie", visit="new", turn=1),
              ev(4 * 60, "desk-1", 2, "receive", "wang.li", visit="new", turn=2),
              ev(4 * 60 + 10, "desk-1", 3, "receive", "wang.li", visit="new", turn=3)]
    board = fold_day(roster, events + leaves, DAY)
    assert board.clashes == () and board.rotation.queue == ("wang.li",)
    assert board.tally()["chen.jie"].taken == 1 and board.tally()["wang.li"].taken == 2
    # the next day he is not listed
    assert duty_list(spans, "2026-12-02", T0.tzinfo) == (["wang.li"], [])


def test_n7_after_two_same_turn_clashes_and_an_undone_reception_the_next_turn_is_3_and_clashes_list_by_turn():
    """QA of issue 12 N7: desks 1 and 2, offline, each gave turns 1 and 2; desk 1 then gave
    turn 3 and undid it. The numbers went on 5, 6, 7… (no 第 3 or 第 4 轮 anywhere), and after a
    re-fold 第 2 轮 was listed before 第 1 轮."""
    events = [
        ev(1, "desk-1", 1, "receive", "chen.jie", visit="new", turn=1),
        ev(2, "desk-1", 2, "receive", "wang.li", visit="new", turn=2),
        # desk 2's turn 1 reaches the log after desk 1's turn 2 (its clock was behind), so the
        # fold meets the clash of turn 2 (out of order: 张强 expected) before that of turn 1
        ev(2.5, "desk-2", 1, "receive", "zhang.qiang", visit="new", turn=2),
        ev(3, "desk-2", 2, "receive", "chen.jie", visit="new", turn=1),
        ev(4, "desk-1", 3, "receive", "zhang.qiang", visit="new", turn=3),
        withdrawal(5, "desk-1", 4, of="desk-1-3"),
    ]
    board = fold_day(REPS, events, DAY)
    assert board.turns_given == 2 and board.next_turn == 3  # not 5
    turns = [c.turn for c in board.clashes]
    assert turns == sorted(turns) and turns[0] == 1, board.clashes
    assert {c.turn for c in board.clashes if c.kind == "same_turn"} == {1, 2}
    assert [r.turn for r in board.receptions] == [1, 2, 2, 1]  # a turn given again keeps its number
    shuffled = fold_day(REPS, list(reversed(events)), DAY)
    assert summary(shuffled) == summary(board)  # every tablet folds the same log the same way


def test_qa12_a_a_rep_who_left_is_never_put_back_in_the_queue_by_an_offline_desks_events():
    """QA of issue 12 (re-check, finding A): 张强 was deactivated at 10:00 (``leave``); a desk
    offline since the morning then set him 在岗 and gave him a new customer. The board put him
    back in the queue, and an online desk proposed him (轮到) for the next walk-in. Now the
    status stands as a record only, the reception counts and is shown out of order, and the
    queue goes on without him — in any order of the log."""
    events = [
        ev(0, "desk-1", 1, "receive", "chen.jie", visit="new", turn=1),
        RotationEvent(id="leave-zhang.qiang", day=DAY, at=T0 + timedelta(minutes=60), device_id="", seq=0,
                      event="leave", rep="zhang.qiang"),
        ev(90, "desk-2", 1, "present", "zhang.qiang"),
        ev(100, "desk-2", 2, "receive", "zhang.qiang", visit="new", turn=2),
        ev(110, "desk-1", 2, "receive", "zhang.qiang", visit="designated"),
    ]
    for log in (events, list(reversed(events))):
        board = fold_day(REPS, log, DAY)
        assert "zhang.qiang" not in board.rotation.queue and board.next_up.rep != "zhang.qiang"
        taken = [r for r in board.receptions if r.rep == "zhang.qiang"]
        assert [(r.visit, r.counted) for r in taken] == [("new", True), ("designated", False)]
        assert any(c.kind == "out_of_order" and c.reps == ("zhang.qiang",) for c in board.clashes)
        assert board.tally()["zhang.qiang"].taken == 1


def test_qa12_a_a_rep_not_on_the_days_duty_list_is_not_put_on_it_by_a_status():
    """The same kind: a rep deactivated yesterday is not on today's list; a desk that still
    lists him sets him 在岗 — the board does not take him in."""
    board = fold_day(("chen.jie", "wang.li"), [ev(5, "desk-1", 1, "present", "zhang.qiang")], DAY)
    assert board.rotation.queue == ("chen.jie", "wang.li") and "zhang.qiang" not in board.rotation.status


# -- late records of an earlier day (QA of issue 12 M1) -------------------------------------
BEIJING = 480


def _late_yesterday():
    """Monday (MONDAY) 09:00 desk 1 gives one turn; Tuesday (DAY) desk 1 gives 1 陈杰, 2 王丽,
    3 张强 in the order it shows, all received at once; desk 2, offline since Monday afternoon,
    pushes Monday 18:00/18:05 receptions (陈杰, 王丽) on Tuesday at 11:00."""
    monday0 = T0 - timedelta(days=1)
    mon = [replace(ev(0, "desk-1", 1, "receive", "chen.jie", visit="new", turn=1, day=MONDAY),
                   at=monday0, received=monday0)]
    tuesday = [replace(ev(m, "desk-1", 2 + i, "receive", rep, visit="new", turn=i + 1), received=T0 + timedelta(minutes=m))
               for i, (m, rep) in enumerate(((0, "wang.li"), (5, "zhang.qiang"), (10, "chen.jie")))]
    evening = monday0 + timedelta(hours=9)
    late = [replace(ev(0, "desk-2", 1 + i, "receive", rep, visit="new", turn=2 + i, day=MONDAY),
                    at=evening + timedelta(minutes=5 * i), received=T0 + timedelta(hours=2))
            for i, rep in enumerate(("wang.li", "zhang.qiang"))]
    return mon, tuesday, late


def test_yesterdays_records_arriving_today_do_not_blame_todays_turns_given_in_the_order_shown():
    mon, tuesday, late = _late_yesterday()
    before = board_of(lambda _d: REPS, mon + tuesday, DAY, BEIJING)
    assert before.clashes == () and before.late == ()
    after = board_of(lambda _d: REPS, mon + tuesday + late, DAY, BEIJING)
    assert after.clashes == ()  # without the rule: 第 1 轮未按顺序：应由 陈杰 接待，实际 王丽 …
    assert summary(after) == summary(before)  # today's board and fairness unchanged
    assert [e.id for e in after.late] == [e.id for e in late]  # and it says which records came late
    # yesterday's own board holds them (both stand, counted there)
    monday = board_of(lambda _d: REPS, mon + tuesday + late, MONDAY, BEIJING)
    assert [r.rep for r in monday.receptions] == ["chen.jie", "wang.li", "zhang.qiang"] and monday.late == ()
    # received before today began, they shape today's order as before
    on_time = [replace(e, received=e.at) for e in late]
    assert board_of(lambda _d: REPS, mon + on_time, DAY, BEIJING).next_up.rep == "chen.jie"
    # arriving before any other desk acted on Tuesday, they carry: nobody acted on another order
    alone = board_of(lambda _d: REPS, mon + late, DAY, BEIJING)
    assert alone.next_up.rep == "chen.jie" and alone.late == ()
    # so does a desk's own: alone, offline overnight, its Tuesday follows its own Monday
    own = [ev(20, "desk-2", 9, "receive", "chen.jie", visit="new", turn=1)]  # not pushed yet: no receipt time
    mine = board_of(lambda _d: REPS, mon + [replace(e, received=None) for e in late] + own, DAY, BEIJING)
    assert mine.clashes == () and mine.late == ()
    # a desk's own record not yet on the server (no receipt time) carries nothing either
    unsent = [replace(e, received=None) for e in late]
    assert summary(board_of(lambda _d: REPS, mon + tuesday + unsent, DAY, BEIJING)) == summary(before)


def test_without_the_sites_offset_every_record_carries_over_as_before():
    mon, tuesday, late = _late_yesterday()
    board = board_of(lambda _d: REPS, mon + tuesday + late, DAY)
    assert board.late == () and [c.kind for c in board.clashes] == ["out_of_order"] * 2


@SETTINGS
@given(monday=days(), tuesday=days(), seed=st.integers(0, 2**32), cut=st.integers(0, 3))
def test_with_receipt_times_a_weeks_boards_are_the_same_whatever_order_its_events_arrive_in(monday, tuesday,
                                                                                           seed, cut):
    # each Monday event received on Monday, or up to three hours into Tuesday (by seq: replayable)
    tuesday0 = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # Tuesday 00:00 in Beijing
    week = [replace(e, day=MONDAY if e.day else "", at=e.at - timedelta(days=1),
                    received=tuesday0 + timedelta(hours=(e.seq % 4) - cut)) for e in monday]
    week += [replace(e, id="t" + e.id, withdraws=("t" + e.withdraws) if e.withdraws else None,
                     received=e.at) for e in tuesday]
    shuffled = list(week)
    random.Random(seed).shuffle(shuffled)
    assert summary(board_of(lambda _d: REPS, shuffled, DAY, BEIJING)) == summary(
        board_of(lambda _d: REPS, week, DAY, BEIJING))
    assert boards_of(lambda _d: REPS, week, MONDAY, DAY, BEIJING) == [
        board_of(lambda _d: REPS, week, d, BEIJING) for d in (MONDAY, DAY)]


def test_a_rep_deactivated_and_reactivated_the_same_day_who_missed_no_turn_keeps_their_place():
    """QA of issue 12 M2: 停用 then 重新启用 by mistake cost 陈杰 his place in today's queue."""
    off, on = T0 + timedelta(minutes=30), T0 + timedelta(minutes=35)
    spans = [DutySpan("chen.jie", until=off), DutySpan("chen.jie", since=on), DutySpan("wang.li"),
             DutySpan("zhang.qiang")]
    roster, duty = duty_list(spans, DAY, T0.tzinfo)
    assert roster == ["chen.jie", "wang.li", "zhang.qiang"]
    assigned = [ev(0, "desk-1", 1, "assigned", "chen.jie"), ev(1, "desk-1", 2, "receive", "wang.li", visit="new", turn=1)]
    before = fold_day(roster, assigned, DAY)
    assert before.rotation.queue == ("zhang.qiang", "chen.jie", "wang.li") and before.rotation.owed == {"chen.jie": 1}
    board = fold_day(roster, assigned + duty, DAY)
    assert board.rotation == before.rotation and board.next_up == before.next_up  # his place, status, owed turn
    # a new customer received while he was off: he missed a turn, so he joins at the back, present
    missed = assigned + [ev(32, "desk-1", 3, "receive", "zhang.qiang", visit="new", turn=2)]
    board = fold_day(roster, missed + duty, DAY)
    assert board.rotation.queue == ("wang.li", "zhang.qiang", "chen.jie") and board.clashes == ()
    assert board.rotation.status["chen.jie"] == "present" and board.rotation.owed == {}
