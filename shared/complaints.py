"""Complaints as cases (投诉): one ``open`` record and its later status records, and the
deadlines each step is held to.

Rules:
- 003 问题处理: respond within 1 hour (1小时内主动联系), a first solution within 4 hours (4小时内
  给出初步解决方案), the result within 24 hours (24小时内反馈处理结果), and a satisfaction check
  3 days after the problem is solved (问题解决后3天,再次确认客户满意度). Clock hours and days.
- 001 §2 第十一条: a general complaint is handled within 1 working day, a major one within 3;
  with the approval of a manager at most 7 working days. Working days from the site's
  ``WorkingCalendar`` (official holidays and 调休, plus the site's closed days).

A case is built from records (``ComplaintStep``: when, status, data); its record order does
not matter — steps are sorted by time, ties by record id, so every device and the server
compute the same case.

A case follows the office's order (QA15 A): steps captured after its first ``closed`` and
satisfaction checks captured before its first ``resolved`` are left out, and its ``status`` is
the furthest step reached (``STEP_ORDER``: a step recorded late moves nothing back); the server
refuses such steps when it already knows the closing or the resolution
(``sync_server/services/complaint_order.py``), so a case reads the same in any arrival order.

A case is named by the id of its first ``open`` record, the original of that record's chain:
a correction of the opening (a new record superseding it) keeps the case and its steps, and a
step naming any version of the opening, or of another step, belongs to the same case
(``case_keys``; QA of issue 11, F1: a corrected opening lost every step).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .working_calendar import DEFAULT_CALENDAR, WorkingCalendar

__all__ = ["ComplaintStep", "ComplaintCase", "Deadline", "build_case", "build_cases", "case_keys", "in_a_case",
           "STEP_ORDER", "HOUR_STEPS", "WORKING_DAY_LIMITS", "MAX_LIMIT_DAYS", "SATISFACTION_AFTER"]

HOUR_STEPS: dict[str, timedelta] = {
    "respond": timedelta(hours=1),  # 003: 1小时内主动联系
    "first_solution": timedelta(hours=4),  # 003: 4小时内给出初步解决方案
    "result": timedelta(hours=24),  # 003: 24小时内反馈处理结果
}
"""Step -> how long after the complaint was opened it is due (003 问题处理)."""

SATISFACTION_AFTER = timedelta(days=3)
"""The satisfaction check is due 3 days after the complaint is resolved (003: 问题解决后3天)."""

WORKING_DAY_LIMITS: dict[str, int] = {"general": 1, "major": 3}
"""Severity -> working days to close (001 §2 第十一条: 一般投诉一个工作日内;较大事件三个工作日)."""

MAX_LIMIT_DAYS = 7
"""The longest limit an approval may grant (001 §2 第十一条: 最多不超过七个工作日)."""

# status -> the step it completes
_DONE_BY = {"responded": "respond", "solution_offered": "first_solution", "resolved": "result",
            "satisfaction_checked": "satisfaction", "closed": "satisfaction"}


@dataclass(frozen=True)
class ComplaintStep:
    """One complaint record as the case needs it: ``id``, ``at`` (aware datetime: the
    estimated capture time on the server, the capture time on the tablet), ``data`` (the
    record's ``data``: ``status``, ``refers_to``, ``severity``, ``limit_days``, …), and
    ``customer`` / ``rep`` for display; ``supersedes``: the record this one corrects (None for
    an original); ``live``: False for a version a later record corrects or withdraws (given
    only so ``case_keys`` can follow a chain through it: it is no step of any case)."""

    id: str
    at: datetime
    data: Mapping[str, Any]
    customer_name: str = ""
    customer_phone: str = ""
    rep: str | None = None
    supersedes: str | None = None
    live: bool = True


@dataclass(frozen=True)
class Deadline:
    """One step's deadline: ``step`` (respond, first_solution, result, close, satisfaction),
    ``due`` (aware datetime), ``done_at`` (when it was met, or None), ``official`` (False when
    the working calendar had no official schedule for a day it counted: a provisional date)."""

    step: str
    due: datetime
    done_at: datetime | None = None
    official: bool = True

    def overdue(self, now: datetime) -> bool:
        """Not done and past due at ``now``; or done late."""
        return (self.done_at or now) > self.due


@dataclass(frozen=True)
class ComplaintCase:
    """A complaint with its steps. ``opened_at`` is the open record's time; ``severity`` and
    ``limit_days`` are the current ones (after changes and approvals); ``deadlines`` are in
    the order of the process; ``status`` is the furthest step reached (``STEP_ORDER``)."""

    id: str
    opened_at: datetime
    customer_name: str
    customer_phone: str
    rep: str | None
    content: str
    contact: str
    handler: str
    severity: str
    limit_days: int
    extended_by: str | None
    status: str
    deadlines: tuple[Deadline, ...]

    @property
    def finished(self) -> bool:
        """Closed, or the satisfaction check done: nothing is due any more."""
        return self.status in ("closed", "satisfaction_checked")

    def next_deadline(self) -> Deadline | None:
        """The earliest deadline not yet met (None when the case is finished)."""
        open_ = [d for d in self.deadlines if d.done_at is None]
        return min(open_, key=lambda d: d.due) if open_ and not self.finished else None

    def overdue(self, now: datetime) -> bool:
        """Some deadline not yet met has passed at ``now``."""
        nxt = self.next_deadline()
        return nxt is not None and nxt.due < now

    def age(self, now: datetime) -> timedelta:
        """How long the case has been open at ``now``."""
        return now - self.opened_at


def _sort_key(step: ComplaintStep) -> tuple[datetime, str]:
    return step.at, step.id


STEP_ORDER = ("open", "responded", "solution_offered", "resolved", "satisfaction_checked", "closed")
"""The procedure's steps in order (003 问题处理: respond, first solution, result, satisfaction 3
days after; 001 §2 第十一条: closed). A case's ``status`` is the furthest reached."""


def _in_procedure(steps: list[ComplaintStep]) -> list[ComplaintStep]:
    """Of a case's steps in time order, those the procedure admits (QA15 A): none captured after
    the first ``closed`` (结案 ends the case; the push refuses later ones, ``complaint_closed``) and
    no ``satisfaction_checked`` captured before the first ``resolved`` (003 checks satisfaction
    after the problem is solved; ``satisfaction_before_resolved``); a step at the same instant is
    neither after nor before (a tablet saving steps in one go). What the server took before it could
    know — a step arriving before the closing it follows — is left out here, so a case reads the
    same whatever order its records arrived in."""
    closing = next((s for s in steps if s.data.get("status") == "closed"), None)
    kept = steps if closing is None else [s for s in steps if s.at <= closing.at]  # the same instant is no "after"
    resolved = next((s for s in kept if s.data.get("status") == "resolved"), None)
    if resolved is None:
        return kept
    return [s for s in kept if s.data.get("status") != "satisfaction_checked" or s.at >= resolved.at]


def build_case(opened: ComplaintStep, later: Iterable[ComplaintStep],
               calendar: WorkingCalendar = DEFAULT_CALENDAR, case_id: str | None = None,
               opened_at: datetime | None = None) -> ComplaintCase:
    """The case of ``opened`` (status ``open``) given its later status records, with every
    deadline. Without ``case_id``: the later records naming ``opened`` in ``refers_to`` (others
    are ignored), and the case is named by ``opened.id``; with it (``case_keys``' key of the
    case: the original opening's id, ``opened`` may be a correction of it): every one of
    ``later``, and the case is named ``case_id``. ``opened_at``: when the complaint was
    opened, if not ``opened.at`` (a correction of the opening keeps the original's time: R4,
    a correction moves nothing in time).

    The working-day limit counts from the opening time, read in its own UTC offset (the
    tablet's, i.e. the site's). A ``severity_changed`` record changes the limit (general 1,
    major 3 working days); an ``extension_approved`` record sets ``limit_days`` (at most
    ``MAX_LIMIT_DAYS``; never shorter than the severity's own limit). The ``close`` deadline
    is met by ``resolved`` or ``closed``; ``satisfaction`` is due 3 days after ``resolved``. Steps
    after the first ``closed``, and satisfaction checks before the first ``resolved``, are left out
    (``_in_procedure``, QA15 A); the status is the furthest step reached, so a step recorded late
    (a 已回应 after the 已解决) moves it nothing back."""
    steps = _in_procedure(sorted((s for s in later if case_id is not None
                                  or str(s.data.get("refers_to") or "").lower() == opened.id.lower()), key=_sort_key))
    severity = opened.data.get("severity") or "general"
    approved: int | None = None
    extended_by: str | None = None
    done: dict[str, datetime] = {}
    status = "open"
    handler = opened.data.get("handler") or ""
    for step in steps:
        s = step.data.get("status") or ""
        if s == "severity_changed" and step.data.get("severity") in WORKING_DAY_LIMITS:
            severity = step.data["severity"]
        elif s == "extension_approved" and isinstance(step.data.get("limit_days"), int):
            approved = min(step.data["limit_days"], MAX_LIMIT_DAYS)
            extended_by = step.data.get("approved_by") or None
        elif s in _DONE_BY:
            done.setdefault(_DONE_BY[s], step.at)
            if s in ("resolved", "closed"):
                done.setdefault("result", step.at)
                done.setdefault("close", step.at)
            if s == "satisfaction_checked":  # a later step means the earlier ones happened
                for earlier in ("respond", "first_solution", "result", "close"):
                    done.setdefault(earlier, step.at)
            if s in ("solution_offered", "resolved"):
                done.setdefault("respond", step.at)
            if s == "resolved":
                done.setdefault("first_solution", step.at)
            if STEP_ORDER.index(s) >= STEP_ORDER.index(status):  # a step recorded late moves nothing back
                status = s
        if step.data.get("handler"):
            handler = step.data["handler"]
    limit = max(WORKING_DAY_LIMITS.get(severity, 1), approved or 0)
    start = opened_at or opened.at
    close_due = calendar.add_working_days(start, limit)
    official = calendar.official_between(start.date(), close_due.date())
    deadlines = [Deadline(step, start + delta, done.get(step)) for step, delta in HOUR_STEPS.items()]
    deadlines.append(Deadline("close", close_due, done.get("close"), official))
    resolved_at = next((s.at for s in steps if s.data.get("status") in ("resolved", "closed")), None)
    if resolved_at is not None:
        deadlines.append(Deadline("satisfaction", resolved_at + SATISFACTION_AFTER, done.get("satisfaction")))
    return ComplaintCase(
        id=case_id if case_id is not None else opened.id, opened_at=start, customer_name=opened.customer_name, customer_phone=opened.customer_phone,
        rep=opened.rep, content=opened.data.get("content") or "", contact=opened.data.get("contact") or "",
        handler=handler, severity=severity, limit_days=limit, extended_by=extended_by, status=status,
        deadlines=tuple(deadlines))


def case_keys(steps: Iterable[ComplaintStep], known: Mapping[str, str] | None = None) -> dict[str, str]:
    """``record id -> case id`` (both lower case) of every complaint record among ``steps``
    (live or not): an ``open`` original names its own case; a correction, its original's case;
    a later step, the case of the record it ``refers_to`` (any version of the opening, or
    another step). A record the chain leads out of ``steps`` to (a version not given) names the
    case ``known`` gives it (``record id -> case``, lower case: the cases already kept for
    records stored before, on the server), else by that id; a cycle of ``refers_to`` (a forged
    record) ends at the record it reached twice."""
    known = known or {}
    by_id = {s.id.lower(): s for s in steps}
    keys: dict[str, str] = {}

    def key(rid: str) -> str:
        seen: list[str] = []
        while rid not in keys:
            step = by_id.get(rid)
            if step is None or rid in seen:
                break
            seen.append(rid)
            ref = step.data.get("refers_to")
            if step.supersedes:
                rid = step.supersedes.lower()
            elif step.data.get("status") != "open" and isinstance(ref, str) and ref:
                rid = ref.lower()
            else:
                break
        found = keys.get(rid) or known.get(rid, rid)
        for done in seen:
            keys[done] = found
        return found

    for rid in by_id:
        key(rid)
    return keys


def in_a_case(step: ComplaintStep) -> bool:
    """Does this complaint record belong to a case: an opening, a correction, or a step that
    names a record (``refers_to``)? A step naming nothing (refused at the push) belongs to none."""
    ref = step.data.get("refers_to")
    return bool(step.supersedes) or step.data.get("status") == "open" or (isinstance(ref, str) and bool(ref))


def build_cases(steps: Iterable[ComplaintStep], calendar: WorkingCalendar = DEFAULT_CALENDAR) -> list[ComplaintCase]:
    """Every case among ``steps`` (complaint records of any status, any order, versions that
    are no longer ``live`` included or not), oldest first: each case's live ``open`` record (the
    latest version of its opening) with its live later steps (``case_keys``), opened at its
    original opening's time when that version is among ``steps``. A status record whose case
    has no live ``open`` record is ignored."""
    steps = list(steps)
    keys = case_keys(steps)
    opened: dict[str, ComplaintStep] = {}
    later: dict[str, list[ComplaintStep]] = {}
    firsts = {s.id.lower(): s.at for s in steps}  # the original opening, live or not: the case's time
    for step in sorted((s for s in steps if s.live), key=_sort_key):
        case = keys[step.id.lower()]
        if step.data.get("status") == "open":
            opened.setdefault(case, step)  # one live opening a case (the first, should a chain fork)
        else:
            later.setdefault(case, []).append(step)
    cases = [build_case(o, later.get(case, ()), calendar, case, firsts.get(case)) for case, o in opened.items()]
    return sorted(cases, key=lambda c: (c.opened_at, c.id))
