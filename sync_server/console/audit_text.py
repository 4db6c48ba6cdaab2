"""An audit row as a person reads it, in their language: the page and the export share it."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from ..storage.audit import AuditRow
from .formatting import local
from .i18n import label, text

__all__ = ["describe", "held_link", "HEADINGS"]

HEADINGS = ("audit.when", "audit.who", "audit.what", "audit.target", "audit.where", "audit.details")


def _person(username: str | None, people: Mapping[str, tuple[str, str]], lang: str) -> str:
    if not username:
        return ""
    name = people.get(username, (username, ""))[0]
    if name == username:
        return username
    return f"{name}（{username}）" if lang == "zh" else f"{name} ({username})"


def held_link(row: AuditRow) -> str | None:
    """The 待确认归属 page of the row's user, for a row about a pusher's held records (their
    budget spent, or their records refused: issue 14 N3); None for other rows."""
    if row.action in ("customer.record_budget", "held.dismissed") and row.target:
        return "/console/held?" + urlencode({"pusher": row.target})
    return None


def describe(row: AuditRow, people: Mapping[str, tuple[str, str]], devices: Mapping[str, str], lang: str,
             tz: int) -> list[str]:
    """``[when, who, what, target, where, details]`` (``HEADINGS``): local time with seconds,
    the actor by name (the command line said so), the act in words, the person or tablet acted
    on, the source and address, and the details that matter (role, tablet, reason)."""
    # the command line acting for a manager (handover --by) names them, and says it was the command line
    who = (_person(row.actor, people, lang) if row.source != "cli"
           else text("audit.cli_for", lang, who=_person(row.actor, people, lang)) if row.actor
           else text("audit.cli", lang))
    if row.action.startswith("device."):
        target = row.details.get("name") or devices.get(row.target) or row.target[:8]
    elif row.action.startswith("decision."):
        target = text("audit.target_dispute", lang, id=row.target[:8])
    else:
        target = _person(row.target, people, lang)
    source = row.source
    if source == "api" and row.details.get("where") == "api":  # a director's sign-in logged before N6
        source = "director_api"
    where = f"{label('audit.source', source, lang)} {row.address}".strip()
    details = []
    if row.details.get("role"):
        details.append(label("role", str(row.details["role"]), lang))
    if row.action == "device.revoked" and row.details.get("user"):
        details.append(text("audit.detail_user", lang, user=_person(str(row.details["user"]), people, lang)))
    if row.details.get("where"):
        details.append(label("audit.where_kind", str(row.details["where"]), lang))
    if row.action == "handover.recorded":
        details.append(text("audit.detail_handover", lang, n=row.details.get("customers", 0),
                            method=label("audit.method", str(row.details.get("method", "")), lang)))
    if row.action == "handover.previewed":  # who sat out and who would get how many (issue 12 QA)
        sep = "、" if lang == "zh" else ", "
        result = row.details.get("result")
        if not isinstance(result, dict):
            result = {}
        got: dict[str, int] = {}
        for rep in result.values():
            got[str(rep)] = got.get(str(rep), 0) + 1
        details.append(text("audit.detail_preview", lang,
                            method=label("audit.method", str(row.details.get("method", "")), lang),
                            excluded=sep.join(_person(str(r), people, lang) for r in row.details.get("excluded") or [])
                            or "—",
                            result=sep.join(f"{_person(rep, people, lang)} {n}" for rep, n in sorted(got.items()))
                            or "—"))
    if row.action.startswith("decision."):
        details.append(text("audit.detail_decision", lang, owner=_person(str(row.details.get("owner", "")), people, lang)))
        if row.details.get("author") and row.action != "decision.submitted":
            details.append(text("audit.detail_author", lang,
                                author=_person(str(row.details["author"]), people, lang)))
        split = row.details.get("split")
        if isinstance(split, dict) and split:  # every decision row the same: owner, then the split
            sep = "、" if lang == "zh" else ", "
            details.append(text("audit.detail_split", lang, split=sep.join(
                f"{_person(str(rep), people, lang)} {share}%"  # largest share first: JSONB keeps no key order
                for rep, share in sorted(split.items(), key=lambda item: (-int(item[1]), str(item[0]))))))
        if row.details.get("note"):
            details.append(text("audit.detail_note", lang, note=str(row.details["note"])))
    if row.action == "customer.lookup_budget":  # a user who spent the look-up budget (QA of issue 14)
        details.append(text("audit.detail_lookup_budget", lang, n=row.details.get("limit", ""),
                            minutes=row.details.get("window_minutes", 60)))
    if row.action == "customer.record_budget":  # the same budget spent by pushed records (issue 14)
        details.append(text("audit.detail_record_budget", lang, n=row.details.get("limit", ""),
                            hours=row.details.get("window_hours", 24)))
    if row.action == "held.dismissed":  # a manager refused held records (不予确认, issue 14 N3)
        details.append(text("audit.detail_held_dismissed", lang, n=row.details.get("count", 0),
                            phones=row.details.get("phones", 0)))
        if row.details.get("why"):
            details.append(text("audit.detail_note", lang, note=str(row.details["why"])))
    if row.action == "care.rebuilt":  # care rebuild after a calendar update (services/care_calendar.py)
        details.append(text("audit.detail_care_rebuilt", lang, cases=row.details.get("cases", 0),
                            changed=row.details.get("changed", 0), before=row.details.get("before") or "?", version=row.details.get("version", "")))
    if row.details.get("reason"):
        details.append(label("audit.reason", str(row.details["reason"]), lang))
    if row.details.get("chosen_by"):
        details.append(label("audit.chosen_by", str(row.details["chosen_by"]), lang))
    if row.details.get("must_change"):
        details.append(text("people.must_change", lang))
    sep = "，" if lang == "zh" else ", "
    return [local(row.at, tz, seconds=True), who, label("audit.action", row.action, lang), target, where,
            sep.join(details)]
