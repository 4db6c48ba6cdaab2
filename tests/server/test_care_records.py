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


def test_a_sites_closed_days_are_a_setting_checked_at_start():
    from sync_server.config import SettingsError, load_settings

    settings = load_settings(site_closed_days="s1=2026-10-08,2026-10-09; s2=2026-12-24")
    calendar = settings.working_calendar("s1")
    assert not calendar.is_working_day(date(2026, 10, 8)) and calendar.is_working_day(date(2026, 10, 10))
    assert settings.working_calendar("s2").closed_days == frozenset({date(2026, 12, 24)})
    with pytest.raises(SettingsError, match="FIELDSYNC_SITE_CLOSED_DAYS.*2026-13-01"):
        load_settings(site_closed_days="s1=2026-13-01")
