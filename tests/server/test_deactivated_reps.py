"""Issue 8, item 8, on SQLite and PostgreSQL: a rep deactivated while records naming them wait
on tablets. What was captured before the deactivation is accepted — from a desk naming the rep
and from the rep's own tablet, which may push but not pull — and shown to the manager as
arriving after the deactivation; what was captured after it is refused with a clear code."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
import requests

from tests.console.conftest import requests_session
from tests.console.seed import within_today
from tests.live_server import PASSWORD
from tests.server.helpers import Tablet

_numbers = count(1)


@pytest.fixture(scope="module")
def manager(live_server):
    return Tablet(live_server, "zhao.min")


def _new_rep(live_server) -> str:
    """A rep listed from now: records naming them are captured today (``within_today``), the
    day they start (QA5 F4: a record of a day before is ``rep_not_started``)."""
    username = f"leaving.{next(_numbers)}"
    live_server.cli("users", "add", "--site", "s1", "--username", username, "--password", PASSWORD,
                    "--role", "rep", "--name", f"离职{username[-1]}")
    return username


def _results(tablet: Tablet, *records: dict) -> list[dict]:
    return tablet.push(*records)["results"]


def _record_in_detail(manager: Tablet, phone: str, record_id: str) -> tuple[dict, dict]:
    lookup = manager.get("/customers/lookup", phone=phone).json()
    detail = manager.get(f"/customers/{lookup['customer_id']}").json()
    return lookup, next(r for r in detail["records"] if r["id"] == record_id)


def test_issue8_a_desk_registration_captured_before_the_rep_was_deactivated_is_accepted_and_flagged(
        live_server, manager):
    rep = _new_rep(live_server)
    desk = Tablet(live_server, "desk.li", "desk offline")
    phone = "135 0800 0001"
    before = desk.record(rep=rep, phone=phone, name="秦岚", ago=within_today(20, 60))  # captured offline
    live_server.cli("users", "deactivate", rep)
    after = desk.record(rep=rep, phone="135 0800 0002", name="秦川", ago=timedelta(0))
    accepted, refused = _results(desk, before, after)
    assert accepted["status"] == "accepted"
    assert refused["status"] == "rejected" and refused["error"]["code"] == "rep_inactive"
    assert refused["error"]["field"] == "rep" and "deactivated" in refused["error"]["message"]
    # the rep by display name in the words, the username only in params (issue 14 F7)
    assert f"离职{rep[-1]}" in refused["error"]["message"] and rep not in refused["error"]["message"]
    assert refused["error"]["params"]["rep"] == rep and refused["error"]["params"]["deactivated_at"]
    lookup, stored = _record_in_detail(manager, phone, before["id"])
    assert lookup["owner"] == rep  # the rule stands; the manager reassigns (001 §14(五)3(12))
    assert stored["after_deactivation"] is True


def test_issue8_the_reps_own_tablet_may_push_what_it_captured_before_but_not_pull(live_server, manager):
    rep = _new_rep(live_server)
    own = Tablet(live_server, rep, "rep's own tablet")
    phone = "135 0800 0003"
    before = own.record(rep=rep, phone=phone, name="严宽", ago=within_today(60, 60))
    live_server.cli("users", "deactivate", rep)
    after = own.record(rep=rep, phone="135 0800 0004", name="严明", ago=timedelta(0))
    accepted, refused = _results(own, before, after)
    assert accepted["status"] == "accepted"
    assert refused["status"] == "rejected" and refused["error"]["code"] in ("rep_inactive", "user_inactive")
    pulled = own.get("/sync/pull")
    assert pulled.status_code == 403 and pulled.json()["error"]["code"] == "user_inactive"
    assert own.get("/customers/lookup", phone=phone).status_code == 403
    assert _record_in_detail(manager, phone, before["id"])[1]["after_deactivation"] is True
    assert _results(own, before)[0]["status"] == "duplicate"  # a retry of the same batch stays a no-op


def test_issue8_a_late_claim_of_a_deactivated_rep_flags_the_conflict(live_server, manager):
    rep = _new_rep(live_server)
    desk = Tablet(live_server, "desk.li", "desk late")
    phone = "135 0800 0005"
    early = desk.record(rep=rep, phone=phone, name="韩梅", ago=within_today(30, 60))
    live_server.cli("users", "deactivate", rep)
    other = Tablet(live_server, "desk.li", "desk on time")
    assert other.statuses(other.record(rep="chen.jie", phone=phone, name="韩梅", ago=timedelta(0))) == ["accepted"]
    assert desk.statuses(early) == ["accepted"]
    lookup = manager.get("/customers/lookup", phone=phone).json()
    [conflict] = [c for c in manager.get("/conflicts").json() if c["customer_id"] == lookup["customer_id"]]
    assert "arrived_after_deactivation" in conflict["flags"]
    late = next(c for c in conflict["claims"] if c["record_id"] == early["id"])
    assert late["after_deactivation"] is True
    assert not any(c.get("after_deactivation") for c in conflict["claims"] if c["record_id"] != early["id"])
    # the console shows it on the dispute and on the customer's page (zh by default)
    console = requests_session(live_server)
    for path in (f"/console/disputes/{conflict['id']}", f"/console/customers/{lookup['customer_id']}"):
        page = console.get(live_server.base_url + path, timeout=30)
        assert page.status_code == 200
        assert page.text.count('data-testid="after-deactivation"') >= 1 and "售楼员停用后才同步" in page.text


def test_issue8_the_deactivation_time_reaches_tablets_and_reactivation_lifts_the_refusal(live_server, manager):
    rep = _new_rep(live_server)
    live_server.cli("users", "deactivate", rep)
    users = {c["user"]["username"]: c["user"] for c in manager.pull_all()[0] if c["kind"] == "user"}
    assert users[rep]["active"] is False and users[rep]["deactivated_at"]
    live_server.cli("users", "activate", rep)
    desk = Tablet(live_server, "desk.li", "desk again")
    assert desk.statuses(desk.record(rep=rep, phone="135 0800 0006", name="魏来", ago=timedelta(0))) == ["accepted"]
    users = {c["user"]["username"]: c["user"] for c in manager.pull_all()[0] if c["kind"] == "user"}
    assert users[rep]["active"] is True and users[rep]["deactivated_at"] is None


def test_an_unknown_rep_is_still_unknown_rep(live_server):
    desk = Tablet(live_server, "desk.li", "desk typo")
    result = _results(desk, desk.record(rep="no.such.rep", phone="135 0800 0007", name="无名"))[0]
    assert result["error"]["code"] == "unknown_rep"
    assert requests.get(live_server.url("/healthz"), timeout=10).status_code == 200
