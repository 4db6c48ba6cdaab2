"""Issue 12, hand-over (随机抽数分配, 001 §14(五)3(12)) through a real server, on SQLite and
PostgreSQL: only the site's managers hand over; a draw is recorded with its seed and anyone
re-runs it to the same result (API and ``fieldsync-server handover verify``); tablets pull the
new owner with the hand-over's explanation step; a deal keeps its rep unless included."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest

from shared.handover import draw
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet

_numbers = count(1)


@pytest.fixture(scope="module")
def manager(live_server):
    return Tablet(live_server, "zhao.min")


def _leaving_rep(live_server, desk: Tablet, customers: int, deals: int = 0,
                 office: Tablet | None = None) -> tuple[str, list[dict]]:
    """A new rep with ``customers`` walk-ins registered at the desk (the first ``deals`` of them
    with a deal, recorded on the manager's ``office`` tablet), then deactivated."""
    number = next(_numbers)
    rep = f"leaving.h{number}"
    # listed from long ago: the walk-ins below are captured hours ago, and a rep listed from now
    # may be named only from today (site time, rep_not_started) — after midnight they were yesterday's
    live_server.cli("users", "add", "--site", "s1", "--username", rep, "--password", PASSWORD,
                    "--role", "rep", "--name", f"离开{number}", "--listed-from", "2020-01-01")
    records = [desk.record(rep=rep, phone=f"136 1{number:02d}0 {i:04d}", name=f"客户{number}-{i}",
                           ago=timedelta(hours=2)) for i in range(customers)]
    assert all(r["status"] == "accepted" for r in desk.push(*records)["results"])
    if deals:
        assert office is not None
        made = [office.record("deal", rep=rep, phone=records[i]["customer"]["phone"],
                              name=records[i]["customer"]["name"], ago=timedelta(hours=1)) for i in range(deals)]
        assert all(r["status"] == "accepted" for r in office.push(*made)["results"])
    live_server.cli("users", "deactivate", rep)
    return rep, records


def test_issue12_a_draw_is_recorded_reproducible_and_reaches_the_tablets(live_server, manager):
    desk = Tablet(live_server, "desk.li", "desk handover")
    rep, records = _leaving_rep(live_server, desk, customers=5, deals=1, office=manager)
    candidates = manager.get("/handovers/candidates", from_rep=rep).json()
    assert len(candidates["customers"]) == 5 and candidates["deals"] == 1
    assert rep not in candidates["receivers"] and {"wang.li", "zhang.qiang", "chen.jie"} <= set(candidates["receivers"])

    wang = Tablet(live_server, "wang.li")
    _, cursor = wang.pull_all()
    made = manager.post("/handovers", {"from_rep": rep, "method": "draw", "reason": "调离本案场",
                                       "exclude": ["chen.jie"]})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["author"] == "zhao.min" and body["seed"] and body["verified"] is True
    assert "chen.jie" not in body["receivers"] and len(body["result"]) == 4  # the deal stays with its rep
    # anyone re-runs the draw from what is recorded and gets the same result
    assert draw(body["drawn"], body["receivers"], body["seed"]) == body["result"]
    counts = [n for n in body["counts"].values()]
    assert max(counts) - min(counts) <= 1
    assert manager.get(f"/handovers/{body['id']}").json() == body
    verified = live_server.cli("handover", "verify", body["id"], "--site", "s1")
    assert "verified" in verified.stdout and body["seed"] in verified.stdout

    # tablets pull the new owners, with the hand-over's step in both languages
    changes, _ = wang.pull_all(cursor)
    owners = {c["customer"]["customer_id"]: c["customer"] for c in changes if c["kind"] == "ownership"}
    for customer_id, receiver in body["result"].items():
        assert owners[customer_id]["owner"] == receiver
        step = owners[customer_id]["explanation"][-2] if receiver == "wang.li" else None
        if step:
            assert step["key"] == "handover" and "随机抽数分配" in step["text"]["zh"] and "R10" not in step["text"]["en"]
    deal_customer = next(c for c in candidates["customers"] if c["status"] == "deal")
    lookup = manager.get("/customers/lookup", phone=records[0]["customer"]["phone"]).json()
    assert lookup["customer_id"] == deal_customer["id"] and lookup["owner"] == rep  # R9: the deal keeps its rep
    assert deal_customer["id"] not in body["result"]
    # nothing left to hand over now but the deal
    again = manager.post("/handovers", {"from_rep": rep, "method": "draw", "reason": "再次"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_handed_over"  # QA 12 N9.4
    assert again.json()["error"]["handover_id"] == body["id"]


def test_issue12_a_choice_may_include_deals(live_server, manager):
    desk = Tablet(live_server, "desk.li", "desk handover 2")
    rep, records = _leaving_rep(live_server, desk, customers=2, deals=1, office=manager)
    units = manager.get("/handovers/candidates", from_rep=rep).json()["customers"]
    choices = {units[0]["id"]: "zhang.qiang", units[1]["id"]: "wang.li"}
    made = manager.post("/handovers", {"from_rep": rep, "method": "choice", "reason": "长假", "deals_too": True,
                                       "choices": choices})
    assert made.status_code == 201, made.text
    assert made.json()["result"] == dict(sorted(choices.items())) and made.json()["seed"] is None
    for record in records[:2]:
        lookup = manager.get("/customers/lookup", phone=record["customer"]["phone"]).json()
        assert lookup["owner"] == choices[lookup["customer_id"]]
        if lookup["status"] == "deal":
            assert lookup["explanation"][-1]["key"] == "handover_with_deal"


def test_issue12_only_managers_of_the_site_hand_over_and_bad_input_is_explained(live_server, manager):
    desk = Tablet(live_server, "desk.li", "desk handover 3")
    rep, _ = _leaving_rep(live_server, desk, customers=1)
    body = {"from_rep": rep, "method": "draw", "reason": "调离"}
    for username in ("wang.li", "desk.li"):
        refused = Tablet(live_server, username).post("/handovers", body)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "manager_only"
    live_server.cli("sites", "add", "--id", "s-other-h", "--name", "别的案场")
    live_server.cli("users", "add", "--site", "s-other-h", "--username", "other.mgr.h", "--password", PASSWORD,
                    "--role", "manager", "--name", "外场经理")
    stranger = Tablet(live_server, "other.mgr.h")
    refused = stranger.post("/handovers", body)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "unknown_rep"
    assert stranger.get("/handovers/candidates", from_rep=rep).status_code == 422
    for wrong, code in (({**body, "reason": "  "}, "missing_reason"),
                        ({**body, "exclude": ["wang.li", "zhang.qiang", "chen.jie"]}, "no_receiver"),
                        ({**body, "method": "choice", "choices": {"x": "wang.li"}}, "unknown_customer"),
                        ({**body, "method": "lottery"}, "invalid_request"),
                        ({**body, "reason": "离职\x00\x07"}, "invalid_request")):  # QA: a NUL broke the XLSX
        answer = requests_post_zh(manager, wrong)
        assert answer.status_code == 422 and answer.json()["error"]["code"] == code, answer.text
        assert answer.json()["error"]["message"]
    made = manager.post("/handovers", body).json()
    assert stranger.get(f"/handovers/{made['id']}").status_code == 404
    assert manager.get("/handovers").json()[0]["id"] == made["id"]


def requests_post_zh(tablet: Tablet, body: dict):
    import requests

    return requests.post(tablet.server.url("/handovers"), json=body,
                         headers={**tablet.headers, "Accept-Language": "zh-CN"}, timeout=60)


def test_issue12_the_cli_draws_assigns_shows_and_verifies(live_server, manager):
    """``fieldsync-server handover``: the same service as the API; ``verify`` exits 2 and names
    the customers when a stored result is not what its draw gives (a record altered by hand)."""
    desk = Tablet(live_server, "desk.li", "desk handover cli")
    rep, _ = _leaving_rep(live_server, desk, customers=4)
    refused = live_server.cli("handover", "draw", "--by", "wang.li", "--from", rep, "--reason", "调离", check=False)
    assert refused.returncode == 1 and "not an active manager" in refused.stderr
    drawn = live_server.cli("handover", "draw", "--by", "zhao.min", "--from", rep, "--reason", "调离",
                            "--exclude", "chen.jie", "--seed", "seed-cli")
    handover_id = drawn.stdout.split()[1]
    body = manager.get(f"/handovers/{handover_id}").json()
    assert body["seed"] == "seed-cli" and body["receivers"] == ["wang.li", "zhang.qiang"]
    assert body["result"] == draw(body["drawn"], ["zhang.qiang", "wang.li"], "seed-cli")
    shown = live_server.cli("handover", "show", handover_id, "--site", "s1").stdout
    assert "seed-cli" in shown and "verified" in shown and all(c in shown for c in body["result"])
    assert live_server.cli("handover", "show", handover_id, "--site", "nowhere", check=False).returncode == 3
    # QA of issue 12 L3: the audit row names the manager of --by, and that it came from the command line
    from sync_server.storage import open_reporting, open_store
    from tests.console.conftest import requests_session

    store = open_store(live_server.db_url)
    try:
        rows = [r for r in open_reporting(store).audit_entries(["s1"], limit=2000, action="handover.recorded").rows
                if r.details.get("handover") == handover_id or r.target == rep]
    finally:
        store.close()
    assert rows and rows[0].actor == "zhao.min" and rows[0].source == "cli"
    audit = requests_session(live_server).get(
        live_server.base_url + "/console/audit?action=handover.recorded&person=zhao.min", timeout=30).text
    assert "赵敏（zhao.min），通过命令行" in audit

    other, _ = _leaving_rep(live_server, desk, customers=2)
    assigned = live_server.cli("handover", "assign", "--by", "zhao.min", "--from", other, "--reason", "长假",
                               "--to", "chen.jie")
    assert "choice" in assigned.stdout and assigned.stdout.count("\tchen.jie") == 2
    nothing = live_server.cli("handover", "assign", "--by", "zhao.min", "--from", other, "--reason", "再次", "--to",
                              "chen.jie", check=False)
    assert nothing.returncode == 1 and "no customer to hand over" in nothing.stderr

    if live_server.db_url.startswith("sqlite:///"):
        import json
        import sqlite3

        with sqlite3.connect(live_server.db_path) as db:  # someone edits the stored result by hand
            flipped = {k: ("wang.li" if v == "zhang.qiang" else "zhang.qiang") for k, v in body["result"].items()}
            db.execute("UPDATE handovers SET result = ? WHERE id = ?", (json.dumps(flipped), handover_id))
        differs = live_server.cli("handover", "verify", handover_id, "--site", "s1", check=False)
        assert differs.returncode == 2 and "DIFFERS" in differs.stdout
        assert manager.get(f"/handovers/{handover_id}").json()["verified"] is False


def test_issue12_a_disputed_customer_handed_over_is_decided_with_the_new_owner_listed(live_server, manager):
    desk = Tablet(live_server, "desk.li", "desk handover dispute")
    rep, records = _leaving_rep(live_server, desk, customers=1)
    phone = records[0]["customer"]["phone"]
    rival = desk.record(rep="chen.jie", phone=phone, name=records[0]["customer"]["name"], ago=timedelta(minutes=30))
    assert desk.push(rival)["results"][0]["status"] == "accepted"
    units = manager.get("/handovers/candidates", from_rep=rep).json()["customers"]
    assert [u["status"] for u in units] == ["disputed"]
    made = manager.post("/handovers", {"from_rep": rep, "method": "choice", "reason": "调离",
                                       "choices": {units[0]["id"]: "wang.li"}})
    assert made.status_code == 201, made.text
    conflict = next(c for c in manager.get("/conflicts").json() if c["customer_id"] == units[0]["id"])
    assert conflict["owner"] == "wang.li" and "wang.li" in conflict["parties"]["reps"]
    decided = manager.post(f"/conflicts/{conflict['id']}/decision", {"owner": "wang.li", "reason": "交接后由王丽跟进"})
    assert decided.status_code == 200, decided.text
    lookup = manager.get("/customers/lookup", phone=phone).json()
    assert lookup["owner"] == "wang.li" and lookup["status"] == "protected"


def test_issue12_the_new_owner_pulls_the_handed_customers_history_and_nobody_else_does(live_server, manager):
    """Before, a rep's pull held only records they pushed or that name them, and paged by change
    id: the customer's visits and deal registered for the leaving rep never reached the new
    owner's tablet. Now the hand-over re-sends them with new change ids to the receiver alone."""
    desk = Tablet(live_server, "desk.li", "desk handover history")
    rep, records = _leaving_rep(live_server, desk, customers=2, deals=1, office=manager)
    wang, zhang = Tablet(live_server, "wang.li"), Tablet(live_server, "zhang.qiang")
    _, wang_cursor = wang.pull_all()
    _, zhang_cursor = zhang.pull_all()
    units = {"deal" if u["status"] == "deal" else "new": u["id"]
             for u in manager.get("/handovers/candidates", from_rep=rep).json()["customers"]}
    made = manager.post("/handovers", {"from_rep": rep, "method": "choice", "reason": "长假",
                                       "choices": {units["deal"]: "wang.li", units["new"]: "zhang.qiang"},
                                       "deals_too": True})
    assert made.status_code == 201, made.text
    wang_changes, _ = wang.pull_all(wang_cursor)
    handed = {c["record"]["id"] for c in wang_changes if c["kind"] == "record"}
    deal_phone = records[0]["customer"]["phone"]
    assert records[0]["id"] in handed  # the walk-in of the customer handed over, registered for the leaving rep
    assert any(c["record"]["type"] == "deal" and c["record"]["customer"]["phone"] == deal_phone
               for c in wang_changes if c["kind"] == "record")
    assert records[1]["id"] not in handed  # the other customer went to 张强
    zhang_records = {c["record"]["id"] for c in zhang_changes if c["kind"] == "record"} if (
        zhang_changes := zhang.pull_all(zhang_cursor)[0]) else set()
    assert records[1]["id"] in zhang_records and records[0]["id"] not in zhang_records
    # a fresh tablet of the new owner gets the history in its first pull too
    fresh, _ = Tablet(live_server, "wang.li", "wang fresh").pull_all()
    assert records[0]["id"] in {c["record"]["id"] for c in fresh if c["kind"] == "record"}


def test_qa12_handover_verify_tells_not_found_from_differs_by_exit_code(live_server, manager):
    """Issue 12 QA: ``verify`` exited 1 both for a hand-over not found and a result that differs."""
    desk = Tablet(live_server, "desk.li", "desk handover exit codes")
    rep, _ = _leaving_rep(live_server, desk, customers=1)
    drawn = live_server.cli("handover", "draw", "--by", "zhao.min", "--from", rep, "--reason", "调离", "--seed", "s-x")
    handover_id = drawn.stdout.split()[1]
    assert live_server.cli("handover", "verify", handover_id, "--site", "s1").returncode == 0
    unknown = live_server.cli("handover", "verify", "no-such-id", "--site", "s1", check=False)
    assert unknown.returncode == 3 and "not found: no hand-over 'no-such-id' at site s1" in unknown.stderr
    elsewhere = live_server.cli("handover", "verify", handover_id, "--site", "nowhere", check=False)
    assert elsewhere.returncode == 3 and "no site 'nowhere'" in elsewhere.stderr
    helped = " ".join(live_server.cli("handover", "verify", "--help").stdout.split())  # argparse wraps lines
    assert "2 it differs" in helped and "3 no such site or hand-over" in helped


def test_qa12_a_rep_listed_from_a_later_day_receives_no_hand_over_until_then(live_server, manager):
    """QA of issue 12: a rep added with ``--listed-from`` a later day was among the draw's
    receivers, so a leaving rep's customers went to someone not yet at the office. Receivers
    are the reps on duty now; choosing one not yet started says from when, in both languages."""
    from tests.server.helpers import now_cst

    day = (now_cst() + timedelta(days=5)).date().isoformat()
    live_server.cli("users", "add", "--site", "s1", "--username", "starts.later", "--password", PASSWORD,
                    "--role", "rep", "--name", "新来的", "--listed-from", day)
    desk = Tablet(live_server, "desk.li", "desk handover later")
    rep, _ = _leaving_rep(live_server, desk, customers=2)
    candidates = manager.get("/handovers/candidates", from_rep=rep).json()
    assert "starts.later" not in candidates["receivers"] and "wang.li" in candidates["receivers"]
    from tests.console.conftest import requests_session

    form = requests_session(live_server).get(live_server.base_url + f"/console/handover/rep/{rep}", timeout=30).text
    assert "尚未到岗，暂不能接收：新来的" in form  # QA5: the console left him out without saying why
    made = manager.post("/handovers", {"from_rep": rep, "method": "draw", "reason": "调离"}).json()
    assert "starts.later" not in made["receivers"] and "starts.later" not in made["result"].values()
    unit = manager.get("/handovers/candidates", from_rep=rep).json()["customers"]
    assert unit == []  # all handed over by the draw
    rep, _ = _leaving_rep(live_server, desk, customers=1)
    [unit] = manager.get("/handovers/candidates", from_rep=rep).json()["customers"]
    body = {"from_rep": rep, "method": "choice", "reason": "长假", "choices": {unit["id"]: "starts.later"}}
    zh, en = requests_post_zh(manager, body), manager.post("/handovers", body)
    assert zh.status_code == en.status_code == 422 and zh.json()["error"]["code"] == "rep_not_started"
    assert zh.json()["error"]["message"] == f"新来的 尚未到岗（{day} 起）：请选择目前在岗的售楼员。"
    assert en.json()["error"]["message"] == f"新来的 is not on duty yet (from {day}): choose a rep on duty now."


def test_qa6_m1_a_customer_handed_on_again_is_no_longer_sent_to_the_rep_who_had_it(live_server, manager):
    """QA6 M1: a customer handed to a rep, then handed on from that rep, stayed in the rep's
    scope by the first hand-over: a fresh enrolment of the rep still pulled the customer's
    records, phone in clear. The history goes to whoever the customer is handed to and owns it."""
    desk = Tablet(live_server, "desk.li", "desk handover m1")
    first, records = _leaving_rep(live_server, desk, customers=1)
    middle = f"middle.m{next(_numbers)}"
    live_server.cli("users", "add", "--site", "s1", "--username", middle, "--password", PASSWORD,
                    "--role", "rep", "--name", "中转", "--listed-from", "2020-01-01")
    (unit,) = manager.get("/handovers/candidates", from_rep=first).json()["customers"]
    made = manager.post("/handovers", {"from_rep": first, "method": "choice", "reason": "离职",
                                       "choices": {unit["id"]: middle}})
    assert made.status_code == 201, made.text
    handed = {c["record"]["id"] for c in Tablet(live_server, middle, "m1 before").pull_all()[0] if c["kind"] == "record"}
    assert records[0]["id"] in handed  # the receiver gets the history
    live_server.cli("users", "deactivate", middle)
    (unit,) = manager.get("/handovers/candidates", from_rep=middle).json()["customers"]
    made = manager.post("/handovers", {"from_rep": middle, "method": "choice", "reason": "再次交接",
                                       "choices": {unit["id"]: "zhang.qiang"}})
    assert made.status_code == 201, made.text
    live_server.cli("users", "activate", middle)
    changes, _ = Tablet(live_server, middle, "m1 after").pull_all(keys="tag")
    assert records[0]["id"] not in {c["record"]["id"] for c in changes if c["kind"] == "record"}
    phone = records[0]["customer"]["phone"]
    assert phone not in str(changes) and phone.replace(" ", "") not in str(changes)
    zhang = {c["record"]["id"] for c in Tablet(live_server, "zhang.qiang", "m1 zhang").pull_all()[0]
             if c["kind"] == "record"}
    assert records[0]["id"] in zhang
