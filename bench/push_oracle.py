"""The second phone oracle (issue 14): how fast a tablet's token enumerates numbers by pushing
records naming them, and how many hidden numbers each way reveals.

    python bench/push_oracle.py [--candidates 1000] [--one-by-one 100]

A real ``fieldsync-server serve`` (temporary SQLite, tests/live_server.py); the manager registers
three customers whose numbers are candidates ``138XXXX8000`` (0013 chen.jie, 0100 and 0450
zhang.qiang). Three ways to ask "is this number a customer's, and whose?", each as its own user
(the budgets are per user):

- baseline: ``GET /customers/lookup`` as rep wang.li (at most 120: its budget is 120 an hour);
- one by one: one ``call`` record per push, then a pull, as the desk (desk.li): a number is
  revealed when the record comes back with the tag of a replica customer and that customer's owner;
- batch: ``--candidates`` calls in pushes of 1,000, then one pull, as rep chen.jie (0013 is
  its own customer, so only 0100 and 0450 count).

Prints per way: candidates, seconds, numbers per minute, the ratio to the baseline, hidden
numbers revealed (of those among the candidates) and records held (``owner_withheld``).
Report the load average beside the figures (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import requests  # noqa: E402

from tests.live_server import LiveServer  # noqa: E402
from tests.server.helpers import Tablet  # noqa: E402

HIDDEN = {13: "chen.jie", 100: "zhang.qiang", 450: "zhang.qiang"}


def candidate(i: int) -> str:
    return f"138{i:04d}8000"


def replica(tablet: Tablet) -> tuple[dict[str, dict], str]:
    changes, cursor = tablet.pull_all(keys="tag")
    return {c["customer"]["customer_id"]: c["customer"] for c in changes if c["kind"] == "ownership"}, cursor


def revealed(tablet: Tablet, index: dict[str, dict], cursor: str, wires: list[dict], results: list[dict]
             ) -> tuple[set[int], int, str]:
    """The candidates whose owner the pull told: the record's tag names a replica customer."""
    changes, cursor = tablet.pull_all(cursor, keys="tag")
    for c in changes:
        if c["kind"] == "ownership":
            index[c["customer"]["customer_id"]] = c["customer"]
    by_tag = {c["phone_tag"]: c for c in index.values() if c.get("phone_tag")}
    pulled = {c["record"]["id"]: c["record"] for c in changes if c["kind"] == "record"}
    told = set()
    for wire in wires:
        record = pulled.get(wire["id"], {})
        owner = by_tag.get(record.get("phone_tag") or "", {}).get("owner")
        i = int(wire["customer"]["phone"][3:7])
        if i in HIDDEN and owner == HIDDEN[i]:
            told.add(i)
    return told, sum(bool(r.get("owner_withheld")) for r in results), cursor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--one-by-one", type=int, default=100)
    args = parser.parse_args()
    rows = []
    with LiveServer() as server:
        desk0 = Tablet(server, "zhao.min", "manager-registers")
        desk0.push(*[desk0.record(rep=rep, name="客", phone=candidate(i)) for i, rep in HIDDEN.items()])
        desk0.settle_tags()

        wang = Tablet(server, "wang.li", "lookup")
        n = min(args.one_by_one, 120)
        start, told = time.perf_counter(), set()
        for i in range(n):
            answer = requests.get(server.url("/customers/lookup"), params={"phone": candidate(i)},
                                  headers=wang.headers, timeout=30)
            if answer.status_code == 200 and answer.json().get("owner") == HIDDEN.get(i):
                told.add(i)
        base = n / (time.perf_counter() - start) * 60
        rows.append(("look-up endpoint (baseline)", n, n / base * 60, base, told, {k for k in HIDDEN if k < n}, 0))

        desk = Tablet(server, "desk.li", "one-by-one")
        index, cursor = replica(desk)
        start, told, held = time.perf_counter(), set(), 0
        for i in range(args.one_by_one):
            wire = desk.record("call", rep=None, name="某", phone=candidate(i))
            results = desk.push(wire)["results"]
            got, h, cursor = revealed(desk, index, cursor, [wire], results)
            told |= got
            held += h
        seconds = time.perf_counter() - start
        rows.append(("one call per push + pull", args.one_by_one, seconds, args.one_by_one / seconds * 60, told,
                     {k for k in HIDDEN if k < args.one_by_one}, held))

        chen = Tablet(server, "chen.jie", "batch")
        index, cursor = replica(chen)
        start, told, held = time.perf_counter(), set(), 0
        wires = [chen.record("call", rep=None, name="某", phone=candidate(i)) for i in range(args.candidates)]
        results = []
        for first in range(0, len(wires), 1000):
            results += chen.push(*wires[first:first + 1000])["results"]
        got, held, cursor = revealed(chen, index, cursor, wires, results)
        seconds = time.perf_counter() - start
        rows.append(("1,000 calls per push, one pull", args.candidates, seconds, args.candidates / seconds * 60,
                     got - {13}, {k for k in HIDDEN if k < args.candidates} - {13}, held))  # chen owns 0013

    print(f"{'way':34} {'candidates':>10} {'seconds':>8} {'per min':>9} {'vs base':>8} {'revealed':>9} {'held':>6}")
    for way, n, seconds, rate, told, among, held in rows:
        print(f"{way:34} {n:>10} {seconds:>8.1f} {rate:>9.0f} {rate / base:>7.1f}x {len(told):>4}/{len(among):<4} "
              f"{held:>6}")


if __name__ == "__main__":
    main()
