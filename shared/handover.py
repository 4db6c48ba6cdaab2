"""Hand-over of a leaving rep's customers by random draw (随机抽数分配, 001 §14(五)3(12)).

A rep on long leave or leaving (请长假或调离): the manager reassigns the rep's customers to the
other reps by a random draw. Here the draw is a pure function of three recorded inputs — the
customers (their stable ids), the receiving reps (usernames) and a seed (text the server
chose with ``secrets`` and shows) — so anyone can run it again, on any machine and any Python
version, and get the same result (``fieldsync-server handover verify``).

The algorithm (documented, independent of ``random``'s internals, which may change between
Python versions):

1. every customer id ``c`` gets the key ``SHA-256(UTF-8("customer\\x1f" + seed + "\\x1f" + c))``
   (hex); the customers are put in the order of those keys (ties, impossible in practice, by id);
2. every rep ``r`` gets the key ``SHA-256(UTF-8("rep\\x1f" + seed + "\\x1f" + r))`` and the reps
   are put in that order (ties by username);
3. the i-th customer of step 1 goes to the ``(i mod n)``-th rep of step 2 (n reps).

So the result does not depend on the order the inputs are given in (each is sorted by its
key), and it is balanced: the reps' counts differ by at most one. Duplicated inputs count once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

__all__ = ["draw", "draw_order", "counts", "DrawError", "ALGORITHM"]

ALGORITHM = "sha256-order-v1"
"""The name recorded with every draw: a later algorithm gets a new name, and a draw is always
re-run with the one it was made with."""


class DrawError(ValueError):
    """The draw cannot be made: no receiving rep, or a seed that is empty."""


def _key(kind: str, seed: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\x1f{seed}\x1f{value}".encode()).hexdigest()


def draw_order(kind: str, seed: str, values: Iterable[str]) -> list[str]:
    """``values`` (duplicates once) in the order of their SHA-256 keys under ``seed``
    (``kind``: ``"customer"`` or ``"rep"``, step 1 or 2 of the module's algorithm)."""
    return sorted(set(values), key=lambda value: (_key(kind, seed, value), value))


def draw(customers: Iterable[str], reps: Iterable[str], seed: str) -> dict[str, str]:
    """The draw: ``customer id -> rep username`` for every customer, balanced (counts differ
    by at most one), the same for the same inputs in any order. ``seed``: non-empty text.
    Raises ``DrawError`` without a rep or with an empty seed. No customers: ``{}``."""
    if not seed:
        raise DrawError("a draw needs a seed")
    order = draw_order("rep", seed, reps)
    if not order:
        raise DrawError("a draw needs at least one receiving rep")
    return {customer: order[i % len(order)] for i, customer in enumerate(draw_order("customer", seed, customers))}


def counts(result: Mapping[str, str], reps: Iterable[str] = ()) -> dict[str, int]:
    """How many customers each rep receives, every rep of ``reps`` listed (0 too), by username."""
    out = dict.fromkeys(sorted(set(reps)), 0)
    for rep in result.values():
        out[rep] = out.get(rep, 0) + 1
    return dict(sorted(out.items()))
