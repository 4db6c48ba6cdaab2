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


def test_a_customer_the_rep_registered_who_is_another_reps_is_not_on_her_list_as_unsynced(tmp_path, server):
    """Noticed in QA7: 王丽 received 张伟 on her own tablet, but the desk had registered him for
    张强 an hour earlier (R1: 张强's). After her sync, 我的客户 still listed 张伟 as 待同步 (from her
    own record) although the server had answered and he is 张强's; now he is not on her list.
    Her own customer 李娜 stays, and a registration of hers not yet sent stays as 待同步."""
    from mobile.services import RecordCapture

    now = now_cst()
    desk = Tablet(server, "desk.li", "前台平板")
    desk.boot_started = now - timedelta(hours=3)
    desk.push([desk.record("walkin", timedelta(hours=2), rep="zhang.qiang", name="张伟", phone="138 0013 8000",
                           data={"intent": "B"})])
    store = LocalStore(tmp_path / "rep" / "fieldsync.db")
    client = SyncClient(store, RequestsTransport())
    client.enroll(server.base_url, "wang.li", "secret-pass-1", "王丽的平板")
    capture = RecordCapture(store)
    for name, phone in (("张伟", "138 0013 8000"), ("李娜", "139 0013 9000")):
        capture.capture("walkin", name=name, phone=phone, rep="wang.li", data={"visit": "first", "party_size": 1})
    client.sync()
    capture.capture("walkin", name="赵六", phone="137 0013 7000", rep="wang.li", data={"visit": "first", "party_size": 1})
    listed = {(c.name, c.provisional) for c in MyCustomers(store, now=lambda: now).due_list("wang.li")}
    assert listed == {("李娜", False), ("赵六", True)}, listed
    store.close()
