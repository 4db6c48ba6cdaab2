"""Same words from unrendered explanations (issue 13): compare two ``bench/push_rows.py`` files.

    python bench/push_rows.py /tmp/base BEFORE.json     # a tree that stored rendered steps
    python bench/push_rows.py .         AFTER.json      # this tree (steps stored without text)
    python bench/steps_check.py BEFORE.json AFTER.json

Checks that every row of every table is the same except that explanation steps lost their
``text``; that every stored step of AFTER, rendered with ``shared.explain.step_text`` (what
the console, the old-tablet pull and the tablet do now), gives exactly the ``text`` BEFORE
stored, in both languages; and that the pushes' answers and the pulls are identical. Prints
the counts; exits 1 on the first difference. Not timed: a check, not a benchmark.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from shared.explain import step_text  # noqa: E402


def _steps(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(s, dict) and "key" in s for s in value)


def main(before_path: str, after_path: str) -> int:
    before, after = json.loads(Path(before_path).read_text()), json.loads(Path(after_path).read_text())
    offset = before["rows"]["sites"][0][5]  # sites: id, name, validity_days, household, region, utc_offset_minutes
    if before["responses"] != after["responses"] or before["pulls"] != after["pulls"]:
        print("push answers or pulls differ")
        return 1
    steps = rows = 0
    for table, old_rows in before["rows"].items():
        new_rows = after["rows"].get(table)
        if new_rows is None or len(new_rows) != len(old_rows):
            print(f"{table}: row counts differ")
            return 1
        for old, new in zip(old_rows, new_rows, strict=True):
            rows += 1
            for i, (o, n) in enumerate(zip(old, new, strict=True)):
                if _steps(o):
                    for so, sn in zip(o, n, strict=True):
                        steps += 1
                        if {k: v for k, v in so.items() if k != "text"} != sn or "text" in sn:
                            print(f"{table} column {i}: step differs beyond text: {so} / {sn}")
                            return 1
                        if step_text(sn, offset) != so["text"]:
                            print(f"{table} column {i}: rendered {step_text(sn, offset)} != stored {so['text']}")
                            return 1
                elif o != n:
                    print(f"{table} column {i}: {o!r} != {n!r}")
                    return 1
    print(f"{rows} rows identical but for {steps} explanation steps stored without text; every step renders "
          f"to the text stored before (zh and en); push answers and pulls identical")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
