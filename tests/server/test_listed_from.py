"""QA of issue 12 N2, on SQLite and PostgreSQL: ``users add --listed-from <earlier day>`` on a
site already using the rotation rewrote boards already used (the new rep jumped to next, given
turns were flagged 未按顺序, a colleague's 补接 was lost, yesterday's board gained the rep). The
rule now: a rep may not be listed from before now when a day from the listed day to today has
rotation records (refused, naming the day, in Chinese and English); a future day is accepted
with a message saying when the rep joins, up to 60 days ahead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sync_server.services.rotation import day_boards
from sync_server.storage import open_reporting, open_store
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet, now_cst


def rotation(tablet: Tablet, event: str, rep: str | None, *, ago: timedelta, **data) -> dict:
    record = tablet.record("rotation", rep=rep, ago=ago)
    record["data"] = {"day": record["data"]["day"], "event": event, **data}
    return record


def boards(live_server) -> list:
    """Yesterday's and today's boards as the server folds them (the tablets' fold, with the
    pulled duty periods: ``shared.rotation_duty``)."""
    store = open_store(live_server.db_url)
    try:
        site = store.get_site("s1")
        today = now_cst().date()
        found, _ = day_boards(open_reporting(store), site, store.list_users("s1"), today - timedelta(days=1), today)
        return found
    finally:
        store.close()


@pytest.fixture(scope="module")
def used_days(live_server):
    """Yesterday and today already have rotation records: 张强 sent out by the manager
    (owed a 补接), turns given in order."""
    desk = Tablet(live_server, "desk.li", "desk-listed")
    desk.boot_started -= timedelta(days=2)  # up since before yesterday's records
    now = now_cst()
    since_midnight = now.hour + now.minute / 60 + now.second / 3600
    hours = min(since_midnight, 6) * 0.9  # today's events stay today, whatever the hour (just after midnight too)
    yesterday = [rotation(desk, "receive", "chen.jie", ago=timedelta(days=1), visit="new", turn=1, reason="turn")]
    today = [rotation(desk, "assigned", "zhang.qiang", ago=timedelta(hours=hours)),
             rotation(desk, "receive", "chen.jie", ago=timedelta(hours=hours * 0.8), visit="new", turn=1,
                      reason="turn"),
             rotation(desk, "receive", "wang.li", ago=timedelta(hours=hours * 0.6), visit="new", turn=2,
                      reason="turn")]
    assert desk.statuses(*yesterday, *today) == ["accepted"] * 4
    return boards(live_server)


def _add(live_server, username: str, listed_from: str):
    return live_server.cli("users", "add", "--site", "s1", "--username", username, "--password", PASSWORD,
                           "--role", "rep", "--name", f"新人{username[-1]}", "--listed-from", listed_from, check=False)


@pytest.mark.parametrize("start", ["yesterday", "two_days_ago", "today_midnight", "an_hour_ago"])
def test_n2_a_rep_listed_from_before_now_on_a_used_day_is_refused_and_no_board_changes(live_server, used_days,
                                                                                          start):
    today = now_cst().date()
    text = {"yesterday": (today - timedelta(days=1)).isoformat(),
            "two_days_ago": (today - timedelta(days=2)).isoformat(),
            "today_midnight": today.isoformat(),
            "an_hour_ago": (now_cst() - timedelta(minutes=1)).isoformat(timespec="seconds")}[start]
    result = _add(live_server, f"late.{start}", text)
    assert result.returncode == 1, result.stdout
    first_used = min(d for d in (today - timedelta(days=1), today) if d >= date.fromisoformat(text[:10]))
    assert f"{first_used} 的排班已有记录" in result.stderr and f"rotation of {first_used}" in result.stderr
    assert "不加 --listed-from" in result.stderr and "Leave out --listed-from" in result.stderr
    assert f"late.{start}" not in live_server.cli("users", "list", "--site", "s1").stdout
    assert boards(live_server) == used_days  # the fold of every used day is the same


def test_n2_a_rep_added_now_leaves_the_turns_already_given_and_yesterday_alone(live_server, used_days):
    live_server.cli("users", "add", "--site", "s1", "--username", "join.now", "--password", PASSWORD,
                    "--role", "rep", "--name", "新人现在")
    yesterday_after, today_after = boards(live_server)
    yesterday_before, today_before = used_days
    assert yesterday_after == yesterday_before
    assert today_after.clashes == today_before.clashes  # no given turn newly blamed
    assert today_after.receptions == today_before.receptions
    assert today_after.rotation.owed == today_before.rotation.owed  # 张强's 补接 stays
    assert today_after.rotation.queue[-1] == "join.now"  # at the back


def test_n2_a_future_day_is_accepted_saying_when_the_rep_joins(live_server, used_days):
    day = now_cst().date() + timedelta(days=3)
    result = _add(live_server, "future.3", day.isoformat())
    assert result.returncode == 0, result.stderr
    assert f"将于 {day} 00:00（案场时间）加入排班" in result.stdout and f"joins the rotation on {day}" in result.stdout
    assert boards(live_server)[0] == used_days[0]


def test_n2_a_day_beyond_sixty_days_ahead_is_refused_as_a_likely_typo(live_server):
    result = _add(live_server, "typo.2030", "2030-01-01")
    assert result.returncode == 1
    assert "超过今天起 60 天" in result.stderr and "more than 60 days ahead" in result.stderr
    assert "typo.2030" not in live_server.cli("users", "list", "--site", "s1").stdout


def test_b_a_day_before_now_without_records_on_the_server_says_what_an_offline_desk_does(live_server):
    """QA of issue 12, B: the server cannot see an offline desk's turns of that day; the CLI
    says, in both languages, that such records place the rep in the queue from that time."""
    if "s-listed\t" not in live_server.cli("sites", "list").stdout:
        live_server.cli("sites", "add", "--id", "s-listed", "--name", "新案场")
    day = (now_cst().date() - timedelta(days=1)).isoformat()
    result = live_server.cli("users", "add", "--site", "s-listed", "--username", "past.b", "--password", PASSWORD,
                             "--role", "rep", "--name", "新人乙", "--listed-from", day, check=False)
    assert result.returncode == 0, result.stderr
    assert f"新人乙 自 {day} 00:00（案场时间）起计入排班。若有平板此后离线未同步" in result.stdout
    assert "If a tablet has been offline since then, its rotation records will place 新人乙" in result.stdout
