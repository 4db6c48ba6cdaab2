"""``POST /sync/push``: store a tablet's records in one transaction and say, per record,
``accepted``, ``duplicate`` or ``rejected`` (with the problem). A bad record never blocks the
good ones; a failed transaction stores none (the tablet retries the same batch).

Checks, in order, for each record: the shared validation (``parse_record``: shape, phone,
fields), a ``rotation`` record comes from a desk or a manager (``rotation_desk_only``), the
caller's role may create the type (``forbidden_type``), ``rep`` names a rep of
the site (``unknown_rep``), the elapsed clock is not ahead of the push's on the same boot
(``clock_inconsistent``); then, inside the transaction: an id already stored is ``duplicate``
with the same content digest and ``id_reused`` otherwise; a seq the device already used for
another record is ``seq_reused``; ``supersedes``/``data.refers_to`` must name a record of the
site stored before or accepted in this batch (``unknown_record``; the records of a circle of
references within the push: ``supersedes_cycle``; one naming a record of the push refused after it
in the batch: ``unknown_record`` too), a record of its type (``type_changed``; a withdrawal withdraws
any type but a withdrawal: ``not_withdrawable``), for a deal's ``refers_to`` a deal of the same customer
(``not_a_deal``, ``other_customers_deal``; ``reference_checks``), a 退订 giving back no more than
that deal's live amount (``refund_exceeds_deal``; ``refund_checks``) and, but for a manager, one
the caller captured or (for the desk) another desk user did (``not_own_record``); a withdrawal names a customer
exactly when the record it withdraws does (``unknown_field``/``missing_field``: a rotation
record's withdrawal names none); a new record captured (by its
estimated capture time) after its rep was deactivated is ``rep_inactive``, one captured after
its author (the pushing user) was deactivated ``user_inactive`` (issue 8 item 8: what was
captured before is accepted, and the manager sees it arrived after the deactivation); one naming a
rep on a day before the rep's first day on the duty list is ``rep_not_started`` (QA5 F4).

A phone the caller could not see counts against its record budget; over it the record is
accepted but its ownership is held for a manager (``record_budget.hold_unseen_phones``, one
call per push, issue 14).

Bounds (``shared.boundary``) are those of the moment the push is checked: times a person
entered up to a day after it, the device's own clock readings up to ``MAX_CLOCK_AHEAD``.
Fault isolation: the accepted records are stored in one savepoint; if storing them
fails (a fault no check foresaw), that savepoint is undone and each record is stored in its
own, so the one that cannot be stored is rejected alone (``not_stored``) and the rest commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from graphlib import CycleError, TopologicalSorter
from typing import Any

from shared.boundary import (
    MAX_CLOCK_AHEAD,
    MAX_ID_LENGTH,
    MAX_SAFE_INTEGER,
    printable,
    time_problem,
)
from shared.clocks import (
    CaptureEstimate,
    DeviceClock,
    anchor_from_push,
    estimate_capture_time,
    wall_clock_offset_ms,
)
from shared.errors import Problem, RecordInvalid
from shared.records import RECORD_TYPES, Record, parse_record
from shared.timeutil import TIME_EXAMPLE, format_time, parse_time, parse_wire_time, utc_now

from ..errors import Forbidden, Unprocessable
from ..storage.base import Anchor, RefusedSeq, Store, StoredRecord, User
from .auth import Caller
from .complaint_checks import complaint_step_problems
from .lookup_budget import LookupBudget
from .push_checks import (
    deactivation_problem,
    foreign_supersedes,
    landline_corrections,
    landline_problem,
    landline_walkin,
    not_started_problem,
    withdrawal_mismatches,
)
from .record_budget import hold_unseen_phones, mark_duplicates, settle
from .reference_checks import deal_reference_problems, named_records, supersede_type_problems
from .refund_checks import refund_problems

__all__ = ["PushEnvelope", "push"]

_log = logging.getLogger("fieldsync.push")


@dataclass(frozen=True)
class PushEnvelope:
    device_id: str
    sent_at: str
    clock: Mapping[str, Any]
    records: list[dict]


def _rejected(record_id: Any, problem: Problem) -> dict:
    """A rejected result; the id is echoed when it is text that can be echoed as sent."""
    echo = record_id if isinstance(record_id, str) and len(record_id) <= MAX_ID_LENGTH \
        and printable(record_id) == record_id else None
    error = problem.as_dict()  # what it echoes of the record is made storable and printable
    error["message"] = printable(error["message"], 2000)
    if error.get("field") is not None:
        error["field"] = printable(error["field"], 200)
    return {"id": echo, "status": "rejected", "error": error}


def _first_problem(problems: list[Problem]) -> Problem:
    """The first problem, its message naming how many more there are (all are fixed together)."""
    first = problems[0]
    if len(problems) == 1:
        return first
    rest = "; ".join(f"{p.field}: {p.message}" for p in problems[1:4])
    return Problem(first.code, f"{first.message} Also: {rest}", first.field, first.params)  # params: the reader's words


ROTATION_KEEPERS = ("reception", "manager")
"""Who may push a ``rotation`` record (排班): the desk keeps the rotation and the manager assigns
errands (001 §12.3); a rep's tablet shows the board read-only. A rep's record is refused with
``rotation_desk_only`` (QA of issue 12 F3: a rep set a colleague 缺席 and herself 经理派出)."""


def _check_alone(wire: Any, caller: Caller, reps: Mapping[str, User], push_clock: DeviceClock, now: datetime
                 ) -> Record | Problem:
    """Everything knowable about one record before looking at what is stored."""
    try:
        record = parse_record(wire, caller.site.region, now)
    except RecordInvalid as exc:
        return _first_problem(exc.problems)
    kind = RECORD_TYPES[record.type]
    if record.type == "rotation" and caller.role not in ROTATION_KEEPERS:
        return Problem("rotation_desk_only", "Only a reception desk or a manager records the rotation board "
                       "(001 §12.3: the desk keeps the rotation, the manager assigns errands); ask the desk to "
                       "record it.", "type")
    if caller.role not in kind.roles:
        allowed = ", ".join(kind.roles)
        return Problem("forbidden_type", f"A {caller.role} may not create a {record.type} record (only {allowed}); "
                       "ask a colleague with that role.", "type", {"role": caller.role, "type": record.type})
    if record.rep is not None and record.rep not in reps:
        return Problem("unknown_rep", f"{record.rep!r} is not a rep of this site; choose the rep from the "
                       "site's list (sync to refresh it).", "rep")
    if record.supersedes is None and landline_walkin(record, caller):
        return landline_problem(record, caller.site.id)
    clock = record.clock
    if clock and clock.boot_id == push_clock.boot_id and clock.elapsed_ms > push_clock.elapsed_ms:
        return Problem("clock_inconsistent", "The record's elapsed clock is later than the push's on the same boot; "
                       "the tablet's clock reading is corrupt, capture the record again.", "clock.elapsed_ms")
    return record


def push(store: Store, caller: Caller, envelope: PushEnvelope, budget: LookupBudget | None = None,
         address: str | None = None) -> dict:
    """Store a push; return the response body (``server_time``, ``contiguous_seq``, ``results``).
    ``budget``: the look-up budget records naming phones the caller could not see count
    against (``record_budget.hold_unseen_phones``; None: not counted); ``address``: the
    client's, for its audit row."""
    if envelope.device_id != caller.device.id:
        raise Forbidden("wrong_device", "device_id is not the device this token was issued to; push with the "
                        "device's own token.", zh="device_id 与此令牌所属的平板不符：请用本平板自己的令牌上传。")
    now = utc_now()
    try:
        sent_at = parse_wire_time(envelope.sent_at)
    except ValueError:  # the wire's one shape (docs/protocol.md, "Times"; QA of issue 15)
        raise Unprocessable("invalid_request", "sent_at must be a time written YYYY-MM-DDTHH:MM:SS, optionally with a "
                            "fraction of 1 to 6 digits (.000), then Z or the UTC offset ±HH:MM from -12:00 to +14:00 "
                            f"(ASCII digits, upper-case T and Z), like {TIME_EXAMPLE}; send it in that shape.",
                            "sent_at",
                            zh=f"sent_at 须为 {TIME_EXAMPLE} 这样的时间：年-月-日、字母 T、时分秒（可带 1 至 6 位小数秒），"
                               "末尾为 Z 或 -12:00 至 +14:00 的时区（半角数字，T 和 Z 大写）：请按此格式发送。") from None
    if out_of_range := time_problem(sent_at, "sent_at", now, MAX_CLOCK_AHEAD):
        raise Unprocessable("invalid_request", out_of_range.message, "sent_at",
                            zh="sent_at 早于 1970 年或晚于服务器时间太多：请检查平板的日期和时间后重新同步。")
    push_clock = DeviceClock.from_wire(envelope.clock)
    site = caller.site
    reps = {u.username: u for u in store.list_users(site.id) if u.role == "rep"}
    checked = [_check_alone(wire, caller, reps, push_clock, now) for wire in envelope.records]

    with store.write(site.id):  # locks this site only: other sites push meanwhile
        received_at = utc_now()
        estimate = _estimator(store, caller, push_clock, sent_at, received_at)
        new_landlines = landline_corrections(store, caller, checked)
        mismatched = withdrawal_mismatches(store, caller, checked)
        foreign = foreign_supersedes(store, caller, checked)
        steps = complaint_step_problems(store, caller, checked, estimate)
        named = named_records(store, caller, checked)
        retyped = supersede_type_problems(named, checked)
        deal_refs = deal_reference_problems(named, checked)
        refunds = refund_problems(named, checked, estimate)
        results, accepted = _sort_out(store, caller, envelope.records, checked,
                                      lambda record: retyped.get(record.id) or deal_refs.get(record.id)
                                      or refunds.get(record.id)
                                      or (landline_problem(record, caller.site.id) if record.id in new_landlines
                                          else None)
                                      or mismatched.get(record.id) or foreign.get(record.id)
                                      or steps.get(record.id)
                                      or deactivation_problem(record, estimate(record), caller, reps)
                                      or not_started_problem(record, estimate(record), caller, reps))
        mark_duplicates(store, caller, results)  # a retry's answer keeps a held or refused record's mark
        if accepted:
            held = hold_unseen_phones(store, caller, accepted, results, budget, address, received_at,
                                      lambda record: format_time(estimate(record).at.astimezone(UTC)))
            _store_isolated(store, caller, accepted, results, estimate, received_at, held)
        refused = _refused_seqs(caller, envelope.records, results, format_time(received_at))
        if refused:
            store.add_refused_seqs(site.id, refused)
        store.save_push_clock(site.id, Anchor(caller.device.id, push_clock.boot_id, push_clock.elapsed_ms,
                                     format_time(received_at)), wall_clock_offset_ms(sent_at, received_at))
        contiguous = store.advance_contiguous_seq(site.id, caller.device.id)
    return {"server_time": format_time(received_at), "contiguous_seq": contiguous, "results": results}


def _sort_out(store: Store, caller: Caller, wires: list[Any], checked: list[Record | Problem],
              late: Callable[[Record], Problem | None]) -> tuple[list[dict], list[tuple[Record, str]]]:
    """Per-record results in input order, and the records to store with their content digests."""
    valid = [c for c in checked if isinstance(c, Record)]
    stored = store.digests_by_id(caller.site.id, {r.id for r in valid})
    seqs_used = store.ids_by_seq(caller.site.id, caller.device.id, {r.seq for r in valid})
    references = {ref for r in valid for ref in _references(r)}
    known_refs = set(store.digests_by_id(caller.site.id, references))
    batch_ids = {r.id for r in valid}
    cyclic = _cycles([r for r in valid if r.id not in stored])
    results: list[dict] = []
    accepted: list[tuple[Record, str]] = []
    refused: set[str] = set()  # this push's records refused so far: no target for a later one
    seen: dict[str, str] = {}  # id -> digest, within this batch
    for wire, outcome in zip(wires, checked, strict=True):
        if isinstance(outcome, Problem):
            results.append(_rejected(wire.get("id") if isinstance(wire, dict) else None, outcome))
            continue
        record, digest = outcome, outcome.digest
        earlier_digest = stored.get(record.id, seen.get(record.id))
        if earlier_digest is not None:
            if earlier_digest == digest:
                results.append({"id": record.id, "status": "duplicate"})
            else:
                refused.add(record.id)
                results.append(_rejected(record.id, Problem(
                    "id_reused", "This id was already used for a record with different content; save the change "
                    "as a new record that supersedes the old one.", "id")))
            continue
        if seqs_used.get(record.seq, record.id) != record.id:
            refused.add(record.id)
            results.append(_rejected(record.id, Problem(
                "seq_reused", f"This device already sent another record as seq {record.seq}; the tablet's "
                "numbering is broken, contact support before capturing more.", "seq")))
            continue
        if record.id in cyclic:
            refused.add(record.id)
            results.append(_rejected(record.id, Problem(
                "supersedes_cycle", "This record and others of the push supersede (or refer to) each other in a "
                "circle, so none of them is the original; correct the references: a correction names the record it "
                "corrects, which never names it back.", "supersedes" if record.supersedes else "data.refers_to")))
            continue
        missing = [ref for ref in _references(record)
                   if ref not in known_refs and (ref not in batch_ids or ref in refused)]
        if missing:
            field = "supersedes" if missing[0] == record.supersedes else "data.refers_to"
            refused.add(record.id)
            results.append(_rejected(record.id, Problem(
                "unknown_record", f"{field} names record {missing[0]}, which this site does not have; push that "
                "record first or correct the reference.", field)))
            continue
        problem = late(record)
        if problem is not None:
            refused.add(record.id)
            results.append(_rejected(record.id, problem))
            continue
        seen[record.id] = digest
        seqs_used[record.seq] = record.id
        accepted.append((record, digest))
        results.append({"id": record.id, "status": "accepted"})
    return results, _refuse_dangling(accepted, results, refused, known_refs)


def _refuse_dangling(accepted: list[tuple[Record, str]], results: list[dict], refused: set[str],
                     known_refs: set[str]) -> list[tuple[Record, str]]:
    """The accepted records but those naming a record of this push refused after them (in the
    batch's order: a tablet may send a correction before its original), and so on: such a record
    would name a record the site does not have (``unknown_record``, ``results`` updated in place)."""
    while True:
        kept = {record.id for record, _ in accepted}
        gone = refused - kept - known_refs
        dangling = {record.id: (record, ref) for record, _ in reversed(accepted)
                    for ref in reversed(_references(record)) if ref in gone}  # the first such ref of each
        if not dangling:
            return accepted
        for record, ref in dangling.values():
            field = "supersedes" if ref == (record.supersedes or "").lower() else "data.refers_to"
            index = next(i for i, r in enumerate(results) if r.get("id") == record.id and r["status"] == "accepted")
            results[index] = _rejected(record.id, Problem(
                "unknown_record", f"{field} names record {ref}, which this push sent but the server refused; correct "
                "that record first, then this one.", field))
            refused.add(record.id)
        accepted = [(record, digest) for record, digest in accepted if record.id not in dangling]


def _cycles(records: list[Record]) -> set[str]:
    """Ids of ``records`` (new ones of one push) on a circle of references among them (``supersedes``,
    ``data.refers_to``): A corrects B, B corrects A (QA round A, F4: both were accepted and the
    customer had no owner). A stored record names only records stored before it, so a circle can
    only close within one push; a record naming itself is ``self_reference`` (shared)."""
    ids = {r.id for r in records}
    graph: dict[str, set[str]] = {}
    for record in records:
        graph.setdefault(record.id, set()).update(ref for ref in _references(record) if ref in ids and ref != record.id)
    cyclic: set[str] = set()
    while True:
        try:
            TopologicalSorter({k: v - cyclic for k, v in graph.items() if k not in cyclic}).prepare()
            return cyclic
        except CycleError as exc:
            cyclic |= set(exc.args[1])


def _refused_seqs(caller: Caller, wires: list[Any], results: list[dict], received: str) -> list[RefusedSeq]:
    """The seqs of this push's rejected records: they arrived, so they are no gap."""
    refused = []
    for wire, result in zip(wires, results, strict=True):
        seq = wire.get("seq") if isinstance(wire, dict) else None
        if result["status"] == "rejected" and type(seq) is int and 1 <= seq <= MAX_SAFE_INTEGER:
            error = result["error"]
            refused.append(RefusedSeq(caller.device.id, seq, result["id"], error["code"], error["message"], received))
    return refused


def _references(record: Record) -> list[str]:
    refs = [record.supersedes] if record.supersedes else []
    refers_to = record.data.get("refers_to")
    if isinstance(refers_to, str) and refers_to:
        refs.append(refers_to.lower())
    return [r.lower() for r in refs]


def _store_isolated(store: Store, caller: Caller, accepted: list[tuple[Record, str]], results: list[dict],
                    estimate_of: Callable[[Record], CaptureEstimate], received_at: datetime,
                    held: frozenset[str] = frozenset()) -> None:
    """Store the accepted records; one that cannot be stored is rejected alone (``results``
    updated in place), the others are stored. Fast path: all in one savepoint."""
    try:
        with store.savepoint():
            _store_records(store, caller, accepted, estimate_of, received_at, held)
        return
    except Exception:  # a fault no check foresaw: find the record(s) at fault one by one
        _log.exception("storing a push of %d records failed; storing them one by one", len(accepted))
    failed: set[str] = set()
    for record, digest in accepted:
        problem = None
        if any(ref in failed for ref in _references(record)):
            problem = Problem("unknown_record", "The record this one refers to could not be stored; correct "
                              "that record first.", "supersedes" if (record.supersedes or "").lower() in failed
                              else "data.refers_to")
        else:
            try:
                with store.savepoint():
                    _store_records(store, caller, [(record, digest)], estimate_of, received_at, held)
            except Exception:
                _log.exception("record %s could not be stored", record.id)
                problem = Problem("not_stored", "The server could not store this record (a server fault, logged); "
                                  "it stays on the tablet. Report it to support.", "id")
        if problem is not None:
            failed.add(record.id)
            index = next(i for i, r in enumerate(results) if r.get("id") == record.id and r["status"] == "accepted")
            results[index] = _rejected(record.id, problem)


def _estimator(store: Store, caller: Caller, push_clock: DeviceClock, sent_at: datetime,
               received_at: datetime) -> Callable[[Record], CaptureEstimate]:
    """*(inside the write)* Each record's capture estimate for this push (shared.clocks), memoised."""
    device = caller.device
    anchors = [anchor_from_push(DeviceClock(a.boot_id, a.elapsed_ms), parse_time(a.server_time))
               for a in store.anchors(caller.site.id, device.id)]
    offset = wall_clock_offset_ms(sent_at, received_at)  # the device's latest known offset: this push's
    enrolled_at = parse_time(device.enrolled_at)  # nothing it sends was captured before (issue 8 item 7)
    known: dict[str, CaptureEstimate] = {}

    def estimate(record: Record) -> CaptureEstimate:
        if record.id not in known:
            known[record.id] = estimate_capture_time(record.clock, record.captured_at, push_clock, received_at,
                                                     anchors, offset, enrolled_at=enrolled_at)
        return known[record.id]

    return estimate


def _store_records(store: Store, caller: Caller, records: list[tuple[Record, str]],
                   estimate_of: Callable[[Record], CaptureEstimate], received_at: datetime,
                   held: frozenset[str] = frozenset()) -> None:
    device = caller.device
    received_text = format_time(received_at)
    rows = []
    for (record, digest), change_id in zip(records, store.next_change_ids(len(records)), strict=True):
        estimate = estimate_of(record)
        rows.append(StoredRecord(
            id=record.id, site_id=caller.site.id, device_id=device.id, author=caller.user.username, seq=record.seq,
            type=record.type, rep=record.rep, phone_key=record.customer.phone_key, household_key=record.household_key,
            supersedes=record.supersedes, captured_at=format_time(record.captured_at),
            estimated_at=format_time(estimate.at.astimezone(UTC)), uncertainty_ms=estimate.uncertainty_ms,
            clock_method=estimate.method, received_at=received_text, digest=digest, wire=dict(record.wire),
            name=record.customer.name, change_id=change_id))
    store.insert_records(rows)
    # a rotation record (排班) concerns no customer: no ownership; a held one's waits (record_budget)
    rows = [r for r in rows if r.phone_key and r.id not in held]
    # which phone keys belong together (households R6, corrections that changed the phone), then
    # customers and ownership: as a manager's release of held records does
    settle(store, caller.site, rows, received_at, {record.id: record for record, _ in records})
