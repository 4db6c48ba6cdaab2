"""What ``supersedes`` and ``data.refers_to`` may name (QA round A of the push path), both
backends against a real server:

- F1: a correction keeps its original's type (``type_changed``): a rep turned her 3-hour-old
  来电 into a walk-in after a colleague registered the real visit, and became first registrant at
  the call's time (R3: calls never count); a withdrawal withdraws any record but a withdrawal
  (``not_withdrawable``).
- F4: a record naming itself (``self_reference``), and the records of a ``supersedes`` cycle
  within one push (``supersedes_cycle``), are refused: the customer was left with no owner.
- F3: a deal's 退订 / 换房 names a deal of the same customer (``not_a_deal``,
  ``other_customers_deal``).
- F7: one UUID written four ways was four records: ids are the canonical 8-4-4-4-12 text."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.server.helpers import Tablet


@pytest.fixture(scope="module")
def tablets(live_server):
    return {name: Tablet(live_server, name, f"refs {name}")
            for name in ("desk.li", "zhang.qiang", "chen.jie", "zhao.min")}


def _owner(tablets, phone: str) -> dict:
    return tablets["zhao.min"].get("/customers/lookup", phone=phone).json()


def _codes(tablet: Tablet, *records: dict) -> list[tuple[str, str | None]]:
    return [(r["status"], (r.get("error") or {}).get("code")) for r in tablet.push(*records)["results"]]


# -- F1 ---------------------------------------------------------------------------------------------

def test_qa14_call_corrected_into_walkin_is_refused_and_does_not_backdate_a_claim(tablets):
    zhang, chen = tablets["zhang.qiang"], tablets["chen.jie"]
    phone = "138 0014 1001"
    call = zhang.record("call", rep="zhang.qiang", phone=phone, ago=timedelta(hours=3))
    assert zhang.statuses(call) == ["accepted"]
    assert chen.statuses(chen.record(rep="chen.jie", phone=phone)) == ["accepted"]
    walkin = zhang.record(rep="zhang.qiang", phone=phone, supersedes=call["id"])
    (result,) = zhang.push(walkin)["results"]
    assert result["status"] == "rejected" and result["error"]["code"] == "type_changed", result
    assert result["error"]["field"] == "supersedes" and result["error"]["params"] == {"type": "call"}
    assert _owner(tablets, phone)["owner"] == "chen.jie"


def test_qa14_corrections_across_types_are_refused_withdrawals_of_any_but_a_withdrawal_accepted(tablets):
    zhang, desk = tablets["zhang.qiang"], tablets["desk.li"]
    phone = "138 0014 1002"
    walkin = zhang.record(rep="zhang.qiang", phone=phone)
    deal = zhang.record("deal", rep="zhang.qiang", phone=phone)
    assert zhang.statuses(walkin, deal) == ["accepted", "accepted"]
    assert zhang.statuses(zhang.record("deal", rep="zhang.qiang", phone=phone, supersedes=walkin["id"]),
                          zhang.record("complaint", rep="zhang.qiang", phone=phone, supersedes=deal["id"])
                          ) == ["type_changed", "type_changed"]
    rotation = desk.record("rotation", rep="zhang.qiang")
    assert desk.statuses(rotation) == ["accepted"]
    assert desk.statuses(desk.record(rep="zhang.qiang", phone=phone, supersedes=rotation["id"])) == ["type_changed"]
    # a correction of the same type, and its original in the same push after it: accepted
    follow = zhang.record("follow_up", rep="zhang.qiang", phone=phone)
    fixed = zhang.record("follow_up", rep="zhang.qiang", phone=phone, supersedes=follow["id"])
    assert zhang.statuses(fixed, follow) == ["accepted", "accepted"]
    # a walk-in and a correction into a call in one push: the type is the one in the push
    other = zhang.record(rep="zhang.qiang", phone=phone)
    assert zhang.statuses(zhang.record("call", rep="zhang.qiang", phone=phone, supersedes=other["id"]),
                          other) == ["type_changed", "accepted"]
    withdrawal = zhang.record("withdrawal", rep="zhang.qiang", phone=phone, supersedes=walkin["id"])
    assert zhang.statuses(withdrawal) == ["accepted"]
    again = zhang.record("withdrawal", rep="zhang.qiang", phone=phone, supersedes=withdrawal["id"],
                         data={"reason": "撤回撤回"})
    assert zhang.statuses(again) == ["not_withdrawable"]
    assert desk.statuses(_customerless_withdrawal(desk, rotation["id"])) == ["accepted"]  # 作废 of a 排班 record


def test_qa14_a_deal_correction_keeps_its_kind_so_a_cancellation_cannot_become_a_claim(tablets):
    """A stage deal claims the customer (R9) and a 退订 does not: a 退订 corrected into a 小定
    would claim at the 退订's time, as the call turned walk-in did (F1's kind)."""
    chen = tablets["chen.jie"]
    phone = "138 0014 1009"
    deal = chen.record("deal", rep="chen.jie", phone=phone, data={"stage": "small_deposit", "unit": "3-1201",
                                                                  "amount": 20000})
    assert chen.statuses(deal) == ["accepted"]
    cancel = chen.record("deal", rep="chen.jie", phone=phone, data={
        "stage": "small_deposit", "unit": "3-1201", "amount": 20000, "event": "cancellation",
        "refers_to": deal["id"], "reason": "客户资金不足"})
    assert chen.statuses(cancel) == ["accepted"]
    turned = chen.record("deal", rep="chen.jie", phone=phone, supersedes=cancel["id"],
                         data={"stage": "small_deposit", "unit": "3-1202", "amount": 20000})
    fixed = chen.record("deal", rep="chen.jie", phone=phone, supersedes=cancel["id"], data={
        "stage": "small_deposit", "unit": "3-1201", "amount": 10000, "event": "cancellation",
        "refers_to": deal["id"], "reason": "客户资金不足"})
    assert chen.statuses(turned, fixed) == ["type_changed", "accepted"]


def _customerless_withdrawal(tablet: Tablet, target: str) -> dict:
    record = tablet.record("withdrawal", rep=None, supersedes=target, data={"reason": "点错了"})
    del record["customer"]
    return record


# -- F4 ---------------------------------------------------------------------------------------------

def test_qa14_a_record_naming_itself_is_refused(tablets):
    zhang = tablets["zhang.qiang"]
    phone = "138 0014 1003"
    walkin = zhang.record(rep="zhang.qiang", phone=phone)
    walkin["supersedes"] = walkin["id"]
    deal = zhang.record("deal", rep="zhang.qiang", phone=phone,
                        data={"event": "cancellation", "reason": "退", "amount": 1})
    deal["data"]["refers_to"] = deal["id"].upper()
    (first, second) = zhang.push(walkin, deal)["results"]
    assert (first["status"], first["error"]["code"], first["error"]["field"]) == \
        ("rejected", "self_reference", "supersedes")
    assert (second["status"], second["error"]["code"], second["error"]["field"]) == \
        ("rejected", "self_reference", "data.refers_to")


def test_qa14_a_supersedes_cycle_in_one_push_is_refused_and_a_later_walkin_owns(tablets):
    zhang, chen = tablets["zhang.qiang"], tablets["chen.jie"]
    phone = "138 0014 1004"
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    records = [zhang.record(rep="zhang.qiang", phone=phone, id=a, supersedes=b),
               zhang.record(rep="zhang.qiang", phone=phone, id=b, supersedes=c),
               zhang.record(rep="zhang.qiang", phone=phone, id=c, supersedes=a)]
    fine = zhang.record(rep="zhang.qiang", phone="138 0014 1005")
    follow = zhang.record("follow_up", rep="zhang.qiang", phone="138 0014 1005", supersedes=a)
    assert _codes(zhang, *records, fine, follow) == [("rejected", "supersedes_cycle")] * 3 + [
        ("accepted", None), ("rejected", "unknown_record")]
    assert chen.statuses(chen.record(rep="chen.jie", phone=phone)) == ["accepted"]
    assert _owner(tablets, phone)["owner"] == "chen.jie"


def test_qa14_a_correction_of_a_refused_record_later_in_the_push_is_refused_too(tablets):
    zhang = tablets["zhang.qiang"]
    phone = "138 0014 1006"
    call = zhang.record("call", rep="zhang.qiang", phone=phone)
    assert zhang.statuses(call) == ["accepted"]
    bad = zhang.record(rep="zhang.qiang", phone=phone, supersedes=call["id"])  # type_changed
    fix = zhang.record(rep="zhang.qiang", phone=phone, supersedes=bad["id"])  # names it, before it
    assert zhang.statuses(fix, bad) == ["unknown_record", "type_changed"]


# -- F3 ---------------------------------------------------------------------------------------------

def _event(tablet: Tablet, ref: str, phone: str, event: str = "cancellation", **data) -> dict:
    body = {"event": event, "refers_to": ref, "reason": "客户放弃", "amount": 1}
    if event == "unit_change":
        body.update(previous_unit="3-1201", unit="5-501")
    return tablet.record("deal", rep=tablet.username, phone=phone, data={**body, **data})


def test_qa14_a_deal_event_names_a_deal_of_the_same_customer(tablets):
    zhang = tablets["zhang.qiang"]
    phone, other = "138 0014 1007", "138 0014 1008"
    walkin = zhang.record(rep="zhang.qiang", phone=phone)
    complaint = zhang.record("complaint", rep="zhang.qiang", phone=phone)
    deal = zhang.record("deal", rep="zhang.qiang", phone=phone, data={"amount": 20000})
    assert zhang.statuses(walkin, complaint, deal) == ["accepted"] * 3
    cancel = _event(zhang, deal["id"], phone)
    assert _codes(zhang, _event(zhang, walkin["id"], phone), _event(zhang, complaint["id"], phone),
                  _event(zhang, deal["id"], other), _event(zhang, cancel["id"], phone), cancel) == [
        ("rejected", "not_a_deal"), ("rejected", "not_a_deal"), ("rejected", "other_customers_deal"),
        ("rejected", "not_a_deal"), ("accepted", None)]
    # a 换房 names the deal; a later 退订 names the 换房 (the tablet's current deal); both in one push
    change = _event(zhang, deal["id"], phone, "unit_change")
    assert zhang.statuses(_event(zhang, change["id"], phone), change) == ["accepted", "accepted"]


def test_qa14_a_deal_event_after_the_customers_phone_was_corrected_names_the_deal(tablets):
    zhang = tablets["zhang.qiang"]
    old, new = "138 0014 1009", "138 0014 1010"
    deal = zhang.record("deal", rep="zhang.qiang", phone=old)
    fixed = zhang.record("deal", rep="zhang.qiang", phone=new, supersedes=deal["id"])
    assert zhang.statuses(deal, fixed) == ["accepted", "accepted"]
    # the tablet named the original, or the correction, with either number: one customer
    assert zhang.statuses(_event(zhang, deal["id"], new), _event(zhang, fixed["id"], old),
                          _event(zhang, fixed["id"], new)) == ["accepted"] * 3
    assert zhang.statuses(_event(zhang, deal["id"], "138 0014 1011")) == ["other_customers_deal"]


# -- F7 ---------------------------------------------------------------------------------------------

def test_qa14_one_uuid_written_four_ways_is_one_record(tablets):
    zhang = tablets["zhang.qiang"]
    canonical = str(uuid.uuid4())
    first = zhang.record(rep="zhang.qiang", phone="138 0014 1012", id=canonical)
    assert zhang.statuses(first) == ["accepted"]
    for form in ("{" + canonical + "}", "urn:uuid:" + canonical, canonical.replace("-", "")):
        record = zhang.record(rep="zhang.qiang", phone="138 0014 1013", id=form)
        (result,) = zhang.push(record)["results"]
        assert result["status"] == "rejected" and result["error"]["code"] == "invalid_id", (form, result)
        assert result["error"]["field"] == "id"
        fix = zhang.record(rep="zhang.qiang", phone="138 0014 1012", supersedes=form)
        assert zhang.statuses(fix) == ["invalid_id"]
    assert zhang.statuses(zhang.record(rep="zhang.qiang", phone="138 0014 1014", id=canonical.upper())) == ["id_reused"]
