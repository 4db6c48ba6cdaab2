"""Issue 11 on a rep's tablet against a real server: the due list reads the server's records
(their estimated times are UTC) on the site's calendar day, as the console does."""

from __future__ import annotations

from datetime import datetime, timedelta

from mobile.services import MyCustomers
from mobile.store import LocalStore
from mobile.sync import RequestsTransport, SyncClient
from tests.console.seed import Tablet, now_cst


def test_a_pulled_visit_just_after_midnight_in_beijing_is_due_from_its_beijing_day(tmp_path, server):
    """CI at 01:17 Beijing: a visit twenty days back at that hour (17:17Z the day before) was
    read on its UTC day, so 今日待跟进 said 逾期 7 天 where the rep's calendar says 6."""
    now = now_cst()
    visited = datetime.combine((now - timedelta(days=20)).date(), datetime.min.time(), now.tzinfo) + timedelta(
        hours=1, minutes=17)
    desk = Tablet(server, "desk.li", "前台平板")
    desk.boot_started = visited - timedelta(hours=1)
    desk.push([desk.record("walkin", now - visited, rep="wang.li", name="李娜", phone="139 0013 9000",
                           data={"intent": "B"})])
    store = LocalStore(tmp_path / "rep" / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, "wang.li", "secret-pass-1", "王丽的平板")
    client.sync()
    [customer] = MyCustomers(store, now=lambda: now).due_list("wang.li")
    assert (customer.name, customer.due) == ("李娜", visited.date() + timedelta(days=14))
    store.close()
