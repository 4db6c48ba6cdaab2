"""The reception rotation (排班): rolling order, lost turns, 补接, returning, duty, designated."""

from hypothesis import given
from hypothesis import strategies as st

from shared.rotation import NoRepOnDuty, assign, replay, set_status, start_rotation

REPS = ("wang.li", "zhang.qiang", "chen.jie")


def take_new(rotation, n):
    reps = []
    for _ in range(n):
        rotation, turn = assign(rotation, "new")
        reps.append(turn.rep)
    return rotation, reps


def test_new_walkins_go_round_the_reps_in_rolling_order():
    _, reps = take_new(start_rotation(REPS), 6)
    assert reps == ["wang.li", "zhang.qiang", "chen.jie"] * 2


def test_rep_absent_without_reason_loses_the_turn_and_is_owed_nothing():
    board = set_status(start_rotation(REPS), "wang.li", "absent")
    board, turn = assign(board, "new")
    assert turn.rep == "zhang.qiang" and [s.why for s in turn.skipped] == ["absent"]
    board = set_status(board, "wang.li", "present")
    board, reps = take_new(board, 3)
    # wang.li went to the back when skipped: chen.jie, then wang.li, then zhang.qiang
    assert reps == ["chen.jie", "wang.li", "zhang.qiang"]
    assert board.lost == {"wang.li": 1} and not any(board.owed.values())


def test_rep_away_on_assigned_work_keeps_priority_and_makes_up_missed_turns():
    board = set_status(start_rotation(REPS), "wang.li", "assigned")
    board, reps = take_new(board, 4)
    assert "wang.li" not in reps
    owed = board.owed["wang.li"]
    assert owed == 2  # skipped at each of the two rounds that reached her
    board = set_status(board, "wang.li", "present")
    board, turn = assign(board, "new")
    assert (turn.rep, turn.reason, turn.counted) == ("wang.li", "makeup", True)
    board, turn = assign(board, "new")
    assert turn.reason == "makeup"
    board, turn = assign(board, "new")
    assert turn.reason == "turn"


def test_returning_customer_goes_to_the_original_rep_and_does_not_count():
    board = start_rotation(REPS)
    before = board.next_up
    board, turn = assign(board, "returning", "chen.jie")
    assert (turn.rep, turn.reason, turn.counted) == ("chen.jie", "returning", False)
    assert board.next_up == before
    assert board.counted == {} and board.uncounted == {"chen.jie": 1}


def test_returning_customer_of_an_absent_rep_is_received_on_duty_by_the_last_in_order():
    board = set_status(start_rotation(REPS), "chen.jie", "absent")
    board, turn = assign(board, "returning", "chen.jie")
    assert (turn.rep, turn.reason, turn.counted) == ("zhang.qiang", "duty", False)
    board, _ = assign(board, "new")  # wang.li takes a turn and goes to the back
    _, turn = assign(board, "returning", "chen.jie")
    assert turn.rep == "wang.li"


def test_designated_customer_goes_to_the_named_rep_without_using_a_turn():
    board, turn = assign(start_rotation(REPS), "designated", "chen.jie")
    assert (turn.rep, turn.reason, turn.counted) == ("chen.jie", "designated", False)
    assert board.next_up.rep == "wang.li"


def test_nobody_present_raises_and_next_up_is_none():
    board = start_rotation(REPS, present=[])
    assert board.next_up is None
    try:
        assign(board, "new")
    except NoRepOnDuty:
        pass
    else:
        raise AssertionError("expected NoRepOnDuty")


def test_replaying_stored_events_reproduces_the_board():
    board = start_rotation(REPS)
    events = []
    for event in ({"kind": "status", "rep": "zhang.qiang", "status": "assigned"},
                  {"kind": "receive", "visit": "new"}, {"kind": "receive", "visit": "returning", "owner": "wang.li"},
                  {"kind": "status", "rep": "zhang.qiang", "status": "present"}, {"kind": "receive", "visit": "new"}):
        events.append(event)
        if event["kind"] == "status":
            board = set_status(board, event["rep"], event["status"])
        else:
            board, _ = assign(board, event["visit"], event.get("owner"))
    assert replay(REPS, events) == board


@given(st.lists(st.tuples(st.sampled_from(REPS), st.sampled_from(("present", "absent", "assigned")),
                          st.integers(0, 3)), max_size=30))
def test_every_new_walkin_goes_to_a_present_rep_and_counts_add_up(script):
    board = start_rotation(REPS)
    served = 0
    for rep, status, customers in script:
        board = set_status(board, rep, status)
        for _ in range(customers):
            try:
                board, turn = assign(board, "new")
            except NoRepOnDuty:
                assert not any(board.is_present(r) for r in REPS)
                continue
            assert board.is_present(turn.rep)
            served += 1
    assert sum(board.counted.values()) == served
    assert all(v >= 0 for v in board.owed.values())
