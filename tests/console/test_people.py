"""Issue 12 over HTTP on a real server: the 人员 and 审计日志 pages are a site's managers' own
(roles, other sites), every act is in the audit log (console and command line, with where
from), and a reset password must be replaced before any other page opens."""

from __future__ import annotations

import csv
import io
import re

import requests
from openpyxl import load_workbook

from tests.console.conftest import csrf_of, requests_session
from tests.live_server import PASSWORD

_PAGES = ("/console/people", "/console/audit", "/console/audit/export?format=csv")


def _session(server, username: str, password: str = PASSWORD) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    csrf = csrf_of(session.get(server.base_url + "/console/login", timeout=30).text)
    answer = session.post(server.base_url + "/console/login", timeout=30, data={
        "username": username, "password": password, "csrf_token": csrf, "next": "/console/people"})
    return session, answer


def _post(session: requests.Session, server, path: str, **data: str) -> requests.Response:
    csrf = csrf_of(session.get(server.base_url + "/console/devices", timeout=30).text)
    return session.post(server.base_url + path, data={"csrf_token": csrf, **data}, timeout=30)


def _audit_csv(session: requests.Session, server, person: str = "") -> list[list[str]]:
    answer = session.get(server.base_url + "/console/audit/export", params={"format": "csv", "person": person},
                         timeout=30)
    assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def _other_site(server) -> None:
    if "s2\t" not in server.cli("sites", "list").stdout:
        server.cli("sites", "add", "--id", "s2", "--name", "另一案场")
        server.cli("users", "add", "--site", "s2", "--username", "qian.bo", "--password", PASSWORD,
                   "--role", "manager", "--name", "钱波")
        server.cli("users", "add", "--site", "s2", "--username", "sun.li", "--password", PASSWORD,
                   "--role", "rep", "--name", "孙丽")


def test_only_a_manager_of_the_site_reaches_people_and_the_audit_log(server):
    anonymous = requests.Session()
    for path in _PAGES:
        answer = anonymous.get(server.base_url + path, timeout=30, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/console/login")
    for username in ("wang.li", "desk.li"):  # a rep, the reception desk
        session, _ = _session(server, username)
        for path in _PAGES:
            assert session.get(server.base_url + path, timeout=30).status_code == 403, (username, path)
        refused = _post(session, server, "/console/people/chen.jie/deactivate")
        assert refused.status_code == 403
    assert "chen.jie\trep\t陈杰\tactive" in server.cli("users", "list", "--site", "s1").stdout


def test_a_manager_cannot_touch_another_sites_people_or_tablets(server):
    _other_site(server)
    enrolled = requests.post(server.url("/auth/enroll"), timeout=30,
                             json={"username": "sun.li", "password": PASSWORD, "device_name": "s2-tab"}).json()
    manager = requests_session(server)
    for action in ("deactivate", "reset"):
        answer = _post(manager, server, f"/console/people/sun.li/{action}")
        assert answer.status_code == 404 and "本案场没有此人员" in answer.text  # QA: unknown ids are 404
    revoke = _post(manager, server, f"/console/devices/{enrolled['device_id']}/revoke")
    assert revoke.status_code == 404 and "找不到该平板" in revoke.text
    listing = server.cli("users", "list", "--site", "s2").stdout
    assert "sun.li\trep\t孙丽\tactive" in listing
    assert "active" in server.cli("devices", "list", "--site", "s2").stdout.split(enrolled["device_id"])[1]
    assert requests.post(server.url("/auth/enroll"), timeout=30, json={  # the password was not reset
        "username": "sun.li", "password": PASSWORD, "device_name": "s2-tab-2"}).status_code == 200
    rows = _audit_csv(manager, server)
    assert not any("sun.li" in cell or "孙丽" in cell for row in rows for cell in row)  # s2's log is not s1's


def test_add_deactivate_reactivate_and_reset_are_each_in_the_audit_log(server):
    manager = requests_session(server)
    bad = _post(manager, server, "/console/people", username="zhang san", name="张三", role="rep")
    assert bad.status_code == 422 and "用户名只能是" in bad.text and 'value="张三"' in bad.text  # kept to fix
    twin = _post(manager, server, "/console/people", username="Wang.Li", name="王力", role="rep")
    assert twin.status_code == 422 and "只差大小写" in twin.text
    weak = _post(manager, server, "/console/people", username="zhou.yu", name="周瑜", role="rep", password="short")
    assert weak.status_code == 422 and "至少 8 位" in weak.text
    added = _post(manager, server, "/console/people", username="zhou.yu", name="周瑜", role="rep")
    assert added.status_code == 200 and re.search(r'data-testid="temporary-password">[a-z2-9]{10}<', added.text)
    assert "must-change" in added.text.split('data-username="zhou.yu"')[1].split("</tr>")[0]
    assert _post(manager, server, "/console/people/zhou.yu/deactivate").status_code == 200
    assert "zhou.yu\trep\t周瑜\tinactive" in server.cli("users", "list").stdout
    assert _post(manager, server, "/console/people/zhou.yu/activate").status_code == 200
    reset = _post(manager, server, "/console/people/zhou.yu/reset", password="given-by-zhao")
    assert reset.status_code == 200 and "temporary-password" not in reset.text  # the manager chose it
    self_off = _post(manager, server, "/console/people/zhao.min/deactivate")
    assert self_off.status_code == 422 and "不能停用自己的账号" in self_off.text
    rows = _audit_csv(manager, server, person="zhou.yu")
    assert rows[0] == ["时间", "操作人", "操作", "对象", "来源", "说明"]
    acts = [(r[1], r[2], r[3]) for r in rows[1:]]
    assert acts == [("赵敏（zhao.min）", what, "周瑜（zhou.yu）") for what in
                    ("重置密码", "重新启用人员", "停用人员", "新增人员")]  # newest first
    assert all(r[4].startswith("经理台 127.0.0.1") for r in rows[1:])
    assert "经理设定" in rows[1][5] and rows[4][5] == "售楼员"


def test_command_line_acts_and_failed_sign_ins_are_logged_too(server):
    server.cli("users", "add", "--site", "s1", "--username", "wu.gang", "--password", PASSWORD, "--role", "rep",
               "--name", "吴刚")
    server.cli("users", "passwd", "wu.gang", "--password", "another-pass-1", "--must-change")
    server.cli("users", "deactivate", "wu.gang")
    for _ in range(5):  # the fifth wrong password locks the name out
        _session(server, "wu.gang", "wrong-password")
    manager = requests_session(server)
    rows = _audit_csv(manager, server, person="wu.gang")
    acts = [(r[1], r[2]) for r in rows[1:]]
    assert acts[:2] == [("吴刚（wu.gang）", "登录失败次数过多，暂时锁定"), ("吴刚（wu.gang）", "登录失败")]
    assert acts[-3:] == [("命令行", "停用人员"), ("命令行", "设置密码"), ("命令行", "新增人员")]
    cli_rows = [r for r in rows[1:] if r[1] == "命令行"]
    assert all(r[4].startswith("命令行 ") and "@" in r[4] for r in cli_rows)  # the OS user and host
    assert "下次登录须改密码" in cli_rows[1][5] and "账号已停用" in rows[2][5]
    english = requests_session(server)
    csrf = csrf_of(english.get(server.base_url + "/console/people", timeout=30).text)
    english.post(server.base_url + "/console/lang", data={"csrf_token": csrf, "lang": "en"}, timeout=30)
    rows = _audit_csv(english, server, person="wu.gang")
    assert rows[0] == ["When", "Who", "What", "On", "From where", "Details"] and rows[-1][1:3] == [
        "command line", "added a person"]
    xlsx = english.get(server.base_url + "/console/audit/export", timeout=30,
                       params={"format": "xlsx", "person": "wu.gang"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)] == rows


def test_a_reset_manager_must_choose_a_new_password_before_any_page(server):
    manager = requests_session(server)
    assert _post(manager, server, "/console/people", username="lin.hui", name="林慧", role="manager",
                 password="first-pass-1").status_code == 200
    session, answer = _session(server, "lin.hui", "first-pass-1")
    assert answer.url.endswith("/console/password?next=/console/people") and "设置新密码" in answer.text
    for path in ("/console/disputes", "/console/people", "/console/audit"):
        assert session.get(server.base_url + path, timeout=30).url.startswith(server.base_url + "/console/password")
    csrf = csrf_of(answer.text)
    for new, repeat, said in (("new-pass-123", "new-pass-124", "两次输入的新密码不一致"),
                              ("short", "short", "至少 8 位"), ("first-pass-1", "first-pass-1", "不能与临时密码相同")):
        refused = session.post(server.base_url + "/console/password", timeout=30, data={
            "csrf_token": csrf, "new_password": new, "repeat": repeat, "next": "/console/people"})
        assert refused.status_code == 422 and said in refused.text
    done = session.post(server.base_url + "/console/password", timeout=30, data={
        "csrf_token": csrf, "new_password": "lin-hui-own-1", "repeat": "lin-hui-own-1", "next": "/console/people"})
    assert done.url.endswith("/console/people") and "新密码已保存" in done.text
    twice = session.post(server.base_url + "/console/password", timeout=30, data={  # QA: a double submit
        "csrf_token": csrf, "new_password": "lin-hui-own-1", "repeat": "lin-hui-own-1", "next": "/console/people"})
    assert twice.url.endswith("/console/people") and "新密码已保存" in twice.text and "不能与" not in twice.text
    assert session.get(server.base_url + "/console/audit", timeout=30).status_code == 200
    _, again = _session(server, "lin.hui", "lin-hui-own-1")
    assert again.url.endswith("/console/people")
    rows = _audit_csv(session, server, person="lin.hui")
    assert [r[2] for r in rows[1:]][:3] == ["登录", "本人设置新密码", "登录"]


def test_the_lockout_message_points_at_the_people_page(server):
    for _ in range(6):
        _, answer = _session(server, "chen.jie", "wrong-password")
    assert answer.status_code == 429 and "“人员”页" in answer.text
