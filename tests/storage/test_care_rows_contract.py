"""The care rows (``storage/care.py``: ``customer_care``, ``complaint_cases``) answer what the
plain computation over every record answers (issue 11, the care page at a million records):
random sequences of pushes of contacts (walk-ins and calls with an intent grade, follow-ups
with a grade, tier or next date, deals, visit reports) and complaint cases (opened, later
steps, a severity change, an approved extension), corrections (also moving a record to
another customer) and withdrawals, owners changed between pushes and the site's closed days
changed, give the same counts per rep, the same customers in the same order and the same
queue — on both backends, for several days; and rows computed afresh (the migration's
backfill) equal the ones kept write by write.

The oracle is ``services.care_plain`` (what the care page ran before the rows). Bounded
(``max_examples``) and replayable (``derandomize``; every id derives from the example).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from shared.working_calendar import WorkingCalendar
from sync_server.services import care, care_plain
from sync_server.storage.base import Site
from sync_server.storage.sql.care import rebuild_care
from sync_server.storage.sql.tables import complaint_cases, complaint_steps, customer_care
from tests.storage.records import make_record

START = date(2026, 9, 21)
DAYS = 60
CST = timezone(timedelta(hours=8))
PHONES = ("+8613800000001", "+8613800000002", "+8613800000003", "+8613800000004", "+8613800000005")
NAMES = ("张伟", "王芳", "张伟", "李娜", "")  # two customers of one name, one without a name
REPS = ("wang.li", "chen.jie", None)
_sites = itertools.count(1)

_contact = st.one_of(
    st.tuples(st.sampled_from(["walkin", "call"]), st.integers(0, 4), st.integers(0, DAYS - 1),
              st.sampled_from(["A", "B", "C", "D", None])),
    st.tuples(st.just("follow_up"), st.integers(0, 4), st.integers(0, DAYS - 1),
              st.tuples(st.sampled_from(["A", "B", None]), st.sampled_from(["vip", "core", "regular", None]),
                        st.one_of(st.none(), st.integers(0, 20)))),
    st.tuples(st.sampled_from(["deal", "visit_report"]), st.integers(0, 4), st.integers(0, DAYS - 1),
              st.sampled_from(["small_deposit", "large_deposit", "contract"])))
_complaint = st.one_of(
    st.tuples(st.just("open"), st.integers(0, 4), st.integers(0, DAYS - 1), st.sampled_from(["general", "major"])),
    st.tuples(st.just("step"), st.integers(0, 1000), st.integers(0, 30),
              st.sampled_from(["responded", "solution_offered", "resolved", "satisfaction_checked", "closed",
                               "severity_changed", "extension_approved"])))
_change = st.tuples(st.sampled_from(["correct", "withdraw"]), st.integers(0, 10_000), st.integers(0, 4),
                    st.integers(0, DAYS - 1))
_owners = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2)), max_size=3)
_push = st.tuples(st.lists(st.one_of(_contact, _contact, _complaint, _change), min_size=1, max_size=8), _owners,
                  st.booleans())
_pushes = st.lists(_push, min_size=1, max_size=5)


def _at(day: int, hour: int) -> str:
    return f"{(START + timedelta(days=day)).isoformat()}T{hour:02d}:{(day * 7) % 60:02d}:00.000+08:00"


def _records(site_id: str, ops, made: list) -> list:
    """One push's records; a change or a complaint step targets an earlier record (modulo)."""
    batch = []
    for op in ops:
        seq = len(made) + 1
        rid = f"{site_id}-r{seq:04d}"
        kind = op[0]
        if kind in ("correct", "withdraw"):
            if not made:
                continue
            target = made[op[1] % len(made)]
            if kind == "withdraw":
                record = make_record(seq=seq, site_id=site_id, id=rid, type="withdrawal", rep=None,
                                     phone_key=target.phone_key, supersedes=target.id,
                                     estimated_at=target.estimated_at, data={"reason": "登记错误"})
            else:
                phone = op[2]
                record = make_record(seq=seq, site_id=site_id, id=rid, type=target.type, rep=target.rep,
                                     phone_key=PHONES[phone], name=NAMES[phone], supersedes=target.id,
                                     estimated_at=_at(op[3], 9 + seq % 10), data=dict(target.wire.get("data") or {}))
        elif kind == "open":
            _, phone, day, severity = op
            record = make_record(seq=seq, site_id=site_id, id=rid, type="complaint", rep=REPS[seq % 3],
                                 phone_key=PHONES[phone], name=NAMES[phone], estimated_at=_at(day, 8 + seq % 12),
                                 data={"status": "open", "content": "漏水", "severity": severity, "handler": "王丽"})
        elif kind == "step":
            opened = [r for r in made if r.type == "complaint" and (r.wire.get("data") or {}).get("status") == "open"]
            if not opened:
                continue
            target = opened[op[1] % len(opened)]
            status = op[3]
            data: dict = {"status": status, "refers_to": target.id.upper() if seq % 4 == 0 else target.id}
            if status == "severity_changed":
                data["severity"] = "major"
            if status == "extension_approved":
                data.update(limit_days=5 + seq % 4, approved_by="赵经理")
            at = datetime.fromisoformat(target.estimated_at) + timedelta(hours=op[2] * 3)
            record = make_record(seq=seq, site_id=site_id, id=rid, type="complaint", rep=target.rep,
                                 phone_key=target.phone_key, name=target.name,
                                 estimated_at=at.isoformat(timespec="milliseconds"), data=data)
        else:
            _, phone, day, detail = op
            if kind in ("walkin", "call"):
                data = {"source": "walk_in", **({"intent": detail} if detail else {})}
            elif kind == "follow_up":
                grade, tier, next_in = detail
                data = {**({"grade": grade} if grade else {}), **({"tier": tier} if tier else {}),
                        **({"next_action_on": (START + timedelta(days=day + next_in)).isoformat()}
                           if next_in is not None else {})}
            else:
                data = {"stage": detail, "amount": 100000} if kind == "deal" else {"note": "看房"}
            record = make_record(seq=seq, site_id=site_id, id=rid, type=kind, rep=REPS[seq % 3],
                                 phone_key=PHONES[phone], name=NAMES[phone], estimated_at=_at(day, 9 + seq % 10),
                                 data=data)
        made.append(record)
        batch.append(record)
    return batch


def _push_all(store, site_id: str, pushes) -> None:
    made: list = []
    for ops, owners, close_a_day in pushes:
        batch = _records(site_id, ops, made)
        with store.write(site_id):
            if batch:
                found = store.ensure_customers(site_id, {r.phone_key: r.name for r in batch})
                store.insert_records([replace(r, change_id=store.next_change_id()) for r in batch])
                first = {}
                for r in sorted(batch, key=lambda r: r.estimated_at):
                    first.setdefault(r.phone_key, r.estimated_at)
                store.save_customers([replace(c, first_registered_at=c.first_registered_at or first[key],
                                              owner=c.owner or REPS[len(made) % 2])
                                      for key, c in found.items()])
            current = store.customers_by_keys(site_id, PHONES)
            store.save_customers([replace(current[PHONES[p]], owner=REPS[r]) for p, r in owners if PHONES[p] in current])
        if close_a_day:
            store.update_site(site_id, closed_days=[(START + timedelta(days=len(made) % DAYS)).isoformat()])


def _plain_reps(reporting, site, today):
    return {r.rep: r for r in care_plain.overdue_by_rep(reporting, site, datetime.combine(today, datetime.min.time(),
                                                                                          CST))}


def _key(d) -> tuple:
    return (d.customer_id, d.name, d.due)


def _order(d) -> tuple:
    return (d.due.due_on, d.name)


def _case_key(c) -> tuple:
    return (c.id.lower(), c.status, c.severity, c.limit_days, c.handler, c.deadlines)


def _kept(store, site_id: str) -> list:
    with store.engine.connect() as conn:
        return [sorted(tuple(r) for r in conn.execute(select(t).where(t.c.site_id == site_id)))
                for t in (customer_care, complaint_steps, complaint_cases)]


def _check(store, reporting, site_id: str) -> None:
    site = store.get_site(site_id)
    calendar = WorkingCalendar.for_site(site.closed_days)
    for day in (0, 20, 45, DAYS + 10):
        today = START + timedelta(days=day)
        now = datetime.combine(today, datetime.min.time(), CST) + timedelta(hours=10)
        plain = _plain_reps(reporting, site, today)
        rows = care.care_by_rep(reporting, site, today)
        assert {r.rep: (r.customers, r.overdue_count, r.due_count) for r in rows} == {
            rep: (p.customers, len(p.overdue), len(p.due_today)) for rep, p in plain.items()}, today
        assert [r.rep for r in rows] == sorted(plain, key=lambda rep: (  # then the longest wait (QA of issue 15)
            -len(plain[rep].overdue), -max((d.due.days_overdue(today) for d in plain[rep].overdue), default=0), rep))
        for row in rows:
            expected = plain[row.rep].all_customers()  # namesakes due the same day: either order
            found = care.rep_customers(reporting, site, row.rep, limit=1000)
            assert [_order(d) for d in found] == [_order(d) for d in expected]
            assert sorted(map(_key, found)) == sorted(map(_key, expected))
            pages = [d for n in range(0, len(expected) + 2, 2)
                     for d in care.rep_customers(reporting, site, row.rep, offset=n, limit=2)]
            assert [_key(d) for d in pages] == [_key(d) for d in found]
            assert [_key(d) for d in row.most_overdue] == [_key(d) for d in found if d.due.due_on < today][
                :care.MOST_OVERDUE]
        cases = care_plain.complaint_queue(reporting, site, now, calendar)
        queue = care.complaint_queue(reporting, site, now, calendar, limit=1000)
        assert (queue.total, queue.overdue) == (len(cases), sum(c.overdue(now) for c in cases))
        assert [_case_key(c) for c in queue.cases] == [_case_key(c) for c in cases]
        paged = [c for n in range(0, len(cases) + 3, 3) for c in care.complaint_queue(
            reporting, site, now, calendar, offset=n, limit=3).cases]
        assert [_case_key(c) for c in paged] == [_case_key(c) for c in cases]


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pushes=_pushes)
# a grade change, a follow-up's date, a deal then a revisit; a complaint extended, one resolved;
# a correction moving a walk-in to another customer, a withdrawal; owners moved, a closed day
@example(pushes=[([("walkin", 0, 1, "A"), ("call", 1, 2, "B"), ("open", 2, 3, "major"), ("open", 3, 30, "general")],
                  [], False),
                 ([("follow_up", 0, 9, ("B", "vip", 4)), ("deal", 1, 10, "small_deposit"),
                   ("step", 0, 2, "extension_approved"), ("step", 1, 1, "resolved")], [(1, 1)], True),
                 ([("visit_report", 1, 13, "contract"), ("correct", 0, 3, 40), ("withdraw", 1, 0, 0),
                   ("step", 0, 5, "responded"), ("walkin", 4, 50, None)], [(0, 2), (4, 0)], True)])
def test_the_care_rows_answer_what_the_plain_computation_answers(store, reporting, pushes):
    site_id = f"c{next(_sites)}"
    store.add_site(Site(site_id, "属性测试", utc_offset_minutes=480))
    _push_all(store, site_id, pushes)
    _check(store, reporting, site_id)
    kept = _kept(store, site_id)
    with store.engine.begin() as conn:
        rebuild_care(conn, site_id)
    assert _kept(store, site_id) == kept


def test_a_customer_without_contacts_counts_from_registration_and_an_unowned_one_is_left_out(store, reporting):
    """The named cases of the rule: no live contact (withdrawn) → due from the first
    registration; a customer without an owner is in no rep's row."""
    store.add_site(Site("c0", "星河湾", utc_offset_minutes=480))
    walkin = make_record(seq=1, site_id="c0", id="c0-r1", phone_key=PHONES[0], estimated_at=_at(0, 10),
                         data={"intent": "A"})
    other = make_record(seq=2, site_id="c0", id="c0-r2", phone_key=PHONES[1], estimated_at=_at(0, 11))
    with store.write("c0"):
        found = store.ensure_customers("c0", {PHONES[0]: "张伟", PHONES[1]: "王芳"})
        store.insert_records([replace(walkin, change_id=store.next_change_id()),
                              replace(other, change_id=store.next_change_id())])
        store.save_customers([replace(found[PHONES[0]], owner="wang.li", first_registered_at=_at(0, 10)),
                              replace(found[PHONES[1]], owner=None)])
    with store.write("c0"):
        store.insert_records([make_record(seq=3, site_id="c0", id="c0-r3", type="withdrawal", rep=None,
                                          phone_key=PHONES[0], supersedes="c0-r1", estimated_at=_at(1, 10),
                                          data={"reason": "登记错误"}, change_id=store.next_change_id())])
    site = store.get_site("c0")
    [row] = care.care_by_rep(reporting, site, START + timedelta(days=40))
    assert (row.rep, row.customers, row.overdue_count) == ("wang.li", 1, 1)
    [due] = care.rep_customers(reporting, site, "wang.li")
    assert (due.due.due_on, due.due.grade, due.due.reason) == (START + timedelta(days=30), "C", "grade")


def test_a_record_stored_again_after_its_savepoint_was_undone_counts_as_stored(store, reporting):
    """The care refresh reuses the records its write inserted instead of decoding them again
    (issue 13); a record whose savepoint was undone and which was then stored again (the push's
    fault isolation) counts as it is stored: grade A, not the undone C."""
    store.add_site(Site("c0", "星河湾", utc_offset_minutes=480))
    undone = make_record(seq=1, site_id="c0", id="c0-r1", phone_key=PHONES[0], estimated_at=_at(0, 10),
                         data={"intent": "C"})
    with store.write("c0"):
        found = store.ensure_customers("c0", {PHONES[0]: "张伟"})
        try:
            with store.savepoint():
                store.insert_records([replace(undone, change_id=store.next_change_id())])
                raise RuntimeError("a fault no check foresaw")
        except RuntimeError:
            pass
        store.insert_records([replace(undone, wire={**undone.wire, "data": {"intent": "A"}},
                                      change_id=store.next_change_id())])
        store.save_customers([replace(found[PHONES[0]], owner="wang.li", first_registered_at=_at(0, 10))])
    [due] = care.rep_customers(reporting, store.get_site("c0"), "wang.li")
    assert due.due.grade == "A"
    kept = _kept(store, "c0")
    with store.engine.begin() as conn:
        rebuild_care(conn, "c0")
    assert _kept(store, "c0") == kept


def test_qa11_f1_a_corrected_opening_keeps_its_steps_in_the_kept_queue(store, reporting):
    """QA of issue 11, F1: a complaint answered, raised to 较大 and given an approved extension,
    then its opening corrected (the text fixed), kept every step; a step pushed after the
    correction naming the original counts too; one push or several, and afresh (rebuild)."""
    for site_id, pushes in (("f1a", 3), ("f1b", 1)):
        store.add_site(Site(site_id, "星河湾", utc_offset_minutes=480))

        def rec(n: int, site_id: str = site_id, **kw):
            data = kw.pop("data")
            return make_record(seq=n, site_id=site_id, id=f"{site_id}-r{n}", type="complaint", phone_key=PHONES[0],
                               data=data, **kw)

        opened = rec(1, estimated_at=_at(0, 18), data={"status": "open", "content": "漏水", "severity": "general",
                                                        "handler": "王丽"})
        steps = [rec(2, estimated_at=_at(0, 18).replace("T18", "T19"), data={"status": "responded",
                                                                              "refers_to": opened.id}),
                 rec(3, estimated_at=_at(0, 20), data={"status": "severity_changed", "severity": "major",
                                                        "refers_to": opened.id}),
                 rec(4, estimated_at=_at(0, 21), data={"status": "extension_approved", "limit_days": 7,
                                                        "approved_by": "赵敏", "refers_to": opened.id})]
        fixed = rec(5, estimated_at=_at(0, 21).replace("T21", "T22"), supersedes=opened.id,  # corrected later
                    data={**opened.wire["data"], "content": "样板间漏水（已核实）"})
        late = rec(6, estimated_at=_at(0, 22), data={"status": "solution_offered", "refers_to": opened.id.upper()})
        batches = [[opened, *steps], [fixed], [late]] if pushes == 3 else [[opened, *steps, fixed, late]]
        for batch in batches:
            with store.write(site_id):
                store.ensure_customers(site_id, {PHONES[0]: "李娜"})
                store.insert_records([replace(r, change_id=store.next_change_id()) for r in batch])
        site = store.get_site(site_id)
        now = datetime.combine(START, datetime.min.time(), CST) + timedelta(hours=23)
        [case] = care.complaint_queue(reporting, site, now, WorkingCalendar.for_site(()), limit=10).cases
        assert (case.id, case.content, case.severity, case.limit_days, case.extended_by, case.status) == (
            opened.id, "样板间漏水（已核实）", "major", 7, "赵敏", "solution_offered"), site_id
        assert case.opened_at == datetime.fromisoformat(opened.estimated_at)  # the correction moves no deadline
        _check(store, reporting, site_id)
        # the phones a step of this case may carry (services.complaint_checks), any version named
        for named in (opened.id, opened.id.upper(), fixed.id, late.id):
            assert store.complaint_case_phones(site_id, [named]).get(named.lower()) == {PHONES[0]}
        assert store.complaint_case_phones(site_id, ["no-such-record"]).get("no-such-record", set()) == set()
        kept = _kept(store, site_id)
        with store.engine.begin() as conn:
            rebuild_care(conn, site_id)
        assert _kept(store, site_id) == kept


def test_qa11_second_pass_a_corrected_contact_counts_at_its_originals_time(store, reporting):
    """QA of issue 11, second pass: a 小定 of day 4 whose amount was fixed on day 8 read as a
    contact of day 8 (first revisit due day 13, not day 9), and a follow-up of day 4 fixed on day
    11 moved its customer's next due by a week: a correction moves nothing in time (R4)."""
    store.add_site(Site("r4", "星河湾", utc_offset_minutes=480))

    def rec(n: int, **kw):
        return make_record(seq=n, site_id="r4", id=f"r4-r{n}", **kw)

    deal = rec(1, type="deal", phone_key=PHONES[0], estimated_at=_at(4, 10),
               data={"stage": "small_deposit", "amount": 20000, "unit": "9-9"})
    follow = rec(2, type="follow_up", phone_key=PHONES[1], estimated_at=_at(4, 11), data={"grade": "B"})
    fixes = [rec(3, type="deal", phone_key=PHONES[0], estimated_at=_at(8, 12), supersedes=deal.id,
                 data={"stage": "small_deposit", "amount": 200000, "unit": "9-9"}),
             rec(4, type="follow_up", phone_key=PHONES[1], estimated_at=_at(11, 9), supersedes=follow.id,
                 data={"grade": "B", "content": "错字已改"})]
    for batch in ([deal, follow], fixes):
        with store.write("r4"):
            found = store.ensure_customers("r4", {r.phone_key: "客户" for r in batch})
            store.insert_records([replace(r, change_id=store.next_change_id()) for r in batch])
            store.save_customers([replace(c, owner="wang.li", first_registered_at=c.first_registered_at or _at(4, 10))
                                  for c in found.values()])
    site = store.get_site("r4")
    rows = {d.customer_id: d.due for d in care.rep_customers(reporting, site, "wang.li")}
    customers = store.customers_by_keys("r4", PHONES[:2])
    deal_due, follow_due = rows[customers[PHONES[0]].id], rows[customers[PHONES[1]].id]
    assert (deal_due.reason, deal_due.due_on) == ("first_revisit", START + timedelta(days=9))
    assert (follow_due.reason, follow_due.due_on) == ("grade", START + timedelta(days=18))
    _check(store, reporting, "r4")
