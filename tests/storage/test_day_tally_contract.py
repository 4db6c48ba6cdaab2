"""The confirm page's counts in SQL (issue 11, ``ReportingStore.day_tally`` / ``day_ends``) are
exactly what the plain computation over ``day_records`` gives (``day_tally.tally_of_views``, the
page's Python before): random days of pushes — walk-ins and calls on two desks (one more
device of the same name), corrections of corrections (one changing the rep, one the type, one
into a deal, two of the same version from two tablets), corrections days later and across
midnight, withdrawals of any version (twice of one, of a withdrawal), confirmations of any
record (withdrawals too), records the push refused (a refused seq, no record), other types on
the same customers — give the same counts per desk and rep, the same chain ends with the same
'confirm all' targets, and ``chains`` of those ends the same rows, for the day and the days
either side; on SQLite and PostgreSQL.

Bounded (``max_examples``) and replayable (``derandomize``; every id derives from the example:
the site from a counter, records from their place in it).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sync_server.storage.base import ConfirmationRow, Device, RefusedSeq, Site, User
from sync_server.storage.day_tally import merge_tally, ordered_ends, tally_of_views
from tests.storage.records import make_record

CST = timezone(timedelta(hours=8))
DAY = date(2026, 11, 28)
TYPES = ("walkin", "call")
_sites = itertools.count(1)

_new = st.tuples(st.just("new"), st.sampled_from(["walkin", "walkin", "call", "follow_up"]),
                 st.integers(-180, 24 * 60 + 180), st.integers(0, 2), st.integers(0, 3), st.integers(0, 3))
_fix = st.tuples(st.sampled_from(["correct", "correct", "withdraw", "confirm"]), st.integers(0, 10_000),
                 st.integers(-60, 3 * 24 * 60), st.integers(0, 3), st.sampled_from(["same", "same", "swap", "deal"]))
_refused = st.tuples(st.just("refused"), st.integers(0, 3))
_push = st.lists(st.one_of(_new, _new, _fix, _fix, _refused), min_size=1, max_size=6)
_pushes = st.lists(_push, min_size=1, max_size=6)


def _site(store) -> tuple[str, list[str], list[str]]:
    """A new site with a manager, three reps (one a namesake) and three devices, two of them
    named alike: ``(site id, rep usernames + None + an unknown name, device ids)``."""
    n = next(_sites)
    site_id = f"tally{n}"
    store.add_site(Site(site_id, "统计案场"))
    people = (("zhao", "manager", "赵敏"), ("wang", "rep", "王丽"), ("chen", "rep", "陈杰"), ("wang2", "rep", "王丽"))
    for user, role, name in people:
        store.add_user(User(f"{user}.{n}", site_id, name, role, "hash"))
    devices = [f"{site_id}-d{i}" for i in range(3)]
    for i, device in enumerate(devices):
        store.add_device(Device(device, site_id, f"zhao.{n}", "前台平板" if i != 1 else "二号台",
                                "2026-11-20T00:00:00.000Z"), f"token-{device}")
    return site_id, [f"wang.{n}", f"chen.{n}", f"wang2.{n}", None, f"ghost.{n}"], devices


def _at(minutes: int) -> str:
    """``DAY`` 00:00 CST plus ``minutes``, with a +08:00 or a UTC offset in the text (odd/even)."""
    moment = datetime(DAY.year, DAY.month, DAY.day, tzinfo=CST) + timedelta(minutes=minutes)
    shown = moment if minutes % 2 else moment.astimezone(UTC)
    return shown.isoformat(timespec="milliseconds")


def _replay(store, pushes) -> str:
    return replay_pushes(store, pushes, lambda phone, _device: f"+861380000000{phone}")[0]


def replay_pushes(store, pushes, phone_of) -> tuple[str, list]:
    """Store ``pushes`` (``_pushes``' examples) in a fresh site: ``(site id, the records made)``.
    ``phone_of(phone, device)``: a new record's phone key from its example's two numbers (the
    export contract, ``test_range_chains_contract``, spreads them over landlines and others)."""
    site_id, reps, devices = _site(store)
    made: list = []
    seq = itertools.count(1)
    for ops in pushes:
        batch, confirms, refused = [], [], []
        for op in ops:
            kind = op[0]
            rid = f"{site_id}-r{len(made) + len(batch):04d}"
            if kind == "new":
                _, type_, minutes, phone, rep, device = op
                batch.append(make_record(seq=next(seq), site_id=site_id, id=rid, type=type_, device_id=devices[device % 3],
                                         rep=reps[rep], phone_key=phone_of(phone, device), estimated_at=_at(minutes)))
                continue
            if kind == "refused":
                refused.append(RefusedSeq(devices[op[1] % 3], next(seq), rid, "unknown_rep", "choose a rep",
                                          "2026-11-28T02:00:00.000Z"))
                continue
            pool = made + batch
            if not pool:
                continue
            _, pick, minutes, rep, how = op
            target = pool[pick % len(pool)]
            if kind == "confirm":
                confirms.append(ConfirmationRow(f"{site_id}-c{len(confirms)}-{target.id}", site_id, target.id,
                                                "zhao", "2026-11-29T01:00:00.000Z"))
            elif kind == "withdraw":
                batch.append(make_record(seq=next(seq), site_id=site_id, id=rid, type="withdrawal", rep=None,
                                         device_id=devices[rep % 3], phone_key=target.phone_key,
                                         supersedes=target.id, estimated_at=_at(minutes),
                                         data={"reason": "登记错误"}))
            else:
                type_ = {"same": target.type, "swap": "call" if target.type == "walkin" else "walkin",
                         "deal": "deal"}[how]
                batch.append(make_record(seq=next(seq), site_id=site_id, id=rid, type=type_, rep=reps[rep],
                                         device_id=devices[(rep + pick) % 3], phone_key=target.phone_key,
                                         supersedes=target.id, estimated_at=_at(minutes)))
        with store.write(site_id):
            if batch:
                store.insert_records([replace(r, change_id=store.next_change_id()) for r in batch])
            if confirms:
                store.add_confirmations(confirms)
            if refused:
                store.add_refused_seqs(site_id, refused)
        made += batch
    return site_id, made


def _check_day(reporting, site_id: str, day: date) -> None:
    start = datetime(day.year, day.month, day.day, tzinfo=CST)
    views = reporting.day_records(site_id, TYPES, start, start + timedelta(days=1))
    assert merge_tally(reporting.day_tally(site_id, TYPES, day)) == merge_tally(tally_of_views(views))
    shown = {v.record.id: v for v in views if not v.corrected}
    ends = reporting.day_ends(site_id, TYPES, day)
    assert sorted(e.id for e in ends) == sorted(shown)
    for e in ends:
        v = shown[e.id]
        assert (e.root_id, e.root_at, e.at, e.desk, e.rep) == (_root(v).record.id, v.day_at, v.record.estimated_at,
                                                              v.device_name, v.rep_name)
        assert e.withdrawal_id == (v.withdrawal.record.id if v.withdrawal else None)
        assert (e.open, e.acknowledge) == (v.confirmation is None and not v.withdrawn, v.needs_acknowledgement)
    tally, overview = reporting.day_overview(site_id, TYPES, day)  # the page's one statement: the same answers
    assert (merge_tally(tally), sorted(overview, key=lambda e: e.id)) == (
        merge_tally(reporting.day_tally(site_id, TYPES, day)), sorted(ends, key=lambda e: e.id))
    order = [e.id for e in ordered_ends(reporting.day_ends(site_id, TYPES, day, states=False))]
    assert order == [e.id for e in ordered_ends(ends)]
    # the page's rows come from ``chains`` of the ends' originals: the same views as the day's
    again = {v.record.id: v for v in reporting.chains(site_id, TYPES, {e.root_id for e in ends}) if not v.corrected}
    assert again == shown


def _root(view):
    while view.previous is not None:
        view = view.previous
    return view


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                                   HealthCheck.too_slow])
@given(pushes=_pushes)
@example(pushes=[[("new", "walkin", 600, 0, 0, 0), ("new", "call", 660, 1, 3, 1)],
                 [("confirm", 0, 0, 0, "same"), ("correct", 0, 900, 1, "same"), ("correct", 2, 1500, 2, "same")],
                 [("withdraw", 1, 30, 0, "same"), ("confirm", 1, 0, 0, "same"), ("refused", 2)]])
@example(pushes=[[("new", "walkin", 1430, 0, 0, 0), ("correct", 0, 20, 1, "same"), ("correct", 0, 25, 2, "swap"),
                  ("withdraw", 1, 40, 0, "same"), ("withdraw", 1, 41, 1, "same"), ("confirm", 4, 0, 0, "same"),
                  ("correct", 0, 50, 0, "deal")]])
@example(pushes=[[("new", "walkin", 600, 0, 0, 0)], [("confirm", 0, 0, 0, "same"), ("correct", 0, 700, 1, "same")],
                 [("withdraw", 1, 800, 0, "same")]])  # confirmed, corrected, the correction withdrawn: acknowledge
def test_the_sql_counts_equal_the_plain_computation(store, reporting, pushes):
    site_id = _replay(store, pushes)
    for day in (DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)):
        _check_day(reporting, site_id, day)


def test_a_busy_day_of_one_desk_counts_each_chain_once(store, reporting):
    """The page's example: 共 2 条，未确认 1 条, 另有 1 条已撤回 (to acknowledge): a confirmed walk-in
    corrected twice across midnight (to confirm again), a confirmed call withdrawn, a walk-in
    confirmed; a refused record counts nothing."""
    site_id = _replay(store, [[("new", "walkin", 1410, 0, 0, 0), ("new", "call", 600, 1, 1, 0),
                               ("new", "walkin", 700, 2, 0, 0)],
                              [("confirm", 0, 0, 0, "same"), ("confirm", 1, 0, 0, "same"), ("confirm", 2, 0, 0, "same"),
                               ("refused", 0)],
                              [("correct", 0, 1450, 1, "same"), ("correct", 3, 1500, 1, "same"),
                               ("withdraw", 1, 800, 0, "same")]])
    n = site_id.removeprefix("tally")
    rows = merge_tally(reporting.day_tally(site_id, TYPES, DAY))
    # the second correction came from 二号台: the chain's live end is counted at that desk
    assert [(r.desk, r.rep, r.live, r.confirmed, r.withdrawn, r.acknowledge) for r in rows] == [
        ("二号台", "陈杰", 1, 0, 0, 0), ("前台平板", "王丽", 1, 1, 0, 0), ("前台平板", "陈杰", 0, 0, 1, 1)]
    assert reporting.day_tally(site_id, TYPES, DAY + timedelta(days=1)) == []  # the correction stays on its day
    assert f"chen.{n}" not in {r.rep for r in rows}  # names, not usernames
    _check_day(reporting, site_id, DAY)
