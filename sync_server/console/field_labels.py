"""A record's form fields as a manager reads them on the customer's page (its 更正记录): the
field's name and a value's label in the reader's language, never the wire's keys and codes
(QA of issue 11, second pass: "amount 20000 → 200000 ； stage small_deposit → large_deposit"
on a Chinese page)."""

from __future__ import annotations

import json
from typing import Any

from .export_sheets import heading
from .i18n import label

__all__ = ["field_name", "field_value"]

_FIELDS: dict[str, tuple[str, str | None]] = {
    # wire key -> (export heading key, label prefix of its codes or None)
    "content": ("content", None), "party_size": ("party", None), "amount": ("amount", None),
    "stage": ("stage", "stage"), "event": ("event", "deal.event"), "unit": ("unit", None),
    "previous_unit": ("previous_unit", None), "reason": ("deal_reason", None), "severity": ("severity", "severity"),
    "status": ("status", "complaint"), "handler": ("handler", None), "note": ("notes", None),
    "notes": ("notes", None), "source": ("source", "source"), "visit": ("visit", "visit"), "intent": ("intent", None),
    "topic": ("topic", None), "method": ("method", "method"), "feedback": ("feedback", None),
    "next_action": ("next", None), "next_action_on": ("next_on", None), "grade": ("grade", None),
    "tier": ("tier", "tier"), "limit_days": ("limit_days", None), "approved_by": ("approved_by", None),
    "satisfaction": ("satisfaction", "satisfaction"), "refers_to": ("complaint_id", None),
    "organisation": ("organisation", None), "visited_on": ("visited_on", None),
    "suggestions": ("suggestions", None),
}


def field_name(key: str, lang: str) -> str:
    """The field's name in ``lang`` (the export's column heading); the key itself when unknown."""
    known = _FIELDS.get(key)
    return heading(known[0], lang) if known else key


def field_value(key: str, value: Any, lang: str) -> str:
    """A field's value as people read it: a code by its label, an amount with thousands
    separators, a structure compactly; "—" for none."""
    if value is None or value == "" or value == "—":
        return "—"
    known = _FIELDS.get(key)
    if known and known[1] and isinstance(value, str):
        return label(known[1], value, lang)
    if key == "amount" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{int(value):,}" if value == int(value) else f"{value:,.2f}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=("，" if lang == "zh" else ", ", "：" if lang == "zh"
                                                                 else ": "))
    return str(value)
