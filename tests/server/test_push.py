"""POST /sync/push: authentication before the body, whole-request errors, per-record results."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.live_server import LiveServer, enroll
from tests.server.helpers import Tablet, now_cst


@pytest.fixture(scope="module")
def desk(live_server):
    return Tablet(live_server, "desk.li")


def _phone(n: int) -> str:
    return f"139{n:08d}"


def test_push_without_token_is_401(live_server, desk):
    response = requests.post(live_server.url("/sync/push"), json=desk.envelope([]))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_push_with_unknown_token_is_401(live_server, desk):
    response = requests.post(live_server.url("/sync/push"), json=desk.envelope([]),
                             headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "bad_token"


def test_unauthenticated_malformed_body_is_401_not_422(live_server):
    response = requests.post(live_server.url("/sync/push"), data=b"{not json", headers={
        "Content-Type": "application/json"})
    assert response.status_code == 401


def test_malformed_json_is_422_with_actionable_message(live_server, desk):
    response = requests.post(live_server.url("/sync/push"), data=b"{not json", headers=desk.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_json"
    assert "JSON" in response.json()["error"]["message"]


def test_envelope_without_clock_is_422_naming_the_field(live_server, desk):
    body = desk.envelope([])
    del body["clock"]
    response = requests.post(live_server.url("/sync/push"), json=body, headers=desk.headers)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "clock"


def test_envelope_with_bad_sent_at_is_422(live_server, desk):
    body = {**desk.envelope([]), "sent_at": "yesterday"}
    response = requests.post(live_server.url("/sync/push"), json=body, headers=desk.headers)
    assert response.status_code == 422 and response.json()["error"]["field"] == "sent_at"


def test_more_than_1000_records_is_413(live_server, desk):
    records = [{"id": str(uuid.uuid4())}] * 1001
    response = requests.post(live_server.url("/sync/push"), json=desk.envelope(records), headers=desk.headers)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_many_records"


def test_body_over_the_size_limit_is_413():
    with LiveServer(env={"FIELDSYNC_MAX_BODY_BYTES": "20000"}) as server:
        tablet = Tablet(server, "desk.li")
        record = tablet.record(rep="wang.li", data={"notes": "备注" * 900})
        response = tablet.push_raw([record] * 5)
        assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"
        assert tablet.statuses(record) == ["accepted"]


def test_push_for_another_device_is_403_wrong_device(live_server, desk):
    other = Tablet(live_server, "wang.li")
    body = {**desk.envelope([]), "device_id": other.device_id}
    response = requests.post(live_server.url("/sync/push"), json=body, headers=desk.headers)
    assert response.status_code == 403 and response.json()["error"]["code"] == "wrong_device"


def test_user_of_another_site_cannot_push_as_a_device_of_this_site_403(live_server, desk):
    live_server.cli("sites", "add", "--id", "s2", "--name", "别的售楼处")
    live_server.cli("users", "add", "--site", "s2", "--username", "s2.rep", "--password", "secret-pass-1",
                    "--role", "rep", "--name", "外人")
    _, token = enroll(live_server.base_url, "s2.rep", "t")
    response = requests.post(live_server.url("/sync/push"), json=desk.envelope([]),
                             headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_accepted_then_same_record_again_is_duplicate(desk):
    record = desk.record(rep="wang.li", phone=_phone(1))
    assert desk.statuses(record) == ["accepted"]
    assert desk.statuses(record) == ["duplicate"]


def test_same_id_with_different_content_is_rejected_id_reused(desk):
    record = desk.record(rep="wang.li", phone=_phone(2))
    desk.push(record)
    changed = {**record, "data": {**record["data"], "notes": "changed"}}
    result = desk.push(changed)["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "id_reused" and result["error"]["field"] == "id"


def test_bad_record_does_not_block_good_ones_in_the_batch(desk):
    good = desk.record(rep="wang.li", phone=_phone(3))
    service_number = desk.record(rep="wang.li", phone="10086")
    unknown_rep = desk.record(rep="desk.li", phone=_phone(4))
    assert desk.statuses(service_number, good, unknown_rep) == ["invalid_phone", "accepted", "unknown_rep"]


def test_qa14_an_element_of_records_that_is_not_an_object_is_refused_alone(desk):
    """QA (push sweep, 2026-12-03): one ``null``, text, number or list among the records made
    the whole push 422 and the good records in it were not stored."""
    first, last = desk.record(rep="wang.li", phone=_phone(7)), desk.record(rep="wang.li", phone=_phone(8))
    response = desk.push_raw([first, None, "x", 42, [1], last])
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", *["rejected"] * 4, "accepted"]
    assert {r["error"]["code"] for r in results[1:5]} == {"wrong_type"} and all(r.get("id") is None for r in results[1:5])


def test_walkin_without_rep_is_rejected_and_other_types_may_omit_it(desk):
    no_rep = desk.record(rep=None, phone=_phone(5))
    call = desk.record("call", rep=None, phone=_phone(5))
    assert desk.statuses(no_rep, call) == ["missing_field", "accepted"]


def test_role_without_the_right_type_is_rejected_forbidden_type(desk):
    visit_report = desk.record("visit_report", rep="wang.li", phone=_phone(6))
    result = desk.push(visit_report)["results"][0]
    assert result["error"]["code"] == "forbidden_type" and result["error"]["field"] == "type"


def test_supersedes_naming_an_unknown_record_is_rejected_unknown_record(desk):
    correction = desk.record(rep="wang.li", phone=_phone(7), supersedes=str(uuid.uuid4()))
    assert desk.statuses(correction) == ["unknown_record"]


def test_correction_of_a_stored_record_or_one_in_the_same_batch_is_accepted(desk):
    original = desk.record(rep="wang.li", phone=_phone(8))
    desk.push(original)
    correction = desk.record(rep="wang.li", phone=_phone(8), supersedes=original["id"])
    first = desk.record(rep="wang.li", phone=_phone(9))
    withdrawal = desk.record("withdrawal", rep=None, phone=_phone(9), supersedes=first["id"])
    assert desk.statuses(correction, withdrawal, first) == ["accepted"] * 3


def test_phones_in_any_shape_are_one_customer(live_server, desk):
    a = desk.record(rep="wang.li", name="李娜", phone="137 1234 0001")
    b = desk.record("call", rep=None, name="李娜", phone="+86 137-1234-0001")
    c = desk.record("call", rep=None, name="李娜", phone="8613712340001")
    desk.push(a, b, c)
    manager = Tablet(live_server, "zhao.min")
    body = manager.get("/customers/lookup", phone="13712340001").json()
    detail = manager.get(f"/customers/{body['customer_id']}").json()
    assert len(detail["records"]) == 3 and body["phone"] == "+8613712340001"


def test_contiguous_seq_stops_at_a_gap_and_moves_when_it_is_filled(live_server):
    tablet = Tablet(live_server, "desk.li", "gap tablet")
    r1, r2, r3, r4 = (tablet.record(rep="wang.li", phone=_phone(20 + i)) for i in range(4))
    assert tablet.push(r1, r2)["contiguous_seq"] == 2
    assert tablet.push(r4)["contiguous_seq"] == 2  # seq 3 never arrived: a visible gap
    assert tablet.push(r3)["contiguous_seq"] == 4


def test_a_rejected_record_is_no_gap_so_contiguous_seq_moves_past_it(live_server):
    # The rejected record stays on the tablet with its reason and comes back as a new record
    # with a new seq; its own seq arrived and must not read as missing for ever.
    tablet = Tablet(live_server, "desk.li")
    good, wrong_rep, bad_phone = (tablet.record(rep="wang.li"), tablet.record(rep="nobody"),
                                  tablet.record(rep="wang.li", phone="10086"))
    body = tablet.push(good, wrong_rep, bad_phone)
    assert [r["status"] for r in body["results"]] == ["accepted", "rejected", "rejected"]
    assert body["contiguous_seq"] == bad_phone["seq"]
    corrected = tablet.record(rep="wang.li", name=wrong_rep["customer"]["name"])
    assert tablet.push(corrected)["contiguous_seq"] == corrected["seq"]


def test_another_record_with_a_used_seq_is_rejected_seq_reused(live_server):
    tablet = Tablet(live_server, "desk.li", "seq tablet")
    first = tablet.record(rep="wang.li", phone=_phone(30))
    tablet.push(first)
    again = tablet.record(rep="wang.li", phone=_phone(31), seq=first["seq"])
    assert tablet.statuses(again) == ["seq_reused"]


def test_another_sites_record_id_is_a_record_of_its_own_and_says_nothing_about_the_first(live_server, desk):
    """Record ids are unique per site (issue 10, keys start with site_id): a copy of site s1's
    record pushed at s3 is s3's own record; s3 learns nothing about s1 (the old ``id_reused``
    answer told it the id existed elsewhere) and s1's record is unchanged."""
    record = desk.record(rep="wang.li", phone=_phone(40))
    desk.push(record)
    live_server.cli("sites", "add", "--id", "s3", "--name", "三号售楼处")
    live_server.cli("users", "add", "--site", "s3", "--username", "s3.desk", "--password", "secret-pass-1",
                    "--role", "reception", "--name", "三号前台")
    live_server.cli("users", "add", "--site", "s3", "--username", "s3.rep", "--password", "secret-pass-1",
                    "--role", "rep", "--name", "三号销售")
    other = Tablet(live_server, "s3.desk")
    copy = {**record, "rep": "s3.rep", "seq": 1}
    assert other.statuses(copy) == ["accepted"]
    assert other.statuses(copy) == ["duplicate"]
    assert other.statuses({**copy, "customer": {**copy["customer"], "name": "另一个名字"}}) == ["id_reused"]
    assert desk.statuses(record) == ["duplicate"]
    assert desk.get("/customers/lookup", phone=record["customer"]["phone"]).json()["owner"] == "wang.li"
    assert other.get("/customers/lookup", phone=record["customer"]["phone"]).json()["owner"] == "s3.rep"


def test_push_response_has_server_time_and_results_in_input_order(desk):
    records = [desk.record(rep="wang.li", phone=_phone(50 + i)) for i in range(3)]
    body = desk.push(*records)
    assert [r["id"] for r in body["results"]] == [r["id"] for r in records]
    assert body["server_time"].endswith("+00:00")
    assert all(set(r) == {"id", "status"} for r in body["results"])


def test_openapi_documents_the_push_body_and_error_shape(live_server):
    spec = requests.get(live_server.url("/openapi.json")).json()
    push = spec["paths"]["/api/v1/sync/push"]["post"]
    body = push["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "records" in spec["components"]["schemas"][body]["properties"]
    assert {"401", "403", "413", "422"} <= set(push["responses"])
    assert "ErrorResponse" in str(push["responses"]["422"])


def test_validation_error_of_a_query_uses_the_one_error_shape(live_server, desk):
    response = desk.get("/sync/pull", limit="many")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request" and response.json()["error"]["field"]



def test_qa14_l12_a_phone_with_a_symbol_or_the_letter_o_is_refused_in_every_phone_field(desk):
    """QA of issue 14 (L12): 📞13800138000 was accepted and stored raw. Every field that takes a
    phone (the customer's of every record type, a walk-in's household phone) refuses it with
    invalid_phone and says what is wrong in ``params`` (docs/protocol.md "Push")."""
    records = [desk.record(rep="wang.li", phone="📞13800138000"),
               desk.record("call", rep=None, phone="138OO138OOO"),
               desk.record("follow_up", phone="138 0013 8000#"),
               desk.record(rep="wang.li", phone=_phone(7), data={"household_phone": "☎13900001111"})]
    results = desk.push(*records)["results"]
    errors = [r.get("error") or {} for r in results]
    assert [e.get("code") for e in errors] == ["invalid_phone"] * 4, results
    assert [e.get("field") for e in errors] == ["customer.phone"] * 3 + ["data.household_phone"], errors
    assert [e.get("params") for e in errors] == [{"reason": "symbol", "char": "📞"}, {"reason": "letter_o", "char": "O"},
                                                 {"reason": "symbol", "char": "#"}, {"reason": "symbol", "char": "☎"}]


def test_qa14_an_extension_or_a_chinese_character_in_a_phone_is_named_as_such_not_a_letter(desk):
    """QA of issue 14: "010-12345678转123" was refused as holding the letter 转 (字母). An
    extension (转, 分机, ext) is ``reason: extension`` (the tablet says to put it in the notes);
    another Chinese character is a ``symbol``, never a letter."""
    records = [desk.record("call", rep=None, phone="010-12345678转123"),
               desk.record("call", rep=None, phone="010 1234 5678 分机 88"),
               desk.record(rep="wang.li", phone="电话13800138000"),
               # L1: the marks libphonenumber reads as an extension, and a dash after a whole number
               desk.record("call", rep=None, phone="010-12345678 x123"),
               desk.record("call", rep=None, phone="010-12345678#123"),
               desk.record(rep="wang.li", phone="13800138000-12")]
    errors = [r.get("error") or {} for r in desk.push(*records)["results"]]
    assert [(e.get("code"), e.get("params")) for e in errors] == [
        ("invalid_phone", {"reason": "extension", "char": "转"}), ("invalid_phone", {"reason": "extension", "char": "分机"}),
        ("invalid_phone", {"reason": "symbol", "char": "电"}),
        ("invalid_phone", {"reason": "extension", "char": "x123"}),
        ("invalid_phone", {"reason": "extension", "char": "#123"}),
        ("invalid_phone", {"reason": "extension", "char": "-12"})], errors


def test_qa14_a_visit_reports_signature_must_be_a_base64_png(live_server):
    """QA F8c: a signature of "!!!notb64" or of non-PNG bytes was stored and the console showed
    a broken image. The record alone is refused, on data.signature.png_base64, saying why; the
    signature pad's PNG is taken."""
    import base64

    from tests.console.seed import signature_png

    rep = Tablet(live_server, "wang.li")
    day = now_cst().date().isoformat()

    def report(png: str, n: int) -> dict:
        return rep.record("visit_report", rep="wang.li", phone=_phone(40 + n), data={
            "organisation": "华夏建材", "visited_on": day,
            "ratings": {"quality": "优良", "service": "良好", "awareness": "知名"},
            "signature": {"png_base64": png, "signed_on": day, "signer": "张伟"}})

    good = report(signature_png(), 0)
    bad = [report("!!!notb64", 1), report(base64.b64encode(b"GIF89a not a png").decode(), 2)]
    results = rep.push(good, *bad)["results"]
    assert results[0]["status"] == "accepted", results[0]
    for result, reason in zip(results[1:], ("not_base64", "not_png"), strict=True):
        error = result["error"]
        assert (result["status"], error["code"], error["field"]) == ("rejected", "invalid_value",
                                                                    "data.signature.png_base64")
        assert error["params"] == {"reason": reason} and "sign again" in error["message"]


def test_qa14_a_rotation_record_of_1970_is_refused_naming_the_days_a_board_may_have(live_server):
    """QA F8e: the desk's 排班 record of day 1970-01-01 was accepted; the console shows boards
    from 2000 to 2099 only, so it could never be viewed."""
    desk = Tablet(live_server, "desk.li")
    today = now_cst().date().isoformat()
    records = []
    for day in ("1970-01-01", today):
        record = {**desk.record("walkin"), "type": "rotation", "rep": "wang.li", "data": {"day": day, "event": "present"}}
        record.pop("customer")
        records.append(record)
    old, current = desk.push(*records)["results"]
    assert current["status"] == "accepted", current
    assert (old["status"], old["error"]["code"], old["error"]["field"]) == ("rejected", "invalid_value", "data.day")
    assert old["error"]["params"]["reason"] == "board_day" and "2000-01-01 to 2099-12-31" in old["error"]["message"]
