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
    extension = rep.record("complaint", name="李娜", ago=timedelta(minutes=30),
                           data={"status": "extension_approved", "refers_to": opened["id"], "limit_days": 7,
                                 "approved_by": "赵经理"})
    assert rep.statuses(opened, responded, extension) == ["accepted", "accepted", "accepted"]
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
