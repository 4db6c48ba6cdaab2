"""退订 and 换房 as deal records (issue 11): a v1 deal reads as before; a unit change names
both units; neither event moves the customer (R9, 001 §12.7 6: 成交后更名、换房不变更经办售楼员)."""

from __future__ import annotations

from datetime import timedelta

from shared.deals import deal_event, is_deal_claim
from shared.ownership import decide_ownership
from shared.records import validate_record
from tests.builders import T0, timed, wire

DAY = timedelta(days=1)


def test_a_v1_deal_without_an_event_is_a_stage_reached_and_a_claim():
    data = wire("deal")["data"]
    assert "event" not in data and deal_event(data) == "stage" and is_deal_claim("deal", data)
    assert validate_record(wire("deal"), now=T0 + DAY) == []


def test_a_unit_change_must_name_the_new_and_the_old_unit():
    bad = wire("deal", rep="wang.li", data={"event": "unit_change", "unit": "", "stage": "contract"})
    fields = {p.field for p in validate_record(bad, now=T0 + DAY)}
    assert fields == {"data.unit", "data.previous_unit"}
    good = wire("deal", data={"event": "unit_change", "unit": "5-0802", "previous_unit": "3-1201",
                              "stage": "large_deposit", "amount": 120000})
    assert validate_record(good, now=T0 + DAY) == []


def test_an_unknown_event_is_refused_with_the_choices():
    problems = validate_record(wire("deal", data={"event": "refund"}), now=T0 + DAY)
    assert [p.field for p in problems] == ["data.event"]
    assert "cancellation" in problems[0].message


def test_a_unit_change_recorded_by_another_rep_keeps_the_deal_with_its_rep():
    records = [timed(rep="wang.li", at=T0), timed("deal", rep="wang.li", at=T0 + DAY),
               timed("deal", rep="zhang.qiang", at=T0 + 3 * DAY,
                     data={"event": "unit_change", "unit": "5-0802", "previous_unit": "3-1201"})]
    outcome = decide_ownership(records, as_of=T0 + 10 * DAY)
    assert (outcome.owner, outcome.status, outcome.conflicts) == ("wang.li", "deal", ())


def test_a_cancellation_claims_nothing_and_leaves_the_owner_as_it_was():
    # zhang.qiang records the cancellation of a customer he never received: no claim, no conflict
    records = [timed(rep="wang.li", at=T0),
               timed("deal", rep="zhang.qiang", at=T0 + DAY, data={"event": "cancellation", "reason": "资金不足"})]
    outcome = decide_ownership(records, as_of=T0 + 2 * DAY)
    assert (outcome.owner, outcome.status, outcome.conflicts) == ("wang.li", "protected", ())
    # and the rep's own deal stays final after it is cancelled (the seeds name no change)
    records = [timed(rep="wang.li", at=T0), timed("deal", rep="wang.li", at=T0 + DAY),
               timed("deal", rep="wang.li", at=T0 + 2 * DAY, data={"event": "cancellation"})]
    assert decide_ownership(records, as_of=T0 + 3 * DAY).status == "deal"


def test_a_cancellation_or_unit_change_is_a_contact_that_opens_no_first_revisit_window():
    from shared.cadence import contact_from_record

    stage = contact_from_record("deal", T0, {"stage": "contract"})
    cancelled = contact_from_record("deal", T0, {"stage": "contract", "event": "cancellation"})
    moved = contact_from_record("deal", T0, {"stage": "contract", "event": "unit_change"})
    assert stage is not None and stage.deal
    assert cancelled is not None and not cancelled.deal and moved is not None and not moved.deal


def test_qa11_f5_a_stage_repeats_on_the_same_unit_until_cancelled_or_moved():
    from datetime import UTC, datetime, timedelta

    from shared.deals import DealFact, repeated_stage, unit_key

    t0 = datetime(2026, 11, 30, 2, tzinfo=UTC)
    first = DealFact.of({"stage": "small_deposit", "unit": "9-9"}, t0, "wang.li")
    new = DealFact.of({"stage": "small_deposit", "unit": " ９－９ "}, t0 + timedelta(hours=1))
    assert unit_key("  ９－９ ") == unit_key("9-9") == "9-9" and unit_key("A-1") == unit_key("a-1")
    assert repeated_stage([first], new) == first
    assert repeated_stage([first], DealFact.of({"stage": "large_deposit", "unit": "9-9"}, t0)) is None
    assert repeated_stage([first], DealFact.of({"stage": "small_deposit", "unit": "9-10"}, t0)) is None
    cancelled = DealFact.of({"event": "cancellation", "stage": "small_deposit", "unit": "9-9"}, t0 + timedelta(minutes=5))
    assert repeated_stage([first, cancelled], new) is None
    moved = DealFact.of({"event": "unit_change", "stage": "small_deposit", "unit": "9-10", "previous_unit": "9-9"},
                        t0 + timedelta(minutes=5))
    assert repeated_stage([first, moved], new) is None
    # a cancellation before the stage does not free it; a 退订 or 换房 is never a repeat itself
    early = DealFact.of({"event": "cancellation", "stage": "small_deposit", "unit": "9-9"}, t0 - timedelta(days=1))
    assert repeated_stage([first, early], new) == first
    assert repeated_stage([first], cancelled) is None


def test_qa11_second_pass_a_deals_amount_has_at_most_two_decimals():
    from shared.deals import deal_problems

    assert [(p.code, p.field) for p in deal_problems({"amount": 99999999.995})] == [("amount_cents", "data.amount")]
    assert deal_problems({"amount": 1234.56}) == deal_problems({"amount": 20000}) == deal_problems({"amount": 1e12}) == []


def test_qa13_two_corrections_of_one_deal_the_later_counts_and_a_tie_between_originals_stays_put():
    """Ordering of ``repeats`` (``DealFact.order``): two corrections of one 小定 (a forked chain,
    both at their original's time) — the later correction counts, the earlier is the repeat,
    whatever their ids (QA: the record id's UUID order chose); two originals captured at the same
    instant — the original's id decides, so correcting one's amount does not move the credit."""
    from datetime import UTC, datetime, timedelta

    from shared.deals import DealFact, repeats

    t0 = datetime(2026, 11, 30, 1, tzinfo=UTC)
    data = {"stage": "small_deposit", "unit": "9-9"}
    for early_id, late_id in (("a-early", "z-late"), ("z-early", "a-late")):
        fork = {early_id: DealFact.of(data, t0, chain="root", version_at=t0 + timedelta(hours=1)),
                late_id: DealFact.of(data, t0, chain="root", version_at=t0 + timedelta(hours=2))}
        assert repeats(fork) == {early_id: late_id}
    tie = {"b-original": DealFact.of(data, t0, chain="b-original", version_at=t0),
           "c-correction-of-a": DealFact.of(data, t0, chain="a-original", version_at=t0 + timedelta(hours=3))}
    assert repeats(tie) == {"b-original": "c-correction-of-a"}  # a-original came first by id, corrected or not


def test_qa15_a_a_deals_second_cancellation_repeats_the_first_in_any_order():
    """QA15 A: two 退订 of one deal (two tablets) both counted. The earlier by capture order counts;
    naming no deal, a 退订 repeats one of the same unit and stage with no new sale between."""
    import random

    from shared.deals import DealFact, repeats

    def fact(event, hour, unit="3-1201", cancels="", stage="small_deposit"):
        return DealFact(event, unit, "", stage, T0 + timedelta(hours=hour), chain="", cancels=cancels)

    deals = {"sale": fact("stage", 0), "cancel-late": fact("cancellation", 3, cancels="sale"),
             "cancel-early": fact("cancellation", 2, cancels="sale"),
             "unnamed-1": fact("cancellation", 4), "unnamed-2": fact("cancellation", 5),
             "resale": fact("stage", 6), "unnamed-3": fact("cancellation", 7), "no-unit": fact("cancellation", 8, unit="")}
    for seed_ in range(5):
        items = list(deals.items())
        random.Random(seed_).shuffle(items)
        assert repeats(dict(items)) == {"cancel-late": "cancel-early", "unnamed-2": "unnamed-1"}
    del deals["cancel-early"]  # withdrawn: the other counts
    assert repeats(deals) == {"unnamed-2": "unnamed-1"}
