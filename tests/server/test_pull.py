"""GET /sync/pull: paging, resuming, 410 resync, and what each role may see."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from tests.live_server import LiveServer
from tests.server.helpers import Tablet


@pytest.fixture(scope="module")
def world(live_server):
    """Desk registers customers for wang.li and zhang.qiang; wang.li logs a follow-up."""
    desk = Tablet(live_server, "desk.li")
    wang = Tablet(live_server, "wang.li")
    zhang = Tablet(live_server, "zhang.qiang")
    manager = Tablet(live_server, "zhao.min")
    desk.push(desk.record(rep="wang.li", name="张伟", phone="138 0013 8000"),
              desk.record(rep="zhang.qiang", name="李娜", phone="139 1234 5678"))
    wang.push(wang.record("follow_up", rep="wang.li", name="张伟", phone="138 0013 8000"))
    zhang.push(zhang.record(rep="zhang.qiang", name="张伟", phone="13800138000"))
    return {"desk": desk, "wang": wang, "zhang": zhang, "manager": manager}


def _kinds(changes):
    return [c["kind"] for c in changes]


def test_first_pull_starts_with_site_and_users(world):
    changes, _ = world["wang"].pull_all()
    site = next(c for c in changes if c["kind"] == "site")["site"]
    assert site == {"id": "s1", "name": "星河湾销售中心", "validity_days": 30, "household": "split", "region": "CN",
                    "utc_offset_minutes": 480, "walkin_landlines": False, "closed_days": []}
    users = {c["user"]["username"]: c["user"] for c in changes if c["kind"] == "user"}
    assert users["wang.li"] == {"username": "wang.li", "name": "王丽", "role": "rep", "active": True,
                                 "deactivated_at": None, "duty_periods": [["2019-12-31T16:00:00.000+00:00", None]]}


def test_change_ids_increase_and_each_change_has_its_documented_key(world):
    changes, _ = world["manager"].pull_all()
    ids = [c["change_id"] for c in changes]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for change in changes:
        key = "customer" if change["kind"] == "ownership" else change["kind"]
        assert set(change) == {"change_id", "kind", key}


def test_paging_with_small_limit_returns_the_same_changes_as_one_page(world):
    whole, cursor_whole = world["manager"].pull_all(limit=1000)
    paged, cursor_paged = world["manager"].pull_all(limit=2)
    assert [c["change_id"] for c in paged] == [c["change_id"] for c in whole]
    assert cursor_paged == cursor_whole


def test_resuming_from_the_last_cursor_returns_only_newer_changes(world):
    _, cursor = world["manager"].pull_all()
    assert world["manager"].pull_all(cursor)[0] == []
    record = world["desk"].record(rep="chen.jie", name="王芳", phone="137 0000 1111")
    world["desk"].push(record)
    changes, _ = world["manager"].pull_all(cursor)
    assert record["id"] in [c["record"]["id"] for c in changes if c["kind"] == "record"]
    assert "ownership" in _kinds(changes)


def test_record_change_is_the_wire_record_plus_server_fields(world):
    changes, _ = world["manager"].pull_all()
    record = next(c["record"] for c in changes if c["kind"] == "record")
    assert {"id", "seq", "type", "captured_at", "clock", "rep", "customer", "data"} <= set(record)
    assert {"device_id", "estimated_at", "clock_method", "received_at"} <= set(record)


def test_rep_sees_own_records_and_the_ownership_index_but_not_conflicts(world):
    changes, _ = world["wang"].pull_all()
    reps = {c["record"]["rep"] for c in changes if c["kind"] == "record"}
    assert reps == {"wang.li"}  # the desk's walk-in for wang.li and his own follow-up, not zhang's
    assert "conflict" not in _kinds(changes)
    index = {c["customer"]["phone_masked"]: c["customer"] for c in changes if c["kind"] == "ownership"}
    own = index["+86 *******8000"]  # the last four digits only (issue 14)
    other = index["+86 *******5678"]
    assert own["phone"] == "+8613800138000" and own["name"] == "张伟" and own["explanation"]
    assert other["owner"] == "zhang.qiang" and other["phone"] is None and other["name"] is None
    assert other["explanation"] == [] and "phone_hash" not in other  # a private site (issue 14)


def test_reception_sees_only_its_own_device_records(world):
    changes, _ = world["desk"].pull_all()
    devices = {c["record"]["device_id"] for c in changes if c["kind"] == "record"}
    assert devices == {world["desk"].device_id}


def test_manager_sees_every_record_and_conflicts(world):
    changes, _ = world["manager"].pull_all()
    devices = {c["record"]["device_id"] for c in changes if c["kind"] == "record"}
    assert {world["desk"].device_id, world["wang"].device_id, world["zhang"].device_id} <= devices
    conflict = next(c["conflict"] for c in changes if c["kind"] == "conflict")
    assert {"id", "customer_id", "claims", "owner", "status", "flags"} <= set(conflict)


def test_later_change_to_the_same_customer_has_a_higher_change_id(world):
    _, cursor = world["manager"].pull_all()
    world["wang"].push(world["wang"].record("follow_up", rep="wang.li", name="张伟", phone="138 0013 8000"))
    changes, _ = world["manager"].pull_all(cursor)
    assert "ownership" in _kinds(changes)


@pytest.mark.parametrize("cursor", ["garbage!!", base64.urlsafe_b64encode(b'{"e":"other","c":1}').decode()])
def test_malformed_or_foreign_cursor_is_410_resync(world, cursor):
    response = world["wang"].get("/sync/pull", cursor=cursor)
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "resync"


def test_cursor_ahead_of_the_head_is_410_resync(world):
    _, cursor = world["wang"].pull_all()
    value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    ahead = base64.urlsafe_b64encode(json.dumps({**value, "c": value["c"] + 1000}).encode()).decode()
    assert world["wang"].get("/sync/pull", cursor=ahead).status_code == 410


@pytest.mark.parametrize("change_id", [True, False])
def test_qa14_a_cursor_whose_change_id_is_true_or_false_is_410_resync(world, change_id):
    """QA F5: JSON true/false passed the cursor's int check (bool is an int in Python) and
    the database refused it: a 500 instead of the 410 of every other damaged cursor."""
    _, cursor = world["wang"].pull_all()
    value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    damaged = base64.urlsafe_b64encode(json.dumps({**value, "c": change_id}).encode()).decode().rstrip("=")
    response = requests.get(world["wang"].server.url("/sync/pull"), params={"cursor": damaged},
                            headers={**world["wang"].headers, "Accept-Language": "zh"}, timeout=60)
    assert response.status_code == 410, response.text
    error = response.json()["error"]
    assert error["code"] == "resync" and error["messages"]["zh"]


def test_cursor_from_another_server_database_is_410_resync(world):
    _, cursor = world["wang"].pull_all()
    with LiveServer() as other:
        tablet = Tablet(other, "wang.li")
        response = requests.get(other.url("/sync/pull"), params={"cursor": cursor}, headers=tablet.headers)
        assert response.status_code == 410


def test_pull_without_token_is_401(live_server):
    assert requests.get(live_server.url("/sync/pull")).status_code == 401


def test_limit_out_of_range_is_422(world):
    assert world["wang"].get("/sync/pull", limit=0).status_code == 422
    assert world["wang"].get("/sync/pull", limit=5000).status_code == 422


def test_a_managers_withdrawal_of_a_reps_deal_or_a_desks_walkin_reaches_that_tablet(live_server):
    """Found while building the tablet's deal form: a withdrawal names no rep, so when the
    manager withdrew a rep's deal the rep's tablet never pulled it and kept showing the deal.
    A tablet now pulls the records that correct or withdraw one it sees; nothing else widens."""
    rep, desk, manager = (Tablet(live_server, "wang.li", "wang withdraw"), Tablet(live_server, "desk.li", "desk w"),
                          Tablet(live_server, "zhao.min", "office w"))
    deal = rep.record("deal", rep="wang.li", phone="139 0000 7001", name="钱七")
    walkin = desk.record(rep="zhang.qiang", phone="139 0000 7002", name="孙八")
    other = manager.record(rep="zhang.qiang", phone="139 0000 7003", name="周九")
    assert rep.statuses(deal) == desk.statuses(walkin) == manager.statuses(other) == ["accepted"]
    gone = [manager.record("withdrawal", rep=None, phone=r["customer"]["phone"], name=r["customer"]["name"],
                           data={"reason": "登记错了"}, supersedes=r["id"]) for r in (deal, walkin, other)]
    assert manager.statuses(*gone) == ["accepted"] * 3

    def pulled(tablet: Tablet) -> set[str]:
        return {c["record"]["id"] for c in tablet.pull_all()[0] if c["kind"] == "record"}

    assert {deal["id"], gone[0]["id"]} <= pulled(rep) and not {gone[1]["id"], gone[2]["id"]} & pulled(rep)
    assert {walkin["id"], gone[1]["id"]} <= pulled(desk) and not {gone[0]["id"], gone[2]["id"]} & pulled(desk)
