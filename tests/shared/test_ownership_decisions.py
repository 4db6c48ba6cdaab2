"""Issue 9, the engine's side: a later decision keeps the shares an earlier one gave; the
explanation is one story that ends at the current owner; "first registration" is the first
ever. Times are China Standard Time; the scenario is the issue's (张伟, 王丽/张强/陈杰)."""

from __future__ import annotations

from datetime import timedelta

from shared.explain import render
from shared.ownership import ManagerDecision, decide_ownership
from shared.policy import SitePolicy
from shared.shares import after_decision, after_household_claim, scaled
from tests.builders import T0, timed

NAMES = {"wang.li": "王丽", "zhang.qiang": "张强", "chen.jie": "陈杰", "zhao.min": "赵敏"}
MIN, DAY = timedelta(minutes=1), timedelta(days=1)


def _issue_scenario():
    wang = timed(rep="wang.li", at=T0 + 2 * MIN, id="00000000-0000-4000-8000-000000000001")  # 10:02
    zhang = timed(rep="zhang.qiang", at=T0 + 5 * MIN, id="00000000-0000-4000-8000-000000000002")
    chen = timed(rep="chen.jie", at=T0 - 10 * MIN, id="00000000-0000-4000-8000-000000000003")  # 09:50, arrives late
    first = ManagerDecision(id="d1", owner="wang.li", reason="客户坚持", author="zhao.min", decided_at=T0 + DAY,
                            covers=frozenset({wang.record.id, zhang.record.id}),
                            split={"wang.li": 70, "zhang.qiang": 30})
    return wang, zhang, chen, first


def test_a_late_earlier_claim_after_a_decision_tells_one_story_ending_at_the_owner():
    """Issue 9 case 2: who registered first (陈杰, arriving late), that the decision stands
    and that the late claim opened the new dispute; first ever is 陈杰's capture time."""
    wang, zhang, chen, first = _issue_scenario()
    outcome = decide_ownership([wang, zhang, chen], decisions=[first], rep_names=NAMES)
    assert outcome.owner == "wang.li" and outcome.status == "disputed"
    assert outcome.split == {"wang.li": 70, "zhang.qiang": 30}
    keys = [s.key for s in outcome.explanation]
    assert keys == ["first_registration", "earliest_known", "earlier_known_wins", "decision", "after_decision",
                    "protected_until"], keys
    assert outcome.explanation[0].params["rep"] == "陈杰" and outcome.explanation[0].params["time"] == chen.estimate.at
    zh = [render(s, "zh") for s in outcome.explanation]
    assert not any("在 desk-1 首次登记，接待人 王丽" in line or "王丽 先登记" in line for line in zh), zh
    assert "王丽 先于 张强 登记" in zh[2] and "仍" not in zh[0]
    assert len(zh) == len(set(zh))  # no step repeated
    # the header's first registration (first ever) is the history's; the current claim is 王丽's
    assert outcome.first_ever_at == chen.estimate.at == outcome.explanation[0].params["time"]
    assert outcome.first_registered_at == wang.estimate.at
    reopened = next(c for c in outcome.conflicts if c.decision_id is None)
    assert "after_decision" in reopened.flags and reopened.first_claim_id == chen.record.id
    assert reopened.owner == "wang.li"
    decided = next(c for c in outcome.conflicts if c.decision_id == "d1")
    assert decided.first_claim_id == wang.record.id


def test_a_second_late_earlier_claim_is_told_once_after_the_last_decision_it_did_not_overturn():
    """Issue 9 QA: after two decisions (70/30, then 80/20 with 陈杰's late claim), 黄丽's even
    earlier claim arrives: its step comes once, after the second decision, never before it."""
    wang, zhang, chen, first = _issue_scenario()
    huang = timed(rep="huang.li", at=T0 - 20 * MIN, id="00000000-0000-4000-8000-000000000004")  # 09:40
    second = ManagerDecision(id="d2", owner="wang.li", reason="维持原裁定", author="zhao.min", decided_at=T0 + 2 * DAY,
                             covers=frozenset({wang.record.id, zhang.record.id, chen.record.id}),
                             split={"wang.li": 80, "chen.jie": 20, "zhang.qiang": 0})
    names = {**NAMES, "huang.li": "黄丽"}
    outcome = decide_ownership([wang, zhang, chen, huang], decisions=[first, second], rep_names=names)
    assert outcome.owner == "wang.li" and outcome.split == {"wang.li": 80, "chen.jie": 20, "zhang.qiang": 0}
    zh = [render(s, "zh") for s in outcome.explanation]
    assert len(zh) == len(set(zh)), zh  # no step repeated
    late = [i for i, s in enumerate(outcome.explanation) if s.key == "after_decision" and s.params["rep"] == "黄丽"]
    decisions = [i for i, s in enumerate(outcome.explanation) if s.key == "decision"]
    assert len(late) == 1 and late[0] > decisions[-1], zh  # told once, after the decision it followed
    assert outcome.explanation[late[0]].at == second.decided_at
    reopened = next(c for c in outcome.conflicts if c.decision_id is None)
    assert huang.record.id in {c["record_id"] if isinstance(c, dict) else c.record_id for c in reopened.claims}


def test_without_the_late_claim_the_story_is_unchanged():
    wang, zhang, _, first = _issue_scenario()
    outcome = decide_ownership([wang, zhang], decisions=[first], rep_names=NAMES)
    assert [s.key for s in outcome.explanation][:2] == ["first_registration", "earlier_wins"]
    assert outcome.first_ever_at == wang.estimate.at


def test_a_later_decision_that_leaves_a_share_holder_out_keeps_their_share():
    wang, zhang, chen, first = _issue_scenario()
    second = ManagerDecision(id="d2", owner="wang.li", reason="R11", author="zhao.min", decided_at=T0 + 2 * DAY,
                             covers=frozenset({wang.record.id, chen.record.id}), split={"wang.li": 80, "chen.jie": 20})
    outcome = decide_ownership([wang, zhang, chen], decisions=[first, second], rep_names=NAMES)
    assert outcome.split == {"zhang.qiang": 30, "wang.li": 56, "chen.jie": 14}
    assert outcome.status == "protected"


def test_a_later_decision_naming_every_holder_sets_the_split_it_gives_a_zero_share_included():
    wang, zhang, chen, first = _issue_scenario()
    second = ManagerDecision(id="d2", owner="wang.li", reason="R11", author="zhao.min", decided_at=T0 + 2 * DAY,
                             covers=frozenset({wang.record.id, chen.record.id}),
                             split={"wang.li": 80, "chen.jie": 20, "zhang.qiang": 0})
    outcome = decide_ownership([wang, zhang, chen], decisions=[first, second], rep_names=NAMES)
    assert outcome.split == {"wang.li": 80, "chen.jie": 20, "zhang.qiang": 0}


def test_a_household_claim_after_a_decision_halves_the_owners_share_only():
    assert after_household_claim({"wang.li": 70, "zhang.qiang": 30}, "wang.li", "chen.jie") == {
        "wang.li": 35, "zhang.qiang": 30, "chen.jie": 35}
    assert after_household_claim(None, "wang.li", "chen.jie") == {"wang.li": 50, "chen.jie": 50}


def test_scaling_a_split_is_whole_percentages_summing_to_what_is_left():
    assert scaled({"a": 50, "b": 50}, 75) == {"a": 38, "b": 37}
    assert sum(scaled({"a": 33, "b": 33, "c": 34}, 71).values()) == 71
    assert after_decision({"a": 70, "b": 30}, frozenset({"a", "b"}), "a", None) == {"b": 30, "a": 70}
    assert after_decision(None, frozenset(), "a", None) is None


def test_a_lapsed_customers_first_registration_stays_the_first_ever_and_the_new_claim_is_named_one():
    policy = SitePolicy(validity_days=30)
    old = timed(rep="wang.li", at=T0 - 39 * DAY)  # 10-12
    new = timed(rep="zhang.qiang", at=T0)
    outcome = decide_ownership([old, new], policy, rep_names=NAMES)
    assert outcome.owner == "zhang.qiang" and outcome.first_ever_at == old.estimate.at
    assert outcome.first_registered_at == new.estimate.at  # the current claim, as the protocol says
    keys = [s.key for s in outcome.history]
    assert keys.count("first_registration") == 1 and "new_claim_after_lapse" in keys
    assert [s.key for s in outcome.explanation][0] == "new_claim_after_lapse"
    assert "首次登记" not in " ".join(render(s, "zh") for s in outcome.explanation)


def test_two_reps_earlier_claims_arriving_after_a_decision_are_both_named_in_the_story():
    """QA remark: when 陈杰's and 黄丽's earlier claims both arrived after the decision, the
    story said only 陈杰's earlier one came late; it names both reps now, earliest first."""
    wang, zhang, chen, first = _issue_scenario()
    huang = timed(rep="huang.li", at=T0 - 5 * MIN, id="00000000-0000-4000-8000-000000000004")  # 09:55, also late
    names = {**NAMES, "huang.li": "黄丽"}
    outcome = decide_ownership([wang, zhang, chen, huang], decisions=[first], rep_names=names)
    assert outcome.owner == "wang.li"
    step = next(s for s in outcome.explanation if s.key.startswith("earliest_known"))
    assert step.key == "earliest_known_several" and step.params["first"] == ["陈杰", "黄丽"]
    assert "（陈杰、黄丽 的更早登记后来才同步）" in render(step, "zh")
    assert "(earlier registrations by 陈杰, 黄丽 arrived later)" in render(step, "en")
    only_chen = decide_ownership([wang, zhang, chen], decisions=[first], rep_names=NAMES)
    single = next(s for s in only_chen.explanation if s.key.startswith("earliest_known"))
    assert (single.key, single.params["first"]) == ("earliest_known", "陈杰")


def _rid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def test_a_decision_whose_registration_was_withdrawn_names_the_next_registration_the_first():
    """CI, hypothesis example: the decision covered 王丽's 10:00 walk-in, withdrawn by a late
    withdrawal; her 16:00 walk-in is the customer's first registration (首次登记), told in the
    history, and the header's first-ever time is its time — not the new claim's after the lapse."""
    policy = SitePolicy(validity_days=1)
    withdrawn = timed(rep="wang.li", at=T0, id=_rid(1))
    withdrawal = timed("withdrawal", rep=None, at=T0 + MIN, supersedes=_rid(1), id=_rid(2))
    first = timed(rep="wang.li", at=T0 + 6 * 60 * MIN, id=_rid(3))  # 16:00
    after_lapse = timed(rep="wang.li", at=T0 + DAY + 12 * 60 * MIN, id=_rid(4))  # next day 22:00
    decision = ManagerDecision(id="d1", owner="wang.li", reason="R10", author="zhao.min",
                               decided_at=T0 + MIN + timedelta(seconds=1), covers=frozenset({_rid(1)}))
    outcome = decide_ownership([withdrawn, withdrawal, first, after_lapse], policy, [decision], rep_names=NAMES)
    firsts = [s for s in outcome.history if s.key == "first_registration"]
    assert [(s.params["rep"], s.at) for s in firsts] == [("王丽", first.estimate.at)]
    assert outcome.first_ever_at == first.estimate.at
    assert [s.key for s in outcome.history] == ["decision", "first_registration", "lapsed",
                                                "new_claim_after_lapse", "protected_until"]
    assert outcome.first_registered_at == after_lapse.estimate.at


def test_another_reps_registration_inside_a_window_held_by_a_decision_alone_is_not_told_as_later_than_the_owner():
    """A decision named 王丽 while no registration of hers stood (hers was withdrawn): 张强's
    walk-in inside that window does not take the customer, and the story says the decision holds
    rather than "王丽 registered earlier" at 张强's own time; his is the first registration ever."""
    withdrawn = timed(rep="wang.li", at=T0, id=_rid(1))
    withdrawal = timed("withdrawal", rep=None, at=T0 + MIN, supersedes=_rid(1), id=_rid(2))
    zhang = timed(rep="zhang.qiang", at=T0 + 60 * MIN, id=_rid(3))
    decision = ManagerDecision(id="d1", owner="wang.li", reason="客户坚持", author="zhao.min",
                               decided_at=T0 + 2 * MIN, covers=frozenset({_rid(1)}))
    outcome = decide_ownership([withdrawn, withdrawal, zhang], SitePolicy(validity_days=30), [decision],
                               rep_names=NAMES)
    assert outcome.owner == "wang.li" and outcome.status == "disputed"
    keys = [s.key for s in outcome.explanation]
    assert keys == ["decision", "first_registration", "decision_holds", "protected_until"], keys
    assert "earlier_wins" not in keys and outcome.first_ever_at == zhang.estimate.at
    holds = next(s for s in outcome.explanation if s.key == "decision_holds")
    assert render(holds, "zh") == "王丽 自 2026-11-20 10:02 经裁定归属；张强 于 2026-11-20 11:00 的登记不改变归属"


def test_a_decision_after_the_window_lapsed_leaves_the_lapsed_dispute_lapsed_not_open():
    """CI, hypothesis example: 张强 and 王丽 both registered at 10:00 (a close call, never
    decided); the one-day window lapsed at 10:00 the next day; at 11:13 a manager gave the
    customer to 王丽 over a later walk-in. The old dispute lapsed with its episode (R2): it is
    not an open conflict whose claims are no longer live, and 张强's lapsed claim is not the
    decided owner's first registration."""
    policy = SitePolicy(validity_days=1)
    zhang = timed(rep="zhang.qiang", at=T0, id=_rid(1))
    wang = timed(rep="wang.li", at=T0, id=_rid(2))
    later = timed(rep="wang.li", at=T0 + DAY + 73 * MIN, id=_rid(3))  # 11:13 the next day
    decision = ManagerDecision(id="d1", owner="wang.li", reason="R10", author="zhao.min",
                               decided_at=later.estimate.at - 30 * MIN, covers=frozenset({_rid(3)}))
    outcome = decide_ownership([zhang, wang, later], policy, [decision], rep_names=NAMES)
    assert outcome.owner == "wang.li"
    live = {c.record_id for c in outcome.live_claims}
    assert all(c.claim_ids <= live for c in outcome.conflicts if c.status == "open")
    old = next(c for c in outcome.conflicts if _rid(1) in c.claim_ids)
    assert old.status == "lapsed" and old.decision_id is None
    keys = [s.key for s in outcome.history]
    assert keys.index("lapsed") < keys.index("decision")
    assert [s.key for s in outcome.explanation][0] == "decision"
    assert outcome.first_ever_at == zhang.estimate.at and outcome.first_registered_at == later.estimate.at


def test_a_walk_in_after_a_claimless_decisions_window_lapsed_is_the_first_registration():
    """CI, hypothesis example: the decision's only registration was withdrawn and its window
    lapsed with none standing; the next walk-in is told as the first registration (首次登记), the
    header's first-ever time, not as "a new claim after 王丽's lapse"."""
    policy = SitePolicy(validity_days=1)
    withdrawn = timed(rep="wang.li", at=T0, id=_rid(1))
    withdrawal = timed("withdrawal", rep=None, at=T0 + MIN, supersedes=_rid(1), id=_rid(2))
    walkin = timed(rep="wang.li", at=T0 + DAY + 72 * MIN, id=_rid(3))  # 11:12 the next day
    decision = ManagerDecision(id="d1", owner="wang.li", reason="R10", author="zhao.min",
                               decided_at=T0 + MIN + timedelta(seconds=1), covers=frozenset({_rid(1)}))
    outcome = decide_ownership([withdrawn, withdrawal, walkin], policy, [decision], rep_names=NAMES)
    assert [s.key for s in outcome.history] == ["decision", "lapsed", "first_registration", "protected_until"]
    assert [s.key for s in outcome.explanation] == ["first_registration", "protected_until"]
    assert outcome.first_ever_at == outcome.first_registered_at == walkin.estimate.at


def test_a_decided_owner_whose_covered_walk_in_was_withdrawn_is_not_told_to_have_registered_first():
    """QA8 finding 1 (吴昊): 王丽 10:00 and 张强 10:10 disputed; the manager gave 王丽 the customer;
    then the desk withdrew 王丽's walk-in and 张强 registered again. No registration of hers stands:
    the story says the decision holds (never "王丽 先登记（10:10）", 张强's own time), the current
    claim is none, and the first registration ever is 张强's."""
    wang = timed(rep="wang.li", at=T0, id=_rid(1))
    zhang = timed(rep="zhang.qiang", at=T0 + 10 * MIN, id=_rid(2))
    withdrawal = timed("withdrawal", rep=None, at=T0 + 120 * MIN, supersedes=_rid(1), id=_rid(3))
    again = timed(rep="zhang.qiang", at=T0 + 180 * MIN, id=_rid(4))
    decision = ManagerDecision(id="d1", owner="wang.li", reason="客户坚持", author="zhao.min",
                               decided_at=T0 + 60 * MIN, covers=frozenset({_rid(1), _rid(2)}))
    outcome = decide_ownership([wang, zhang, withdrawal, again], SitePolicy(validity_days=30), [decision],
                               rep_names=NAMES)
    assert outcome.owner == "wang.li" and outcome.first_registered_at is None
    assert outcome.first_ever_at == zhang.estimate.at
    keys = [s.key for s in outcome.explanation]
    assert keys == ["first_registration", "decision", "decision_holds", "protected_until"], keys
    zh = [render(s, "zh") for s in outcome.explanation]
    assert not any("王丽 先登记" in line for line in zh), zh


def test_a_decision_for_a_rep_who_never_registered_tells_later_walk_ins_the_decision_holds():
    """QA8 finding 2 (郑洁): 王丽 and 张强 disputed; the manager gave the customer to 陈杰, who had
    not registered them; 王丽 registers again: the decision holds (not "陈杰 先登记" at 王丽's
    time); then 陈杰's own walk-in becomes his claim."""
    wang = timed(rep="wang.li", at=T0, id=_rid(1))
    zhang = timed(rep="zhang.qiang", at=T0 + 10 * MIN, id=_rid(2))
    wang_again = timed(rep="wang.li", at=T0 + 120 * MIN, id=_rid(3))
    chen = timed(rep="chen.jie", at=T0 + 180 * MIN, id=_rid(4))
    decision = ManagerDecision(id="d1", owner="chen.jie", reason="重新分配", author="zhao.min",
                               decided_at=T0 + 60 * MIN, covers=frozenset({_rid(1), _rid(2)}))
    outcome = decide_ownership([wang, zhang, wang_again, chen], SitePolicy(validity_days=30), [decision],
                               rep_names=NAMES)
    assert outcome.owner == "chen.jie" and outcome.first_registered_at == chen.estimate.at
    holds = [s for s in outcome.explanation if s.key == "decision_holds"]
    assert [(s.params["owner"], s.params["rep"]) for s in holds] == [("陈杰", "王丽")]
    assert not any(s.key == "earlier_wins" and s.params["owner"] == "陈杰" for s in outcome.explanation)
