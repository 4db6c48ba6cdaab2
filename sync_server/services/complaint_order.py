"""Checks of a push's complaint steps against the state of the case they name (QA15 A: steps were
accepted on a withdrawn complaint, and out of the office's order), inside the push's write, after
``complaint_checks`` found the step names a complaint opening of its customer.

A later step (``data.status`` other than ``open``) is refused, and stays on the tablet with the
reason, when:

- the complaint's opening has been withdrawn (``complaint_withdrawn``): a withdrawal of any version
  of the opening, stored or in this push. A step that arrives *before* the withdrawal is kept, and
  the withdrawal is taken as always — the case, with its steps, leaves the care page and the
  tablets' lists (``shared.complaints.build_cases``: a case without a live opening is none), so the
  state is the same whatever arrived first;
- the case was closed before the step was captured (``complaint_closed``): a live ``closed`` step
  captured earlier than this one by more than the two estimates' uncertainty. 结案 ends the case
  (001 §2 第十一条: handled within its limit, then closed); a complaint after it is a new complaint;
- it is a satisfaction check captured before the complaint was resolved (``satisfaction_before_resolved``):
  003 checks satisfaction 3 days *after* the problem is solved （问题解决后3天，再次确认客户满意度）,
  so a 满意度回访 captured before the case's first ``resolved`` (beyond the uncertainty) is
  impossible in the procedure — a wrong tablet clock, or the wrong step chosen.

Tolerated, because real offline capture produces them: steps arriving in another order than they
were captured (two tablets, one offline) — every comparison is of estimated capture times, never
of arrival; steps of the procedure recorded out of sequence before the closing (a 已回应 recorded
after the 已解决: the case keeps the furthest step reached, ``build_case``); a satisfaction check
with no resolution recorded at all (it implies the earlier steps). What the server took before it
could know better — a step captured after a closing that arrived before it, a satisfaction check
before a resolution that arrived later — is kept and left out of the case (``build_case`` ignores
steps after the first closing and satisfaction checks before the first resolution), so the case
reads the same in any arrival order (protocol principle 5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.clocks import CaptureEstimate
from shared.errors import Problem
from shared.records import Record
from shared.timeutil import parse_time

from ..storage.base import StoredRecord

__all__ = ["case_state_problem"]


@dataclass(frozen=True)
class _Version:
    """One record of a case as the checks read it: stored or of this push."""

    id: str
    type: str
    status: str
    supersedes: str | None
    at: datetime
    slack_ms: int


def _stored(record: StoredRecord) -> _Version:
    return _Version(record.id.lower(), record.type, str((record.wire.get("data") or {}).get("status") or ""),
                    (record.supersedes or "").lower() or None, parse_time(record.estimated_at), record.uncertainty_ms)


def _pushed(record: Record, estimate: Callable[[Record], CaptureEstimate]) -> _Version:
    mine = estimate(record)
    return _Version(record.id.lower(), record.type, str(record.data.get("status") or ""),
                    (record.supersedes or "").lower() or None, mine.at, mine.uncertainty_ms)


def case_state_problem(step: Record, ref: str, stored: Iterable[tuple[StoredRecord, bool]],
                       batch: Iterable[Record], estimate: Callable[[Record], CaptureEstimate]) -> Problem | None:
    """The ``Problem`` of ``step`` (a complaint step naming the opening ``ref``, lower case) against
    its case: ``stored`` — ``Store.complaint_case_records``' records of the case with their live
    flag — and this push's other records ``batch``; None when the step may be taken."""
    versions = {v.id: v for v in (_stored(r) for r, _ in stored)}
    superseded = {r.id.lower() for r, live in stored if not live}
    known = set(versions) | {ref}
    for record in batch:  # this push's records of the case: its steps, corrections, withdrawals
        ref_of = record.data.get("refers_to") if record.type == "complaint" else None
        linked = (record.supersedes or "").lower() in known or (isinstance(ref_of, str) and ref_of.lower() in known)
        if record.id != step.id and linked:
            versions.setdefault(record.id.lower(), _pushed(record, estimate))
    superseded |= {v.supersedes for v in versions.values() if v.supersedes}

    def root(rid: str) -> str:
        seen = {rid}
        while (up := versions[rid].supersedes if rid in versions else None) and up not in seen:
            seen.add(up)
            rid = up
        return rid

    opening = root(ref)
    if any(v.type == "withdrawal" and v.supersedes and root(v.supersedes) == opening for v in versions.values()):
        return Problem("complaint_withdrawn", "The complaint this step names was withdrawn; nothing is recorded on "
                       "a withdrawn complaint. If the customer still complains, record a new complaint.", "data.refers_to")
    mine = estimate(step)
    live = [v for v in versions.values() if v.type == "complaint" and v.id not in superseded and v.status != "open"]

    def before(a_at: datetime, a_slack: int, b_at: datetime, b_slack: int) -> bool:
        """``a`` captured before ``b`` beyond both estimates' uncertainty."""
        return a_at + timedelta(milliseconds=a_slack + b_slack) < b_at

    if any(v.status == "closed" and before(v.at, v.slack_ms, mine.at, mine.uncertainty_ms) for v in live):
        return Problem("complaint_closed", "The complaint this step names was closed (结案) before this step was "
                       "captured; nothing follows a closing. If the customer complains again, record a new "
                       "complaint; else check the tablet's date and time.", "data.status")
    resolved = [v for v in live if v.status == "resolved"]
    if step.data.get("status") == "satisfaction_checked" and resolved:
        first = min(resolved, key=lambda v: (v.at, v.id))
        if before(mine.at, mine.uncertainty_ms, first.at, first.slack_ms):
            return Problem("satisfaction_before_resolved", "This satisfaction check was captured before the complaint "
                           "was resolved; satisfaction is checked after the problem is solved (003: 3 days after). "
                           "Record it after the resolution, or check the tablet's date and time.", "data.status")
    return None
