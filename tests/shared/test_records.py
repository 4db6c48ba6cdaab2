"""Record validation returns every problem as {code, message, field}."""

import base64
from datetime import UTC, datetime

import pytest

from shared.errors import PROBLEM_CODES, RecordInvalid
from shared.records import RATING_SCALES, RECORD_TYPES, parse_record, rating_score, validate_record
from tests.builders import T0, wire
from tests.console.seed import signature_png


@pytest.mark.parametrize("type_", sorted(RECORD_TYPES))
def test_every_record_type_accepts_a_well_formed_record(type_):
    rep = None if type_ in ("referral", "withdrawal", "call", "complaint") else "wang.li"
    extra = {"supersedes": "3f0c1b9e-8a7d-4c2e-9f1a-2b3c4d5e6f70"} if type_ == "withdrawal" else {}
    assert validate_record(wire(type_, rep=rep, **extra)) == []


def test_all_problems_are_reported_at_once_with_fields():
    bad = wire("walkin", rep=None, name="", phone="10086", data={"party_size": "two", "intent": "Z", "extra": 1})
    bad["captured_at"] = "2026-11-22 10:00"
    fields = {p.field: p.code for p in validate_record(bad)}
    assert fields == {
        "captured_at": "invalid_time", "rep": "missing_field", "customer.name": "missing_field",
        "customer.phone": "invalid_phone", "data.party_size": "wrong_type", "data.intent": "invalid_value",
        "data.extra": "unknown_field",
    }


def test_every_problem_code_used_is_documented():
    bad = wire("visit_report", data={"ratings": {"quality": "极好"}, "visited_on": "2026-13-40"})
    for problem in validate_record(bad):
        assert problem.code in PROBLEM_CODES and problem.message


def test_visit_report_ratings_score_left_to_right():
    assert [rating_score("quality", label) for label in RATING_SCALES["quality"]] == [100, 90, 85, 80, 70, 60]
    assert rating_score("service", "不好") == 30 and rating_score("service", "恶劣") == 0
    assert rating_score("awareness", "不知道") == 50


def test_staff_referral_needs_an_appointment_date():
    problems = validate_record(wire("referral", rep=None, data={"appointment_date": None}))
    assert [(p.field, p.code) for p in problems] == [("data.appointment_date", "missing_field")]


def test_walkin_without_visit_kind_or_with_time_lacking_offset_is_refused():
    with pytest.raises(RecordInvalid) as caught:
        parse_record({**wire(), "captured_at": "2026-11-22T10:00:00", "data": {}})
    assert {p.field for p in caught.value.problems} == {"captured_at", "data.visit"}


def test_parsed_record_carries_phone_key_and_household_link():
    record = parse_record(wire(name="李娜", phone="139 1234 5678", data={"household_phone": "+86 138-0013-8000"}))
    assert record.customer.phone_key == "+8613912345678" and record.household_key == "+8613800138000"


def test_digest_is_stable_and_content_sensitive():
    first = wire()
    assert parse_record(first).digest == parse_record(dict(first)).digest
    assert parse_record(first).digest != parse_record({**first, "rep": "zhang.qiang"}).digest


def test_non_object_record_is_a_wrong_type_problem():
    assert [p.code for p in validate_record(["not", "a", "record"])] == ["wrong_type"]


def test_control_characters_in_text_are_refused_before_they_reach_a_database():
    # PostgreSQL cannot store NUL in text; a NUL that slipped through failed the whole batch.
    bad = wire(rep="wang.li\x00", name="张\x00伟", data={"notes": "第一行\n第二行\x07"})
    fields = {p.field: p.code for p in validate_record(bad)}
    assert fields == {"rep": "invalid_value", "customer.name": "invalid_value", "data.notes": "invalid_value"}
    assert validate_record(wire(data={"notes": "第一行\n\t第二行"})) == []


@pytest.mark.parametrize("c1", ["\x80", "\x85", "\x9b", "\x9f"])
def test_qa14_c1_control_characters_are_refused_like_the_c0_ones(c1):
    """QA F6: U+0080-U+009F (NEL, CSI…) passed every text check: "王\x85丽" was a stored name."""
    bad = wire(rep=f"wang{c1}li", name=f"王{c1}丽", data={"notes": f"第一行\n第二行{c1}"})
    problems = validate_record(bad)
    assert {p.field: p.code for p in problems} == {"rep": "invalid_value", "customer.name": "invalid_value",
                                                   "data.notes": "invalid_value"}
    assert all("control characters" in p.message for p in problems)
    assert validate_record(wire(data={"notes": "第一行\r\n\t第二行 \u00a0À"})) == []  # line breaks, tab, Latin-1 letters stay


@pytest.mark.parametrize("name", ["甲\n乙", "甲\r\n乙", "张\t伟", "张\u2028伟"])
def test_a_customers_name_is_one_line(name):
    """Issue 9 QA: "甲\n乙" was stored and shown as "甲 乙"; notes may hold line breaks, a name not."""
    assert [(p.field, p.code) for p in validate_record(wire(name=name))] == [("customer.name", "invalid_value")]


def test_a_withdrawal_may_name_no_customer_and_nothing_else_may():
    # the withdrawal of a rotation record (排班) names none; the server checks the record withdrawn
    withdrawal = {k: v for k, v in wire("withdrawal", data={"reason": "点错了售楼员"}).items() if k != "customer"}
    withdrawal["supersedes"] = "00000000-0000-4000-8000-000000000001"
    assert validate_record(withdrawal) == []
    for type_ in ("walkin", "follow_up", "deal"):
        bare = {k: v for k, v in wire(type_).items() if k != "customer"}
        assert "customer" in {p.field for p in validate_record(bare)}, type_
    no_target = {k: v for k, v in withdrawal.items() if k != "supersedes"}
    assert [p.field for p in validate_record(no_target)] == ["supersedes"]


def test_qa14_ids_and_references_are_canonical_uuid_text():
    """QA round A, F7: ``{braced}``, ``urn:uuid:`` and 32-hex forms of one UUID were four ids."""
    import uuid

    canonical = str(uuid.uuid4())
    assert validate_record(wire(id=canonical)) == [] and validate_record(wire(id=canonical.upper())) == []
    for form in ("{" + canonical + "}", "urn:uuid:" + canonical, canonical.replace("-", ""), canonical + "\n"):
        assert [(p.code, p.field) for p in validate_record(wire(id=form))] == [("invalid_id", "id")]
        assert [(p.code, p.field) for p in validate_record(wire(supersedes=form))] == [("invalid_id", "supersedes")]
        cancel = wire("deal", data={"event": "cancellation", "reason": "退", "refers_to": form})
        assert [(p.code, p.field) for p in validate_record(cancel)] == [("invalid_id", "data.refers_to")]


def test_qa14_a_record_naming_itself_is_a_self_reference():
    """QA round A, F4: a walk-in superseding itself was accepted and its customer had no owner."""
    walkin = wire()
    walkin["supersedes"] = walkin["id"].upper()
    assert [(p.code, p.field) for p in validate_record(walkin)] == [("self_reference", "supersedes")]
    cancel = wire("deal", data={"event": "cancellation", "reason": "退"})
    cancel["data"]["refers_to"] = cancel["id"]
    assert [(p.code, p.field) for p in validate_record(cancel)] == [("self_reference", "data.refers_to")]


def _signed_report(png_base64: str) -> dict:
    day = T0.date().isoformat()
    return wire("visit_report", data={"organisation": "华夏建材", "visited_on": day,
                                      "ratings": {"quality": "优良", "service": "良好", "awareness": "知名"},
                                      "signature": {"png_base64": png_base64, "signed_on": day, "signer": "张伟"}},
                at=T0)


@pytest.mark.parametrize(("png_base64", "reason"), [
    ("!!!notb64", "not_base64"),
    ("iVBORw0KGgo", "not_base64"),                                          # padding cut off
    (base64.b64encode(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").decode(), "not_png"),
    (base64.b64encode(b"\x89PNG\r\n\x1a\n").decode(), "not_png"),            # the signature and nothing more
    (base64.b64encode(b"not an image at all").decode(), "not_png"),
])
def test_qa14_a_signature_that_is_not_a_base64_png_is_refused_saying_so(png_base64, reason):
    """QA F8c: "!!!notb64" and non-PNG bytes were stored as a visit report's signature; the
    console then showed a broken image."""
    problems = validate_record(_signed_report(png_base64), now=datetime(2026, 11, 21, tzinfo=UTC))
    assert [(p.code, p.field, p.params) for p in problems] == [
        ("invalid_value", "data.signature.png_base64", {"reason": reason})]
    assert "sign again" in problems[0].message


def test_a_signature_pad_png_passes_in_one_line_or_in_mime_lines():
    png = signature_png()
    now = datetime(2026, 11, 21, tzinfo=UTC)
    assert validate_record(_signed_report(png), now=now) == []
    assert validate_record(_signed_report("\r\n".join(png[i:i + 76] for i in range(0, len(png), 76))), now=now) == []


def _board_record(day: str) -> dict:
    record = {**wire(at=T0), "type": "rotation", "rep": "wang.li", "data": {"day": day, "event": "present"}}
    record.pop("customer")
    return record


@pytest.mark.parametrize("day", ["1970-01-01", "1999-12-31"])
def test_qa14_a_rotation_board_of_a_day_the_console_cannot_show_is_refused(day):
    """QA F8e: a 排班 record of 1970-01-01 was stored, but the console shows boards from
    2000-01-01 to 2099-12-31 only: that board could never be viewed. Refused, saying the days."""
    problems = validate_record(_board_record(day), now=datetime(2026, 11, 21, tzinfo=UTC))
    assert [(p.code, p.field, p.params) for p in problems] == [
        ("invalid_value", "data.day", {"reason": "board_day", "day": day, "first": "2000-01-01", "last": "2099-12-31"})]
    assert "2000-01-01 to 2099-12-31" in problems[0].message


def test_a_rotation_board_day_before_1970_is_said_once_and_2000_stands():
    now = datetime(2026, 11, 21, tzinfo=UTC)
    assert [p.field for p in validate_record(_board_record("1969-12-31"), now=now)] == ["data.day"]
    assert validate_record(_board_record("2000-01-01"), now=now) == []
