"""Conflicts for managers, and their decisions (R10/R11).

A decision is stored like a record — id, author, time, the claim ids it covers — and the
unit is decided again at once. Later-arriving claims it did not cover open a new conflict
flagged ``after_decision`` (the engine does that) instead of overturning it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from shared.timeutil import format_time, utc_now

from ..errors import Conflict, NotFound, Unprocessable
from ..storage.base import ConflictRow, DecisionRow, Store
from .auth import Actor
from .ownership import recompute
from .views import conflict_view

__all__ = ["list_conflicts", "decide", "decisions_of", "STATUS_FILTERS", "REASON_MAX_CHARS"]

STATUS_FILTERS = ("open", "decided", "all")
REASON_MAX_CHARS = 4000
"""The longest reason a decision keeps (characters, after trimming): a written opinion (R10)
fits; a pasted document does not. The API's schema and the console's form use this one limit."""


def decisions_of(store: Store, site_id: str, conflicts: Iterable[ConflictRow]) -> dict[str, DecisionRow]:
    """``decision id -> DecisionRow`` for the decided conflicts given."""
    conflicts = [c for c in conflicts if c.decision_id]
    if not conflicts:
        return {}
    return {d.id: d for d in store.decisions_for_keys(site_id, {c.phone_key for c in conflicts})}


def list_conflicts(store: Store, actor: Actor, status: str) -> list[dict]:
    rows = store.list_conflicts(actor.site.id, None if status == "all" else status)
    decisions = decisions_of(store, actor.site.id, rows)
    return [conflict_view(row, decisions.get(row.decision_id or "")) for row in rows]


def _check_decision(store: Store, actor: Actor, owner: str, split: dict[str, int] | None, reason: str) -> None:
    reps = {u.username for u in store.list_users(actor.site.id) if u.role == "rep" and u.active}
    if not reason.strip():
        raise Unprocessable("missing_reason", "Write the reason for the decision (R10: a written opinion); it is "
                            "kept with the decision.", "reason")
    if len(reason.strip()) > REASON_MAX_CHARS:
        raise Unprocessable("invalid_value", f"The reason has {len(reason.strip())} characters; shorten it to at "
                            f"most {REASON_MAX_CHARS}.", "reason")
    if owner not in reps:
        raise Unprocessable("unknown_rep", f"owner {owner!r} is not an active rep of this site; choose one of the "
                            "site's reps.", "owner")
    if split is not None:
        strangers = sorted(set(split) - reps)
        if strangers:
            raise Unprocessable("unknown_rep", f"split names {', '.join(strangers)}, not reps of this site.", "split")
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 or v > 100 for v in split.values()):
            raise Unprocessable("invalid_value", "split shares are whole percentages from 0 to 100.", "split")
        if sum(split.values()) != 100:
            raise Unprocessable("invalid_value", f"split shares must add up to 100; they add up to "
                                f"{sum(split.values())}.", "split")
        if owner not in split:
            raise Unprocessable("invalid_value", "The owner must be one of the reps in the split.", "split")


def decide(store: Store, actor: Actor, conflict_id: str, owner: str, split: dict[str, int] | None,
           reason: str) -> dict:
    """Record a manager's decision on an open conflict and decide its customer again."""
    _check_decision(store, actor, owner, split, reason)
    with store.write():
        conflict = store.get_conflict(actor.site.id, conflict_id)
        if conflict is None:
            raise NotFound("unknown_conflict", "No such conflict at your site; reload the conflict list.")
        if conflict.status != "open":
            raise Conflict("already_decided", f"This conflict is {conflict.status}; a later claim opens a new "
                           "conflict, decide that one instead.")
        now = utc_now()
        decision = DecisionRow(id=str(uuid.uuid4()), site_id=actor.site.id, conflict_id=conflict.id,
                               phone_key=conflict.phone_key, owner=owner, split=split, reason=reason.strip(),
                               decided_at=format_time(now), author=actor.user.username,
                               covers=sorted(conflict.claim_ids))
        store.add_decision(decision)
        recompute(store, actor.site, {conflict.phone_key} | {c["customer_key"] for c in conflict.claims}, now)
        updated = store.get_conflict(actor.site.id, conflict.id)
    return conflict_view(updated or conflict, decision)
