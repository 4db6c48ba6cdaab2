"""Issue 14: a site decides whether a walk-in may be registered by a landline (default no: a
landline is a household's or a company's, and the desk should ask for the customer's mobile);
the server enforces it and every tablet of the site pulls the setting."""

from __future__ import annotations

from tests.server.helpers import Tablet

LANDLINE = "010-12345678"


def _site(changes: list[dict]) -> dict:
    return [c["site"] for c in changes if c["kind"] == "site"][-1]


def test_a_landline_walkin_is_refused_by_default_with_what_to_do_and_a_call_is_not(live_server):
    desk = Tablet(live_server, "desk.li", "landline desk")
    walkin = desk.record(rep="wang.li", phone=LANDLINE)
    (result,) = desk.push(walkin)["results"]
    assert (result["status"], result["error"]["code"], result["error"]["field"]) == (
        "rejected", "landline_walkin", "customer.phone")
    assert "010 1234 5678" in result["error"]["message"] and "mobile" in result["error"]["message"]
    assert desk.statuses(desk.record("call", phone=LANDLINE)) == ["accepted"]  # an inquiry may come from any phone
    assert desk.statuses(desk.record(rep="wang.li", phone="138 0013 9999")) == ["accepted"]
    assert _site(desk.pull_all()[0])["walkin_landlines"] is False


def test_a_site_that_allows_landlines_takes_them_and_its_tablets_pull_the_setting(live_server):
    desk = Tablet(live_server, "desk.li", "landline desk 2")
    _, cursor = desk.pull_all()
    live_server.cli("sites", "set", "--id", "s1", "--walkin-landlines", "yes")
    try:
        changes, _ = desk.pull_all(cursor)
        assert _site(changes)["walkin_landlines"] is True  # a new change: tablets that pulled before see it
        assert desk.statuses(desk.record(rep="wang.li", phone="021-87654321")) == ["accepted"]
        assert "walk-in landlines yes" in live_server.cli("sites", "list").stdout
    finally:
        live_server.cli("sites", "set", "--id", "s1", "--walkin-landlines", "no")
    assert desk.statuses(desk.record(rep="wang.li", phone="021-87654322")) == ["landline_walkin"]


def test_setting_an_unknown_site_says_so(live_server):
    result = live_server.cli("sites", "set", "--id", "nowhere", "--walkin-landlines", "yes", check=False)
    assert result.returncode == 1 and "No site 'nowhere'" in result.stderr


def test_a_landline_walkin_taken_while_allowed_stays_correctable_after_landlines_are_refused(live_server):
    desk = Tablet(live_server, "desk.li", "landline desk 3")
    live_server.cli("sites", "set", "--id", "s1", "--walkin-landlines", "yes")
    try:
        stored = desk.record(rep="wang.li", phone="010-12345679", name="座机客户")
        assert desk.statuses(stored) == ["accepted"]
    finally:
        live_server.cli("sites", "set", "--id", "s1", "--walkin-landlines", "no")
    fixed = {**desk.record(rep="zhang.qiang", phone="010-12345679", name="座机客户"), "supersedes": stored["id"]}
    assert desk.statuses(fixed) == ["accepted"]  # the rep corrected; the registration exists
    assert desk.statuses(desk.record(rep="wang.li", phone="010-12345680")) == ["landline_walkin"]  # a new one is not


def test_a_correction_may_keep_its_landline_but_not_change_it_to_another(live_server):
    """QA remark: a correction changed a stored landline walk-in to a different landline at a
    site that registers walk-ins by mobile: a new landline by the back door. The correction that
    keeps the number stands; one to another landline is refused like a new walk-in, to a mobile
    it stands — in one push with its original too."""
    desk = Tablet(live_server, "desk.li", "landline desk 4")
    live_server.cli("sites", "set", "--id", "s1", "--walkin-landlines", "yes")
    try:
        stored = desk.record(rep="wang.li", phone="010-12345681", name="座机客户")
        assert desk.statuses(stored) == ["accepted"]
        in_batch = desk.record(rep="wang.li", phone="010-12345682", name="座机客户二")
        assert desk.statuses(in_batch) == ["accepted"]
    finally:
        live_server.cli("sites", "set", "--id", "s1", "--walkin-landlines", "no")
    other = {**desk.record(rep="wang.li", phone="010-12345683", name="座机客户"), "supersedes": stored["id"].upper()}
    keeps = {**desk.record(rep="zhang.qiang", phone="010 1234 5681", name="座机客户"), "supersedes": stored["id"]}
    mobile = {**desk.record(rep="wang.li", phone="138 0013 7777", name="座机客户二"), "supersedes": in_batch["id"]}
    assert desk.statuses(other, keeps, mobile) == ["landline_walkin", "accepted", "accepted"]
    new = desk.record(rep="wang.li", phone="139 0013 7777", name="手机客户")
    chained = {**desk.record(rep="wang.li", phone="010-12345684", name="手机客户"), "supersedes": new["id"]}
    assert desk.statuses(new, chained) == ["accepted", "landline_walkin"]  # its original in the same push
