"""The audit log's storage contract (issue 12), on SQLite and PostgreSQL: a row commits with
the act it describes or not at all; the reading filters by sites, dates and person, pages
newest first, and tells the total; a reset password's flag round-trips on the user."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sync_server.storage.audit import AuditRow
from sync_server.storage.base import Site, User


def _seed(store) -> None:
    for site in ("s1", "s2"):
        store.add_site(Site(site, f"site {site}"))
    store.add_user(User("zhao.min", "s1", "赵敏", "manager", "h"))
    store.add_user(User("wang.li", "s1", "王丽", "rep", "h"))
    store.add_user(User("qian.bo", "s2", "钱波", "manager", "h"))


def _row(n: int, site: str = "s1", actor: str | None = "zhao.min", target: str = "wang.li",
         action: str = "user.deactivated") -> AuditRow:
    at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC) + timedelta(minutes=n)
    return AuditRow(site_id=site, id=f"a{n:04d}", at=at.isoformat(timespec="milliseconds"), actor=actor,
                    source="console", address="192.0.2.7", action=action, target=target,
                    details={"role": "rep", "n": n})


def test_a_row_commits_with_its_act_or_not_at_all(store, reporting):
    _seed(store)
    with pytest.raises(RuntimeError), store.write("s1"):
        store.update_user("wang.li", active=False)
        store.add_audit(_row(1))
        raise RuntimeError("the act fails after its row was written")
    assert store.get_user("wang.li").active and reporting.audit_entries(["s1"]).total == 0
    with store.write("s1"):
        store.update_user("wang.li", active=False)
        store.add_audit(_row(1))
    page = reporting.audit_entries(["s1"])
    assert not store.get_user("wang.li").active and page.total == 1
    assert page.rows == [_row(1)]  # every field as written, details JSON included


def test_reading_filters_by_site_dates_and_person_newest_first_in_pages(store, reporting):
    _seed(store)
    for n in range(7):
        store.add_audit(_row(n, target="wang.li" if n % 2 else "zhao.min"))
    store.add_audit(_row(100, site="s2", actor="qian.bo", target="qian.bo"))
    store.add_audit(_row(101, actor=None, target="wang.li", action="password.set"))  # the command line
    every = reporting.audit_entries(["s1"], limit=100)
    assert [r.id for r in every.rows] == ["a0101", "a0006", "a0005", "a0004", "a0003", "a0002", "a0001", "a0000"]
    assert every.total == 8
    second = reporting.audit_entries(["s1"], offset=3, limit=3)
    assert [r.id for r in second.rows] == ["a0004", "a0003", "a0002"] and second.total == 8
    start = datetime(2026, 11, 20, 10, 2, tzinfo=timezone(timedelta(hours=8)))  # = 02:02 UTC, as a site gives it
    window = reporting.audit_entries(["s1"], start, start + timedelta(minutes=3))
    assert [r.id for r in window.rows] == ["a0004", "a0003", "a0002"]
    by_person = reporting.audit_entries(["s1"], person="wang.li", limit=100)
    assert [r.id for r in by_person.rows] == ["a0101", "a0005", "a0003", "a0001"]
    acted_by = reporting.audit_entries(["s1"], person="zhao.min", limit=100)
    assert {r.id for r in acted_by.rows} == {f"a{n:04d}" for n in range(7)}  # by them or on them
    assert reporting.audit_entries(["s2"]).total == 1  # a manager's site only
    both = reporting.audit_entries(["s1", "s2"], limit=100)  # a reader over several sites (later: a director)
    assert both.total == 9 and both.rows[0].id == "a0101" and both.rows[1].site_id == "s2"


def test_last_sign_ins_are_the_latest_successful_sign_in_or_enrolment(store, reporting):
    _seed(store)
    store.add_audit(_row(1, target="zhao.min", action="sign_in.ok"))
    store.add_audit(_row(5, target="zhao.min", action="sign_in.ok"))
    store.add_audit(_row(7, target="zhao.min", action="sign_in.failed"))
    store.add_audit(_row(3, actor="wang.li", target="dev-1", action="device.enrolled"))
    store.add_audit(_row(9, site="s2", actor="qian.bo", target="qian.bo", action="sign_in.ok"))
    assert reporting.last_sign_ins("s1") == {"zhao.min": _row(5).at, "wang.li": _row(3).at}


def test_a_reset_password_flag_round_trips_on_the_user(store):
    _seed(store)
    assert store.get_user("wang.li").must_change_password is False
    before = store.head("s1")
    store.update_user("wang.li", password_hash="new", must_change_password=True)
    user = store.get_user("wang.li")
    assert user.must_change_password and user.password_hash == "new" and store.head("s1") > before
    store.update_user("wang.li", active=False)  # other changes leave it
    assert store.get_user("wang.li").must_change_password
    store.update_user("wang.li", must_change_password=False)
    assert not store.get_user("wang.li").must_change_password


def test_an_act_logged_at_several_sites_under_one_id_is_read_once_over_them(store, reporting):
    """A director's sign-in is logged at each site of the organisation under one id
    (``services.audit.log_org``): each site's reader has it, the director reading both sites has
    it once, counted once (QA of issue 12 M3: the director's log showed it once per site)."""
    _seed(store)
    for site in ("s1", "s2"):
        store.add_audit(replace(_row(5, site=site, actor="dir.a", target="dir.a", action="sign_in.ok"), id="org1"))
    store.add_audit(_row(6, site="s2", actor="qian.bo", target="qian.bo"))
    assert [r.id for r in reporting.audit_entries(["s1"]).rows] == ["org1"]
    assert [r.id for r in reporting.audit_entries(["s2"]).rows] == ["a0006", "org1"]
    both = reporting.audit_entries(["s1", "s2"], limit=100)
    assert [(r.id, r.site_id) for r in both.rows] == [("a0006", "s2"), ("org1", "s1")] and both.total == 2
    assert reporting.audit_entries(["s2", "s1"], person="dir.a", offset=0, limit=1).total == 1


def test_acts_logged_in_one_millisecond_read_newest_first_in_the_order_they_were_logged(store, reporting):
    """A fifth failed sign-in and the lock-out it causes are logged in the same millisecond;
    rows of one ``at`` were ordered by a random uuid4 id, so the log showed either first (a
    flaky console test). ``services.audit.new_row_id`` begins with the time in nanoseconds."""
    from sync_server.services import audit

    _seed(store)
    at = "2026-11-20T02:00:00.000+00:00"
    for n in range(40):
        with store.write("s1"):
            store.add_audit(replace(_row(n), id=audit.new_row_id(), at=at))
    rows = reporting.audit_entries(["s1"], limit=100).rows
    assert [r.details["n"] for r in rows] == list(range(39, -1, -1))
