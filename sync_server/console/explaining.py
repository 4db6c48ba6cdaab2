"""Stored explanations back into sentences in the manager's language.

The server stores each ``shared.explain.Step`` as ``Step.as_dict()`` (rule, key, at, params
with ISO times). Rendering again from rule/key/params, rather than showing the stored text,
keeps one source of wording (``shared.explain.render``) for every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from shared.explain import TEMPLATES, Step, render
from shared.timeutil import parse_time

__all__ = ["ExplainedStep", "explain", "step_from_dict", "ownership_history"]


@dataclass(frozen=True)
class ExplainedStep:
    rule: str
    key: str
    at: datetime | None
    sentence: str


def _value(value: object) -> object:
    if isinstance(value, str) and len(value) >= 20 and "T" in value:
        try:
            return parse_time(value)
        except ValueError:
            return value
    return value


def step_from_dict(item: Mapping) -> Step:
    params = {k: _value(v) for k, v in (item.get("params") or {}).items()}
    at = item.get("at")
    return Step(rule=str(item.get("rule", "")), key=str(item.get("key", "")), params=params,
                at=parse_time(at) if isinstance(at, str) and at else None)


def explain(items: Iterable[Mapping | Step], lang: str, utc_offset_minutes: int = 480) -> list[ExplainedStep]:
    """Each step as a sentence; a step whose template is unknown shows its stored text."""
    out = []
    for item in items:
        step = item if isinstance(item, Step) else step_from_dict(item)
        if step.key in TEMPLATES:
            sentence = render(step, lang, utc_offset_minutes)
        else:
            stored = (item.get("text") or {}) if isinstance(item, Mapping) else {}
            sentence = stored.get(lang) or stored.get("en") or f"{step.rule}: {step.key}"
        out.append(ExplainedStep(rule=step.rule, key=step.key, at=step.at, sentence=sentence))
    return out


def ownership_history(store, site, timeline) -> list[Step]:
    """Every step of a customer's ownership since the first claim (not only the current
    episode the customer row keeps), decided again by the server's own ownership service over
    the stored records and decisions: the same function that decided it, so the same answer."""
    from shared.timeutil import utc_now

    from ..services.ownership import decide_unit

    names = {u.username: u.name for u in store.list_users(site.id)}
    devices = {d.id: d.name for d in store.list_devices(site.id)}
    records = [v.record for v in timeline.records]
    ownership = decide_unit(site, records, list(timeline.decisions), utc_now(), names, devices)
    return list(ownership.history)
