"""One test per ownership rule, built from the situations in the seed documents
(001 §12.7 客户的归属原则, §14(五) 客户的分配确认). Times are China Standard Time."""

from __future__ import annotations

from datetime import timedelta

from shared.explain import render
from shared.ownership import ManagerDecision, decide_ownership
from shared.policy import SitePolicy
from tests.builders import T0, timed

NAMES = {"wang.li": "王丽", "zhang.qiang": "张强", "chen.jie": "陈杰", "zhao.min": "赵敏"}
DAY = timedelta(days=1)
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def decide(records, **kwargs):
    return decide_ownership(records, rep_names=NAMES, **kwargs)


def texts(outcome, lang="en"):
    return [render(step, lang) for step in outcome.explanation]


# R1 ------------------------------------------------------------------------------------

def test_first_registration_wins_when_two_reps_register_the_same_customer():
    first = timed(rep="wang.li", at=T0, device="desk-2")
    second = timed(rep="zhang.qiang", at=T0 + 5 * MIN, device="rep-tab-3")
    outcome = decide([second, first])
    assert outcome.owner == "wang.li"
    assert outcome.status == "disputed"  # the claims met: a manager confirms
    assert [c.rep for c in outcome.conflicts[0].claims] == ["wang.li", "zhang.qiang"]
    assert texts(outcome)[0] == "first registration 2026-11-20 10:00 on desk-2, received by 王丽"
    assert texts(outcome)[-1] == "protected until 2026-12-20"  # the summary reads last


def test_ownership_follows_estimated_capture_time_not_the_tablets_wall_clock():
    # 张强's tablet clock says 09:50, but the server's estimate puts the capture at 10:20.
    skewed = timed(rep="zhang.qiang", at=T0 + 20 * MIN, device="rep-tab-3")
    object.__setattr__(skewed.record, "captured_at", T0 - 10 * MIN)
    honest = timed(rep="wang.li", at=T0 + 5 * MIN)
    outcome = decide([skewed, honest])
    assert outcome.owner == "wang.li"
    claim = next(c for c in outcome.conflicts[0].claims if c.rep == "zhang.qiang")
    assert claim.captured_at == T0 - 10 * MIN and claim.estimated_at == T0 + 20 * MIN


def test_explanation_reads_in_chinese_for_a_chinese_manager():
    outcome = decide([timed(rep="wang.li", at=T0, device="desk-2")], as_of=T0 + DAY)
    assert texts(outcome, "zh") == ["2026-11-20 10:00 在 desk-2 首次登记，接待人 王丽", "保护期至 2026-12-20"]


# R2 ------------------------------------------------------------------------------------

def test_registration_protects_for_the_validity_window_then_lapses():
    outcome = decide([timed(rep="wang.li", at=T0)], as_of=T0 + 29 * DAY)
    assert (outcome.status, outcome.protected_until) == ("protected", T0 + 30 * DAY)
    assert decide([timed(rep="wang.li", at=T0)], as_of=T0 + 31 * DAY).status == "lapsed"


def test_after_lapse_the_next_registration_by_anyone_starts_a_new_claim():
    outcome = decide([timed(rep="wang.li", at=T0), timed(rep="zhang.qiang", at=T0 + 31 * DAY)])
    assert outcome.owner == "zhang.qiang" and outcome.status == "protected"
    assert outcome.conflicts == ()
    assert "protection of 王丽 lapsed on 2026-12-20" in render_all(outcome)


def test_owners_revisit_renews_the_window_so_a_later_rival_does_not_win():
    records = [timed(rep="wang.li", at=T0), timed(rep="wang.li", at=T0 + 25 * DAY, data={"visit": "return"}),
               timed(rep="zhang.qiang", at=T0 + 40 * DAY)]
    outcome = decide(records)
    assert outcome.owner == "wang.li" and outcome.protected_until == T0 + 55 * DAY


def test_owners_follow_up_renews_the_window_but_a_rivals_follow_up_does_not():
    base = timed(rep="wang.li", at=T0)
    renewed = decide([base, timed("follow_up", rep="wang.li", at=T0 + 20 * DAY)])
    assert renewed.protected_until == T0 + 50 * DAY
    rival = decide([base, timed("follow_up", rep="zhang.qiang", at=T0 + 20 * DAY)])
    assert rival.protected_until == T0 + 30 * DAY and rival.owner == "wang.li"


def test_validity_window_is_a_site_setting():
    policy = SitePolicy(validity_days=60)  # 001 §14(五)2(1): 客户建档有效期为2个月
    outcome = decide([timed(rep="wang.li", at=T0), timed(rep="zhang.qiang", at=T0 + 45 * DAY)], policy=policy)
    assert outcome.owner == "wang.li" and outcome.protected_until == T0 + 60 * DAY


def test_follow_up_after_lapse_does_not_revive_the_claim():
    outcome = decide([timed(rep="wang.li", at=T0), timed("follow_up", rep="wang.li", at=T0 + 40 * DAY)],
                     as_of=T0 + 41 * DAY)
    assert outcome.status == "lapsed"


# R3 ------------------------------------------------------------------------------------

def test_phone_inquiry_never_establishes_ownership():
    call = timed("call", rep="zhang.qiang", at=T0 - 3 * DAY)
    walkin = timed(rep="wang.li", at=T0)
    outcome = decide([call, walkin])
    assert outcome.owner == "wang.li" and outcome.conflicts == ()
    assert "phone inquiries recorded: 1; they never decide ownership" in render_all(outcome)
    assert decide([call]).owner is None and decide([call]).status is None


# R5 ------------------------------------------------------------------------------------

def test_returning_customer_received_on_duty_stays_with_the_original_rep():
    records = [timed(rep="wang.li", at=T0),
               timed(rep="chen.jie", at=T0 + 10 * DAY, data={"visit": "return", "duty": True})]
    outcome = decide(records)
    assert outcome.owner == "wang.li" and outcome.conflicts == () and outcome.status == "protected"
    assert outcome.protected_until == T0 + 40 * DAY  # the customer's visit is the owner's renewal
    assert any("received on duty by 陈杰" in t for t in render_all(outcome))


# R6 ------------------------------------------------------------------------------------

def _spouses():
    husband = timed(rep="wang.li", at=T0, name="张伟")
    wife = timed(rep="zhang.qiang", at=T0 + 2 * DAY, name="李娜", data={"household_phone": "138 0013 8000"})
    return [husband, wife]


def test_spouses_registered_by_two_reps_share_the_household_fifty_fifty():
    outcome = decide(_spouses(), policy=SitePolicy(household="split"))  # 001 §12.7.4
    assert outcome.owner == "wang.li" and outcome.split == {"wang.li": 50, "zhang.qiang": 50}
    assert outcome.conflicts[0].flags == ("household",)


def test_spouses_go_to_the_first_receiver_under_the_first_rule():
    outcome = decide(_spouses(), policy=SitePolicy(household="first"))  # 001 §14(五)3(11)
    assert outcome.owner == "wang.li" and outcome.split is None


# R7 ------------------------------------------------------------------------------------

def _referral(at=T0 - 2 * DAY, day="2026-11-20", **kw):
    return timed("referral", rep=None, at=at, data={"referrer": "李会计", "appointment_date": day}, **kw)


def test_staff_referral_confirmed_when_the_client_comes_on_the_appointment_day():
    outcome = decide([_referral(), timed(rep="chen.jie", at=T0)])
    assert outcome.owner == "chen.jie"
    assert outcome.referral["commission"] == {"referrer": 30, "rep": 70}
    assert any(t.startswith("referred by 李会计 for 2026-11-20") for t in texts(outcome))


def test_staff_referral_is_void_when_the_client_comes_another_day():
    outcome = decide([_referral(), timed(rep="chen.jie", at=T0 + DAY)])
    assert outcome.owner == "chen.jie" and outcome.referral is None
    assert "referral by 李会计 void: the client did not come on 2026-11-20" in render_all(outcome)


def test_staff_referral_is_void_when_the_client_never_comes():
    outcome = decide([_referral()], as_of=T0 + 2 * DAY)
    assert outcome.owner is None
    assert "referral by 李会计 void: the client did not come on 2026-11-20" in render_all(outcome)


def test_staff_referral_is_void_when_a_rep_registered_the_client_first():
    outcome = decide([timed(rep="wang.li", at=T0 - 5 * DAY), _referral(), timed(rep="chen.jie", at=T0)])
    assert outcome.owner == "wang.li" and outcome.referral is None
    assert any("void: 王丽 registered the client first" in t for t in render_all(outcome))


# R8 ------------------------------------------------------------------------------------

def test_company_client_counts_only_if_not_registered_on_site_before():
    company = timed("referral", rep=None, at=T0 - DAY, data={"referrer": "集团办公室", "channel": "company"})
    fresh = decide([company, timed(rep="chen.jie", at=T0)])
    assert fresh.referral["channel"] == "company"
    earlier_visit = timed(rep="wang.li", at=T0 - 90 * DAY)  # lapsed long ago, but registered on site
    stale = decide([earlier_visit, company, timed(rep="chen.jie", at=T0)])
    assert stale.referral is None
    assert any(t.startswith("not a company client") for t in render_all(stale))


# R9 ------------------------------------------------------------------------------------

def test_deal_is_final_and_later_registrations_do_not_move_the_customer():
    records = [timed(rep="wang.li", at=T0), timed("deal", rep="wang.li", at=T0 + 5 * DAY),
               timed(rep="zhang.qiang", at=T0 + 200 * DAY)]
    outcome = decide(records, as_of=T0 + 300 * DAY)
    assert (outcome.owner, outcome.status, outcome.protected_until) == ("wang.li", "deal", None)
    assert outcome.conflicts == ()
    assert any(t.startswith("张强's registration") for t in render_all(outcome))


def test_qa15_another_reps_deal_in_an_undecided_dispute_outlasts_the_owners_lapse():
    """QA of issue 15, finding 1: 王丽 registered; 张强 signed a contract inside her window (a
    dispute nobody decided); her window lapsed; 陈杰 registered a day later and owned a customer
    who had signed, "protected". A deal is final (R9): from the lapse 张强 holds it by his deal,
    the dispute waits for the manager, 陈杰's registration comes after a deal."""
    policy = SitePolicy(validity_days=1)
    wang = timed(rep="wang.li", at=T0 - 30 * HOUR)
    deal = timed("deal", rep="zhang.qiang", at=T0 - 28 * HOUR,
                 data={"stage": "contract", "unit": "8-808", "amount": 2000000})
    before_lapse = decide([wang, deal], policy=policy, as_of=T0 - 7 * HOUR)
    assert (before_lapse.owner, before_lapse.status) == ("wang.li", "disputed")
    lapsed = decide([wang, deal], policy=policy, as_of=T0)
    assert (lapsed.owner, lapsed.status, lapsed.protected_until) == ("zhang.qiang", "deal", None)
    [dispute] = lapsed.conflicts
    assert dispute.status == "open" and dispute.owner == "zhang.qiang"
    chen = timed(rep="chen.jie", at=T0 - HOUR)
    outcome = decide([chen, deal, wang], policy=policy, as_of=T0)
    assert (outcome.owner, outcome.status) == ("zhang.qiang", "deal")
    assert [k.status for k in outcome.conflicts] == ["open"]
    said = render_all(outcome)
    assert "张强's deal 2026-11-19 06:00 stands after 王丽's protection lapsed: owner 张强; the dispute waits for " \
           "the manager" in said
    assert any(t.startswith("陈杰's registration") and "came after 张强's deal" in t for t in said)
    assert "王丽 的保护期失效后，张强 于 2026-11-19 06:00 的成交仍然有效：归 张强；争议待经理裁定" in render_all(outcome, "zh")


def test_qa15_a_household_deal_in_dispute_keeps_the_household_split_after_the_lapse():
    """QA of issue 15, finding 1 (household): 张强 registered the wife, linked to 王丽's husband
    (50/50 before a deal, R6), then signed; after 王丽's window lapsed 陈杰 took both phones."""
    policy = SitePolicy(validity_days=1, household="split")
    husband = timed(rep="wang.li", at=T0 - 30 * HOUR, name="张伟")
    wife = timed(rep="zhang.qiang", at=T0 - 29 * HOUR, name="李娜", phone="139 1234 5678",
                 data={"household_phone": "138 0013 8000"})
    deal = timed("deal", rep="zhang.qiang", at=T0 - 28 * HOUR, name="李娜", phone="139 1234 5678",
                 data={"stage": "contract", "unit": "8-808", "amount": 2000000})
    chen = timed(rep="chen.jie", at=T0 - HOUR, name="张伟")
    outcome = decide([husband, wife, deal, chen], policy=policy, as_of=T0)
    assert (outcome.owner, outcome.status) == ("zhang.qiang", "deal")
    assert outcome.split == {"wang.li": 50, "zhang.qiang": 50}  # registered separately before the deal
    assert "chen.jie" not in (outcome.split or {})


def test_qa15_a_competing_deal_is_told_as_a_deal_with_its_stage():
    """QA of issue 15, finding 8: 张强's 小定 on 王丽's customer read "张强's registration … does
    not take the customer": the manager could not see a deal was at stake."""
    outcome = decide([timed(rep="wang.li", at=T0),
                      timed("deal", rep="zhang.qiang", at=T0 + HOUR, data={"stage": "small_deposit", "unit": "3-303",
                                                                           "amount": 50000})])
    assert (outcome.owner, outcome.status) == ("wang.li", "disputed")
    assert "王丽 registered first (2026-11-20 10:00); 张强's deal (small deposit) 2026-11-20 11:00 does not take " \
           "the customer: the manager decides" in texts(outcome)
    assert "王丽 先登记（2026-11-20 10:00）；张强 于 2026-11-20 11:00 的成交（小定）不改变归属，由经理裁定" in texts(outcome, "zh")


def test_qa15_an_uptime_time_far_from_the_tablets_own_clock_flags_the_conflict():
    """QA of issue 15, finding 4: a tablet's uptime reading put 王丽's walk-in 20 days back while
    its own clock said five minutes ago; the uptime time counted (it took the customer from 张强's
    registration two days ago) and the conflict had no flag. It still counts; the conflict says so."""
    zhang = timed(rep="zhang.qiang", at=T0 - 2 * DAY, device="desk-1")
    wang = timed(rep="wang.li", at=T0 - 20 * DAY, device="wang-tab")
    object.__setattr__(wang.record, "captured_at", T0 - 5 * MIN)
    outcome = decide([zhang, wang], as_of=T0)
    assert outcome.owner == "wang.li"
    [conflict] = outcome.conflicts
    assert "clock_disagrees" in conflict.flags
    said = [render(step, "zh") for step in conflict.steps]
    assert "时钟不符：王丽 的平板时钟显示 2026-11-20 09:55，按开机计时推算登记时间为 2026-10-31 10:00；以开机计时为准，" \
           "请经理向平板使用人核实" in said
    # a tablet set to another time zone (hours apart) is not flagged for that alone
    skewed = timed(rep="wang.li", at=T0 - DAY, device="wang-tab")
    object.__setattr__(skewed.record, "captured_at", T0 - DAY + 14 * HOUR)
    assert "clock_disagrees" not in decide([zhang, skewed], as_of=T0).conflicts[0].flags


def test_qa15_a_duty_reception_with_no_owner_standing_takes_no_customer():
    """QA of issue 15, finding 3: a duty walk-in (义务接待, R5: not a claim) on a customer whose
    window had lapsed made the duty rep the owner; 张强's registration after it then lost."""
    duty = timed(rep="chen.jie", at=T0, data={"visit": "return", "duty": True})
    alone = decide([duty], as_of=T0 + HOUR)
    assert (alone.owner, alone.status) == (None, None)
    assert render_all(alone, "zh") == ["2026-11-20 10:00 由 陈杰 义务接待；义务接待不属于登记，不确定客户归属"]
    outcome = decide([duty, timed(rep="zhang.qiang", at=T0 + HOUR)])
    assert (outcome.owner, outcome.status, outcome.conflicts) == ("zhang.qiang", "protected", ())
    lapsed = [timed(rep="wang.li", at=T0 - 40 * DAY), duty, timed(rep="zhang.qiang", at=T0 + HOUR)]
    outcome = decide(lapsed)
    assert (outcome.owner, outcome.status, outcome.conflicts) == ("zhang.qiang", "protected", ())


# R10 / R11 -----------------------------------------------------------------------------

def _dispute():
    a = timed(rep="wang.li", at=T0, device="desk-1")
    b = timed(rep="zhang.qiang", at=T0 + 3 * MIN, device="desk-2")
    return a, b


def test_manager_decision_sets_owner_split_and_reason():
    a, b = _dispute()
    decision = ManagerDecision(id="d1", owner="zhang.qiang", reason="客户坚持由张强接待, 70/30", author="zhao.min",
                               decided_at=T0 + DAY, covers=frozenset({a.record.id, b.record.id}),
                               split={"wang.li": 30, "zhang.qiang": 70})
    outcome = decide([a, b], decisions=[decision])
    assert outcome.owner == "zhang.qiang" and outcome.split == {"wang.li": 30, "zhang.qiang": 70}
    assert outcome.status == "protected" and outcome.conflicts[0].decision_id == "d1"
    assert outcome.protected_until == T0 + 31 * DAY
    assert any(t.startswith("赵敏 decided 2026-11-21 10:00: owner 张强 (张强 70%, 王丽 30%)") for t in texts(outcome))


def test_late_earlier_claim_before_a_decision_takes_the_customer_and_the_conflict_shows_it():
    a, b = _dispute()
    early = timed(rep="chen.jie", at=T0 - 30 * MIN, device="rep-tab-7")
    outcome = decide([a, b, early])
    assert outcome.owner == "chen.jie"
    assert {c.rep for c in outcome.conflicts[0].claims} == {"chen.jie", "wang.li", "zhang.qiang"}


def test_late_earlier_claim_after_a_decision_opens_a_new_conflict_instead_of_overturning_it():
    a, b = _dispute()
    decision = ManagerDecision(id="d1", owner="wang.li", reason="R1", author="zhao.min", decided_at=T0 + DAY,
                               covers=frozenset({a.record.id, b.record.id}))
    early = timed(rep="chen.jie", at=T0 - 30 * MIN, device="rep-tab-7")
    outcome = decide([a, b, early], decisions=[decision])
    assert outcome.owner == "wang.li" and outcome.status == "disputed"
    decided = [c for c in outcome.conflicts if c.decision_id == "d1"]
    reopened = [c for c in outcome.conflicts if "after_decision" in c.flags]
    assert decided and {c.rep for c in decided[0].claims} == {"wang.li", "zhang.qiang"}
    assert reopened and {c.rep for c in reopened[0].claims} == {"wang.li", "chen.jie"}
    assert reopened[0].decision_id is None


def test_reassignment_without_a_conflict_moves_a_leaving_reps_customers():
    # 001 §14(五)3(12): a rep on long leave: the manager reassigns the customer.
    a = timed(rep="wang.li", at=T0)
    decision = ManagerDecision(id="d9", owner="chen.jie", reason="王丽调离, 客户重新分配", author="zhao.min",
                               decided_at=T0 + 3 * DAY, covers=frozenset({a.record.id}))
    outcome = decide([a], decisions=[decision])
    assert outcome.owner == "chen.jie" and outcome.status == "protected"


# Corrections and flags -----------------------------------------------------------------

def test_correction_keeps_the_original_capture_time_with_the_corrected_content():
    original = timed(rep="zhang.qiang", at=T0)
    rival = timed(rep="chen.jie", at=T0 + 10 * MIN)
    fixed = timed(rep="wang.li", at=T0 + DAY, supersedes=original.record.id)  # the desk picked the wrong rep
    outcome = decide([original, rival, fixed])
    assert outcome.owner == "wang.li" and outcome.first_registered_at == T0
    assert outcome.owner_claim.record_id == original.record.id


def test_withdrawn_registration_no_longer_claims_but_history_remains_elsewhere():
    wrong = timed(rep="zhang.qiang", at=T0)
    withdrawal = timed("withdrawal", rep=None, at=T0 + MIN, supersedes=wrong.record.id)
    later = timed(rep="wang.li", at=T0 + DAY)
    assert decide([wrong, withdrawal, later]).owner == "wang.li"


def test_claims_within_clock_uncertainty_are_flagged_as_close_call():
    a = timed(rep="wang.li", at=T0, uncertainty_ms=2_000)
    b = timed(rep="zhang.qiang", at=T0 + timedelta(seconds=20), uncertainty_ms=2_000)
    conflict = decide([a, b]).conflicts[0]
    assert conflict.owner == "wang.li" and "close_call" in conflict.flags


def test_unverified_clock_is_decided_by_the_rule_but_flagged():
    a = timed(rep="wang.li", at=T0, method="unverified", uncertainty_ms=900_000)
    b = timed(rep="zhang.qiang", at=T0 + 2 * DAY)
    conflict = decide([a, b]).conflicts[0]
    assert conflict.owner == "wang.li" and "unverified_clock" in conflict.flags


def render_all(outcome, lang="en"):
    return [render(step, lang) for step in outcome.history]


def test_asking_again_later_gives_the_same_explanation_while_nothing_changed():
    # The server stores and syncs the explanation: it must not change with the time of asking.
    records = [timed(rep="wang.li", at=T0), timed("follow_up", rep="wang.li", at=T0 + 3 * DAY), _referral(day="2026-11-25")]
    early = decide(records, as_of=T0 + 10 * DAY)
    later = decide(records, as_of=T0 + 20 * DAY)
    assert early.explanation == later.explanation and early.history == later.history
