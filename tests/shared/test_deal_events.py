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
