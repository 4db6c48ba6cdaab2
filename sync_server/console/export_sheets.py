"""The tables a manager exports for a date range, with headings in their language."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from shared.records import rating_label

from ..storage.reporting import DEAL_WITHDRAWN, RecordView, ReportingStore
from .formatting import export_phone, local, local_datetime
from .i18n import label, text
from .spreadsheets import Sheet

__all__ = ["EXPORT_KINDS", "build_sheet", "shows_customers"]

_RECORD_KINDS = {"registrations": ("walkin",), "calls": ("call",), "deals": ("deal",), "visits": ("visit_report",),
                 "follow_ups": ("follow_up",), "complaints": ("complaint",)}
EXPORT_KINDS = (*_RECORD_KINDS, "conflicts", "decisions")

_H = {  # heading key -> (zh, en)
    "time": ("登记时间", "Time"), "customer": ("客户", "Customer"), "phone": ("电话", "Phone"),
    "rep": ("售楼员", "Rep"), "desk": ("登记设备", "Desk / device"), "author": ("登记人", "Entered by"),
    "source": ("来源", "Source"), "visit": ("首访/复访", "First/return"), "party": ("人数", "Party size"),
    "intent": ("意向", "Intent"), "notes": ("备注", "Notes"), "confirmed": ("审核确认", "Confirmed"),
    "confirmed_by": ("确认人", "Confirmed by"), "topic": ("咨询内容", "Topic"),
    "organisation": ("单位", "Organisation"), "visited_on": ("走访日期", "Visited on"),
    "quality": ("质量", "Quality"), "service": ("服务", "Service"), "awareness": ("知名度", "Awareness"),
    "suggestions": ("建议", "Suggestions"), "signed": ("已签字", "Signed"), "method": ("方式", "Method"),
    "content": ("内容", "Content"), "feedback": ("反馈", "Feedback"), "next": ("下一步", "Next action"),
    "status": ("状态", "Status"), "severity": ("级别", "Severity"), "handler": ("处理人", "Handler"),
    "opened": ("发生时间", "Opened"), "claims": ("各方登记", "Claims"), "flags": ("提示", "Flags"),
    "owner": ("归属", "Owner"), "decided_at": ("裁定时间", "Decided at"), "decided_by": ("裁定人", "Decided by"),
    "split": ("分成", "Split"), "reason": ("理由", "Reason"), "record_id": ("记录编号", "Record id"),
    "withdrawn": ("已撤回", "Withdrawn"),
    "corrected": ("更正前（首次确认）", "Before correction (first confirmation)"),
    "withdrawn_by": ("撤回人", "Withdrawn by"), "withdrawn_at": ("撤回时间", "Withdrawn at"),
    "withdraw_reason": ("撤回理由", "Why withdrawn"),
    "dismissed": ("经理不予确认", "Dismissed by the manager"), "dismiss_reason": ("不予确认原因", "Why dismissed"),
    "decision_id": ("裁定编号", "Decision id"), "conflict_id": ("争议编号", "Conflict id"),
    "stage": ("阶段", "Stage"), "event": ("事项", "What"), "unit": ("房号", "Unit"),
    "previous_unit": ("原房号", "Previous unit"), "amount": ("金额（元）", "Amount (yuan)"),
    "deal_reason": ("原因", "Reason"), "counted": ("计入统计", "Counted in the funnel"),
    "next_on": ("下次联系日期", "Next contact on"), "grade": ("等级", "Grade"), "tier": ("客户层级", "Tier"),
    "complaint_id": ("所属投诉（登记记录编号）", "Complaint (its opening's record id)"),
    "limit_days": ("办结时限（工作日）", "Limit (working days)"), "approved_by": ("批准人", "Approved by"),
    "satisfaction": ("满意度", "Satisfaction"),
}


def shows_customers(kind: str) -> bool:
    """Does ``kind``'s file (an ``EXPORT_KINDS`` kind or ``"all"``) read customer rows? A record
    kind's sheet reads the records, their confirmations and dismissals, people and desks only
    (its customer name is the record's); conflicts and decisions show customers' names. The
    kept file's version (``ReportingStore.export_version``) follows what the sheet reads."""
    return kind not in _RECORD_KINDS


def heading(key: str, lang: str) -> str:
    """A column's heading (``_H``) in ``lang``."""
    return _H[key][0 if lang == "zh" else 1]


def _headings(keys: list[str], lang: str) -> list[str]:
    return [heading(k, lang) for k in keys]


def _complaint_of(view: RecordView) -> str:
    """The complaint a complaint record belongs to, by its opening's record id: an opening's own
    (its first version's: a correction keeps the complaint), a step's ``refers_to``."""
    if view.data.get("status") == "open":
        first = view
        while first.previous is not None:
            first = first.previous
        return first.record.id
    ref = view.data.get("refers_to")
    return ref.lower() if isinstance(ref, str) else ""


def _counted(view: RecordView, repeated: dict[str, str], lang: str) -> str:
    """计入统计 of a deal: 是, or why not — withdrawn (QA of this column: a withdrawn deal read 是),
    replaced by a later correction of the same record (a forked chain), a repeat of a stage
    its unit already counts (F5), or a repeat of a 退订 its deal already counts (QA15 A)."""
    day = repeated.get(view.record.id)
    if view.withdrawn or day == DEAL_WITHDRAWN:  # a withdrawal of another branch of its chain takes it too
        return "否（已撤回）" if lang == "zh" else "no (withdrawn)"
    if day == "":  # the earlier of two corrections of one record: the later counts (sql/forks.py)
        return "否（已由更晚的更正替代）" if lang == "zh" else "no (a later correction counts instead)"
    if day is not None and view.data.get("event") == "cancellation":  # a deal's 退订 counts once (QA15 A)
        return f"否（此成交的退订已于{day}计入）" if lang == "zh" else f"no (this deal's cancellation is counted on {day})"
    if day is not None:  # the day names the counted deal when a range holds only the repeat (QA note)
        return f"否（该房号此阶段已于{day}计入）" if lang == "zh" else f"no (this unit's stage is counted on {day})"
    return _yes(True, lang)


def _noting_repeats(reporting: ReportingStore, site_id: str, views: Iterator[RecordView],
                    repeated: dict[str, str], batch: int = 500) -> Iterator[RecordView]:
    """``views`` as they come, ``batch`` at a time, with ``repeated`` holding which of the
    batch's deals repeat a counted stage (``ReportingStore.repeated_deals``: one read a batch)."""
    while True:
        taken = list(itertools.islice(views, batch))
        if not taken:
            return
        repeated.clear()
        repeated.update(reporting.repeated_deals(site_id, [v.record.id for v in taken]))
        yield from taken


def _yes(value: bool, lang: str) -> str:
    return ("是" if lang == "zh" else "yes") if value else ""


def _day(value: object):
    """A ``YYYY-MM-DD`` a tablet sent as a date cell; anything else as it is."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value


def _amount(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def build_sheet(reporting: ReportingStore, site_id: str, kind: str, start: datetime, end: datetime,
                lang: str, tz: int) -> Sheet:
    """One export table of ``kind`` (see ``EXPORT_KINDS``) for ``[start, end)``; a record kind's
    rows are a generator, read a day at a time as they are written (``Sheet.rows``)."""
    people = reporting.people(site_id)

    def name(username: str | None) -> str:
        return people.get(username or "", (username or "", ""))[0]

    title = text(f"export.{kind}", lang)
    if kind == "conflicts":
        return _conflicts_sheet(reporting, site_id, start, end, lang, tz, name, title)
    if kind == "decisions":
        return _decisions_sheet(reporting, site_id, start, end, lang, tz, name, title)
    views = _by_day(reporting, site_id, _RECORD_KINDS[kind], start, end)
    repeated: dict[str, str] = {}  # the batch's deals the funnel does not count again -> the counted one's day
    if kind == "deals":
        views = _noting_repeats(reporting, site_id, views, repeated)
    common = ["time", "customer", "phone", "rep", "desk", "author"]
    extra: dict[str, tuple[list[str], Callable[[RecordView], list]]] = {
        "registrations": (["source", "visit", "party", "intent", "notes", "confirmed", "confirmed_by"], lambda v: [
            label("source", v.data.get("source"), lang), label("visit", v.data.get("visit"), lang),
            v.data.get("party_size"), v.data.get("intent"), v.data.get("notes"),
            local_datetime(v.confirmation.confirmed_at, tz) if v.confirmation else None,
            name(v.confirmation.author) if v.confirmation else ""]),
        "calls": (["source", "topic", "intent", "notes", "confirmed"], lambda v: [
            label("source", v.data.get("source"), lang), v.data.get("topic"), v.data.get("intent"),
            v.data.get("notes"), local_datetime(v.confirmation.confirmed_at, tz) if v.confirmation else None]),
        "deals": (["stage", "event", "unit", "previous_unit", "amount", "deal_reason", "confirmed", "counted"],
                  lambda v: [
            label("stage", v.data.get("stage"), lang), label("deal.event", v.data.get("event") or "stage", lang),
            v.data.get("unit"), v.data.get("previous_unit"), _amount(v.data.get("amount")), v.data.get("reason"),
            local_datetime(v.confirmation.confirmed_at, tz) if v.confirmation else None,
            _counted(v, repeated, lang)]),
        "visits": (["organisation", "visited_on", "quality", "service", "awareness", "suggestions", "signed"], lambda v: [
            v.data.get("organisation"), _day(v.data.get("visited_on")), *[rating_label((v.data.get("ratings") or {}).get(s), lang)
                                                                    for s in ("quality", "service", "awareness")],
            v.data.get("suggestions"), _yes(bool(v.data.get("signature")), lang)]),
        # what the care page reads (QA of issue 11, F6): the next date, the grade and tier a
        # follow-up set; a complaint step's complaint, an extension's limit and approver, the
        # satisfaction said, an opening's severity as the queue reads it (none given: general)
        "follow_ups": (["method", "content", "feedback", "next", "next_on", "grade", "tier"], lambda v: [
            label("method", v.data.get("method"), lang), v.data.get("content"), v.data.get("feedback"),
            v.data.get("next_action"), _day(v.data.get("next_action_on")), v.data.get("grade"),
            label("tier", v.data.get("tier"), lang)]),
        "complaints": (["complaint_id", "status", "severity", "content", "handler", "limit_days", "approved_by",
                        "satisfaction", "notes"], lambda v: [
            _complaint_of(v), label("complaint", v.data.get("status"), lang),
            label("severity", v.data.get("severity") or ("general" if v.data.get("status") == "open" else None),
                  lang),
            v.data.get("content"), v.data.get("handler"), v.data.get("limit_days"), v.data.get("approved_by"),
            label("satisfaction", v.data.get("satisfaction"), lang), v.data.get("note")]),
    }
    keys, cells = extra[kind]

    def history(v: RecordView) -> list:
        """What a correction replaced (rep · customer, and the first confirmation that stays),
        and who withdrew it, when and why (issue 9 cases 4-5: the console shows them, so must
        the sheet a manager reconciles commissions from)."""
        before = ""
        if v.previous is not None:
            first = v.previous
            while first.previous is not None and first.confirmation is None:
                first = first.previous
            before = f"{v.previous.rep_name} · {v.previous.customer_name}"
            if first.confirmation is not None:
                who = f"{name(first.confirmation.author)} {local(first.confirmation.confirmed_at, tz)}"
                before += f"（{who}）" if lang == "zh" else f" ({who})"
        gone = v.withdrawal
        refused = v.dismissal  # its ownership refused by a manager (不予确认, issue 14 N3): kept, never counted
        if refused is not None:
            who = f"{name(refused.dismissed_by)} {local(refused.dismissed_at, tz)}"
            refused_text = _yes(True, lang) + (f"（{who}）" if lang == "zh" else f" ({who})")
        return [before, _yes(v.withdrawn, lang), gone.author_name if gone else "",
                local_datetime(gone.record.captured_at, tz) if gone else None,
                gone.data.get("reason", "") if gone else "",
                refused_text if refused is not None else "", refused.reason if refused is not None else ""]

    rows = ([local_datetime(v.day_at, tz), v.customer_name, export_phone(v.record.phone_key), v.rep_name,
             v.device_name, v.author_name, *cells(v), *history(v), v.record.id] for v in views)
    return Sheet(title, _headings(common + keys + ["corrected", "withdrawn", "withdrawn_by", "withdrawn_at",
                                                   "withdraw_reason", "dismissed", "dismiss_reason", "record_id"],
                                     lang), rows)


_FIRST_PIECE, _PIECE = timedelta(days=1), timedelta(days=7)
"""How much of a range one read takes (``range_chains``): the first day alone, so a CSV's first
rows leave after one day's read, then a week at a time (each read walks a day either side of
its piece as well: a week in one read costs about half of seven days read one by one)."""


def _by_day(reporting: ReportingStore, site_id: str, types: tuple[str, ...], start: datetime,
            end: datetime) -> Iterator[RecordView]:
    """Each registration of ``[start, end)`` once, as it reads now, on its original's day (R4: a
    correction moves no day), in time order — the same rows as ``day_records`` of the range
    (its order is by that day first), read by ``range_chains`` in pieces as they are written."""
    cursor, piece = start, _FIRST_PIECE
    while cursor < end:
        stop = min(cursor + piece, end)
        yield from (v for v in reporting.range_chains(site_id, types, cursor, stop) if not v.corrected)
        cursor, piece = stop, _PIECE


def claims_text(claims, lang: str, tz, name) -> str:
    """A conflict's claims in one cell: who, when (to the second) and the clock's quality —
    Chinese with full-width punctuation (王丽 2026-11-20 10:00:00，同次开机（可靠）；张强 …; QA8:
    ASCII brackets around Chinese), English with ASCII (王丽 2026-11-20 10:00:00, same boot
    (reliable); … — the clock's label has its own brackets, QA9)."""
    zh = lang == "zh"
    parts = [f"{name(cl['rep'])} {local(cl['estimated_at'], tz, True)}{'，' if zh else ', '}"
             f"{label('clock', cl.get('clock'), lang)}" for cl in claims]
    return ("；" if zh else "; ").join(parts)


def _conflicts_sheet(reporting, site_id, start, end, lang, tz, name, title) -> Sheet:

    rows = []
    found = reporting.conflicts_opened(site_id, start, end)  # the range's, not every conflict of the site
    customers = reporting.customers_by_ids(site_id, {c.customer_id for c in found if c.customer_id})
    for c in found:
        d = reporting.decision(site_id, c.decision_id) if c.decision_id else None
        customer = customers.get(c.customer_id or "")
        claims = claims_text(c.claims, lang, tz, name)
        split = " / ".join(f"{name(k)} {v}%" for k, v in (d.split or {}).items()) if d else ""
        rows.append([local_datetime(c.opened_at, tz), customer.name if customer else "", export_phone(c.phone_key),
                     claims,
                     ", ".join(text(f"flag.{f}", lang) for f in c.flags), name(c.owner),
                     label("disputes", "resolved" if d else c.status, lang),  # open, lapsed, withdrawn (QA8)
                     local_datetime(d.decided_at, tz) if d else None, name(d.author) if d else "", split,
                     d.reason if d else "", c.id])
    keys = ["opened", "customer", "phone", "claims", "flags", "owner", "status", "decided_at", "decided_by", "split",
            "reason", "conflict_id"]  # the conflict's id (QA8: was headed 记录编号 / Record id)
    return Sheet(title, _headings(keys, lang), rows)


def _decisions_sheet(reporting, site_id, start, end, lang, tz, name, title) -> Sheet:
    """Every decision taken in ``[start, end)``, oldest first: one row per decision, so a
    conflict decided again (after_decision) shows each decision, not only the latest."""
    decisions = reporting.decisions(site_id, start, end)
    customer_ids = reporting.customer_ids(site_id, {d.phone_key for d in decisions})
    customers = {cid: reporting.customer(site_id, cid) for cid in set(customer_ids.values())}
    rows = []
    for d in decisions:
        customer = customers.get(customer_ids.get(d.phone_key, ""))
        # owner first, then the larger shares: PostgreSQL's jsonb does not keep key order
        shares = sorted((d.split or {}).items(), key=lambda kv: (kv[0] != d.owner, -kv[1], kv[0]))
        split = " / ".join(f"{name(k)} {v}%" for k, v in shares)
        rows.append([d.id, d.conflict_id, customer.name if customer else "", name(d.owner), split, d.reason,
                     name(d.author), local_datetime(d.decided_at, tz)])
    keys = ["decision_id", "conflict_id", "customer", "owner", "split", "reason", "decided_by", "decided_at"]
    return Sheet(title, _headings(keys, lang), rows)
