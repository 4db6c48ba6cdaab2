"""Issue 14: what a person reads about a problem names the field by its label, gives the range
and says what to do, in the user's language; the server's English is never the Chinese text."""

from __future__ import annotations

from mobile.messages import problem_text, refusal_text, sign_in_failure_text
from mobile.sync.errors import AuthRequired, NetworkError, ServerError, error_for_status
from shared.errors import Problem
from shared.phones import national_text, normalise_phone, phone_kind
from shared.records import validate_record


def test_issue14_missing_customer_name_is_named_by_its_label_not_customer_name():
    assert problem_text(Problem("missing_field", "customer with a name is required.", "customer.name"), "zh",
                        "walkin") == "请填写客户姓名。"
    assert problem_text(Problem("missing_field", "…", "customer.name"), "en", "walkin") == "Fill in Customer name."


def test_issue14_party_size_out_of_range_states_the_range():
    wire = {"id": "0b7f8f5e-8c7e-4a53-9d6a-2f3c1f1e2a10", "seq": 1, "type": "walkin",
            "captured_at": "2026-11-30T10:00:00.000+08:00", "rep": "wang.li",
            "clock": {"boot_id": "b", "elapsed_ms": 1, "wall_at_capture": "2026-11-30T10:00:00.000+08:00"},
            "customer": {"name": "张伟", "phone": "13800138000"}, "data": {"visit": "first", "party_size": 500}}
    problems = [p for p in validate_record(wire, "CN") if p.field == "data.party_size"]
    assert problems, validate_record(wire, "CN")
    assert problem_text(problems[0], "zh", "walkin") == "来访人数须在 1 到 100 之间，请重新填写。"
    assert problem_text(problems[0], "en", "walkin") == "Party size must be from 1 to 100; enter it again."


def test_issue14_a_server_refusal_of_zhang_qiang_reads_in_chinese_without_the_servers_english():
    error = {"code": "unknown_rep", "field": "rep",
             "message": "'zhang.qiang' is not an active rep of this site; choose the rep who received the customer."}
    zh = refusal_text(error, "zh", "walkin")
    assert zh.startswith("接待人不是本案场在职的销售员：请改选") and "zhang.qiang" not in zh and "rep" not in zh
    assert refusal_text(error, "en", "walkin").startswith("The receiving rep is not an active rep of this site")


def test_a_code_the_tablet_does_not_know_falls_back_to_the_servers_words_said_to_be_the_servers():
    text = refusal_text({"code": "new_rule", "message": "Ask the manager.", "field": "data.x"}, "zh", "walkin")
    assert text == "服务器拒收（new_rule），服务器说明：Ask the manager."


def test_issue14_sign_in_errors_are_translated():
    wrong = error_for_status(401, {"error": {"code": "bad_credentials", "message": "Wrong username or password; …"}})
    assert isinstance(wrong, AuthRequired)
    assert sign_in_failure_text(wrong, "zh") == "用户名或密码不对：请检查后重试。"
    assert "Wrong username" not in sign_in_failure_text(wrong, "zh")
    throttled = error_for_status(429, {"error": {"code": "too_many_attempts", "message": "Too many …"}})
    assert sign_in_failure_text(throttled, "zh").startswith("密码错误次数过多")
    assert sign_in_failure_text(NetworkError("no answer"), "zh").startswith("无法连接服务器")
    assert sign_in_failure_text(ServerError("boom", "server_error", 500), "en").startswith("Server error (500)")


def test_issue14_010_12345678_is_a_landline_and_13800138000_a_mobile():
    key = normalise_phone("010-12345678", "CN")
    assert phone_kind(key) == "landline" and national_text(key) == "010 1234 5678"
    assert phone_kind(normalise_phone("138 0013 8000", "CN")) == "mobile"
