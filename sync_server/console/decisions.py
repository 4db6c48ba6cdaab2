"""The decision form (R10/R11): read what the manager entered, check it, hand it to the
server's conflict decision service. The console only translates the form and the errors;
the decision itself (a record with its author and time, the ownership recompute) is the
server's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import ApiError
from ..storage.base import Store
from .i18n import text

__all__ = ["DecisionForm", "PRESETS", "parse_decision_form", "record_decision"]

PRESETS = {"50/50": (50, 50), "70/30": (70, 30), "80/20": (80, 20)}
"""R11: the split ratios managers use; the owner takes the first share."""


@dataclass
class DecisionForm:
    owner: str
    preset: str  # "" (no split) | 50/50 | 70/30 | 80/20 | custom
    split: dict[str, int] = field(default_factory=dict)
    reason: str = ""


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip() or "0")
    except ValueError:
        return None


def parse_decision_form(data: Mapping, reps: list[str], lang: str) -> tuple[DecisionForm, list[str]]:
    """The form and, in ``lang``, every problem a manager must fix before it can be recorded."""
    owner = str(data.get("owner") or "").strip()
    preset = str(data.get("split_preset") or "").strip()
    reason = str(data.get("reason") or "").strip()
    errors: list[str] = []
    split: dict[str, int] = {}
    if owner not in reps:
        errors.append(text("dispute.err_owner", lang))
    if preset in PRESETS:
        others = [r for r in reps if r != owner]
        if len(others) == 1 and owner in reps:
            split = {owner: PRESETS[preset][0], others[0]: PRESETS[preset][1]}
        else:  # more than two reps: the manager must say who gets what
            preset = "custom"
    if preset == "custom":
        for rep in reps:
            value = _int(data.get(f"split_{rep}"))
            if value is None or value < 0:
                value = -1
            split[rep] = value
        total = sum(v for v in split.values() if v > 0)
        if any(v < 0 for v in split.values()) or total != 100:
            errors.append(text("dispute.err_split", lang, total=total))
        elif owner in split and split[owner] == 0:
            errors.append(text("dispute.err_split_reps", lang))
    elif preset not in PRESETS:
        preset = ""
    if not reason:
        errors.append(text("dispute.err_reason", lang))
    return DecisionForm(owner=owner, preset=preset, split=split, reason=reason), errors


def record_decision(store: Store, manager, conflict_id: str, form: DecisionForm, lang: str) -> list[str]:
    """Record the decision through the server's service; its refusals come back as messages."""
    from ..services import conflicts as conflict_service

    split = {k: v for k, v in form.split.items() if v > 0} if form.preset else None
    try:
        conflict_service.decide(store, manager.actor, conflict_id, owner=form.owner, split=split, reason=form.reason)
    except ApiError as exc:
        return [exc.message]
    return []
