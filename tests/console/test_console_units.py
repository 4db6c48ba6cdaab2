"""The console's pieces that need no browser: cookie signing, CSRF, spreadsheets, the
decision form, the string table; and what the server answers to requests without a browser."""

from __future__ import annotations

import re

import requests
from openpyxl import load_workbook

from sync_server.console.decisions import initial_form, parse_decision_form
from sync_server.console.i18n import STRINGS, text
from sync_server.console.session import ConsoleSession, SessionCodec
from sync_server.console.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from sync_server.storage.base import ConflictRow, CustomerRow
from tests.console.conftest import csrf_of, requests_session

SECRET = b"a-test-secret-of-enough-length"


def test_a_tampered_session_cookie_reads_as_signed_out():
    codec = SessionCodec(SECRET)
    value = codec.dumps(ConsoleSession.anonymous().signed_in("desk.li", "s1", "李静"))
    assert codec.loads(value).username == "desk.li"
    body, mac = value.rsplit(".", 1)
    forged = SessionCodec(b"another-secret-of-enough-length").dumps(
        ConsoleSession.anonymous().signed_in("zhao.min", "s1", "赵敏"))
    assert codec.loads(forged) is None
    assert codec.loads(body + "x." + mac) is None
    assert codec.loads(value, now=codec.loads(value).issued_at + codec.max_age_s + 1) is None


def test_signing_in_issues_a_new_csrf_token():
    before = ConsoleSession.anonymous()
    after = before.signed_in("zhao.min", "s1", "赵敏")
    assert after.csrf != before.csrf and after.csrf_ok(after.csrf) and not after.csrf_ok(before.csrf)
    assert not after.csrf_ok(None) and not after.csrf_ok("")


def test_csv_has_a_bom_and_neutralises_formulas():
    data = csv_bytes(Sheet("来访登记", ["客户", "备注"], [["张伟", "=HYPERLINK(\"x\")"], ["李娜", "-5"]]))
    assert data.startswith(b"\xef\xbb\xbf")
    text_ = data.decode("utf-8-sig")
    assert "张伟,\"'=HYPERLINK" in text_ and "李娜,-5" in text_ and "\r\n" in text_


def test_xlsx_cells_are_typed_and_formula_text_stays_text_without_an_apostrophe(tmp_path):
    from datetime import date, datetime

    from sync_server.console.spreadsheets import Percent

    path = tmp_path / "typed.xlsx"
    row = [datetime(2026, 11, 30, 10, 5), date(2026, 11, 30), 1500000.0, 7, Percent(1 / 3), Percent(None),
           "138 0013 8000", "=HYPERLINK(\"x\")", "+86 138"]
    path.write_bytes(xlsx_bytes([Sheet("成交记录", [str(i) for i in range(len(row))], [row])]))
    cells = list(load_workbook(path)["成交记录"].iter_rows(min_row=2))[0]
    assert [c.data_type for c in cells] == ["d", "d", "n", "n", "n", "n", "s", "s", "s"]
    assert [c.number_format for c in cells[:5]] == ["yyyy-mm-dd hh:mm", "yyyy-mm-dd", "#,##0.00", "General", "0.0%"]
    assert cells[5].value is None and cells[7].value == "=HYPERLINK(\"x\")" and cells[7].quotePrefix
    assert not cells[6].quotePrefix and cells[8].quotePrefix
    text_ = csv_bytes(Sheet("成交记录", ["a"] * len(row), [row])).decode("utf-8-sig")
    assert "2026-11-30 10:05,2026-11-30,1500000.00,7,33.3%,,138 0013 8000,\"'=HYPERLINK" in text_


def test_xlsx_has_one_sheet_per_table_with_chinese_intact(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes([Sheet("来访登记", ["客户"], [["张伟"]]), Sheet("投诉", ["内容"], [["空调太冷"]])]))
    book = load_workbook(path)
    assert book.sheetnames == ["来访登记", "投诉"]
    assert book["投诉"]["A2"].value == "空调太冷"


def test_decision_form_needs_a_reason_and_a_split_of_100():
    reps = ["wang.li", "zhang.qiang"]
    form, errors = parse_decision_form({"owner": "wang.li", "split_preset": "custom", "split_wang.li": "60",
                                        "split_zhang.qiang": "30", "reason": " "}, reps, "en")
    assert errors == [text("dispute.err_split", "en", total=90), text("dispute.err_reason", "en")]
    form, errors = parse_decision_form({"owner": "zhang.qiang", "split_preset": "80/20", "reason": "asked"}, reps, "zh")
    assert not errors and form.split == {"zhang.qiang": 80, "wang.li": 20}
    _, errors = parse_decision_form({"owner": "chen.jie", "reason": "x"}, reps, "zh")
    assert errors == [text("dispute.err_owner", "zh")]


def test_a_preset_among_three_reps_needs_the_other_party_and_writes_zero_for_the_rest():
    reps = ["wang.li", "chen.jie", "zhang.qiang"]
    _, errors = parse_decision_form({"owner": "wang.li", "split_preset": "80/20", "reason": "r"}, reps, "zh")
    assert errors == [text("dispute.err_partner", "zh", share=20)]
    form, errors = parse_decision_form({"owner": "wang.li", "split_preset": "80/20", "partner": "chen.jie",
                                        "reason": "r"}, reps, "zh", holders=["zhang.qiang"])
    assert not errors and form.split == {"wang.li": 80, "chen.jie": 20, "zhang.qiang": 0}


def _conflict(flags: list[str]) -> ConflictRow:
    claims = [{"record_id": "r1", "rep": "wang.li"}, {"record_id": "r2", "rep": "zhang.qiang"}]
    return ConflictRow(id="k1", site_id="s1", customer_id="c1", phone_key="+8613800138000", status="open",
                       owner="wang.li", flags=flags, claims=claims, explanation=[], opened_at="2026-11-30T01:00:00Z")


def test_the_first_form_follows_the_household_rule_and_the_current_split():
    household = _conflict(["household"])
    assert initial_form(household, None, "split").split == {"wang.li": 50, "zhang.qiang": 50}
    assert initial_form(household, None, "first").preset == ""
    customer = CustomerRow(id="c1", site_id="s1", phone_key="+8613800138000", owner="wang.li",
                           split={"wang.li": 60, "chen.jie": 40})
    form = initial_form(_conflict([]), customer, "split")
    assert form.preset == "custom" and form.split == {"wang.li": 60, "zhang.qiang": 0, "chen.jie": 40}


def test_every_string_has_both_languages():
    assert all(zh and en for zh, en in STRINGS.values())


def test_a_post_without_the_csrf_token_is_refused(server, day):
    session = requests_session(server)
    page = session.get(server.base_url + "/console/confirm", timeout=30)
    assert page.status_code == 200
    ids = re.findall(r'data-record="([0-9a-f-]{36})"', page.text)
    refused = session.post(server.base_url + "/console/confirm", data={"record_id": ids[0]}, timeout=30)
    assert refused.status_code == 403 and "页面已过期" in refused.text
    wrong = session.post(server.base_url + "/console/confirm", data={"record_id": ids[0], "csrf_token": "guess"},
                         timeout=30)
    assert wrong.status_code == 403


def test_session_cookie_is_httponly_samesite_lax_and_scoped_to_the_console(server):
    session = requests_session(server)
    response = session.get(server.base_url + "/console/login", timeout=30)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/console" in cookie


def test_pages_redirect_to_sign_in_without_a_session(server):
    import requests

    response = requests.get(server.base_url + "/console/numbers", allow_redirects=False, timeout=30)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/login?next=")


def test_confirming_another_sites_or_unknown_record_confirms_nothing(server, day):
    session = requests_session(server)
    csrf = csrf_of(session.get(server.base_url + "/console/confirm", timeout=30).text)
    response = session.post(server.base_url + "/console/confirm", timeout=30,
                            data={"csrf_token": csrf, "record_id": "00000000-0000-4000-8000-000000000000"},
                            allow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/confirm?day=")
    back = session.get(server.base_url + response.headers["location"], timeout=30)
    assert "找不到该记录" in back.text and 'class="flash error"' in back.text


def test_an_export_range_that_is_backwards_is_refused_with_a_message(server):
    session = requests_session(server)
    response = session.get(server.base_url + "/console/exports/download?start=2026-11-20&end=2026-11-01", timeout=30)
    # beside its field, saying which way it is wrong (DayFields.range, as every console range: QA of issue 15)
    assert response.status_code == 422 and 'data-testid="error-end"' in response.text
    assert "截止日期 2026-11-01 早于起始日期 2026-11-20" in response.text


def test_unknown_console_addresses_and_methods_get_a_page_not_json(server):
    session = requests_session(server)
    for method, path, status in (("GET", "/console/nowhere", 404), ("GET", "/console/logout", 405)):
        response = session.request(method, server.base_url + path, timeout=30)
        assert response.status_code == status and response.headers["content-type"].startswith("text/html")
        assert "找不到该记录" in response.text
    api = requests.get(server.base_url + "/api/v1/nowhere", timeout=30)
    assert api.status_code == 404 and api.headers["content-type"] == "application/json"


def test_shares_typed_under_a_preset_are_kept_as_custom_and_asked_about_not_replaced():
    """Issue 9 QA: 60/30/10 typed while "70/30" stayed chosen was saved as 70/30, silently."""
    reps = ["chen.jie", "wang.li", "zhang.qiang"]
    form, errors = parse_decision_form({"owner": "wang.li", "split_preset": "70/30", "partner": "zhang.qiang",
                                        "split_wang.li": "60", "split_zhang.qiang": "30", "split_chen.jie": "10",
                                        "reason": "r"}, reps, "zh")
    assert len(errors) == 1 and "自定义" in errors[0] and "70/30" in errors[0]
    assert form.preset == "custom" and form.split == {"chen.jie": 10, "wang.li": 60, "zhang.qiang": 30}
    # the boxes as the preset filled them: no question asked
    form, errors = parse_decision_form({"owner": "wang.li", "split_preset": "70/30", "partner": "zhang.qiang",
                                        "split_wang.li": "70", "split_zhang.qiang": "30", "split_chen.jie": "0",
                                        "reason": "r"}, reps, "zh")
    assert errors == [] and form.preset == "70/30"


def test_a_split_reads_owner_first_then_largest_share_whatever_order_the_store_keeps():
    """QA of case 1 on PostgreSQL: jsonb reorders a split's keys, so the decision read
    归 王丽（张强 30%，王丽 70%）there and 王丽 70%，张强 30% on SQLite."""
    from datetime import UTC, datetime

    from shared.explain import Step, render
    from sync_server.console.deps import TEMPLATES

    step = Step("R10", "decision", {"author": "赵敏", "time": datetime(2026, 12, 1, 3, 0, tzinfo=UTC), "owner": "王丽",
                                    "split": {"张强": 30, "陈杰": 0, "王丽": 70}, "reason": "r"})
    assert "归 王丽（王丽 70%，张强 30%，陈杰 0%）" in render(step, "zh")
    assert "owner 王丽 (王丽 70%, 张强 30%, 陈杰 0%)" in render(step, "en")
    macro = TEMPLATES.env.from_string('{% from "_macros.html" import split_text %}{{ split_text(people, split) }}')
    people = {"wang.li": ("王丽", ""), "zhang.qiang": ("张强", ""), "chen.jie": ("陈杰", "")}
    for split in ({"zhang.qiang": 30, "wang.li": 70}, {"wang.li": 70, "zhang.qiang": 30}):
        assert macro.render(people=people, split=split) == "王丽 70% / 张强 30%"
    assert macro.render(people=people, split={"zhang.qiang": 0, "chen.jie": 50, "wang.li": 50}) == "陈杰 50% / 王丽 50% / 张强 0%"


def test_an_xlsx_with_a_control_character_in_a_stored_text_is_written_without_it(tmp_path):
    """QA (issue 12): one NUL in a stored reason made every audit XLSX a 500 (openpyxl refuses
    it); new reasons are refused at the door, old rows export without the invisible character."""
    path = tmp_path / "audit.xlsx"
    path.write_bytes(xlsx_bytes([Sheet("审计日志", ["详情"], [["理由：a\x00b\x07c"]])]))
    assert load_workbook(path).active["A2"].value == "理由：abc"


def test_qa11_f7_an_export_keeps_a_foreign_numbers_country_code_and_writes_chinese_ones_as_dialled_here():
    from sync_server.console.formatting import export_phone

    assert export_phone("+14155550100") == "+1 415-555-0100"  # "(415) 555-0100" cannot be dialled from China
    assert export_phone("+85291234567") == "+852 9123 4567"
    assert export_phone("+8613600000004") == "136 0000 0004"
    assert export_phone("+861062345678") == "010 6234 5678"
    assert export_phone("0755-1234567") == "0755-1234567"  # not E.164: as stored


def test_qa11_f8_durations_read_in_the_pages_language():
    from sync_server.console.formatting import duration

    day, hour, minute = 86_400_000, 3_600_000, 60_000
    assert duration(292 * day + 5 * hour, "zh") == "292 天 5 小时"
    assert duration(2 * hour + 8 * minute, "zh") == "2 小时 8 分钟"
    assert duration(3 * minute + 5_000, "zh") == "3 分钟 5 秒"
    assert duration(850, "zh") == "850 毫秒"
    assert duration(292 * day + 5 * hour, "en") == "292 d 5 h"
    assert duration(2 * hour + 8 * minute) == "2 h 8 min"


def test_qa11_f13_csv_amounts_read_as_money_not_python_floats():
    body = csv_bytes(Sheet("成交", ["金额"], [[20000.0], [1e12], [-0.0], [0.1 + 0.2]])).decode("utf-8-sig")
    assert body.split("\r\n")[1:5] == ["20000.00", "1000000000000.00", "0.00", "0.30"]


def test_qa11_second_pass_a_correction_reads_in_the_readers_words():
    """The customer page's 更正记录 showed "amount 20000 → 200000 ； stage small_deposit → large_deposit"."""
    from sync_server.console.field_labels import field_name, field_value

    assert (field_name("amount", "zh"), field_value("amount", 20000, "zh"), field_value("amount", 1.5, "zh")) == (
        "金额（元）", "20,000", "1.50")
    assert (field_name("stage", "zh"), field_value("stage", "large_deposit", "zh")) == ("阶段", "大定")
    assert (field_name("severity", "zh"), field_value("severity", "major", "zh")) == ("级别", "较大投诉")
    assert (field_name("status", "zh"), field_value("status", "resolved", "zh")) == ("状态", "已解决")
    assert (field_name("party_size", "zh"), field_value("party_size", None, "zh")) == ("人数", "—")
    assert (field_name("stage", "en"), field_value("stage", "large_deposit", "en")) == ("Stage", "large deposit")


def test_qa11_second_pass_durations_are_rounded_not_cut():
    from sync_server.console.formatting import duration

    day, hour = 86_400_000, 3_600_000
    assert duration(3 * day + 4 * hour - 7, "zh") == "3 天 4 小时"  # a clock 3 d 4 h fast, less transit
    assert duration(2 * hour - 20_000) == "2 h 0 min" and duration(59_600) == "1 min" and duration(1_400) == "1 s"
    assert duration(day - 20_000) == "1 d 0 h"
