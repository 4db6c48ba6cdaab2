"""Issue 14: what a person reads about a problem names the field by its label, gives the range
and says what to do, in the user's language; the server's English is never the Chinese text."""

from __future__ import annotations

import re

from mobile.i18n import STRINGS, tr
from mobile.messages import call_failure_text, problem_text, refusal_text, sign_in_failure_text
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
    assert zh.startswith("接待人不是本案场在职的售楼员：请改选") and "zhang.qiang" not in zh and "rep" not in zh
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


# -- issue 14 F7: every refusal code the server can send, in the tablet's words, people by name -------

def _server_codes() -> set[str]:
    """Every code a record's refusal can carry: the documented list and each ``Problem("…"``
    literal in the server's and the shared code (grepped, so a new one cannot be missed)."""
    import re
    from pathlib import Path

    from shared.errors import PROBLEM_CODES

    root = Path(__file__).resolve().parents[2]
    found = set(PROBLEM_CODES)
    for path in [*root.glob("shared/*.py"), *root.glob("sync_server/services/*.py")]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'Problem\(\s*(?:code=)?"([a-z_]+)"', text))
    return found


def test_issue14_f7_every_refusal_code_reads_in_the_tablets_words_and_never_shows_a_username():
    import re

    names = {"zhang.qiang": "张强", "desk.li": "李静"}
    # what a server may send: its English naming usernames, and the params of issue 14 F7
    message = "This record was captured after the rep 'zhang.qiang' was deactivated; user 'desk.li'."
    params = {"rep": "zhang.qiang", "user": "desk.li", "deactivated_at": "2026-12-01T11:51:00.000+00:00"}
    codes = sorted(_server_codes())
    assert {"rep_inactive", "user_inactive", "id_reused", "seq_reused", "wrong_device", "clock_inconsistent"} <= set(codes)
    for code in codes:
        for field in ("", "rep", "customer.name", "data.party_size"):
            error = {"code": code, "message": message, "field": field, "params": params}
            for lang in ("zh", "en"):
                text = refusal_text(error, lang, "walkin", names, rep="zhang.qiang", user="desk.li")
                assert "zhang.qiang" not in text and "desk.li" not in text and message not in text, (code, text)
                assert code not in text and "{" not in text, (code, lang, text)  # the tablet knows the code
                if lang == "zh":
                    assert not re.search(r"[A-Za-z]{3,}", text), (code, text)  # no English in the Chinese


def test_issue14_f7_a_deactivated_rep_or_user_is_named_by_display_name_in_both_languages():
    names = {"zhang.qiang": "张强", "desk.li": "李静"}
    refused = {"code": "rep_inactive", "field": "rep", "params": {"rep": "zhang.qiang"},
               "message": "This record was captured after the rep 张强 was deactivated (2026-12-01 19:51); …"}
    assert refusal_text(refused, "zh", "walkin", names) == "登记时售楼员张强已停用，请改选在职的售楼员。"
    assert refusal_text(refused, "en", "walkin", names) == (
        "The rep 张强 had been deactivated when this was captured; choose an active rep.")
    older = {"code": "rep_inactive", "field": "rep", "message": "… the rep 'zhang.qiang' was deactivated …"}
    assert refusal_text(older, "zh", "walkin", names, rep="zhang.qiang") == "登记时售楼员张强已停用，请改选在职的售楼员。"
    assert refusal_text(older, "zh", "walkin", {}, rep="zhang.qiang") == "登记时该售楼员已停用，请改选在职的售楼员。"
    mine = {"code": "user_inactive", "field": "captured_at", "message": "…"}
    assert refusal_text(mine, "zh", "walkin", names, user="desk.li") == "登记时本账号（李静）已停用，请由在职同事登记。"
    assert refusal_text(mine, "en", "walkin", names, user="desk.li").startswith("This tablet's user 李静 had been")


def test_qa5_f4_rep_not_started_names_the_rep_and_the_day_from_params_or_the_servers_message():
    names = {"liu.xin": "刘新"}
    sent = {"code": "rep_not_started", "field": "rep", "params": {"rep": "liu.xin", "from": "2026-12-06"},
            "message": "刘新 is on this site's duty list only from 2026-12-06; this record was captured on …"}
    assert refusal_text(sent, "zh", "walkin", names) == "登记时售楼员刘新尚未到岗（2026-12-06 起在岗），请改选当天在岗的售楼员。"
    assert refusal_text(sent, "en", "walkin", names) == (
        "The rep 刘新 was not on duty yet when this was captured (on duty from 2026-12-06); choose a rep on duty that day.")
    kept = {"code": "rep_not_started", "field": "rep", "message": sent["message"]}  # the outbox keeps no params
    assert refusal_text(kept, "zh", "walkin", names, rep="liu.xin") == refusal_text(sent, "zh", "walkin", names)
    bare = {"code": "rep_not_started", "field": "rep", "message": ""}
    assert refusal_text(bare, "zh", "walkin", {}, rep="liu.xin") == "登记时该售楼员尚未到岗，请改选当天在岗的售楼员。"


# -- QA of issue 14: every code an enrol, sign-in or sync call answers, in the tablet's words -------
# (sync_server/app.py's HTTP codes, api/body.py, api/sync.py, services/auth.py, push.py, pull.py)
CALL_CODES = {401: ["not_authenticated", "bad_token", "bad_credentials"],
              403: ["forbidden", "user_inactive", "device_revoked", "wrong_device", "password_change_required"],
              404: ["not_found", "unknown_device"], 405: ["method_not_allowed"], 410: ["resync"],
              413: ["body_too_large", "too_many_records"], 422: ["invalid_request", "invalid_json", "weak_password"],
              429: ["too_many_attempts"]}


def test_qa14_every_code_a_sign_in_or_sync_call_answers_reads_in_the_tablets_words():
    for status, codes in CALL_CODES.items():
        for code in codes:
            exc = error_for_status(status, {"error": {"code": code, "message": "Some English from the server."}})
            zh, en = sign_in_failure_text(exc, "zh"), sign_in_failure_text(exc, "en")
            assert "English" not in zh and "English" not in en and code not in zh, (code, zh, en)
            assert zh.endswith("。") and en.endswith("."), (code, zh, en)
            assert call_failure_text(code, status, "Some English.", "zh") == zh or code == "password_change_required"
    # a web server that is not fieldsync's (no error body): a wrong address too
    assert sign_in_failure_text(error_for_status(404, "<html>Not Found</html>"), "zh").startswith("服务器地址不对")
    # a code no version of the tablet knows: its own words with the code; the English only in English
    zh = call_failure_text("new_rule", 400, "Ask the manager.", "zh")
    assert zh.startswith("服务器拒绝了请求（new_rule）") and "Ask" not in zh
    assert call_failure_text("new_rule", 400, "Ask the manager.", "en").endswith("The server said: Ask the manager.")


def test_qa14_unknown_customer_missing_reason_and_already_decided_have_tablet_strings():
    for code in ("unknown_customer", "missing_reason", "already_decided"):
        error = {"code": code, "message": "English from the server.", "field": ""}
        zh, en = refusal_text(error, "zh"), refusal_text(error, "en")
        assert "English" not in zh and "English" not in en and zh.endswith("。") and en.endswith("."), code


def test_qa14_every_tablet_error_sentence_ends_with_a_full_stop_in_both_languages():
    """此角色不能提交该类记录 had none while most had 。: every err./signin. string ends alike."""
    for key, (zh, en) in STRINGS.items():
        if key.startswith(("err.", "signin.")) and key != "signin.failed":
            assert zh.endswith(("。", "？", "！")), (key, zh)
            assert en.endswith((".", "?", "!")), (key, en)


def test_qa14_l5_the_tablet_calls_a_rep_shou_lou_yuan_everywhere():
    """find.none_rep_phone and verdict.partial said 销售员 where the rest say 售楼员."""
    assert [key for key, (zh, _en) in STRINGS.items() if "销售员" in zh] == []


def test_qa14_l6_english_counts_take_the_singular_for_one():
    """"Today: 12 walk-ins, 1 calls": every English count of the tablet says 1 call, 2 calls."""
    assert tr("today.counts", "en", walkins=12, calls=1) == "This tablet today: 12 walk-ins, 1 call"
    assert tr("today.counts", "en", walkins=1, calls=0) == "This tablet today: 1 walk-in, 0 calls"
    assert tr("today.counts", "zh", walkins=1, calls=0) == "本机今日　来人 1　来电 0"
    assert tr("due.overdue_days", "en", days=1) == "1 day overdue" and tr("clock.days", "en", n=2) == "2 days"
    counted = re.compile(r"\{(n|count|days|limit|walkins|calls|about|done|due|overdue|complaints)\}\s+(?!this\b)[a-z-]+s\b")
    assert [key for key, (_zh, en) in STRINGS.items() if counted.search(en)] == []


def test_issue14_a_server_from_before_tag2_is_said_to_be_too_old_in_the_users_language():
    """A server of issue 14's first release refuses ``keys=tag2`` (422, ``query.keys``: its
    ``keys`` is ``hash|tag``), the very body its request validation writes: the tablet says the
    server needs updating and that nothing is lost — not "the server refused the request"."""
    from mobile.sync.client import keys_refused

    body = {"error": {"code": "invalid_request", "field": "query.keys",
                      "message": "query.keys: Input should be 'hash' or 'tag'."}}
    exc = keys_refused(error_for_status(422, body))
    assert (exc.code, exc.status, exc.field) == ("server_too_old", 422, "query.keys")
    zh, en = sign_in_failure_text(exc, "zh"), sign_in_failure_text(exc, "en")
    assert zh.startswith("服务器版本较旧") and "不会丢失" in zh and zh.endswith("。")
    assert "update the server" in en and "Input should" not in en
    other = error_for_status(422, {"error": {"code": "invalid_request", "field": "query.steps", "message": "x"}})
    assert keys_refused(other) is other


def test_issue14_m2_a_tablet_told_it_is_too_old_says_update_this_app():
    """The server refuses ``keys=tag`` where no tag would come (409 ``app_too_old``, QA of
    issue 14, M2): the tablet's sentence says to update the app and that nothing is lost, in
    both languages, with full-width punctuation in Chinese; a tablet of the first release,
    which does not know the code, says "或更新应用后重试" with the code (``signin.refused``)."""
    body = {"error": {"code": "app_too_old", "message": "This app is too old (keys=tag).",
                      "messages": {"zh": "本机应用版本过旧", "en": "This app is too old (keys=tag)."}}}
    exc = error_for_status(409, body)
    zh, en = sign_in_failure_text(exc, "zh"), sign_in_failure_text(exc, "en")
    assert zh.startswith("本机应用版本过旧") and "更新本机应用" in zh and "不会丢失" in zh and zh.endswith("。")
    assert "," not in zh and ":" not in zh
    assert "update the app" in en and "keys=tag" not in en
    assert "更新应用" in tr("signin.refused", "zh", code="app_too_old")


def test_qa14_a_c1_control_character_in_notes_is_refused_on_the_tablet_with_the_words_of_a_nul():
    """QA F6: the tablet's own check (shared.records) let U+009B CSI and U+0085 NEL through; they
    are refused now, said in Chinese exactly as a NUL is."""
    wire = {"id": "0b7f8f5e-8c7e-4a53-9d6a-2f3c1f1e2a10", "seq": 1, "type": "walkin",
            "captured_at": "2026-11-30T10:00:00.000+08:00", "rep": "wang.li",
            "clock": {"boot_id": "b", "elapsed_ms": 1, "wall_at_capture": "2026-11-30T10:00:00.000+08:00"},
            "customer": {"name": "张伟", "phone": "13800138000"}, "data": {"visit": "first", "notes": ""}}

    def said(notes: str) -> list[str]:
        record = {**wire, "data": {**wire["data"], "notes": notes}}
        return [problem_text(p, "zh", "walkin") for p in validate_record(record, "CN") if p.field == "data.notes"]

    nul = said("看房\x00")
    assert nul and all(re.search(r"[\u4e00-\u9fff]", text) for text in nul)
    assert said("看房\x9b2J") == said("看房\x85下午") == nul
    assert said("看房\n下午再来") == []


def test_qa14_a_damaged_signature_is_said_in_chinese_naming_the_signature():
    """QA F8c: the server (and the tablet's own check) refuse a signature that is not a base64
    PNG with invalid_value and params reason not_base64 / not_png; the tablet says it in words."""
    for reason in ("not_base64", "not_png"):
        error = {"code": "invalid_value", "field": "data.signature.png_base64", "params": {"reason": reason},
                 "message": "data.signature.png_base64 is not a PNG image; the image is damaged: sign again."}
        assert refusal_text(error, "zh", "visit_report") == "客户签字的图片已损坏，无法显示：请清除后重新签字。"
        assert refusal_text(error, "en", "visit_report").startswith("The image of Customer signature is damaged")


def test_qa14_a_rotation_board_of_a_reset_clock_is_refused_on_the_tablet_saying_to_fix_the_date(tmp_path):
    """QA F8e: a tablet whose clock reads 1970 wrote 排班 records of 1970-01-01 the console can
    never show. The tablet's own check (shared.record_checks) refuses the status change and says
    to correct the date, in Chinese, naming the days a board may have."""
    from datetime import UTC, datetime

    import pytest

    from mobile.services import RecordCapture, RotationService
    from mobile.store import LocalStore
    from shared.errors import RecordInvalid

    def reset() -> datetime:
        return datetime(1970, 1, 1, 3, 0, tzinfo=UTC)

    store = LocalStore(tmp_path / "fieldsync.db")
    service = RotationService(store, RecordCapture(store, now=reset), now=reset)
    with pytest.raises(RecordInvalid) as refused:
        service.set_status("wang.li", "present")
    said = [problem_text(p, "zh", "rotation") for p in refused.value.problems]
    assert said == ["排班日期 1970-01-01 不对（须在 2000-01-01 至 2099-12-31 之间）：平板的日期有误，请在系统设置中校准日期和时间后重试。"]
    assert not [w for w in store.pending_batch() if w["type"] == "rotation"]  # nothing saved
