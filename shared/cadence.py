"""Contact cadence (跟进节奏): when a customer is next due for contact, and how overdue.

Rules (domain.md "Contact cadence"):
- 000 §五(一): grade A at least weekly, B every two weeks, C monthly (D, no intent yet: monthly).
- 003 第二步 设定维护节奏: VIP a deep contact a month (plus weekly news), core a call a month and
  a visit a quarter, regular every half year. The plan's shortest contact interval counts.
- 003 首次回访: a new customer is revisited 3–5 days after the deal (成交后3-5天内); a contact
  before the window (the same visit as the deal, the next day) is no first revisit.
- 003 模板2 (客户跟进记录表) 下一步行动: a follow-up's next date sets the next due date, and
  overrides the interval until the next contact; it may never lie before the follow-up's day
  (``shared.records``: ``date_in_past``).

Pure: a function of the customer's contacts and the site policy; dates are the site's local
calendar days: each contact's time read in the site's zone when ``next_due`` is given one (a
time stored in UTC, such as the server's estimate, otherwise lands on the UTC day), else in
its own offset, as captured.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from .deals import is_deal_claim

__all__ = ["CadencePolicy", "Contact", "CadenceDue", "contact_from_record", "next_due", "CONTACT_TYPES"]

CONTACT_TYPES = ("walkin", "call", "follow_up", "visit_report", "deal")
"""Record types that are a contact with the customer (a complaint is not: it is its own case)."""


def _grades() -> dict[str, int]:
    return {"A": 7, "B": 14, "C": 30, "D": 30}


def _tiers() -> dict[str, tuple[tuple[str, int], ...]]:
    return {
        "vip": (("deep_contact", 30), ("news", 7)),  # 003: 每月1次深度沟通 + 每周1条行业资讯推送
        "core": (("call", 30), ("visit", 91)),  # 003: 每季度1次拜访 + 每月1次电话回访
        "regular": (("update", 182),),  # 003: 每半年1次产品更新通知 + 节日祝福
    }


@dataclass(frozen=True)
class CadencePolicy:
    """A site's cadence. ``grade_days``: grade -> days between contacts (000 §五);
    ``tier_plans``: tier -> ((contact kind, days), …) (003 第二步); ``first_revisit_days``:
    (earliest, latest) days after the first deal for the first revisit (003: 3–5);
    ``default_grade``: the grade of a customer never graded (C: monthly)."""

    grade_days: Mapping[str, int] = field(default_factory=_grades)
    tier_plans: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=_tiers)
    first_revisit_days: tuple[int, int] = (3, 5)
    default_grade: str = "C"

    def interval(self, grade: str, tier: str | None) -> int:
        """Days between contacts for ``grade`` and ``tier``: the shorter of the grade's interval
        and the tier plan's most frequent contact (the stricter rule wins)."""
        days = self.grade_days.get(grade, self.grade_days[self.default_grade])
        plan = self.tier_plans.get(tier or "", ())
        return min([days, *(d for _kind, d in plan)])


@dataclass(frozen=True)
class Contact:
    """One contact with the customer: ``at`` (aware datetime), record ``type``, and what it
    says about the cadence: ``grade`` (A–D), ``tier`` (vip/core/regular), ``next_on`` (the
    follow-up's next date), ``deal`` (a deal record)."""

    at: datetime
    type: str
    grade: str | None = None
    tier: str | None = None
    next_on: date | None = None
    deal: bool = False


@dataclass(frozen=True)
class CadenceDue:
    """When a customer is next due. ``due_on`` (site day), ``last_contact`` (aware datetime),
    ``grade`` and ``tier`` in force, ``reason``: ``follow_up_date`` (the rep's next date),
    ``first_revisit`` (after a deal, 003), ``grade`` or ``tier`` (the interval);
    ``revisit_from``: the earliest day of the first-revisit window (else None)."""

    due_on: date
    last_contact: datetime
    grade: str
    tier: str | None
    reason: str
    revisit_from: date | None = None

    def days_overdue(self, today: date) -> int:
        """Days past due on ``today`` (0 when due today, negative when not yet due)."""
        return (today - self.due_on).days

    def state(self, today: date) -> str:
        """``overdue`` (past due), ``due`` (due today) or ``upcoming``."""
        days = self.days_overdue(today)
        return "overdue" if days > 0 else "due" if days == 0 else "upcoming"


def contact_from_record(type_: str, at: datetime, data: Mapping[str, Any]) -> Contact | None:
    """The contact a record stands for (None for a type that is not a contact). Grades come
    from a walk-in's or call's ``intent`` and a follow-up's ``grade``; a malformed next date
    is ignored (the record checks refuse it before it is kept)."""
    if type_ not in CONTACT_TYPES:
        return None
    grade = data.get("grade") if type_ == "follow_up" else data.get("intent") if type_ in ("walkin", "call") else None
    next_on = None
    if type_ == "follow_up" and isinstance(data.get("next_action_on"), str):
        try:
            next_on = date.fromisoformat(data["next_action_on"])
        except ValueError:
            next_on = None
    return Contact(at=at, type=type_, grade=grade or None, tier=data.get("tier") if type_ == "follow_up" else None,
                   next_on=next_on, deal=is_deal_claim(type_, data))  # a 退订 or 换房 is a contact, no new deal


def next_due(contacts: Iterable[Contact], policy: CadencePolicy | None = None,
             zone: tzinfo | None = None) -> CadenceDue | None:
    """When the customer of ``contacts`` (any order) is next due; None without any contact.

    In time order: the latest grade and tier are in force (a re-grade changes the interval
    from the last contact on); the first deal opens the first-revisit window (3–5 days), met by
    a later contact that is not itself a deal on a day inside or after the window (from the
    deal's day + 3: a follow-up minutes after the 小定, in the same visit, is no revisit — QA of
    issue 11, F4); a further stage before the revisit (小定 then 大定, then 签约) restarts the window
    from that stage; a follow-up's next date is the due day until a later contact; else the
    last contact's day plus the interval (``CadencePolicy.interval``). ``zone``: the site's
    zone, in which a contact's day is read (None: each time's own offset)."""
    policy = policy or CadencePolicy()
    # ties in time ordered by what the contacts say, so any input order (the server's change ids,
    # the tablet's rows) gives one answer (QA of issue 11, F11: two follow-ups of one instant)
    ordered = sorted(contacts, key=lambda c: (c.at, c.type, c.deal, c.next_on or date.min, c.grade or "",
                                              c.tier or ""))

    def day_of(at: datetime) -> date:
        return (at.astimezone(zone) if zone is not None else at).date()

    if not ordered:
        return None
    grade, tier = policy.default_grade, None
    first_deal: datetime | None = None
    revisited = False
    for contact in ordered:
        grade = contact.grade or grade
        tier = contact.tier or tier
        if contact.deal and not revisited:
            first_deal = contact.at  # a later stage before any revisit (小定 then 大定) moves the window
        elif (first_deal is not None and not contact.deal
              and day_of(contact.at) >= day_of(first_deal) + timedelta(days=policy.first_revisit_days[0])):
            revisited = True
    last = ordered[-1]
    if last.next_on is not None:
        return CadenceDue(last.next_on, last.at, grade, tier, "follow_up_date")
    if first_deal is not None and not revisited:
        earliest, latest = policy.first_revisit_days
        day = day_of(first_deal)
        return CadenceDue(day + timedelta(days=latest), last.at, grade, tier, "first_revisit",
                          revisit_from=day + timedelta(days=earliest))
    days = policy.interval(grade, tier)
    reason = "tier" if tier and days < policy.grade_days.get(grade, days + 1) else "grade"
    return CadenceDue(day_of(last.at) + timedelta(days=days), last.at, grade, tier, reason)
