"""Issue 11 (speed): a repeated export is the file kept since the site last changed, never a
stale one. Over HTTP on a real server: the same registrations CSV and XLSX asked twice are the
same bytes; after a tablet's push the CSV shows the new walk-in, after the manager's
confirmation it shows who confirmed, and the XLSX too — in each language its own file."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.console.conftest import csrf_of, requests_session
from tests.console.seed import Tablet, now_cst, within_today


def _export(manager, server, format: str) -> bytes:
    day = now_cst().date().isoformat()
    params = {"kind": "registrations", "format": format, "start": day, "end": day}
    response = manager.get(server.base_url + "/console/exports/download", params=params, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return response.content


def _rows(data: bytes) -> dict[str, dict[str, str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return {r[rows[0].index("记录编号")]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


def _sheet_ids(data: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return {str(r[rows[0].index("记录编号")]) for r in rows[1:]}


def test_a_repeated_export_is_the_same_file_and_a_push_or_a_confirmation_shows_at_once(server):
    desk = Tablet(server, "desk.li", "前台平板-缓存")
    first = desk.record("walkin", within_today(50, 45), rep="wang.li", name="缓存甲", phone="136 5555 0101")
    desk.push([first])
    manager = requests_session(server)
    csv_once, xlsx_once = _export(manager, server, "csv"), _export(manager, server, "xlsx")
    assert _export(manager, server, "csv") == csv_once and _export(manager, server, "xlsx") == xlsx_once
    assert first["id"] in _rows(csv_once) and first["id"] in _sheet_ids(xlsx_once)

    second = desk.record("walkin", within_today(40, 45), rep="wang.li", name="缓存乙", phone="136 5555 0102")
    desk.push([second])
    after_push = _rows(_export(manager, server, "csv"))
    assert second["id"] in after_push and after_push[second["id"]]["审核确认"] == ""
    assert second["id"] in _sheet_ids(_export(manager, server, "xlsx"))

    day = now_cst().date().isoformat()
    page = manager.get(server.base_url + f"/console/confirm?day={day}", timeout=30).text
    manager.post(server.base_url + "/console/confirm", timeout=30,
                 data={"csrf_token": csrf_of(page), "day": day, "record_id": second["id"]})
    confirmed = _rows(_export(manager, server, "csv"))[second["id"]]
    assert confirmed["审核确认"] and confirmed["确认人"] == "赵敏"


def test_each_language_has_its_own_kept_file(server):
    chinese_manager, english_manager = requests_session(server), requests_session(server)
    csrf = csrf_of(english_manager.get(server.base_url + "/console/exports", timeout=30).text)
    english_manager.post(server.base_url + "/console/lang", data={"csrf_token": csrf, "lang": "en"}, timeout=30)
    chinese = _export(chinese_manager, server, "csv")
    english = _export(english_manager, server, "csv")
    assert "记录编号".encode() in chinese and b"Record id" in english
    assert _export(chinese_manager, server, "csv") == chinese and _export(english_manager, server, "csv") == english


def _key(kind: str):
    from datetime import date

    from sync_server.console.export_cache import ExportKey

    return ExportKey("s1", kind, "csv", date(2026, 11, 23), date(2026, 11, 29), "zh", 480)


def test_kept_files_stay_within_their_bounds_and_an_older_version_is_never_handed_back():
    from sync_server.console.export_cache import ExportCache

    cache = ExportCache(max_bytes=10, max_entry_bytes=6)
    cache.put(_key("calls"), "v1", b"12345")
    cache.put(_key("visits"), "v1", b"1234567")  # over the largest file kept: not kept
    assert cache.get(_key("visits"), "v1") is None and cache.get(_key("calls"), "v1") == b"12345"
    cache.put(_key("deals"), "v1", b"abcde")
    cache.put(_key("complaints"), "v1", b"xy")  # 12 bytes: the least recently used (calls) goes
    assert cache.get(_key("calls"), "v1") is None and cache.get(_key("deals"), "v1") == b"abcde"
    assert cache.get(_key("deals"), "v2") is None  # the site changed: built again
    assert cache.get(_key("deals"), "v1") is None  # and the old file is gone


def test_a_csv_is_kept_only_when_it_was_sent_whole():
    from sync_server.console.export_cache import ExportCache

    cache = ExportCache(max_bytes=100, max_entry_bytes=8)
    stream = cache.keeping(_key("calls"), "v1", iter([b"ab", b"cd"]))
    assert next(stream) == b"ab"
    stream.close()  # the client left after the first piece
    assert cache.get(_key("calls"), "v1") is None
    assert b"".join(cache.keeping(_key("calls"), "v1", iter([b"ab", b"cd"]))) == b"abcd"
    assert cache.get(_key("calls"), "v1") == b"abcd"
    assert b"".join(cache.keeping(_key("visits"), "v1", iter([b"abcde", b"fghij"]))) == b"abcdefghij"
    assert cache.get(_key("visits"), "v1") is None  # larger than a kept file may be: only sent


def test_only_the_sheets_that_show_customers_are_kept_by_a_version_of_customers():
    from sync_server.console.export_sheets import EXPORT_KINDS, shows_customers

    assert [k for k in (*EXPORT_KINDS, "all") if shows_customers(k)] == ["conflicts", "decisions", "all"]
