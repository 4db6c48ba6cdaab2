"""The whole replica years (issue 14), on both backends against a real server: tablets asking
``keys=tag2`` get every customer named by the costlier ``shared.phones.phone_tag2`` (scrypt
n = 2^13, 4× ``phone_tag``'s work a candidate: a 100,000-customer desk replica ~3 years of one
core instead of ~10 months, docs/privacy.md), while tablets of the first release asking
``keys=tag`` keep getting their n = 2^11 tags — until their user's tablet moved to ``tag2``
(then that user's token cannot fetch the cheap tags) or the manager sets the site to
``replica_keys = tag2``. The rep rule (``shared.replica_privacy.holds_phone_tag``) holds for
both kinds."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import requests

from shared.phones import TAG2_SCRYPT, phone_tag, phone_tag2
from tests.live_server import PASSWORD, SITE_ID
from tests.server.helpers import Tablet

# customers of other reps than wang.li (replayable numbers)
HIDDEN = {"13912350001": "zhang.qiang", "13712350002": "chen.jie"}
OWN = "13800238000"  # wang.li's


@pytest.fixture(scope="module")
def world(live_server):
    desk = Tablet(live_server, "desk.li", "tag2 desk")
    wang = Tablet(live_server, "wang.li", "tag2 wang")
    manager = Tablet(live_server, "zhao.min", "tag2 manager")
    live_server.cli("users", "add", "--site", SITE_ID, "--username", "desk.old", "--password", PASSWORD,
                    "--role", "reception", "--name", "前台乙")
    old = Tablet(live_server, "desk.old", "a first-release desk")  # never asks keys=tag2
    desk.push(desk.record(rep="wang.li", name="张伟", phone=OWN),
              *[desk.record(rep=rep, name=f"客户{i}", phone=phone) for i, (phone, rep) in enumerate(HIDDEN.items())])
    manager.settle_tags()
    return {"desk": desk, "wang": wang, "manager": manager, "old": old}


def _customers(changes: list[dict]) -> list[dict]:
    return [c["customer"] for c in changes if c["kind"] == "ownership"]


def _key(changes: list[dict]) -> str:
    return next(c["site"] for c in changes if c["kind"] == "site")["replica_key"]


def _snapshot(tablet: Tablet, keys: str) -> list[dict]:
    answer = requests.get(tablet.server.url("/sync/snapshot"), params={"keys": keys, "steps": "params"},
                          headers=tablet.headers, timeout=60)
    assert answer.status_code == 200, answer.text
    return [json.loads(line) for line in answer.content.splitlines()][1:-1]


def test_issue14_a_tag2_pull_names_the_desks_customers_by_the_costlier_tag_only(world):
    """What the desk's new tablet holds for each customer is the n = 2^13 scrypt of its number:
    a candidate cannot be tested against it with the n = 2^11 work of ``keys=tag`` (nor any
    unkeyed digest) — each test costs the 8 MiB, 4× scrypt of ``TAG2_SCRYPT``."""
    for changes in (world["desk"].pull_all(keys="tag2")[0], _snapshot(world["desk"], "tag2")):
        key = _key(changes)
        by_last4 = {c["phone_masked"][-4:]: c for c in _customers(changes)}
        for number in [OWN, *HIDDEN]:
            e164, c = "+86" + number, by_last4[number[-4:]]
            assert c["phone"] is None and "phone_hash" not in c
            assert c["phone_tag"] == phone_tag2(key, e164) == hashlib.scrypt(
                e164.encode(), salt=key.encode(), maxmem=64 << 20, **TAG2_SCRYPT).hex()
            assert c["phone_tag"] != phone_tag(key, e164)  # the cheap tag tests nothing here
            assert TAG2_SCRYPT["n"] == 4 * 2**11
        records = [c["record"] for c in changes if c["kind"] == "record" and c["record"]["type"] == "walkin"]
        assert records and all(r["phone_tag"] == phone_tag2(key, "+86" + re.sub(r"\D", "", r["customer"]["phone"])[-11:])
                               for r in records)  # filed without a scrypt a record


def test_issue14_an_old_keys_tag_tablet_keeps_its_tags_beside_a_tag2_one(world):
    """Extend, never break: a desk tablet of the first release (its user never asked
    ``keys=tag2``) still gets ``phone_tag`` with the n = 2^11 work, records included, beside
    a new desk's ``tag2``; the old form nothing."""
    old, _ = world["old"].pull_all(keys="tag")
    new, _ = world["desk"].pull_all(keys="tag2")
    key = _key(old)
    assert key == _key(new)
    old_tags = {c["phone_masked"][-4:]: c["phone_tag"] for c in _customers(old)}
    new_tags = {c["phone_masked"][-4:]: c["phone_tag"] for c in _customers(new)}
    for number in [OWN, *HIDDEN]:
        assert old_tags[number[-4:]] == phone_tag(key, "+86" + number) != new_tags[number[-4:]]
    assert all(r["record"]["phone_tag"] for r in old if r["kind"] == "record" and r["record"]["type"] == "walkin")
    plain, _ = world["old"].pull_all()
    assert all("phone_tag" not in c and "phone_hash" not in c for c in _customers(plain))


def _refused_as_too_old(tablet: Tablet) -> None:
    """Pull and snapshot asking ``keys=tag`` answer 409 ``app_too_old`` with the sentence in
    both languages (QA of issue 14, M2: they answered 200 with every tag null, and the tablet
    of the first release synced on telling the desk 新客户 for every returning customer)."""
    for path in ("/sync/pull", "/sync/snapshot"):
        answer = requests.get(tablet.server.url(path), params={"keys": "tag"}, headers=tablet.headers, timeout=60)
        assert answer.status_code == 409, answer.text
        error = answer.json()["error"]
        assert error["code"] == "app_too_old" and "更新本机应用" in error["messages"]["zh"]


def test_issue14_a_user_whose_tablet_moved_to_tag2_gets_no_cheap_tag(world):
    """Once a tablet of desk.li pulled ``keys=tag2``, desk.li's token asking ``keys=tag`` (by
    hand, or from a new enrolment: the rule is the user's) gets no tag: its pull and snapshot
    are refused, ``app_too_old`` — a script cannot fetch the n = 2^11 tags to attack instead
    of the n = 2^13 ones the tablet holds, and a tablet of the first release says "update the
    app" instead of syncing on without tags. Its push still goes through. A manager (who sees
    every phone) is not held to it."""
    world["desk"].pull_all(keys="tag2")
    again = Tablet(world["desk"].server, "desk.li", "tag2 desk again")
    for tablet in (world["desk"], again):
        _refused_as_too_old(tablet)
    pushed = again.push(again.record(rep="wang.li", name="老平板来客", phone="135 5550 0021"))
    assert pushed["results"][0]["status"] == "accepted"
    assert all(c["phone_tag"] for c in _customers(world["desk"].pull_all(keys="tag2")[0])
               if not c["phone_masked"].endswith("0021"))  # the new one waits for the tagger
    world["manager"].pull_all(keys="tag2")
    world["manager"].settle_tags()
    assert all(c["phone_tag"] for c in _customers(world["manager"].pull_all(keys="tag")[0]))


def test_issue14_a_reps_tag2_pull_and_snapshot_hold_no_tag_of_another_reps_customer(world):
    """The rep rule holds for the new kind: another rep's customer comes with ``phone_tag: null``."""
    for changes in (world["wang"].pull_all(keys="tag2")[0], _snapshot(world["wang"], "tag2")):
        key = _key(changes)
        customers = _customers(changes)
        others = [c for c in customers if c["owner"] != "wang.li" and c["phone_masked"][-4:] in
                  {n[-4:] for n in HIDDEN}]
        assert len(others) == len(HIDDEN) and all(c["phone_tag"] is None and c["phone"] is None for c in others)
        (own,) = [c for c in customers if c["phone_masked"].endswith(OWN[-4:])]
        assert own["phone_tag"] == phone_tag2(key, "+86" + OWN)


def test_issue14_a_site_set_to_tag2_serves_the_cheap_tag_to_nobody(world, live_server):
    """Once every tablet is updated the manager sets ``--replica-keys tag2``: a user calling
    ``keys=tag`` with a tablet's token — a curious script, or a tablet of the first release
    forgotten in a drawer — is refused, ``app_too_old`` (pull and snapshot; the n = 2^11 tags
    were the cheap way round the costlier ones); ``keys=tag2`` is unchanged. Back to private
    afterwards: the first-release tablet gets its tags again."""
    live_server.cli("sites", "set", "--id", SITE_ID, "--replica-keys", "tag2")
    try:
        _refused_as_too_old(world["old"])
        new, _ = world["desk"].pull_all(keys="tag2")
        assert next(c["site"] for c in new if c["kind"] == "site")["replica_keys"] == "tag2"
        assert all(c["phone_tag"] for c in _customers(new) if not c["phone_masked"].endswith("0021"))
    finally:
        live_server.cli("sites", "set", "--id", SITE_ID, "--replica-keys", "private")
    world["manager"].settle_tags()
    again, _ = world["old"].pull_all(keys="tag")
    assert all(c["phone_tag"] for c in _customers(again))
