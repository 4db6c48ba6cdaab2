"""What the numbers read instead of ``record_facts`` (issue 11): two rollups, kept exact in
the transaction that writes or retires a fact (``storage/sql/rollups.py``).

``fact_days``: per site, site-local day and (rep, type, source, visit, stage, event) — ``""``
for none — the number of live facts ``n`` and the sum of their ``amount`` (yuan, 0 when none).
Every additive column of the 来人来电统计表 and the funnel (001 §14(三)) is a sum of these rows
over any range of days, grouped by day, ISO week, month, rep or not at all.

``customer_days``: per site, customer (``phone_key``) and day the customer has a live walk-in,
once over all reps (``by_rep`` 0, ``rep`` ``""``) and once per rep (``by_rep`` 1): the
walk-ins, the first-visit walk-ins, the party (the largest registered, 1 when none was given:
来访人数 counts a family once a day), and ``prev_day`` / ``prev_first``: the customer's
previous such day (of any walk-in / of a first-visit walk-in) in the same scope, or none.
Distinct visitors are not a sum of days; with the previous day they are a count: a customer
visited within days ``[a, b]`` exactly when one of their rows in ``[a, b]`` has no previous
day on or after ``a`` (the first of their days in the range), so the visitors of a group over
``[first, last]`` are the rows in the group and range with ``prev_day`` before the group's
own start (``max(first, the week's Monday / the month's first day)``, ``first`` for a rep or
the total; any day for a day). The same with ``prev_first`` for first visitors.

``visitor_days``: ``customer_days`` pre-summed per site, scope, day and rep by the previous
day — ``kind`` ``v``: rows by ``prev_day`` (``n`` rows, ``party`` their people); ``f``:
first-visit rows by ``prev_first`` — ``""`` for none. The count above is then a sum of
``n`` over the pairs ``(day, prev)`` with ``prev`` before the group's start: at most one row
per day, rep and earlier day, however many customers (a year of one busy site: ~434,000
customer-days over all reps, far fewer pairs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

__all__ = ["CUSTOMER_DAY_COLUMNS", "FACT_DAY_DIMS", "WalkinFact", "customer_day_rows", "fact_day_key"]

CUSTOMER_DAY_COLUMNS = ("site_id", "phone_key", "by_rep", "rep", "local_day", "local_week", "walkins", "firsts",
                        "party", "prev_day", "prev_first")

WalkinFact = tuple[str, str | None, str, str, str | None, int | None]
"""``(phone_key, rep, local_day, local_week, visit, party_size)`` of a live walk-in fact."""

FACT_DAY_DIMS = ("local_day", "local_week", "rep", "type", "source", "visit", "stage", "event")


def fact_day_key(fact: dict[str, Any]) -> tuple[str, ...]:
    """The ``fact_days`` row (``FACT_DAY_DIMS``, ``""`` for none) a fact row counts in."""
    return tuple(fact[name] or "" for name in FACT_DAY_DIMS)


def customer_day_rows(site_id: str, walkins: Iterable[WalkinFact]) -> list[dict[str, Any]]:
    """The ``customer_days`` rows (dicts of ``CUSTOMER_DAY_COLUMNS``) of the customers of
    ``walkins``: all of each customer's live walk-in facts must be given (the rows replace the
    customer's)."""
    days: dict[tuple[str, int, str, str], list] = {}  # (phone, by_rep, rep, day) -> [week, walkins, firsts, party]
    for phone, rep, day, week, visit, party in walkins:
        for by_rep, scope in ((0, ""), (1, rep or "")):
            row = days.setdefault((phone, by_rep, scope, day), [week, 0, 0, None])
            size = party if party is not None else 1
            row[1] += 1
            row[2] += visit == "first"
            row[3] = size if row[3] is None else max(row[3], size)
    chains: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for phone, by_rep, scope, day in sorted(days):
        chains[(phone, by_rep, scope)].append(day)
    rows = []
    for (phone, by_rep, scope), ordered in chains.items():
        prev_day = prev_first = None
        for day in ordered:
            week, walkins_n, firsts, party = days[(phone, by_rep, scope, day)]
            rows.append({"site_id": site_id, "phone_key": phone, "by_rep": by_rep, "rep": scope, "local_day": day,
                         "local_week": week, "walkins": walkins_n, "firsts": firsts, "party": party,
                         "prev_day": prev_day, "prev_first": prev_first})
            prev_day = day
            if firsts:
                prev_first = day
    return rows
