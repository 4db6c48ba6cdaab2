"""Commission shares of one customer (R6, R10/R11): how a decision's split and a household
split combine with the shares reps already hold. Pure arithmetic on ``{username: percent}``
mappings of whole percentages summing to 100; used by the ownership engine.

The rule the manager can rely on (issue 9): a share a decision gave is never dropped by a
later event unless a later decision names its holder (a share of 0 is a decision too). The
server refuses a decision that leaves a current share-holder out; for one that does anyway
(stored before that check, or a household claim the manager could not see), the holders it
does not name keep their shares and the split it gives is scaled into what is left.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["scaled", "after_decision", "after_household_claim", "holders"]


def holders(split: Mapping[str, int] | None) -> dict[str, int]:
    """The reps holding a share above 0, in the split's own order."""
    return {rep: share for rep, share in (split or {}).items() if share > 0}


def scaled(split: Mapping[str, int], total: int) -> dict[str, int]:
    """``split`` (summing to 100) scaled to sum to ``total`` (0–100) in whole percentages,
    by largest remainder, ties to the larger share then the username: deterministic."""
    if total >= 100:
        return dict(split)
    exact = {rep: share * total / 100 for rep, share in split.items()}
    result = {rep: int(value) for rep, value in exact.items()}
    left = total - sum(result.values())
    by_remainder = sorted(split, key=lambda rep: (-(exact[rep] - result[rep]), -split[rep], rep))
    for rep in by_remainder[:left]:
        result[rep] += 1
    return result


def after_decision(current: Mapping[str, int] | None, decided: frozenset[str], owner: str,
                   split: Mapping[str, int] | None) -> dict[str, int] | None:
    """The split after a decision (R10/R11). ``current``: the split before it; ``decided``:
    the reps whose share an earlier decision gave; ``split``: the decision's (None: all to
    ``owner``). Returns None for "all to the owner"."""
    given = dict(split) if split else {owner: 100}
    kept = {rep: share for rep, share in holders(current).items() if rep in decided and rep not in given}
    if not kept:
        return dict(split) if split else None
    return {**kept, **scaled(given, 100 - sum(kept.values()))}


def after_household_claim(current: Mapping[str, int] | None, owner: str, rep: str) -> dict[str, int]:
    """R6 ``split`` policy, 001 §12.7.4: the other spouse's rep takes half of the owner's
    share (50/50 when nobody else holds one); every other holder keeps theirs."""
    base = dict(current) if current else {owner: 100}
    if base.get(rep, 0) > 0:
        return base  # already shares this household
    mine = base.get(owner, 0)
    base[owner] = mine - mine // 2
    base[rep] = base.get(rep, 0) + mine // 2
    return base
