"""The decision form (R6, R10, R11): what it offers, what the manager entered, what is wrong
with it — then the server's conflict decision service records it. The console only builds
and checks the form and translates; the decision itself (a record with its author and time,
the ownership recompute) is the server's.

Who is on the form (``decision_parties``): every rep with a claim in the dispute, and every
rep who holds a share of the customer now (issue 9: a later decision must not silently drop
an earlier split's 30%). A current share-holder's share must be written out, 0 included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import ApiError
from ..services.conflicts import REASON_MAX_CHARS, parties_of
from ..storage.base import ConflictRow, CustomerRow, Store
from .i18n import text

__all__ = ["DecisionForm", "PRESETS", "REASON_MAX_CHARS", "decision_parties", "initial_form",
           "parse_decision_form", "record_decision"]

PRESETS = {"50/50": (50, 50), "70/30": (70, 30), "80/20": (80, 20)}
"""R11: the split ratios managers use; the owner takes the first share, ``partner`` the second."""


@dataclass
class DecisionForm:
    owner: str
    preset: str  # "" (no split) | 50/50 | 70/30 | 80/20 | custom
    split: Mapping[str, int | str] = field(default_factory=dict)  # a str is what was typed, when it is no share
    reason: str = ""
    partner: str = ""  # who takes a preset's second share


def decision_parties(conflict: ConflictRow, customer: CustomerRow | None) -> tuple[list[str], list[str]]:
    """``(parties, holders)``: the reps the form lists (claimants first, then current
    share-holders who made no claim here) and the reps holding a share of the customer now."""
    parties = parties_of(conflict, customer)  # the same holders the decision service insists on
    claimants = [c["rep"] for c in conflict.claims if c.get("rep")]
    return list(dict.fromkeys([*claimants, *parties.reps])), list(parties.holders)


def initial_form(conflict: ConflictRow, customer: CustomerRow | None, household_rule: str) -> DecisionForm:
    """The form as first shown: prefilled from the customer's current split when there is one
    (every holder's share written out); for a household dispute (R6) under the site's
    ``split`` rule, 50/50 between the two claimants; otherwise no split."""
    parties, holders = decision_parties(conflict, customer)
    if holders and customer and customer.split:
        owner = customer.owner if customer.owner in parties else conflict.owner
        split = {rep: int(customer.split.get(rep, 0)) for rep in parties}
        sharing = [rep for rep in parties if split[rep] and rep != owner]
        for name, (first, second) in PRESETS.items():  # the current split is an R11 preset: say so
            if len(sharing) == 1 and (split.get(owner), split[sharing[0]]) == (first, second):
                return DecisionForm(owner=owner, preset=name, split=split, partner=sharing[0])
        return DecisionForm(owner=owner, preset="custom", split=split)
    others = [rep for rep in parties if rep != conflict.owner]
    if "household" in conflict.flags and household_rule == "split" and others:
        partner = others[0]
        split = {rep: 0 for rep in parties} | {conflict.owner: 50, partner: 50}
        return DecisionForm(owner=conflict.owner, preset="50/50", split=split, partner=partner)
    return DecisionForm(owner=conflict.owner, preset="")


def _share(value: object) -> int | None:
    """A whole percentage 0–100 from what was typed; None when it is not one."""
    raw = str(value if value is not None else "").strip()
    if not raw.isdigit():
        return None
    number = int(raw)
    return number if number <= 100 else None


def parse_decision_form(data: Mapping, parties: Sequence[str], lang: str, holders: Sequence[str] = (),
                        names: Mapping[str, str] | None = None) -> tuple[DecisionForm, list[str]]:
    """The form and, in ``lang``, every problem a manager must fix before it can be recorded.
    ``parties``: the reps the form lists; ``holders``: those holding a share now (their share
    must be written out); ``names``: username → display name for the messages."""
    def name(rep: str) -> str:
        return (names or {}).get(rep, rep)

    owner = str(data.get("owner") or "").strip()
    preset = str(data.get("split_preset") or "").strip()
    partner = str(data.get("partner") or "").strip()
    reason = str(data.get("reason") or "").strip()
    errors: list[str] = []
    split: dict[str, int | str] = {}
    if owner not in parties:
        errors.append(text("dispute.err_owner", lang))
    if preset in PRESETS:
        others = [r for r in parties if r != owner]
        if len(others) == 1:
            partner = others[0]
        if partner not in others:
            errors.append(text("dispute.err_partner", lang, share=PRESETS[preset][1]))
        split = {rep: 0 for rep in parties}
        if owner in parties:
            split[owner] = PRESETS[preset][0]
        if partner in others:
            split[partner] = PRESETS[preset][1]
        # shares typed into the boxes while a preset stayed chosen: never replace them silently by
        # the preset (issue 9 QA: 60/30/10 typed under "70/30" was saved as 70/30); keep what was
        # typed as a custom split and ask which one is meant
        typed = {rep: str(data.get(f"split_{rep}") or "").strip() for rep in parties}
        if owner in parties and partner in others and any(typed.values()):
            shares = {rep: _share(raw) if raw else 0 for rep, raw in typed.items()}
            if shares != split:
                errors.append(text("dispute.err_split_preset_changed", lang, preset=preset))
                preset = "custom"
                split = {rep: share if share is not None else typed[rep] for rep, share in shares.items()}
    elif preset == "custom":
        wrong: list[str] = []
        missing: list[str] = []
        for rep in parties:
            raw = str(data.get(f"split_{rep}") or "").strip()
            share = _share(raw) if raw else 0
            if raw == "" and rep in holders:
                missing.append(name(rep))
                split[rep] = ""
            elif share is None:
                wrong.append(f"{name(rep)} {raw}")
                split[rep] = raw
            else:
                split[rep] = share
        if wrong:
            errors.append(text("dispute.err_split_whole", lang, values=_listing(wrong, lang)))
        if missing:
            errors.append(text("dispute.err_split_holder", lang, names=_listing(missing, lang)))
        if not wrong and not missing:
            total = sum(v for v in split.values() if isinstance(v, int))
            if total != 100:
                errors.append(text("dispute.err_split", lang, total=total))
            elif owner in split and split[owner] == 0:
                errors.append(text("dispute.err_split_owner_zero", lang, owner=name(owner)))
    else:
        preset = ""
    if not reason:
        errors.append(text("dispute.err_reason", lang))
    elif len(reason) > REASON_MAX_CHARS:
        errors.append(text("dispute.err_reason_long", lang, limit=REASON_MAX_CHARS, length=len(reason)))
    return DecisionForm(owner=owner, preset=preset, split=split, reason=reason, partner=partner), errors


def _listing(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def record_decision(store: Store, manager, conflict_id: str, form: DecisionForm, lang: str,
                    seen: Sequence[str] | None = None) -> list[str]:
    """Record the decision through the server's service; its refusals come back as messages.
    Shares of 0 are sent as written: a current holder's 0 is the manager's explicit choice.
    ``seen``: the claim ids the page showed (``conflict_changed`` when they differ now)."""
    from ..services import conflicts as conflict_service

    split = {k: int(v) for k, v in form.split.items()} if form.preset else None
    try:
        conflict_service.decide(store, manager.actor, conflict_id, owner=form.owner, split=split, reason=form.reason,
                                origin=manager.origin, seen=seen)
    except ApiError as exc:  # the service's refusal, in the manager's language (English where it has no other)
        return [text("dispute.err_refused", lang, message=exc.text(lang))]
    return []
