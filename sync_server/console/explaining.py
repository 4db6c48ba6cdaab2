"""Stored explanations back into sentences in the manager's language.

The server stores each ``shared.explain.Step`` as ``Step.as_dict(text=False)`` (rule, key, at,
params with ISO times; rows written before issue 13 also carry ``text``, which is ignored).
Rendering from rule/key/params keeps one source of wording (``shared.explain.render``) for
every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

from shared.explain import (
    ISOLATE,
    POP_ISOLATE,
    TEMPLATES,
    Step,
    close_minutes,
    render,
    step_from_dict,
)
from shared.timeutil import parse_time

__all__ = ["ExplainedStep", "explain", "step_from_dict", "ownership_history", "ownership_now", "unique_steps",
           "OwnerChange", "owner_changes"]


@dataclass(frozen=True)
class ExplainedStep:
    rule: str
    key: str
    at: datetime | None
    sentence: str
    at_unknown: bool = False  # ``at`` is an impossible clock's placeholder: tell it as unknown, never as a time
    # the sentence itself tells ``at`` (首次登记's "{time} 由 王丽 …"): the page shows no time before it
    # (QA5 F6e: the first step read "12-01 10:00 12-01 10:00 由 王丽 …")
    time_told: bool = False
    html: Markup = Markup("")  # ``sentence`` for a page: every value filled in inside ``<bdi>`` (QA of issue 14, M6)


def bdi_html(isolated_text: str) -> Markup:
    """A sentence rendered with ``isolate`` as HTML: escaped, each isolated value in ``<bdi>``
    (a device name starting with U+202E read the console's sentence backwards, QA of issue 14, M6)."""
    return Markup(str(escape(isolated_text)).replace(ISOLATE, "<bdi>").replace(POP_ISOLATE, "</bdi>"))


def explain(items: Iterable[Mapping | Step], lang: str, utc_offset_minutes: int = 480) -> list[ExplainedStep]:
    """Each step as a sentence; a step whose template is unknown shows its stored text. Times
    that share a minute with another time of the story are told with seconds (issue 14 F3:
    which claim came first can be seen; ``shared.explain.close_minutes``)."""
    out = []
    steps = [(item, item if isinstance(item, Step) else step_from_dict(item)) for item in items]
    precise = close_minutes(step for _, step in steps)
    for item, step in steps:
        if step.key in TEMPLATES:
            sentence = render(step, lang, utc_offset_minutes, precise)
            html = bdi_html(render(step, lang, utc_offset_minutes, precise, isolate=True))
        else:
            stored = (item.get("text") or {}) if isinstance(item, Mapping) else {}
            sentence = stored.get(lang) or stored.get("en") or f"{step.rule}: {step.key}"
            html = Markup("<bdi>{}</bdi>").format(sentence)  # a stored sentence: isolated whole
        unknown = [step.params.get(name) for name in step.params.get("clock_unknown") or ()]
        out.append(ExplainedStep(rule=step.rule, key=step.key, at=step.at, sentence=sentence, html=html,
                                 at_unknown=step.at is not None and step.at in unknown,
                                 time_told=step.key in TEMPLATES and _tells(step)))
    return out


def _tells(step: Step) -> bool:
    """Does one of the step's parameters (rendered into its sentence) hold the step's own time?"""
    if step.at is None:
        return False
    for value in step.params.values():
        if isinstance(value, str):
            try:
                value = parse_time(value)
            except ValueError:
                continue
        if isinstance(value, datetime) and value == step.at:
            return True
    return False


def _names(store, site) -> tuple[dict[str, str], dict[str, str]]:
    return ({u.username: u.name for u in store.list_users(site.id)}, {d.id: d.name for d in store.list_devices(site.id)})


def ownership_now(store, site, timeline, now: datetime | None = None, records=None, decisions=None, names=None,
                  unit=None):
    """The customer's ``shared.ownership.Ownership`` decided again by the server's own ownership
    service over the stored records and decisions (or the ``records``/``decisions`` given):
    the same function that decided it, so the same answer, with every episode's steps.
    ``names``: ``(rep names, device names)`` and ``unit``: ``_unit``'s phone keys and hand-overs,
    when the caller already holds them (``owner_changes`` decides once a moment)."""
    from shared.timeutil import utc_now

    from ..services.ownership import decide_unit

    names, devices = names or _names(store, site)
    keys, handovers = unit or _unit(store, site, timeline)
    records = [v.record for v in timeline.records] if records is None else records
    decisions = list(timeline.decisions) if decisions is None else decisions
    return decide_unit(site, records, decisions, now or utc_now(), names, devices, handovers=handovers, keys=keys)


def _unit(store, site, timeline) -> tuple[set[str], list]:
    """The phone keys of the customer's household unit and its hand-overs (read from the store)."""
    from ..services.ownership import unit_handovers, unit_keys

    keys = set().union(*unit_keys(store, site.id, [timeline.customer.phone_key]).values())
    return keys, unit_handovers(store, site.id, keys)


def ownership_history(store, site, timeline) -> list[Step]:
    """Every step of a customer's ownership since the first claim (not only the current
    episode the customer row keeps)."""
    return list(ownership_now(store, site, timeline).history)


def unique_steps(items: Iterable[Mapping]) -> list[Mapping]:
    """Stored steps without repeats (the customer's and a conflict's explanations share some):
    each step told once, in the order first met (issue 9 item 2)."""
    seen, out = set(), []
    for item in items:
        key = (item.get("rule"), item.get("key"), item.get("at"), repr(sorted((item.get("params") or {}).items())))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


@dataclass(frozen=True)
class OwnerChange:
    """The owner changed at ``at`` (when the server learned why): from ``before`` to ``owner``,
    because ``record`` arrived (a claim captured at its estimated time) or ``decision`` was made."""

    at: datetime
    before: str | None
    owner: str | None
    record: object | None = None  # storage.base.StoredRecord
    decision: object | None = None  # storage.base.DecisionRow
    parties: tuple[str, ...] = ()  # a decision's: the reps of the claims it covered, in capture order
    late: bool = False  # ``record`` was captured before a decision that did not see it: it opened a new dispute
    withdrawal: object | None = None  # storage.base.StoredRecord: the withdrawal that took a claim out


def owner_changes(store, site, timeline) -> list[OwnerChange]:
    """How the rules' owner changed as records arrived and decisions were made (issue 9 item 6):
    the ownership decided again as the server knew it after each arrival, in arrival order;
    every decision is told, a kept owner too."""
    records = sorted((v.record for v in timeline.records), key=lambda r: (parse_time(r.received_at), r.id))
    moments = sorted({parse_time(r.received_at) for r in records} | {parse_time(d.decided_at) for d in timeline.decisions})
    changes: list[OwnerChange] = []
    owner, names, unit = None, _names(store, site), _unit(store, site, timeline)
    for moment in moments:
        known = [r for r in records if parse_time(r.received_at) <= moment]
        decided = [d for d in timeline.decisions if parse_time(d.decided_at) <= moment]
        decided_now = ownership_now(store, site, timeline, moment, known, decided, names, unit)
        now = decided_now.owner
        decision = next((d for d in decided if parse_time(d.decided_at) == moment), None)
        if now != owner or decision is not None:  # a decision is told even when it keeps the owner
            arrived = [r for r in known if parse_time(r.received_at) == moment and r.rep]
            # the claim the rules gave the customer by (R1: the first registration), when it came
            # with this arrival — not a later visit of the same rep pushed with it (QA: the
            # history named a return visit of 11-25 for a first registration of 11-23)
            claim = decided_now.owner_claim.record_id if decided_now.owner_claim else None
            cause = next((r for r in arrived if r.id == claim), None) or next(
                (r for r in arrived if r.rep == now), arrived[0] if arrived else None)
            parties = tuple(dict.fromkeys(r.rep for r in sorted(records, key=lambda r: (r.estimated_at, r.id))
                                          if decision is not None and r.id in set(decision.covers) and r.rep))
            withdrawal = next((r for r in known if parse_time(r.received_at) == moment and r.type == "withdrawal"),
                              None) if cause is None and decision is None else None
            changes.append(OwnerChange(at=moment, before=owner, owner=now, record=None if decision else cause,
                                       decision=decision, parties=parties, withdrawal=withdrawal))
            owner = now
        elif decided and decision is None:
            # issue 9 case 2: a claim captured before a decision that did not see it arrives and
            # opens a new dispute; the owner stays, and the history says why there is a dispute
            seen = {rid for d in decided for rid in d.covers}
            last = max(parse_time(d.decided_at) for d in decided)
            late = [r for r in known if parse_time(r.received_at) == moment and r.rep and r.rep != now
                    and r.id not in seen and parse_time(r.estimated_at) < last]
            if late:
                changes.append(OwnerChange(at=moment, before=owner, owner=now, record=late[0], late=True))
    return changes
