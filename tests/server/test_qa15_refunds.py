"""QA15 A, first finding: a 退订 whose amount given back exceeds the deal it cancels was accepted.
It is refused alone (``refund_exceeds_deal`` on ``data.amount``; the rest of the push stored),
compared with the live version of the named deal's chain, stored or in the same push. Both
backends, against a real server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.server.helpers import Tablet


@pytest.fixture(scope="module")
def zhang(live_server) -> Tablet:
    return Tablet(live_server, "zhang.qiang", "refunds zhang")


def _deal(tablet: Tablet, phone: str, amount, ago: timedelta = timedelta(minutes=30), **data) -> dict:
    body = {"stage": "small_deposit", "unit": "3-1201", **({"amount": amount} if amount is not None else {}), **data}
    return tablet.record("deal", rep=tablet.username, phone=phone, ago=ago, data=body)


def _refund(tablet: Tablet, deal: dict, amount, phone: str) -> dict:
    return tablet.record("deal", rep=tablet.username, phone=phone, data={
        "stage": "small_deposit", "unit": "3-1201", "event": "cancellation", "refers_to": deal["id"],
        "reason": "客户放弃", "amount": amount})


def _results(tablet: Tablet, *records: dict) -> list[tuple[str, str | None]]:
    return [(r["status"], (r.get("error") or {}).get("code")) for r in tablet.push(*records)["results"]]


def test_qa15_a_refund_above_the_deal_is_refused(zhang):
    phone = "138 0015 2001"
    deal = _deal(zhang, phone, 20000)
    assert zhang.statuses(deal) == ["accepted"]
    walkin = zhang.record(rep="zhang.qiang", phone="138 0015 2002")
    over = _refund(zhang, deal, 20000.01, phone)
    results = zhang.push(over, walkin)["results"]
    assert [r["status"] for r in results] == ["rejected", "accepted"]  # the rest of the push is stored
    error = results[0]["error"]
    assert (error["code"], error["field"], error["params"]) == (
        "refund_exceeds_deal", "data.amount", {"deal_amount": 20000.0, "refund": 20000.01})
    assert "(20,000 yuan)" in error["message"] and "check the amount" in error["message"]
    # the refused record's seq arrived: no gap; the tablet keeps it with the reason (protocol principle 4)
    assert zhang.statuses(over) == ["refund_exceeds_deal"]
    assert zhang.statuses(_refund(zhang, deal, 20000, phone)) == ["accepted"]  # all of it back: fine


def test_qa15_a_refund_is_compared_with_the_live_version_of_the_deal(zhang):
    phone = "138 0015 2003"
    deal = _deal(zhang, phone, 20000, ago=timedelta(hours=2))
    lower = _deal(zhang, phone, 15000, ago=timedelta(hours=1))
    lower["supersedes"] = deal["id"]
    assert zhang.statuses(deal, lower) == ["accepted", "accepted"]
    # named by its original or its correction: the corrected 15,000 counts
    assert _results(zhang, _refund(zhang, deal, 18000, phone), _refund(zhang, lower, 15000.5, phone)) == [
        ("rejected", "refund_exceeds_deal"), ("rejected", "refund_exceeds_deal")]
    # two corrections of the deal (a forked chain): the later stands, 30,000
    later = _deal(zhang, phone, 30000, ago=timedelta(minutes=20))
    later["supersedes"] = deal["id"]
    assert zhang.statuses(later, _refund(zhang, deal, 25000, phone)) == ["accepted", "accepted"]


def test_qa15_a_refund_of_a_deal_in_the_same_push_and_of_unit_changes(zhang):
    phone = "138 0015 2004"
    deal = _deal(zhang, phone, 50000.5, ago=timedelta(hours=1))
    # the deal and its 退订 in one push, the 退订 first
    assert _results(zhang, _refund(zhang, deal, 50000.51, phone), _refund(zhang, deal, 50000.5, phone), deal) == [
        ("rejected", "refund_exceeds_deal"), ("accepted", None), ("accepted", None)]
    moved = zhang.record("deal", rep="zhang.qiang", phone=phone, ago=timedelta(minutes=40), data={
        "stage": "small_deposit", "event": "unit_change", "previous_unit": "3-1201", "unit": "5-501",
        "refers_to": deal["id"]})  # no amount: the deal's 50,000.50 stands
    assert zhang.statuses(moved, _refund(zhang, moved, 60000, phone)) == ["accepted", "refund_exceeds_deal"]
    repriced = zhang.record("deal", rep="zhang.qiang", phone=phone, ago=timedelta(minutes=30), data={
        "stage": "small_deposit", "event": "unit_change", "previous_unit": "5-501", "unit": "6-601",
        "refers_to": moved["id"], "amount": 60000})
    assert zhang.statuses(repriced, _refund(zhang, repriced, 60000, phone)) == ["accepted", "accepted"]


def test_a_refund_of_a_deal_without_an_amount_is_taken(zhang):
    """A guard, not a QA regression test (it passed before the fix too): nothing to compare."""
    phone = "138 0015 2005"
    deal = _deal(zhang, phone, None)
    assert zhang.statuses(deal, _refund(zhang, deal, 1_000_000, phone)) == ["accepted", "accepted"]
