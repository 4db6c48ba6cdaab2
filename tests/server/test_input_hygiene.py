"""QA of issue 14, input hygiene on the server (both databases): a phone pasted with invisible
characters is the number (M2); a device name that turns text around is refused (M6)."""

from __future__ import annotations

import requests

from tests.live_server import PASSWORD
from tests.server.helpers import Tablet

PASTED = "\u202a139 0000 4401\u202c"  # a number copied from a phone's contacts


def test_qa14_m2_a_phone_pasted_with_invisible_characters_is_the_number_in_every_phone_field(live_server):
    """\u202a138 0013 8000\u202c was refused as holding “” on push; it is the number in every
    phone field (walk-in, call, household phone) and in the look-up."""
    desk = Tablet(live_server, "desk.li", "m2 desk")
    records = [desk.record(rep="wang.li", phone=PASTED),
               desk.record("call", rep=None, phone="\u200e13900004402\u200f"),
               desk.record(rep="wang.li", phone="1390000\u200b4403", data={"household_phone": "\ufeff139\u00ad0000\u20604401"})]
    assert desk.statuses(*records) == ["accepted"] * 3
    for typed in (PASTED, "13900004401", "+86 139-0000-4401", "\u200f13900004401"):
        response = desk.get("/customers/lookup", phone=typed)
        assert response.status_code == 200, (typed, response.text)
        assert response.json()["owner"] == "wang.li", typed
    refused = desk.push(desk.record(rep="wang.li", phone="139\u31640000 4404"))["results"][0]["error"]
    assert refused["params"] == {"reason": "symbol", "char": "U+3164 HANGUL FILLER"}  # named, never “”


def test_qa14_m6_enrolment_refuses_a_device_name_that_turns_text_around(live_server):
    """A device name starting with U+202E (right-to-left override) was enrolled; the console's
    sentences naming it read backwards. Refused 422 on device_name in the caller's language."""
    for mark in ("\u202e", "\u2067", "\u200f", "\u061c", "\u200b"):
        for lang, words in (("zh-CN", "设备名称"), ("en", "device name")):
            response = requests.post(live_server.url("/auth/enroll"), headers={"Accept-Language": lang}, timeout=30,
                                     json={"username": "desk.li", "password": PASSWORD,
                                           "device_name": f"{mark}前台五号"})
            assert response.status_code == 422, response.text
            error = response.json()["error"]
            assert (error["code"], error["field"]) == ("invalid_device_name", "device_name")
            assert f"U+{ord(mark):04X}" in error["message"] and words in error["message"], error
    assert Tablet(live_server, "desk.li", "前台五号 🙂").device_id  # an emoji is no such character


def test_qa14_l4_a_name_stacking_more_than_three_accents_on_a_letter_is_refused(live_server):
    """QA of issue 14, L4: "Zalgó̂̃̄̅" was stored and drew boxes on 今日来访; the server refuses
    it as the tablet does (invalid_value on customer.name, params reason stacked_marks)."""
    desk = Tablet(live_server, "desk.li", "l4 desk")
    zalgo = desk.record(rep="wang.li", name="Zalgo\u0301\u0302\u0303\u0304\u0305", phone="13900004501")
    real = desk.record(rep="wang.li", name="Nguyễn Thị Ánh", phone="13900004502")
    results = desk.push(zalgo, real)["results"]
    assert results[1]["status"] == "accepted"
    error = results[0]["error"]
    assert (error["code"], error["field"], error["params"]) == ("invalid_value", "customer.name",
                                                                {"reason": "stacked_marks", "limit": 3})
