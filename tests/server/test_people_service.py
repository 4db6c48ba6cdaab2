"""``services/people.py`` on a real SQLite store: the rules a manager acting in the console
meets that the command line does not, and the audit row each act leaves (or does not)."""

from __future__ import annotations

import pytest

from sync_server.services import people
from sync_server.services.admin import AdminError
from sync_server.services.audit import Origin
from sync_server.storage import open_reporting, open_store
from sync_server.storage.base import Site, User


@pytest.fixture
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'people.db'}")
    store.add_site(Site("s1", "星河湾销售中心"))
    store.add_user(User("zhao.min", "s1", "赵敏", "manager", "h"))
    store.add_user(User("wang.li", "s1", "王丽", "rep", "h"))
    yield store
    store.close()


def test_the_last_active_manager_stays_unless_the_command_line_says_so(store):
    someone = Origin.api("wang.li", "192.0.2.7")  # any person acting, whatever their page
    with pytest.raises(AdminError) as last:
        people.set_active(store, someone, "zhao.min", False, site_id="s1")
    assert last.value.code == "last_manager" and store.get_user("zhao.min").active
    people.add_person(store, Origin.cli(), site_id="s1", username="lin.hui", password="first-pass-1",
                      role="manager", name="林慧")
    people.set_active(store, someone, "zhao.min", False, site_id="s1")  # another manager is left
    with pytest.raises(AdminError) as self_off:
        people.set_active(store, Origin.console("lin.hui", "192.0.2.8"), "lin.hui", False, site_id="s1")
    assert self_off.value.code == "self_deactivate"
    people.set_active(store, Origin.cli(), "lin.hui", False)  # the administrator may; the CLI reactivates
    assert not store.get_user("lin.hui").active


def test_doing_what_is_already_so_writes_no_row_and_a_failed_act_writes_none(store):
    reporting = open_reporting(store)
    origin = Origin.console("zhao.min", "192.0.2.7")
    people.set_active(store, origin, "wang.li", True, site_id="s1")
    with pytest.raises(AdminError):
        people.reset_password(store, origin, "wang.li", site_id="s1", password="short")
    with pytest.raises(AdminError):
        people.add_person(store, origin, site_id="s1", username="wang.li", password="long-enough-1", role="rep",
                          name="王丽")
    assert reporting.audit_entries(["s1"]).total == 0
    temporary = people.reset_password(store, origin, "wang.li", site_id="s1")
    assert len(temporary) == 10 and set(temporary) <= set(people.TEMP_PASSWORD_CHARS)
    assert store.get_user("wang.li").must_change_password
    [row] = reporting.audit_entries(["s1"]).rows
    assert (row.actor, row.source, row.address, row.action, row.target, row.details) == (
        "zhao.min", "console", "192.0.2.7", "password.reset", "wang.li", {"chosen_by": "generated"})
    assert temporary not in repr(row)  # the password itself is never logged
