"""Issue 14, the second phone oracle: a pushed record naming a phone.

Before: a rep's (or the desk's) tablet pushed a 来电 naming ``138XXXX8000`` and read the answer
in the next pull — a new customer row for a number nobody had, none for a customer's number,
and the record back with the existing customer's ``phone_tag`` (its replica row: the owner).
Every candidate at push speed, past the look-up budget and without computing one tag
(/tmp/oracle14/verify.py: docs/privacy.md, "The push as an oracle").

Now each phone a non-manager names without being able to see it counts against
``RECORD_BUDGET`` (300 a rolling day, ``services/record_budget.py``). Over it the record is
still accepted and stored, but held: ``owner_withheld`` in the answer and the pull, no
``phone_tag``, no change of the ownership index — the same for a customer's number and a new
one — until a manager confirms it. A desk's busy day (150 walk-ins and calls) never reaches it;
managers are not counted. Both backends, a real server.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from sync_server.services.lookup_budget import lookup_budget_file
from sync_server.services.record_budget import (
    RECORD_BUDGET,
    RECORD_WINDOW_S,
    record_budget,
    record_budget_file,
)
from sync_server.services.throttle import SharedSignInThrottle
from tests.console.conftest import csrf_of, requests_session
from tests.live_server import PASSWORD, SITE_ID, LiveServer
from tests.server.helpers import Tablet, now_cst

HIDDEN = {"13800138000": "chen.jie", "13912345678": "zhang.qiang"}  # customers neither wang nor the desks own
AUDIT_LABEL = "上传记录中的陌生号码超出上限，归属暂不告知"
REP_TYPES = ("walkin", "call", "follow_up", "visit_report", "complaint", "deal")
DESK_TYPES = ("walkin", "call", "complaint", "referral")


def _candidate(i: int) -> str:
    """The enumeration: 138 XXXX 8000, the middle four digits in order (0013 is chen.jie's)."""
    return f"138{i:04d}8000"


def _add_user(server, username: str, role: str, name: str) -> None:
    server.cli("users", "add", "--site", SITE_ID, "--username", username, "--password", PASSWORD, "--role", role,
               "--name", name, "--listed-from", "2020-01-01")


@pytest.fixture(scope="module")
def site(live_server):
    desk = Tablet(live_server, "desk.li")
    desk.push(desk.record(rep="chen.jie", name="张伟", phone="138 0013 8000"),
              desk.record(rep="zhang.qiang", name="李娜", phone="139 1234 5678"))
    desk.settle_tags()
    _add_user(live_server, "desk.wu", "reception", "吴芳")
    _add_user(live_server, "desk.he", "reception", "何静")
    return live_server


def _push(tablet: Tablet, records: list[dict]) -> list[dict]:
    results = []
    for start in range(0, len(records), 100):
        results += tablet.push(*records[start:start + 100])["results"]
    assert all(r["status"] == "accepted" for r in results), [r for r in results if r["status"] != "accepted"][:3]
    return results


def _spend(tablet: Tablet, n: int, offset: int = 0) -> list[dict]:
    """``n`` calls naming candidates nobody has (the middle digits from 5000 on)."""
    return _push(tablet, [tablet.record("call", rep=None, name="某", phone=_candidate(5000 + offset + i))
                          for i in range(n)])


def _observe(tablet: Tablet, cursor: str, record: dict) -> tuple[dict, dict, list[dict], str]:
    """Push one record and pull: (its result, the record as pulled back, the ownership changes, cursor)."""
    result = tablet.push(record)["results"][0]
    changes, cursor = tablet.pull_all(cursor, keys="tag")
    pulled = next(c["record"] for c in changes if c["kind"] == "record" and c["record"]["id"] == record["id"])
    return result, pulled, [c["customer"] for c in changes if c["kind"] == "ownership"], cursor


def _rep_record(tablet: Tablet, type_: str, phone: str) -> dict:
    return tablet.record(type_, rep=tablet.username if type_ in ("walkin", "deal") else None, name="某", phone=phone)


def test_a_reps_pushed_records_stop_revealing_owners_after_the_budget(site):
    wang = Tablet(site, "wang.li")
    changes, cursor = wang.pull_all(keys="tag")
    own = "137 0000 1111"  # wang's own customer: her real work goes on whatever the budget
    assert wang.statuses(wang.record(rep="wang.li", name="王芳", phone=own)) == ["accepted"]
    changes, cursor = wang.pull_all(cursor, keys="tag")

    # within the budget the oracle still answers (what the budget allows): chen.jie's customer,
    # whose tag a rep's pull carries once her own record named the number (issue 14)
    result, pulled, owners, cursor = _observe(wang, cursor, _rep_record(wang, "call", "138 0013 8000"))
    by_tag = {c["customer"]["phone_tag"]: c["customer"] for c in wang.pull_all(keys="tag")[0] if c["kind"] == "ownership"}
    assert "owner_withheld" not in result and by_tag[pulled["phone_tag"]]["owner"] == "chen.jie"

    _spend(wang, RECORD_BUDGET - 1)
    wang.settle_tags()  # the background tagger's changes of the spent customers are not the answer
    changes, cursor = wang.pull_all(cursor, keys="tag")
    for type_ in REP_TYPES:  # then every type, a customer's number and a new one, read the same
        seen = []
        for phone in ("139 1234 5678", "138 9999 8000"):
            result, pulled, owners, cursor = _observe(wang, cursor, _rep_record(wang, type_, phone))
            assert result == {"id": pulled["id"], "status": "accepted", "owner_withheld": True}, type_
            assert pulled["phone_tag"] is None and pulled["owner_withheld"] is True, (type_, phone)
            assert owners == [], (type_, phone)  # no new customer row, no change of zhang.qiang's
            seen.append((result["status"], pulled["phone_tag"], len(owners)))
        assert seen[0] == seen[1]
    # her own customer is not counted and not held
    result, pulled, owners, cursor = _observe(wang, cursor, wang.record("follow_up", rep=None, name="王芳", phone=own))
    assert "owner_withheld" not in result and "owner_withheld" not in pulled and pulled["phone_tag"]


def test_the_desks_pushed_records_stop_revealing_owners_after_the_budget(site):
    desk = Tablet(site, "desk.wu")
    changes, cursor = desk.pull_all(keys="tag")
    _spend(desk, RECORD_BUDGET, offset=1000)
    desk.settle_tags()
    changes, cursor = desk.pull_all(cursor, keys="tag")
    for type_ in DESK_TYPES:
        for phone in ("139 1234 5678", "138 9999 7000"):
            record = desk.record(type_, rep="chen.jie" if type_ == "walkin" else None, name="某", phone=phone)
            result, pulled, owners, cursor = _observe(desk, cursor, record)
            assert result.get("owner_withheld") is True and pulled["phone_tag"] is None and owners == [], (type_, phone)


def test_a_desks_busy_day_pushed_at_once_never_hits_the_budget(site):
    """150 walk-ins and calls over 8 hours, pushed in one go (the desk was offline all day): the
    returning customers among them (the hidden ones) come back with their customer's tag."""
    desk = Tablet(site, "desk.he")
    desk.boot_started = now_cst() - timedelta(hours=9)
    records = []
    for i in range(150):
        type_, rep = ("walkin", "wang.li") if i % 3 else ("call", None)
        phone = f"15{i:03d}{i:06d}"[:11]
        if i % 25 == 0:  # a returning customer, handed to their own rep (R5)
            phone, type_ = ("138 0013 8000", "139 1234 5678")[i % 2], "walkin"
            rep = HIDDEN[phone.replace(" ", "")]
        records.append(desk.record(type_, ago=timedelta(minutes=480 - 3 * i), rep=rep, name=f"客{i}", phone=phone))
    results = _push(desk, records)
    assert not [r for r in results if r.get("owner_withheld")]
    changes = desk.settle_tags()
    pulled = {c["record"]["id"]: c["record"] for c in changes if c["kind"] == "record"}
    owners = {c["customer"]["phone_tag"]: c["customer"]["owner"] for c in changes if c["kind"] == "ownership"}
    assert all(pulled[r["id"]]["phone_tag"] for r in records)
    returning = [r for i, r in enumerate(records) if i % 25 == 0]
    assert {owners[pulled[r["id"]]["phone_tag"]] for r in returning} == set(HIDDEN.values())


def test_a_manager_is_not_limited(site):
    manager = Tablet(site, "zhao.min")
    results = _spend(manager, RECORD_BUDGET + 20, offset=3000)
    assert not [r for r in results if r.get("owner_withheld")]


def _audit_rows(server) -> list[list[str]]:
    answer = requests_session(server).get(server.base_url + "/console/audit/export", params={"format": "csv"},
                                          timeout=30)
    assert answer.status_code == 200
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_held_records_are_stored_the_manager_sees_them_and_once_in_the_audit_log(site):
    """Runs after the tests above spent wang's and desk.wu's budgets."""
    manager = Tablet(site, "zhao.min", "manager-2")
    changes, _ = manager.pull_all(keys="tag")
    held = [c["record"] for c in changes if c["kind"] == "record" and c["record"].get("owner_withheld")]
    phones = {r["customer"]["phone"] for r in held}
    assert {"139 1234 5678", "138 9999 8000", "138 9999 7000"} <= phones  # stored, whole, for the manager
    assert all(r["phone_tag"] for r in held if r["customer"]["phone"] == "139 1234 5678")  # managers see all
    wang = Tablet(site, "wang.li", "wang-fresh")  # a fresh tablet's snapshot withholds them too
    answer = wang.get("/sync/snapshot", keys="tag")
    lines = [json.loads(line) for line in answer.text.splitlines()]
    mine = [c["record"] for c in lines if c.get("kind") == "record" and c["record"].get("owner_withheld")]
    assert {r["customer"]["phone"] for r in mine} >= {"139 1234 5678", "138 9999 8000"}
    assert all(r["phone_tag"] is None for r in mine)
    rows = [row for row in _audit_rows(site) if AUDIT_LABEL in row]
    who = [row[1] for row in rows]
    assert who.count("王丽（wang.li）") == 1 and who.count("吴芳（desk.wu）") == 1, rows
    assert not [w for w in who if "desk.he" in w or "zhao.min" in w]
    assert all("24 小时内上传的记录已含 300 个本人看不到的号码" in row[5] for row in rows)


def test_confirming_a_held_record_releases_its_phone_into_the_ownership_index(site):
    wang = Tablet(site, "wang.li", "wang-second")
    wang.settle_tags()  # the manager's spent customers are tagged in the background meanwhile
    changes, cursor = wang.pull_all(keys="tag")
    masks = {c["customer"]["phone_masked"] for c in changes if c["kind"] == "ownership"}
    assert "+86 *******8000" in masks  # chen.jie's 138 0013 8000
    record = _rep_record(wang, "walkin", "138 7777 6000")  # a new customer, held: not in the index
    result, pulled, owners, cursor = _observe(wang, cursor, record)
    assert result.get("owner_withheld") is True and owners == []
    session = requests_session(site)
    csrf = csrf_of(session.get(site.base_url + "/console/confirm", timeout=30).text)
    answer = session.post(site.base_url + "/console/confirm", timeout=30,
                          data={"csrf_token": csrf, "record_id": [record["id"]]})
    assert answer.status_code == 200 and "已确认 1 条" in answer.text
    changes, cursor = wang.pull_all(cursor, keys="tag")
    owners = [c["customer"] for c in changes if c["kind"] == "ownership" and c["customer"]["phone"]]
    assert [(o["owner"], o["phone"]) for o in owners] == [("wang.li", "+8613877776000")]  # her customer now
    assert [c["confirmation"]["record_id"] for c in changes if c["kind"] == "confirmation"] == [record["id"]]


def test_the_record_budget_is_a_day_long_look_up_budget_in_its_own_shared_file(tmp_path):
    """``serve --workers N`` shares it like the look-up budget, in a file of its own (a file's rows
    are swept by its one window: the look-up's hour would drop the day's counts)."""
    sign_in = str(tmp_path / "sign-in-failures.db")
    assert record_budget_file(sign_in) == str(tmp_path / "phone-records.db") != lookup_budget_file(sign_in)
    assert record_budget_file(None) is None
    budget = record_budget(sign_in)
    assert (budget.limit, budget.window_s) == (RECORD_BUDGET, RECORD_WINDOW_S) == (300, 24 * 60 * 60)
    assert isinstance(budget._looked, SharedSignInThrottle)


def _spent_rep(site, username: str, name: str, offset: int) -> tuple[Tablet, str, str]:
    """A rep (added now) who has spent the record budget on candidates nobody has; the
    tablet, a phone she has named herself (seen by her) and her pull cursor."""
    _add_user(site, username, "rep", name)
    tablet = Tablet(site, username)
    _spend(tablet, RECORD_BUDGET, offset=offset)
    tablet.settle_tags()
    _, cursor = tablet.pull_all(keys="tag")
    return tablet, _candidate(5000 + offset), cursor


def _hidden_customer(site, phone: str) -> dict:
    manager = Tablet(site, "zhao.min")
    return manager.get("/customers/lookup", phone=phone).json()


def test_n1_a_household_phone_past_the_budget_is_held_and_never_links_a_hidden_customer(site):
    """QA of the fix (N1): past her budget a rep pushed a walk-in for a number she had named
    herself with another rep's hidden customer as its household phone; her next pull returned
    that customer in clear (phone, name, owner), disputed and split 50/50 with her. Every phone
    a record would link counts: this one is held, and nothing about the hidden customer moves."""
    before = _hidden_customer(site, "139 1234 5678")
    rep, seen_phone, cursor = _spent_rep(site, "rep.qian", "钱多", offset=3000)
    record = rep.record(rep="rep.qian", name="某", phone=seen_phone, data={"household_phone": "139 1234 5678"})
    result, pulled, owners, cursor = _observe(rep, cursor, record)
    assert result.get("owner_withheld") is True and pulled["owner_withheld"] is True
    assert owners == [] and pulled["phone_tag"] is None
    after = _hidden_customer(site, "139 1234 5678")
    assert (after["owner"], after["status"], after.get("split")) == (before["owner"], before["status"],
                                                                     before.get("split"))


def test_n2_a_correction_of_a_held_record_is_held_and_never_links_its_phone_back(site):
    """QA of the fix (N2): a correction (``supersedes``) of a held record, pushed with a number the
    rep had named herself, linked the held phone back in and pulled its customer in clear with
    her as owner (disputed, 50/50). A correction of a held record is held with it."""
    before = _hidden_customer(site, "138 0013 8000")
    rep, seen_phone, cursor = _spent_rep(site, "rep.sun", "孙丽", offset=4000)
    held = rep.record(rep="rep.sun", name="某", phone="138 0013 8000")
    result, _, owners, cursor = _observe(rep, cursor, held)
    assert result.get("owner_withheld") is True and owners == []
    correction = rep.record(rep="rep.sun", name="某", phone=seen_phone, supersedes=held["id"])
    result, pulled, owners, cursor = _observe(rep, cursor, correction)
    assert result.get("owner_withheld") is True and pulled["owner_withheld"] is True and owners == []
    after = _hidden_customer(site, "138 0013 8000")
    assert (after["owner"], after["status"], after.get("split")) == (before["owner"], before["status"],
                                                                     before.get("split"))


def test_the_record_budget_is_a_setting_for_a_promotion_day_or_a_bulk_import():
    """``FIELDSYNC_RECORD_BUDGET`` (docs/settings.md): with 2, a desk's third unseen phone of the
    day is held; the default stays 300."""
    from sync_server.config import Settings

    assert Settings().record_budget == RECORD_BUDGET == 300
    with LiveServer(env={"FIELDSYNC_RECORD_BUDGET": "2"}) as server:
        desk = Tablet(server, "desk.li")
        results = desk.push(*[desk.record("call", rep=None, name="某", phone=_candidate(7000 + i))
                              for i in range(3)])["results"]
        assert [r.get("owner_withheld", False) for r in results] == [False, False, True]
