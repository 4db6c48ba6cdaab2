"""Issue 11 on the wire: a follow-up's next date is never before its own day (``date_in_past``),
and a complaint's later steps are records naming the complaint (``refers_to``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.server.helpers import Tablet


@pytest.fixture(scope="module")
def rep(live_server):
    return Tablet(live_server, "wang.li")


def test_a_follow_up_planning_its_next_contact_in_the_past_is_rejected_with_date_in_past(rep):
    record = rep.record("follow_up", rep="wang.li", name="张伟", ago=timedelta(minutes=5))
    day = record["captured_at"][:10]
    yesterday = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    record["data"]["next_action_on"] = yesterday
    result = rep.push(record)["results"][0]
    assert result["status"] == "rejected"
    assert (result["error"]["code"], result["error"]["field"]) == ("date_in_past", "data.next_action_on")
    assert "pick today or a later day" in result["error"]["message"]


def test_an_offline_follow_up_pushed_days_later_keeps_the_next_date_it_planned(live_server):
    # captured three days ago for "today + 1" of that day: past now, valid when planned
    rep = Tablet(live_server, "wang.li", "wang.li-offline", boot="boot-offline-week")
    rep.boot_started -= timedelta(days=7)  # up for a week, offline for the last three days
    record = rep.record("follow_up", rep="wang.li", name="张伟", ago=timedelta(days=3))

    record["data"]["next_action_on"] = (date.fromisoformat(record["captured_at"][:10]) + timedelta(days=1)).isoformat()
    assert rep.push(record)["results"][0] == {"id": record["id"], "status": "accepted"}


def test_a_complaint_and_its_steps_are_accepted_and_a_step_must_name_its_complaint(rep):
    opened = rep.record("complaint", name="李娜", ago=timedelta(hours=2),
                        data={"status": "open", "content": "样板间漏水", "severity": "general", "handler": "王丽"})
    responded = rep.record("complaint", name="李娜", ago=timedelta(hours=1),
                           data={"status": "responded", "refers_to": opened["id"], "content": ""})
    changed = rep.record("complaint", name="李娜", ago=timedelta(minutes=30),
                         data={"status": "severity_changed", "refers_to": opened["id"], "severity": "major"})
    assert rep.statuses(opened, responded, changed) == ["accepted", "accepted", "accepted"]
    orphan = rep.record("complaint", name="李娜", data={"status": "resolved"})
    unknown = rep.record("complaint", name="李娜", data={"status": "resolved",
                                                      "refers_to": "3f0c1b9e-8a7d-4c2e-9f1a-2b3c4d5e6f70"})
    assert rep.statuses(orphan, unknown) == ["missing_field", "unknown_record"]


def test_a_sites_closed_days_are_set_once_pulled_by_its_tablets_and_bad_dates_say_what_to_write(live_server):
    """Issue 11: a site's own closed days (on top of the official holidays and 调休) are a site
    setting (``sites set --closed-days``), sent with the site so the tablets' complaint limits
    are the console's; a date that is not one is refused with what to write."""
    desk = Tablet(live_server, "desk.li", "closed-days desk")
    _, cursor = desk.pull_all()
    live_server.cli("sites", "set", "--id", "s1", "--closed-days", "2026-10-09, 2026-10-08,2026-10-08")
    try:
        site = [c["site"] for c in desk.pull_all(cursor)[0] if c["kind"] == "site"][-1]
        assert site["closed_days"] == ["2026-10-08", "2026-10-09"]
        assert "closed days 2026-10-08,2026-10-09" in live_server.cli("sites", "list").stdout
        bad = live_server.cli("sites", "set", "--id", "s1", "--closed-days", "2026-13-01", check=False)
        assert bad.returncode == 1 and "'2026-13-01' is not a date" in bad.stderr and "YYYY-MM-DD" in bad.stderr
        ancient = live_server.cli("sites", "set", "--id", "s1", "--closed-days", "0001-01-01", check=False)
        assert ancient.returncode == 1 and "not a date from 2000 to 2099" in ancient.stderr
        nothing = live_server.cli("sites", "set", "--id", "s1", check=False)
        assert nothing.returncode == 1 and "--closed-days" in nothing.stderr
    finally:
        live_server.cli("sites", "set", "--id", "s1", "--closed-days", "")
    assert [c["site"] for c in desk.pull_all()[0] if c["kind"] == "site"][-1]["closed_days"] == []


def _opened(tablet: Tablet, name: str = "李娜", ago: timedelta = timedelta(hours=2), **data) -> dict:
    record = tablet.record("complaint", name=name, ago=ago, data={"status": "open", "content": "样板间漏水",
                                                                  "severity": "general", "handler": "王丽", **data})
    assert tablet.statuses(record) == ["accepted"]
    return record


def test_qa11_f2_a_step_must_name_a_complaint_of_its_own_customer_and_come_after_it(rep):
    """QA of issue 11, F2: steps naming a deal or another step vanished, a step of another
    customer's complaint was counted for it, a 已解决 dated before the complaint set its
    satisfaction check before the opening; each is refused with its reason (kept on the tablet)."""
    opened = _opened(rep)
    step = rep.record("complaint", name="李娜", ago=timedelta(hours=1), data={"status": "responded",
                                                                           "refers_to": opened["id"]})
    deal = rep.record("deal", name="李娜", ago=timedelta(hours=1))
    assert rep.statuses(step, deal) == ["accepted", "accepted"]
    on_deal, on_step, other, early = (
        rep.record("complaint", name="李娜", data={"status": "resolved", "refers_to": deal["id"]}),
        rep.record("complaint", name="李娜", data={"status": "resolved", "refers_to": step["id"]}),
        rep.record("complaint", name="张伟", data={"status": "resolved", "refers_to": opened["id"]}),
        rep.record("complaint", name="李娜", ago=timedelta(hours=3), data={"status": "resolved",
                                                                         "refers_to": opened["id"]}))
    results = rep.push(on_deal, on_step, other, early)["results"]
    assert [(r["error"]["code"], r["error"]["field"]) for r in results] == [
        ("not_a_complaint", "data.refers_to"), ("not_a_complaint", "data.refers_to"),
        ("other_customers_complaint", "data.refers_to"), ("step_before_opening", "data.refers_to")]
    assert results[0]["error"]["params"] == {"type": "deal"}
    # the same, named in one push with the complaint it names (not stored yet)
    fresh = rep.record("complaint", name="李娜", ago=timedelta(minutes=30), data={"status": "open", "content": "噪音",
                                                                               "severity": "general"})
    before = rep.record("complaint", name="李娜", ago=timedelta(hours=2), data={"status": "responded",
                                                                             "refers_to": fresh["id"]})
    after = rep.record("complaint", name="李娜", ago=timedelta(minutes=10), data={"status": "responded",
                                                                               "refers_to": fresh["id"]})
    assert rep.statuses(fresh, before, after) == ["accepted", "step_before_opening", "accepted"]


def test_qa11_f2_a_corrected_customer_keeps_the_complaints_steps(rep):
    """The opening corrected to the customer's right number: a step with the new number still
    names the original opening (the tablet's case keeps its first id)."""
    opened = _opened(rep, name="王芳")
    fixed = rep.record("complaint", name="王芳", phone="137 0000 2222", supersedes=opened["id"],
                       ago=timedelta(hours=2), data=opened["data"])
    step = rep.record("complaint", name="王芳", phone="137 0000 2222", data={"status": "responded",
                                                                           "refers_to": opened["id"]})
    assert rep.statuses(fixed, step) == ["accepted", "accepted"]


def test_qa11_f3_only_a_manager_approves_a_complaints_extension(live_server, rep):
    """QA of issue 11, F3: a rep's tablet pushed extension_approved naming the manager, and the
    console said 赵敏 批准; only a manager's tablet may record it."""
    opened = _opened(rep, severity="major")
    approval = {"status": "extension_approved", "refers_to": opened["id"], "limit_days": 7, "approved_by": "赵敏"}
    refused = rep.push(rep.record("complaint", name="李娜", data=approval))["results"][0]
    assert (refused["error"]["code"], refused["error"]["field"]) == ("extension_manager_only", "data.status")
    desk = Tablet(live_server, "desk.li", "extension desk")
    assert desk.statuses(desk.record("complaint", rep=None, name="李娜", data=approval)) == ["extension_manager_only"]
    manager = Tablet(live_server, "zhao.min", "extension manager")
    assert manager.statuses(manager.record("complaint", rep=None, name="李娜", data=approval)) == ["accepted"]
    # the approver is the manager recording it, not a name typed in (second pass: "张强 批准")
    someone = manager.push(manager.record("complaint", rep=None, name="李娜", data={**approval, "approved_by": "张强"}))
    error = someone["results"][0]["error"]
    assert (error["code"], error["field"]) == ("extension_manager_only", "data.approved_by")
    by_login = manager.record("complaint", rep=None, name="李娜", data={**approval, "approved_by": "zhao.min"})
    assert manager.statuses(by_login) == ["accepted"]



def test_qa11_second_pass_an_amount_beyond_fen_is_refused_not_rounded(rep):
    deal = rep.record("deal", name="李娜", data={"stage": "small_deposit", "unit": "8-8", "amount": 99999999.995})
    result = rep.push(deal)["results"][0]
    assert (result["error"]["code"], result["error"]["field"]) == ("amount_cents", "data.amount")
