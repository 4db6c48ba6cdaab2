"""QA of issue 15, "non-ISO time shapes accepted": a push took, for ``captured_at``, ``sent_at``
and every date of ``data``, whatever ``datetime.fromisoformat`` reads — a space for ``T``, the
basic format, week and ordinal dates, ``+1400``, seven fraction digits, full-width digits,
seconds in the offset — and stored it as sent, relayed to every tablet and shown in the console.
Now one shape (docs/protocol.md, "Times"): each QA example is refused where it sits (the record
alone, ``invalid_time`` / ``invalid_value`` with its field and ``params.reason``; ``sent_at`` a
422), nothing of it is stored, never a 5xx; the shapes the profile keeps still pass; what the
server sends (pull, snapshot) is in the shape. On SQLite and on PostgreSQL (``live_server``)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, timedelta, timezone
from typing import Any

import psycopg
import pytest
import requests

from tests.console.seed import signature_png
from tests.server.helpers import Tablet, now_cst

QA_TIMES = {
    "space": "2026-12-02 10:00:00+08:00",
    "basic_format": "20261202T100000+0800",
    "week_date": "2026-W49-3T10:00:00+08:00",
    "ordinal_date": "2026-336T10:00:00+08:00",
    "offset_without_colon": "2026-12-02T10:00:00+1400",
    "seven_fraction_digits": "2026-12-02T10:00:00.1234567+08:00",
    "full_width_digits": "２０２６-12-02T10:00:00+08:00",
    "seconds_in_the_offset": "2026-12-02T10:00:00+08:00:30",
}
"""The shapes QA saw accepted (the issue's list, in its order)."""
DECIDED_TIMES = {
    "lower_case_t_and_z": "2026-12-02t10:00:00z",
    "offset_past_plus_14": "2026-12-02T10:00:00+14:30",
    "offset_past_minus_12": "2026-12-02T10:00:00-12:30",
    "no_seconds": "2026-12-02T10:00+08:00",
    "comma_fraction": "2026-12-02T10:00:00,5+08:00",
    "no_offset": "2026-12-02T10:00:00",
    "trailing_newline": "2026-12-02T10:00:00Z\n",
}
"""Shapes the profile refuses by decision (docs/protocol.md, "Times"), beside the QA's."""
QA_DATES = {
    "basic_format": "20261202",
    "week_date": "2026-W49-3",
    "ordinal_date": "2026-336",
    "full_width_digits": "２０２６-12-02",
    "trailing_newline": "2026-12-02\n",
}

_phones = iter(range(30_000_000, 99_999_999))


@pytest.fixture(scope="module")
def desk(live_server):
    return Tablet(live_server, "desk.li", "前台-时间格式")


@pytest.fixture(scope="module")
def rep(live_server):
    return Tablet(live_server, "wang.li", "王丽-时间格式")


def _walkin(tablet: Tablet, **kwargs) -> dict:
    return tablet.record("walkin", phone=f"139{next(_phones):08d}", **kwargs)


def _stored_ids(tablet: Tablet) -> set[str]:
    changes, _ = tablet.pull_all()
    return {c["record"]["id"] for c in changes if c["kind"] == "record"}


@pytest.mark.parametrize("shape", [*QA_TIMES.values(), *DECIDED_TIMES.values()],
                         ids=[*QA_TIMES, *DECIDED_TIMES])
def test_qa15_wire_times_have_one_shape(desk, shape):
    bad, good = {**_walkin(desk), "captured_at": shape}, _walkin(desk)
    response = desk.push_raw([bad, good])
    assert response.status_code == 200, response.text
    refused, accepted = response.json()["results"]
    error = refused["error"]
    assert (refused["status"], error["code"], error["field"], error["params"]) == (
        "rejected", "invalid_time", "captured_at", {"reason": "time_shape"}), refused
    assert "YYYY-MM-DDTHH:MM:SS" in error["message"] and "2026-11-22T10:00:00.000+08:00" in error["message"]
    assert accepted["status"] == "accepted", accepted
    stored = _stored_ids(desk)
    assert bad["id"] not in stored and good["id"] in stored


@pytest.mark.parametrize("shape", QA_DATES.values(), ids=QA_DATES.keys())
def test_qa15_wire_dates_have_one_shape(desk, rep, shape):
    """Every date field of ``data``: a visit report's day and its signature's, a follow-up's next
    day, a referral's appointment, a rotation record's board day."""
    day = now_cst().date().isoformat()
    ratings = {"quality": "优良", "service": "良好", "awareness": "知名"}
    reps_records = {
        "data.visited_on": rep.record("visit_report", phone=f"139{next(_phones):08d}", data={
            "organisation": "华夏建材", "visited_on": shape, "ratings": ratings}),
        "data.signature.signed_on": rep.record("visit_report", phone=f"139{next(_phones):08d}", data={
            "organisation": "华夏建材", "visited_on": day, "ratings": ratings,
            "signature": {"png_base64": signature_png(), "signed_on": shape, "signer": "张伟"}}),
        "data.next_action_on": rep.record("follow_up", phone=f"139{next(_phones):08d}", data={
            "method": "phone", "content": "介绍新开楼栋", "next_action_on": shape}),
    }
    desks_records = {
        "data.appointment_date": desk.record("referral", phone=f"139{next(_phones):08d}", data={
            "referrer": "李会计", "channel": "staff", "appointment_date": shape}),
        "data.day": desk.record("rotation", rep="wang.li", data={"day": shape}),
    }
    for tablet, records in ((rep, reps_records), (desk, desks_records)):
        good = _walkin(tablet, rep="wang.li")
        response = tablet.push_raw([*records.values(), good])
        assert response.status_code == 200, response.text
        *refused, accepted = response.json()["results"]
        assert [(r["status"], r["error"]["code"], r["error"]["field"], r["error"]["params"]) for r in refused] == [
            ("rejected", "invalid_value", field, {"reason": "date_shape"}) for field in records], refused
        assert all("YYYY-MM-DD" in r["error"]["message"] and "2026-11-22" in r["error"]["message"] for r in refused)
        assert accepted["status"] == "accepted", accepted
        stored = _stored_ids(tablet)
        assert not stored & {r["id"] for r in records.values()} and good["id"] in stored


@pytest.mark.parametrize("shape", QA_TIMES.values(), ids=QA_TIMES.keys())
def test_qa15_a_push_sent_at_in_another_shape_is_a_422_in_the_readers_language(desk, shape):
    good = _walkin(desk)
    body = {**desk.envelope([good]), "sent_at": shape}
    for lang, words in (("zh-CN", ["2026-11-22T10:00:00.000+08:00", "年-月-日", "-12:00 至 +14:00"]),
                        ("en", ["YYYY-MM-DDTHH:MM:SS", "2026-11-22T10:00:00.000+08:00", "-12:00 to +14:00"])):
        response = requests.post(desk.server.url("/sync/push"), json=body, timeout=60,
                                 headers={**desk.headers, "Accept-Language": lang})
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert (error["code"], error["field"]) == ("invalid_request", "sent_at")
        assert all(word in error["message"] for word in words), error["message"]
    assert good["id"] not in _stored_ids(desk)


def _in_offset(offset: str, fraction: str) -> str:
    """A minute ago, written in ``offset`` (``Z`` or ``±HH:MM``) with ``fraction`` ("" or ".d…")."""
    if offset == "Z":
        zone = UTC
    else:
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        zone = timezone((-1 if offset[0] == "-" else 1) * timedelta(hours=hours, minutes=minutes))
    at = (now_cst() - timedelta(minutes=1)).astimezone(zone)
    text = at.strftime("%Y-%m-%dT%H:%M:%S") + (fraction[:1] + f"{at.microsecond:06d}"[:len(fraction) - 1]
                                                if fraction else "")
    return text + ("Z" if offset == "Z" else offset)


@pytest.mark.parametrize("offset,fraction", [("Z", ""), ("Z", ".000"), ("+08:00", ""), ("+08:00", ".123"),
                                             ("-12:00", ""), ("-12:00", ".123"), ("+14:00", ".1"),
                                             ("+05:45", ".123456"), ("-03:30", "")])
def test_qa15_the_profiles_shapes_still_pass_and_are_kept_as_sent(desk, offset, fraction):
    record = {**_walkin(desk), "captured_at": _in_offset(offset, fraction)}
    body = {**desk.envelope([record]), "sent_at": _in_offset(offset, fraction)}
    response = requests.post(desk.server.url("/sync/push"), json=body, headers=desk.headers, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["results"] == [{"id": record["id"], "status": "accepted"}]
    changes, _ = desk.pull_all()
    pulled = next(c["record"] for c in changes if c["kind"] == "record" and c["record"]["id"] == record["id"])
    assert json.dumps(pulled).count(record["captured_at"]) >= 1  # stored and relayed as sent


TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _times(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, text) of ``value`` whose key names a time or a date (``…_at``, ``at``,
    ``server_time``, ``…_until``, ``duty_periods``; ``…_on``, ``day``)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _times(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _times(v, key)
    elif isinstance(value, str) and (key.endswith(("_at", "_until", "_on")) or key in (
            "at", "server_time", "day", "duty_periods", "since", "until")):
        yield key, value


def test_qa15_what_the_server_sends_is_in_the_one_shape(live_server, desk, rep):
    """Pull and snapshot (a manager's: everything of the site) after records of every kind:
    every time and date in them — the server's own (``received_at``, ``estimated_at``,
    ``deactivated_at``, ``duty_periods``, …) and the records' as sent — is in the wire's shape."""
    day = now_cst().date().isoformat()
    rep.push(rep.record("follow_up", phone="139 3000 0001", data={
        "method": "phone", "content": "回访", "next_action_on": day}),
        rep.record("visit_report", phone="139 3000 0002", data={
            "organisation": "华夏建材", "visited_on": day, "ratings": {"quality": "优良", "service": "良好", "awareness": "知名"},
            "signature": {"png_base64": signature_png(), "signed_on": day, "signer": "张伟"}}))
    desk.push(_walkin(desk, rep="wang.li"), desk.record("rotation", rep="wang.li", data={"day": day}),
              desk.record("referral", phone="139 3000 0003", data={"referrer": "李会计", "appointment_date": day}))
    manager = Tablet(live_server, "zhao.min", "经理-时间格式")
    changes, _ = manager.pull_all()
    snapshot = requests.get(live_server.url("/sync/snapshot"), headers=manager.headers, timeout=60)
    assert snapshot.status_code == 200
    lines = [json.loads(line) for line in snapshot.text.splitlines() if line]
    push = manager.push()  # an empty push: its server_time
    found = list(_times([changes, lines, push]))
    keys = {k for k, _ in found}
    assert {"captured_at", "received_at", "estimated_at", "server_time", "day", "visited_on"} <= keys, keys
    wrong = [(k, v) for k, v in found if not (DATE if k.endswith("_on") or k == "day" else TIME).fullmatch(v)]
    assert not wrong, wrong


def _make_legacy(server, record_id: str, loose: str) -> None:
    """What a server before the fix kept for a record pushed with ``loose`` as ``captured_at``:
    the text as sent, in its column and in its wire."""
    if server.db_url.startswith("sqlite:///"):
        with sqlite3.connect(server.db_url.removeprefix("sqlite:///")) as conn:
            (text,) = conn.execute("select wire from records where id = ?", (record_id,)).fetchone()
            conn.execute("update records set captured_at = ?, wire = ? where id = ?",
                         (loose, json.dumps({**json.loads(text), "captured_at": loose}, ensure_ascii=False), record_id))
        return
    with psycopg.connect(server.db_url, autocommit=True) as conn:
        conn.execute("update records set captured_at = %s, wire = jsonb_set(wire::jsonb, '{captured_at}', "
                     "to_jsonb(%s::text))::json where id = %s", (loose, loose, record_id))


@pytest.mark.parametrize("loosen", [lambda t: t.replace("T", " "), lambda t: t[:-3] + t[-2:]],
                         ids=["space", "offset_without_colon"])
def test_qa15_a_record_stored_in_a_looser_shape_before_the_fix_is_still_read_everywhere(live_server, desk, loosen):
    """Strictness is for what a push accepts: a record a server stored as sent before the fix is
    still pulled (as it was stored), snapshotted, looked up, shown and exported — never a 5xx."""
    from tests.console.conftest import requests_session

    record = _walkin(desk, rep="wang.li")
    desk.push(record)
    loose = loosen(record["captured_at"])
    _make_legacy(live_server, record["id"], loose)
    manager = Tablet(live_server, "zhao.min", "经理-旧格式")
    changes, _ = manager.pull_all()
    assert next(c["record"] for c in changes if c["kind"] == "record" and c["record"]["id"] == record["id"]
                )["captured_at"] == loose
    assert requests.get(live_server.url("/sync/snapshot"), headers=manager.headers, timeout=60).status_code == 200
    assert manager.get("/customers/lookup", phone=record["customer"]["phone"]).json()["owner"] == "wang.li"
    console, day = requests_session(live_server), now_cst().date().isoformat()
    for path in (f"/console/confirm?day={day}", f"/console/customers?q={record['customer']['phone'][-4:]}",
                 f"/console/exports/download?kind=registrations&format=csv&start={day}&end={day}",
                 f"/console/numbers?start={day}&end={day}", "/console/audit"):
        assert console.get(live_server.base_url + path, timeout=60).status_code == 200, path
