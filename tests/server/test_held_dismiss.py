"""Issue 14 N3: 待确认归属 let the manager only release (确认) held records — each release made a
customer and sent the pusher the tag of the real one, answering the enumeration — or leave
them for ever (the badge stayed). Now the manager can refuse them (不予确认): one, a phone's,
or all of one pusher's at once, with a reason. A refused record stays stored (pulls, exports:
marked dismissed) but never settles, is never released later, and takes no part in a later
ownership decision; its pusher's next pull says so with the reason. Both backends, a real
server.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from sync_server.services.record_budget import RECORD_BUDGET
from tests.console.conftest import csrf_of, requests_session
from tests.server.helpers import Tablet, now_cst

REAL, REAL_KEY = "137 6666 0001", "+8613766660001"  # 张强's customer: 王丽 names it past her budget
JUNK = [(f"137 6666 {n:04d}", f"+861376666{n:04d}") for n in range(2, 10)]  # numbers nobody registered
LATER, LATER_KEY = JUNK[0]  # 张强 registers it after the refusal
REASON = "同一账号短时间内上传大量陌生号码，疑似逐个试号码"
M = timedelta(minutes=1)


def _held_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="held-record" data-record="([^"]+)"', html)


def _owners(server) -> dict[str, str | None]:
    changes, _ = Tablet(server, "zhao.min", "manager-owners").pull_all(keys="tag")
    return {c["customer"]["phone"]: c["customer"]["owner"] for c in changes
            if c["kind"] == "ownership" and c["customer"].get("phone")}


@pytest.fixture(scope="module")
def refused(live_server):
    """张强 registers REAL (10 minutes ago). 王丽 spends her day's budget on 300 unknown numbers,
    then pushes walk-ins and calls of REAL and the JUNK numbers, captured 40–50 minutes ago:
    all held. The manager refuses all of 王丽's held records on the confirmation page."""
    zhang = Tablet(live_server, "zhang.qiang", "张强的平板")
    zhang.push(zhang.record("walkin", ago=10 * M, rep="zhang.qiang", name="周琳", phone=REAL))
    wang = Tablet(live_server, "wang.li", "王丽的平板")
    spent = [wang.record("call", ago=60 * M, rep=None, name="某", phone=f"138{6000 + i:04d}8000")
             for i in range(RECORD_BUDGET)]
    for start in range(0, len(spent), 100):
        wang.push(*spent[start:start + 100])
    records = [wang.record("walkin", ago=50 * M, rep="wang.li", name="试号", phone=REAL)]
    records += [wang.record("call" if i % 2 else "walkin", ago=(49 - i) * M, rep="wang.li" if i % 2 == 0 else None,
                            name=f"试号{i}", phone=phone) for i, (phone, _) in enumerate(JUNK)]
    results = wang.push(*records)["results"]
    assert all(r.get("owner_withheld") is True for r in results), results
    _, cursor = wang.pull_all()  # the tablet has its held records (归属待经理确认) before the refusal
    session = requests_session(live_server)
    page = session.get(live_server.base_url + "/console/held", timeout=30).text
    row = re.search(r'<tr data-testid="held-pusher" data-pusher="wang.li"[^>]*>(.*?)</tr>', page, re.S)
    assert row and '<td data-testid="pusher-name">王丽</td>' in row.group(1) and "王丽的平板" in row.group(1)
    assert f'data-testid="pusher-count">{len(records)}<' in row.group(1)
    ask = session.get(live_server.base_url + "/console/held/dismiss", params={"pusher": "wang.li"}, timeout=30)
    assert ask.status_code == 200
    assert f"将不予确认 王丽 上传的全部 {len(records)} 条待确认记录（{len(JUNK) + 1} 个号码）。" in ask.text
    form = {"csrf_token": csrf_of(ask.text), "pusher": "wang.li", "back": "/console/held"}
    # no reason: said in the manager's language, nothing written
    empty = session.post(live_server.base_url + "/console/held/dismiss", data={**form, "reason": "  "}, timeout=30)
    assert empty.status_code == 400 and "请填写不予确认的原因" in empty.text
    assert len(_held_rows(session.get(live_server.base_url + "/console/held", timeout=30).text)) == len(records)
    # QA5 F1: control or direction characters (a NUL was a 500 on PostgreSQL): said, nothing written
    control = [session.post(live_server.base_url + "/console/held/dismiss", data={**form, "reason": bad}, timeout=30)
               for bad in ("试号码\x00", "试号码\x07\x1b[31m红", "试号码\u202e反向")]
    # QA F6: the C1 controls (U+0085 NEL, U+009B CSI) alike
    c1 = [session.post(live_server.base_url + "/console/held/dismiss", data={**form, "reason": bad}, timeout=30)
          for bad in ("试号码\x85下一行", "试号码\x9b31m红")]
    still_held = len(_held_rows(session.get(live_server.base_url + "/console/held", timeout=30).text))
    done = session.post(live_server.base_url + "/console/held/dismiss", data={**form, "reason": REASON}, timeout=30)
    assert done.status_code == 200 and f"已不予确认 {len(records)} 条（王丽）；记录保留，归属永不计入。" in done.text
    return {"server": live_server, "records": records, "session": session, "wang": wang, "zhang": zhang,
            "cursor": cursor, "control": control, "c1": c1, "still_held": still_held}


def test_dismissing_all_of_a_pushers_held_records_empties_the_page_and_the_badge(refused):
    page = refused["session"].get(refused["server"].base_url + "/console/held", timeout=30).text
    assert _held_rows(page) == [] and "没有待确认归属的记录。" in page
    assert 'data-testid="held-badge"' not in page and 'data-testid="held-pusher"' not in page


def test_no_customer_claim_or_tag_comes_of_a_dismissed_record(refused):
    owners = _owners(refused["server"])
    assert owners[REAL_KEY] == "zhang.qiang"  # 王丽's earlier walk-in of it was refused: 张强 keeps it
    assert not {key for _, key in JUNK} & set(owners)  # no customer was made for any junk number
    changes, _ = refused["wang"].pull_all(keys="tag")
    pulled = {c["record"]["id"]: c["record"] for c in changes if c["kind"] == "record"}
    for record in refused["records"]:
        mine = pulled[record["id"]]
        assert mine["owner_withheld"] is True and mine["phone_tag"] is None
        assert mine["owner_dismissed"]["reason"] == REASON and mine["owner_dismissed"]["by_name"] == "赵敏"
        assert mine["owner_dismissed"]["by"] == "zhao.min" and mine["owner_dismissed"]["at"]
    customers = [c["customer"] for c in changes if c["kind"] == "ownership"]
    assert not [c for c in customers if c.get("owner") == "wang.li"]


def test_the_pusher_pulls_the_refusal_after_its_cursor(refused):
    """The pusher's tablet pulled its held records before the refusal; its cursor is past
    them: the refusal gives them new change ids, so the next pull brings them again, refused."""
    changes, _ = refused["wang"].pull_all(refused["cursor"])
    again = {c["record"]["id"]: c["record"] for c in changes if c["kind"] == "record"}
    assert set(again) >= {r["id"] for r in refused["records"]}
    assert all(again[r["id"]]["owner_dismissed"]["reason"] == REASON for r in refused["records"])


def test_the_records_are_kept_and_the_export_marks_them_dismissed(refused):
    server = refused["server"]
    changes, _ = Tablet(server, "zhao.min", "manager-kept").pull_all()
    pulled = {c["record"]["id"]: c["record"] for c in changes if c["kind"] == "record"}
    for record in refused["records"]:
        assert pulled[record["id"]]["customer"]["name"] == record["customer"]["name"]
        assert pulled[record["id"]]["data"] == record["data"]
    day = now_cst().date()
    raw = refused["session"].get(server.base_url + "/console/exports/download", timeout=30, params={
        "kind": "registrations", "format": "csv", "start": (day - timedelta(days=1)).isoformat(),
        "end": day.isoformat()}).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    head = rows[0]
    by_id = {r[head.index("记录编号")]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    walkins = [r for r in refused["records"] if r["type"] == "walkin"]
    assert walkins
    for record in walkins:
        row = by_id[record["id"]]
        assert re.fullmatch(r"是（赵敏 \S+ \S+）", row["经理不予确认"]) and row["不予确认原因"] == REASON
    zhangs = [r for r in by_id.values() if r["登记人"] == "张强"]
    assert zhangs and all(r["经理不予确认"] == "" for r in zhangs)


def test_a_later_release_of_a_dismissed_record_is_refused_with_a_clear_message(refused):
    server, session = refused["server"], refused["session"]
    csrf = csrf_of(session.get(server.base_url + "/console/held", timeout=30).text)
    for data in ({"record_id": refused["records"][0]["id"]}, {"phone": JUNK[3][1]}):
        answer = session.post(server.base_url + "/console/held", data={"csrf_token": csrf, **data}, timeout=30)
        assert answer.status_code == 200, data
        assert re.search(r"这些记录已由 赵敏 于 \d{4}-\d\d-\d\d \d\d:\d\d 不予确认（原因：" + REASON
                         + r"），不能再确认；记录保留，归属永不计入。", answer.text), data
    # the day confirmation (审核确认) does not confirm it either
    day = refused["records"][0]["captured_at"][:10]  # its site day (Beijing), also just after midnight
    answer = session.post(server.base_url + "/console/confirm", timeout=30,
                          data={"csrf_token": csrf, "day": day, "record_id": refused["records"][0]["id"]})
    assert answer.status_code == 200 and "其中 1 条已由经理不予确认（见待确认归属），不再确认。" in answer.text
    rows = []  # the day's pages (its 300 spent calls come first or last): the refused walk-in says so
    for number in range(1, 6):
        html = session.get(server.base_url + "/console/confirm", params={"day": day, "page": number}, timeout=30).text
        rows += re.findall(r'<tr[^>]*data-record="' + refused["records"][0]["id"] + r'"[^>]*>(.*?)</tr>', html, re.S)
    rows = list(dict.fromkeys(rows))  # a page past the last shows the last
    assert len(rows) == 1 and 'data-testid="dismissed"' in rows[0] and REASON in rows[0]
    assert 'name="record_id"' not in rows[0]  # nothing to confirm on it
    changes, _ = Tablet(server, "zhao.min", "manager-confirmations").pull_all()
    assert refused["records"][0]["id"] not in {c["confirmation"]["record_id"] for c in changes
                                               if c["kind"] == "confirmation"}
    assert _owners(server)[REAL_KEY] == "zhang.qiang"
    # a second refusal says who refused them, when and why
    again = session.post(server.base_url + "/console/held/dismiss", timeout=30, data={
        "csrf_token": csrf, "record_id": refused["records"][1]["id"], "reason": "再次"})
    assert "不予确认（原因：" + REASON in again.text


def test_a_dismissed_record_never_takes_part_in_a_later_ownership_decision(refused):
    """张强's walk-in of LATER, captured after 王丽's refused one (R1 would give it to her), decides
    as if hers did not exist: his customer, no conflict."""
    server, zhang = refused["server"], refused["zhang"]
    [result] = zhang.push(zhang.record("walkin", ago=2 * M, rep="zhang.qiang", name="试号0", phone=LATER))["results"]
    assert result["status"] == "accepted" and "owner_withheld" not in result
    assert _owners(server)[LATER_KEY] == "zhang.qiang"
    changes, _ = Tablet(server, "zhao.min", "manager-conflicts").pull_all()
    assert not [c for c in changes if c["kind"] == "conflict" and LATER_KEY in str(c["conflict"])]


def test_a_later_record_of_the_pusher_naming_a_refused_phone_is_held_again(refused):
    """Her own refused record would count as "seen" (a phone her records named): without the
    refusal in the check, re-pushing a refused number would settle and answer it."""
    wang = refused["wang"]
    [result] = wang.push(wang.record("call", ago=M, rep=None, name="试号", phone=JUNK[5][0]))["results"]
    assert result["status"] == "accepted" and result.get("owner_withheld") is True
    assert JUNK[5][1] not in _owners(refused["server"])
    page = refused["session"].get(refused["server"].base_url + "/console/held?pusher=wang.li", timeout=30).text
    assert len(_held_rows(page)) == 1 and "只显示 王丽 上传的 1 条待确认记录。" in page


def test_releasing_all_of_a_pusher_asks_first_and_says_what_it_answers(refused):
    server, session = refused["server"], refused["session"]
    csrf = csrf_of(session.get(server.base_url + "/console/held", timeout=30).text)
    answer = session.post(server.base_url + "/console/held", data={"csrf_token": csrf, "pusher": "wang.li"},
                          timeout=30, allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/held/release?pusher=wang.li"
    ask = session.get(server.base_url + answer.headers["location"], timeout=30).text
    assert "将确认 王丽 上传的全部 1 条待确认记录（1 个号码）" in ask and "王丽 的平板会知道" in ask
    assert len(_held_rows(session.get(server.base_url + "/console/held", timeout=30).text)) == 1  # nothing done
    done = session.post(server.base_url + "/console/held", timeout=30,
                        data={"csrf_token": csrf_of(ask), "pusher": "wang.li", "confirmed": "yes"})
    assert "已确认 1 条" in done.text and _held_rows(done.text) == []
    assert JUNK[5][1] in _owners(server)  # released: its customer now exists (a call claims no owner)


def test_the_audit_log_names_the_refusal_and_links_the_pushers_held_records(refused):
    server, session = refused["server"], refused["session"]
    page = session.get(server.base_url + "/console/audit", params={"person": "wang.li"}, timeout=30).text
    rows = re.findall(r'<tr data-testid="audit-row">(.*?)</tr>', page, re.S)
    refusal = [r for r in rows if "待确认归属的记录不予确认" in r]
    assert len(refusal) == 1 and "理由：" + REASON in refusal[0]
    assert f"不予确认 {len(refused['records'])} 条记录（{len(JUNK) + 1} 个号码）" in refusal[0]
    budget = [r for r in rows if "上传记录中的陌生号码超出上限" in r]
    assert budget and 'href="/console/held?pusher=wang.li"' in budget[0]
    assert 'data-testid="audit-held-link"' in refusal[0]


def test_forged_or_unknown_targets_are_404_and_write_nothing(refused):
    server, session = refused["server"], refused["session"]
    csrf = csrf_of(session.get(server.base_url + "/console/held", timeout=30).text)
    for data in ({"record_id": "00000000-0000-0000-0000-000000000000"}, {"phone": "+8613000000000"},
                 {"pusher": "nobody"}):
        answer = session.post(server.base_url + "/console/held/dismiss", timeout=30,
                              data={"csrf_token": csrf, "reason": "x", **data})
        assert answer.status_code == 404 and "找不到该记录" in answer.text, data
        assert session.get(server.base_url + "/console/held/dismiss", params=data, timeout=30).status_code == 404
    answer = session.post(server.base_url + "/console/held/dismiss", timeout=30,
                          data={"pusher": "wang.li", "reason": "x"})
    assert answer.status_code in (400, 403)  # no CSRF token


def test_the_customer_history_keeps_the_refused_record_and_marks_it(refused):
    """张强's customer REAL: 王丽's refused walk-in of it stays in the history, marked 经理不予确认."""
    server = refused["server"]
    changes, _ = Tablet(server, "zhao.min", "manager-history").pull_all(keys="tag")
    customer_id = next(c["customer"]["customer_id"] for c in changes
                       if c["kind"] == "ownership" and c["customer"].get("phone") == REAL_KEY)
    page = refused["session"].get(server.base_url + f"/console/customers/{customer_id}", timeout=30).text
    entries = re.findall(r'<li class="t-walkin" data-testid="entry-walkin">(.*?)</li>', page, re.S)
    refused_entries = [e for e in entries if 'data-testid="entry-dismissed"' in e]
    assert len(entries) == 2 and len(refused_entries) == 1 and REASON in refused_entries[0]
    assert "王丽" in refused_entries[0]


def test_qa5_f1_a_reason_with_control_or_direction_characters_is_said_and_nothing_is_written(refused):
    """QA5 F1: 不予确认 stored a reason holding NUL, BEL, ESC and U+202E as typed (shown raw in the
    audit log, sent to the tablet), and on PostgreSQL the NUL was a 500 losing the manager's text."""
    for answer in refused["control"]:
        assert answer.status_code == 400, answer.text[-500:]
        assert "原因中含有控制字符或不可见的排版字符" in answer.text and "试号码" in answer.text  # the text is kept
    assert refused["still_held"] == len(refused["records"])


def test_qa14_a_reason_with_a_c1_control_character_is_said_as_a_nul_is_and_nothing_is_written(refused):
    """QA F6: U+0085 and U+009B passed the reason check (C0 only) and were stored."""
    for answer in refused["c1"]:
        assert answer.status_code == 400, answer.text[-500:]
        assert "原因中含有控制字符或不可见的排版字符" in answer.text and "试号码" in answer.text
    assert refused["still_held"] == len(refused["records"])


def test_qa5_f2_the_rep_table_of_the_confirm_page_does_not_count_refused_records_as_unconfirmed(refused):
    """QA5 F2: after 全部确认 the summary said 未确认 0 while 按售楼员 still showed the refused
    walk-ins and calls as 未确认; each rep's 未确认 now adds up to the summary's."""
    session, base = refused["session"], refused["server"].base_url
    day = (now_cst() - 45 * M).date().isoformat()
    page = session.get(base + "/console/confirm", params={"day": day}, timeout=30).text
    summary = re.search(r"未确认 (\d+) 条", page)
    per_rep = [int(n) for n in re.findall(r'data-testid="rep-open">(\d+)<', page)]
    assert summary and per_rep and sum(per_rep) == int(summary.group(1)), (summary, per_rep)
