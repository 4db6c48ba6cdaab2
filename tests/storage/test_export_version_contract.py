"""A kept export file is never stale (issue 11, ``console/export_cache.py``): the site's export
version (``ReportingStore.export_version``) moves with every change an export reads — a pushed
record, a correction, a withdrawal, a confirmation, a manager's 不予确认, a new desk, a new rep;
a decision or a customer's phone tag only for the sheets that show customers (conflicts,
decisions, "all") — and with nothing else: not with a read, not with another site's push. A
file kept at a version is, while the version stays, the file a fresh build gives. On SQLite
and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sync_server.console.export_cache import ExportCache, ExportKey
from sync_server.console.export_sheets import EXPORT_KINDS, build_sheet
from sync_server.console.spreadsheets import csv_bytes, xlsx_bytes
from sync_server.storage.base import ConfirmationRow, Device, HeldRecord, User
from sync_server.storage.rows import DecisionRow
from tests.storage.records import make_record
from tests.storage.test_day_tally_contract import CST, DAY, replay_pushes

_START = datetime(DAY.year, DAY.month, DAY.day, tzinfo=CST) - timedelta(days=1)
_END = _START + timedelta(days=3)


def _site(store) -> tuple[str, list]:
    return replay_pushes(store, [[("new", "walkin", 600, 0, 0, 0), ("new", "call", 660, 1, 1, 1),
                                  ("new", "walkin", 700, 2, 0, 2)]],
                         lambda phone, _device: f"+86138000000{phone:02d}")


def _files(reporting, site_id: str) -> dict[str, bytes]:
    """Every export kind's CSV of the three days (CSV: an XLSX's bytes carry its build time)."""
    return {kind: csv_bytes(build_sheet(reporting, site_id, kind, _START, _END, "zh", 480)) for kind in EXPORT_KINDS}


def test_the_export_version_moves_with_every_change_an_export_reads(store, reporting):
    site_id, made = _site(store)
    walkin = next(r for r in made if r.type == "walkin")
    device = walkin.device_id
    seen: dict[bool, list[str]] = {flag: [reporting.export_version(site_id, flag)] for flag in (True, False)}
    assert all(reporting.export_version(site_id, flag) == seen[flag][0] for flag in seen)  # a read changes nothing

    def changed(why: str, records_only: bool = True) -> None:
        """Both versions moved (a record sheet reads it), or only the other sheets' one."""
        for flag in (True, False):
            now = reporting.export_version(site_id, flag)
            if flag and not records_only:
                assert now == seen[flag][-1], f"{why} is no record sheet's change"
                continue
            assert now not in seen[flag], why
            seen[flag].append(now)

    with store.write(site_id):
        store.insert_records([make_record(seq=90, site_id=site_id, id=f"{site_id}-late", type="walkin",
                                          device_id=device, rep=walkin.rep, phone_key="+8613800000099",
                                          estimated_at=walkin.estimated_at, change_id=store.next_change_id())])
    changed("a pushed walk-in")
    with store.write(site_id):
        store.add_confirmations([ConfirmationRow(f"{site_id}-c-late", site_id, walkin.id, made[0].author,
                                                 "2026-11-29T01:00:00.000Z")])
    changed("a confirmation")
    with store.write(site_id):
        store.insert_records([replace(make_record(seq=91, site_id=site_id, id=f"{site_id}-fix", type="walkin",
                                                  device_id=device, rep=walkin.rep, phone_key=walkin.phone_key,
                                                  supersedes=walkin.id, estimated_at=walkin.estimated_at),
                                      change_id=store.next_change_id())])
    changed("a correction")
    with store.write(site_id):
        store.insert_records([make_record(seq=92, site_id=site_id, id=f"{site_id}-gone", type="withdrawal", rep=None,
                                          device_id=device, phone_key=walkin.phone_key, supersedes=f"{site_id}-fix",
                                          estimated_at=walkin.estimated_at, data={"reason": "登记错误"},
                                          change_id=store.next_change_id())])
    changed("a withdrawal")
    late = f"{site_id}-late"
    with store.write(site_id):
        store.hold_records([HeldRecord(site_id, late, walkin.author, "+8613800000099", "2026-11-28T03:00:00.000Z")])
        store.dismiss_held(site_id, [late], "zhao", "2026-11-29T02:00:00.000Z", "号码可疑")
    changed("a manager's 不予确认")
    store.add_device(Device(f"{site_id}-d9", site_id, walkin.author, "新前台", "2026-11-20T00:00:00.000Z"),
                     f"token-{site_id}-d9")
    changed("a new desk")
    store.add_user(User(f"li.{site_id}", site_id, "李静", "rep", "hash"))
    changed("a new rep")
    with store.write(site_id):
        store.add_decision(DecisionRow(id=f"{site_id}-dec", site_id=site_id, conflict_id=f"{site_id}-cf",
                                       phone_key=walkin.phone_key, owner=walkin.rep or "", split=None, reason="先到先得",
                                       decided_at="2026-11-29T03:00:00.000Z", author="zhao", covers=[walkin.id]))
    changed("a decision", records_only=False)
    _site(store)  # another site's pushes are not this site's change
    assert [reporting.export_version(site_id, flag) for flag in (True, False)] == [seen[True][-1], seen[False][-1]]


def test_a_customers_phone_tag_leaves_the_record_sheets_kept(store, reporting):
    """Found on the million-record bench: the tagger's backfill (issue 14) stored a batch of
    customers' phone tags every ~30 s, each with a new change id of the site, and every kept
    export — keyed on the site's last change id then — was built again (the "all" XLSX never
    answered from a kept file). A record sheet shows no customer row: its version stays; the
    conflicts and decisions sheets show customers' names: theirs moves."""
    site_id, made = _site(store)
    with store.write(site_id):  # the customers a push makes (``insert_records`` alone makes none)
        store.ensure_customers(site_id, {r.phone_key: r.name or "" for r in made if r.phone_key})
    before = {flag: reporting.export_version(site_id, flag) for flag in (True, False)}
    untagged = store.untagged_customers(site_id, 10)
    assert untagged and store.set_phone_tags(site_id, {cid: (key, f"tag-{cid}") for cid, key in untagged})
    assert reporting.export_version(site_id, True) == before[True]
    assert reporting.export_version(site_id, False) != before[False]


def test_a_kept_export_is_the_fresh_one_until_the_site_changes_and_then_is_built_again(store, reporting):
    """The console's use: the version read first, the file built and kept; a look-up at the
    same version is that file, byte for byte what a fresh build gives; after a push the look-up
    misses and the file built again shows the new row."""
    site_id, made = _site(store)
    cache = ExportCache()
    walkin = next(r for r in made if r.type == "walkin")
    keys = {kind: ExportKey(site_id, kind, "csv", _START.date(), _END.date(), "zh", 480) for kind in EXPORT_KINDS}
    version = reporting.export_version(site_id)
    for kind, data in _files(reporting, site_id).items():
        cache.put(keys[kind], version, data)
    fresh = _files(reporting, site_id)
    assert {kind: cache.get(keys[kind], reporting.export_version(site_id)) for kind in EXPORT_KINDS} == fresh
    assert cache.hits == len(EXPORT_KINDS)
    with store.write(site_id):
        store.insert_records([make_record(seq=90, site_id=site_id, id=f"{site_id}-late", type="walkin",
                                          device_id=walkin.device_id, rep=walkin.rep, phone_key="+8613800000099",
                                          estimated_at=walkin.estimated_at, change_id=store.next_change_id())])
    now = reporting.export_version(site_id)
    assert all(cache.get(keys[kind], now) is None for kind in EXPORT_KINDS)
    rebuilt = _files(reporting, site_id)
    assert f"{site_id}-late".encode() in rebuilt["registrations"] and rebuilt != fresh
    book = xlsx_bytes([build_sheet(reporting, site_id, "registrations", _START, _END, "zh", 480)])
    key = replace(keys["registrations"], format="xlsx")
    cache.put(key, now, book)
    assert cache.get(key, now) == book
