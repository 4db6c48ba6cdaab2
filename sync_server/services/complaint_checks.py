"""Checks of a push's complaint steps against the complaints they name (QA of issue 11, F2, F3),
inside the push's write (``services.push``), beside ``push_checks``.

A later step of a complaint (``data.status`` other than ``open``) names the complaint in
``data.refers_to``. It is refused, and stays on the tablet with the reason, when:

- the record named is not a complaint's opening (``not_a_complaint``: a deal, a walk-in, or
  another step — a step names the complaint, as the tablet's case does);
- it is about another customer than the complaint (``other_customers_complaint``: its phone
  is none of the phones the complaint's records carry, corrections included);
- it was captured before the complaint was opened (``step_before_opening``: earlier by more
  than the two capture times' uncertainty — a tablet's clock, or the wrong complaint);
- it approves an extension of the close-by limit and its author is not a manager
  (``extension_manager_only``: 001 §2 第十一条, 经批准; ``approved_by`` was free text any role
  could fill in).

Then the case's state (``complaint_order``): a step on a withdrawn complaint
(``complaint_withdrawn``), after its closing (``complaint_closed``), or a satisfaction check
before its resolution (``satisfaction_before_resolved``).

A complaint of this same push is looked at as it will be stored (the estimate of its capture
time), a stored one as stored; a name the site does not know is ``unknown_record``'s to refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from shared.clocks import CaptureEstimate
from shared.errors import Problem
from shared.records import Record
from shared.timeutil import parse_time

from ..storage.base import Store, StoredRecord
from .auth import Caller
from .complaint_order import case_state_problem

__all__ = ["complaint_step_problems", "EXTENSION_APPROVERS"]

EXTENSION_APPROVERS = ("manager",)
"""Who records an approved extension of a complaint's limit (001 §2 第十一条: 经批准, the manager)."""


def complaint_step_problems(store: Store, caller: Caller, checked: list[Record | Problem],
                            estimate: Callable[[Record], CaptureEstimate]) -> dict[str, Problem]:
    """``record id -> Problem`` for this push's complaint steps that name their complaint wrongly
    or approve an extension without a manager (see the module's docstring)."""
    steps = [r for r in checked if isinstance(r, Record) and r.type == "complaint"
             and r.data.get("status") not in (None, "open") and isinstance(r.data.get("refers_to"), str)
             and r.data.get("refers_to")]
    if not steps:
        return {}
    in_batch = {r.id.lower(): r for r in checked if isinstance(r, Record)}
    named = {str(r.data["refers_to"]).lower() for r in steps}
    stored = {r.id.lower(): r for r in store.records_by_ids(caller.site.id, named - set(in_batch))}
    phones = _complaint_phones(store, caller, named, in_batch)
    problems: dict[str, Problem] = {}
    cases: dict[str, list[tuple[StoredRecord, bool]]] | None = None
    for step in steps:
        if step.data.get("status") == "extension_approved" and caller.role not in EXTENSION_APPROVERS:
            problems[step.id] = Problem(
                "extension_manager_only", "Only a manager approves a longer limit for a complaint (at most 7 working "
                "days, 001 §2 第十一条); ask the manager to approve it on the manager's tablet.", "data.status")
            continue
        if step.data.get("status") == "extension_approved" and str(step.data.get("approved_by") or "").strip() not in (
                caller.user.name, caller.user.username):
            # the approver is the manager who records it, not a name typed in (QA of issue 11,
            # second pass: a manager's tablet named a rep, 张强, as the approver)
            problems[step.id] = Problem(
                "extension_manager_only", "An approved extension names the manager who approves it: approve it on "
                "that manager's own tablet.", "data.approved_by")
            continue
        ref = str(step.data["refers_to"]).lower()
        target = in_batch.get(ref) or stored.get(ref)
        if target is None:
            continue  # unknown_record says so
        problem = _target_problem(step, target, phones.get(ref, set()), estimate)
        if problem is None:
            if cases is None:  # one read of the named cases, once a step gets this far
                cases = store.complaint_case_records(caller.site.id, named)
            problem = case_state_problem(step, ref, cases.get(ref, ()), in_batch.values(), estimate)
        if problem is not None:
            problems[step.id] = problem
    return problems


def _target_problem(step: Record, target: Record | StoredRecord, phones: set[str],
                    estimate: Callable[[Record], CaptureEstimate]) -> Problem | None:
    data = target.data if isinstance(target, Record) else (target.wire.get("data") or {})
    if target.type != "complaint" or data.get("status") != "open":
        what = "a step of a complaint" if target.type == "complaint" else f"a {target.type} record"
        return Problem("not_a_complaint", f"data.refers_to names {what}, not a complaint; pick the complaint this "
                       "step belongs to.", "data.refers_to", {"type": target.type})
    if step.customer.phone_key and phones and step.customer.phone_key not in phones:
        return Problem("other_customers_complaint", "This step names the complaint of another customer; pick this "
                       "customer's complaint, or correct the customer.", "data.refers_to")
    mine = estimate(step)
    if isinstance(target, Record):
        theirs = estimate(target)
        opened_at, slack = theirs.at, theirs.uncertainty_ms
    else:
        opened_at, slack = parse_time(target.estimated_at), target.uncertainty_ms
    if mine.at + timedelta(milliseconds=mine.uncertainty_ms + slack) < opened_at:
        return Problem("step_before_opening", "This step was captured before the complaint it names was opened; "
                       "check the tablet's date and time, or pick the right complaint.", "data.refers_to")
    return None


def _complaint_phones(store: Store, caller: Caller, named: set[str], in_batch: dict[str, Record]) -> dict[str, set[str]]:
    """For each named record: the phones of its complaint's records — the named one, the ones
    it corrects and those correcting it, stored or in this push (a corrected customer's steps
    carry the new number and still name the original opening)."""
    out: dict[str, set[str]] = {}
    stored = store.complaint_case_phones(caller.site.id, named)  # one read for every named record
    for ref in named:
        chain = stored.get(ref, set()) | {r.customer.phone_key for r in in_batch.values()
                  if r.type == "complaint" and (r.id.lower() == ref or (r.supersedes or "").lower() == ref)}
        out[ref] = {p for p in chain if p}
    return out
