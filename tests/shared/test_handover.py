"""Hand-over (随机抽数分配, 001 §14(五)3(12)): the draw is reproducible from its seed, balanced
and blind to input order; the engine applies a hand-over from its time on with its own step,
keeps a deal's rep unless deals are included, and treats later claims as after a decision."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.explain import render
from shared.handover import DrawError, counts, draw
from shared.ownership import HandOver, ManagerDecision, decide_ownership
from shared.policy import SitePolicy
from tests.builders import T0, timed

NAMES = {"wang.li": "王丽", "zhang.qiang": "张强", "chen.jie": "陈杰", "zhao.min": "赵敏"}
DAY = timedelta(days=1)


# -- the draw ---------------------------------------------------------------------------------
def test_a_fixed_seed_gives_the_hand_checked_result():
    """Worked from the module's algorithm with ``sha256sum`` (``printf 'customer\\037seed-42\\037c1'``):
    customer keys c3 22c7…, c5 9c43…, c1 9ce9…, c4 cf61…, c2 f04c…; rep keys li 3fdc…, wang be4b…;
    so li first: c3→li, c5→wang, c1→li, c4→wang, c2→li."""
    assert draw(["c1", "c2", "c3", "c4", "c5"], ["li", "wang"], "seed-42") == {
        "c3": "li", "c5": "wang", "c1": "li", "c4": "wang", "c2": "li"}


def test_the_result_does_not_depend_on_input_order_or_duplicates():
    once = draw(["c1", "c2", "c3", "c4", "c5"], ["li", "wang", "zhou"], "s")
    assert draw(["c5", "c3", "c1", "c4", "c2", "c2"], ["zhou", "wang", "li", "li"], "s") == once


def test_another_seed_gives_another_order():
    customers = [f"c{i}" for i in range(20)]
    assert draw(customers, ["li", "wang"], "a") != draw(customers, ["li", "wang"], "b")


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.sets(st.integers(0, 10_000), max_size=40), st.sets(st.sampled_from(
    ["li", "wang", "zhou", "chen", "sun"]), min_size=1), st.text(min_size=1, max_size=12))
def test_every_customer_is_drawn_once_and_counts_differ_by_at_most_one(ids, reps, seed):
    customers = [f"customer-{i}" for i in sorted(ids)]
    result = draw(customers, reps, seed)
    assert set(result) == set(customers) and set(result.values()) <= reps
    spread = counts(result, reps).values()
    assert max(spread) - min(spread) <= 1
    assert draw(list(reversed(customers)), sorted(reps, reverse=True), seed) == result


def test_a_draw_without_reps_or_seed_is_refused():
    for reps, seed in (([], "s"), (["li"], "")):
        try:
            draw(["c1"], reps, seed)
        except DrawError:
            continue
        raise AssertionError("accepted")
    assert draw([], ["li"], "s") == {}


# -- the engine -------------------------------------------------------------------------------
def _handover(**kwargs) -> HandOver:
    values = {"id": "h1", "from_rep": "wang.li", "to_rep": "zhang.qiang", "at": T0 + 10 * DAY,
              "author": "zhao.min", "reason": "王丽调离", "method": "draw"}
    return HandOver(**{**values, **kwargs})


def test_the_owner_changes_from_the_handover_time_with_its_own_step():
    walkin = timed(rep="wang.li", at=T0)
    before = decide_ownership([walkin], as_of=T0 + 5 * DAY, rep_names=NAMES)
    assert before.owner == "wang.li"
    after = decide_ownership([walkin], handovers=[_handover()], as_of=T0 + 11 * DAY, rep_names=NAMES)
    assert after.owner == "zhang.qiang" and after.status == "protected"
    # a fresh window from the hand-over (like a decision), not the rest of 王丽's
    assert after.protected_until == T0 + 10 * DAY + SitePolicy().validity
    keys = [s.key for s in after.explanation]
    assert keys == ["first_registration", "handover", "protected_until"], keys
    step = after.explanation[1]
    zh, en = render(step, "zh"), render(step, "en")
    assert "赵敏" in zh and "王丽" in zh and "张强" in zh and "随机抽数分配" in zh and "王丽调离" in zh, zh
    assert "by random draw" in en and "R10" not in en and "draw)" not in en.replace("random draw)", ""), en
    # the hand-over is not in the story before its time
    assert decide_ownership([walkin], handovers=[_handover()], as_of=T0 + 5 * DAY).owner == "zhang.qiang"
    assert decide_ownership([walkin], handovers=[_handover(at=T0 + 40 * DAY)],
                            as_of=T0 + 41 * DAY).owner == "wang.li"  # lapsed: nothing to hand over


def test_a_lapsed_customer_is_not_handed_over_and_says_so():
    walkin = timed(rep="wang.li", at=T0)
    outcome = decide_ownership([walkin], handovers=[_handover(at=T0 + 40 * DAY)], rep_names=NAMES)
    assert outcome.owner == "wang.li" and outcome.status == "lapsed"
    assert "handover_not_applied" in [s.key for s in outcome.explanation]
    assert "未交接" in render(next(s for s in outcome.explanation if s.key == "handover_not_applied"), "zh")


def test_a_deal_keeps_its_commission_owner_unless_deals_are_included():
    walkin = timed(rep="wang.li", at=T0)
    deal = timed("deal", rep="wang.li", at=T0 + DAY)
    kept = decide_ownership([walkin, deal], handovers=[_handover()], rep_names=NAMES)
    assert kept.owner == "wang.li" and kept.status == "deal"
    assert "handover_deal_kept" in [s.key for s in kept.explanation]
    moved = decide_ownership([walkin, deal], handovers=[_handover(deals_too=True)], rep_names=NAMES)
    assert moved.owner == "zhang.qiang" and moved.status == "deal"  # the deal stays final (R9)
    assert [s.key for s in moved.explanation][-1] == "handover_with_deal"
    # a later dispute decided for the new holder keeps the deal final
    later = timed(rep="chen.jie", at=T0 + 12 * DAY)
    decision = ManagerDecision(id="d1", owner="zhang.qiang", reason="维持交接", author="zhao.min",
                               decided_at=T0 + 13 * DAY, covers=frozenset({later.record.id, walkin.record.id}))
    kept_final = decide_ownership([walkin, deal, later], decisions=[decision], handovers=[_handover(deals_too=True)])
    assert kept_final.owner == "zhang.qiang" and kept_final.status == "deal"


def test_a_deal_captured_before_the_handover_that_arrives_late_still_counts():
    """The leaving rep's records captured before the hand-over count (issue 8 item 8): the
    engine walks by capture time, so a late deal keeps the customer with its rep."""
    walkin = timed(rep="wang.li", at=T0)
    late_deal = timed("deal", rep="wang.li", at=T0 + 9 * DAY)  # captured before, pushed after the hand-over
    outcome = decide_ownership([walkin, late_deal], handovers=[_handover()], rep_names=NAMES)
    assert outcome.owner == "wang.li" and outcome.status == "deal"


def test_a_later_claim_by_another_rep_behaves_as_after_a_decision():
    walkin = timed(rep="wang.li", at=T0)
    later = timed(rep="chen.jie", at=T0 + 12 * DAY)
    outcome = decide_ownership([walkin, later], handovers=[_handover()], rep_names=NAMES)
    assert outcome.owner == "zhang.qiang" and outcome.status == "disputed"
    step = next(s for s in outcome.explanation if s.key == "handover_holds")
    assert "张强 自" in render(step, "zh") and "陈杰" in render(step, "zh")
    conflict = outcome.conflicts[-1]
    assert conflict.owner == "zhang.qiang" and later.record.id in conflict.claim_ids
    # a manager decides it like any dispute
    decision = ManagerDecision(id="d1", owner="zhang.qiang", reason="交接有效", author="zhao.min",
                               decided_at=T0 + 13 * DAY, covers=conflict.claim_ids)
    decided = decide_ownership([walkin, later], decisions=[decision], handovers=[_handover()], rep_names=NAMES)
    assert decided.owner == "zhang.qiang" and decided.status == "protected"
    # the new owner's own visit renews the window
    visit = timed(rep="zhang.qiang", at=T0 + 20 * DAY)
    renewed = decide_ownership([walkin, visit], handovers=[_handover()], rep_names=NAMES)
    assert renewed.protected_until == T0 + 20 * DAY + SitePolicy().validity


def test_a_split_share_of_the_leaving_rep_goes_to_the_receiver():
    walkin = timed(rep="wang.li", at=T0)
    other = timed(rep="chen.jie", at=T0 + DAY)
    decision = ManagerDecision(id="d1", owner="wang.li", reason="各半", author="zhao.min", decided_at=T0 + 2 * DAY,
                               covers=frozenset({walkin.record.id, other.record.id}),
                               split={"wang.li": 50, "chen.jie": 50})
    outcome = decide_ownership([walkin, other], decisions=[decision], handovers=[_handover()], rep_names=NAMES)
    assert outcome.owner == "zhang.qiang" and outcome.split == {"chen.jie": 50, "zhang.qiang": 50}


def test_the_result_is_the_same_whatever_order_the_inputs_come_in():
    walkin = timed(rep="wang.li", at=T0)
    later = timed(rep="chen.jie", at=T0 + 12 * DAY)
    one = decide_ownership([walkin, later], handovers=[_handover()], as_of=T0 + 20 * DAY)
    two = decide_ownership([later, walkin, walkin], handovers=[_handover(), _handover()], as_of=T0 + 20 * DAY)
    assert (one.owner, one.explanation, one.protected_until) == (two.owner, two.explanation, two.protected_until)
