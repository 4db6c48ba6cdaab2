"""The exports' row source (issue 11, ``ReportingStore.range_chains``: a recursive walk and a few
set-based statements) gives exactly what ``day_records`` a day at a time gave (the export's
source before): the same views in the same order and the same sheet cells, on random pushes —
walk-ins and calls on two desks, corrections of corrections (of the rep, of the type, into a
deal, two of one version), corrections days later and across midnight, withdrawals of any
version, confirmations of any record, a refused push, other types on the same customers, a
manager's 不予确认 of a held record — on mobiles, landlines (Beijing 010, Shenzhen 0755), a
Hong Kong number and a key that is not E.164; for a day, the days either side and the three
days as one range; on SQLite and PostgreSQL.

Bounded (``max_examples``) and replayable (``derandomize``; every id derives from the example:
the site from the day-tally test's counter, records from their place in it).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, example, given, settings

from sync_server.console.export_sheets import EXPORT_KINDS, build_sheet
from sync_server.storage.base import HeldRecord
from tests.storage.test_day_tally_contract import CST, DAY, _pushes, replay_pushes

TYPES = ("walkin", "call")
PHONES = ("+8613800138000", "+861062345678", "+8675512345678", "+85291234567", "0755-1234567")
"""A mobile, two landlines (010, 0755), Hong Kong, a key that is not E.164 (shown as stored)."""


class _DayByDay:
    """The export's source before issue 11: the site's reporting, with ``range_chains`` answered
    by ``day_records`` a day at a time (what ``export_sheets._by_day`` read)."""

    def __init__(self, reporting):
        self._reporting = reporting

    def __getattr__(self, name):
        return getattr(self._reporting, name)

    def range_chains(self, site_id, types, start, end):
        found, cursor = [], start
        while cursor < end:
            stop = min(cursor + timedelta(days=1), end)
            found += self._reporting.day_records(site_id, types, cursor, stop)
            cursor = stop
        return found


def _replay(store, pushes) -> str:
    """The day-tally contract's pushes on ``PHONES``; the last original walk-in is held and dismissed."""
    site_id, made = replay_pushes(store, pushes, lambda phone, device: PHONES[(phone + device) % len(PHONES)])
    walkins = [r for r in made if r.type == "walkin" and not r.supersedes]
    if walkins:
        first = walkins[-1]
        with store.write(site_id):
            store.hold_records([HeldRecord(site_id, first.id, first.author, first.phone_key, first.received_at)])
            store.dismiss_held(site_id, [first.id], "zhao", "2026-11-29T02:00:00.000Z", "号码可疑")
    return site_id


def _check(reporting, site_id: str) -> None:
    plain = _DayByDay(reporting)
    first = datetime(DAY.year, DAY.month, DAY.day, tzinfo=CST) - timedelta(days=1)
    ranges = [(first + timedelta(days=i), first + timedelta(days=i + 1)) for i in range(3)]
    for start, end in [*ranges, (ranges[0][0], ranges[-1][1])]:
        assert reporting.range_chains(site_id, TYPES, start, end) == plain.range_chains(site_id, TYPES, start, end)
        for kind in ("registrations", "calls", "deals"):
            for lang in ("zh", "en"):
                new = build_sheet(reporting, site_id, kind, start, end, lang, 480)
                old = build_sheet(plain, site_id, kind, start, end, lang, 480)
                assert (new.name, list(new.headings)) == (old.name, list(old.headings))
                assert [list(r) for r in new.rows] == [list(r) for r in old.rows]


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                                   HealthCheck.too_slow])
@given(pushes=_pushes)
@example(pushes=[[("new", "walkin", 600, 0, 0, 0), ("new", "call", 660, 1, 3, 1)],
                 [("confirm", 0, 0, 0, "same"), ("correct", 0, 900, 1, "same"), ("correct", 2, 1500, 2, "same")],
                 [("withdraw", 1, 30, 0, "same"), ("confirm", 1, 0, 0, "same"), ("refused", 2)]])
@example(pushes=[[("new", "walkin", 1430, 0, 0, 0), ("correct", 0, 20, 1, "same"), ("correct", 0, 25, 2, "swap"),
                  ("withdraw", 1, 40, 0, "same"), ("withdraw", 1, 41, 1, "same"), ("confirm", 4, 0, 0, "same"),
                  ("correct", 0, 50, 0, "deal")]])
def test_the_export_rows_by_sql_equal_the_day_by_day_rows(store, reporting, pushes):
    _check(reporting, _replay(store, pushes))


def test_a_week_of_every_kind_with_landlines_corrections_withdrawals_and_a_dismissal(store, reporting):
    """The named example: a confirmed walk-in on a Beijing landline corrected across midnight
    (to another rep), a Shenzhen landline's call withdrawn after its
    confirmation, a Hong Kong walk-in, a non-E.164 key, and the last walk-in refused (不予确认):
    every export kind's sheet is the day-by-day one, cell for cell."""
    site_id = _replay(store, [[("new", "walkin", 1410, 1, 0, 0), ("new", "call", 600, 2, 1, 0),
                               ("new", "walkin", 700, 3, 0, 0), ("new", "walkin", 800, 4, 2, 0)],
                              [("confirm", 0, 0, 0, "same"), ("confirm", 1, 0, 0, "same"), ("refused", 0)],
                              [("correct", 0, 1450, 1, "same"), ("withdraw", 1, 800, 0, "same")],
                              [("confirm", 4, 0, 0, "same"), ("correct", 2, 30, 2, "deal")]])
    _check(reporting, site_id)
    start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=CST) - timedelta(days=3)
    for kind in EXPORT_KINDS[:6]:
        new = [list(r) for r in build_sheet(reporting, site_id, kind, start, start + timedelta(days=7), "zh", 480).rows]
        old = [list(r) for r in build_sheet(_DayByDay(reporting), site_id, kind, start, start + timedelta(days=7),
                                            "zh", 480).rows]
        assert new == old, kind
    rows = [list(r) for r in build_sheet(reporting, site_id, "registrations", start, start + timedelta(days=7),
                                         "zh", 480).rows]
    phones = {r[2] for r in rows}
    assert {"010 6234 5678", "+852 9123 4567", "0755-1234567"} <= phones, phones  # as dialled from China, text
    assert any(r[-3].startswith("是") for r in rows)  # 经理不予确认, with who and when
