"""``shared.versions.original_of``: the original of a correction chain (R4), as the care rows and
the tablet's due list count a corrected contact."""

from __future__ import annotations


def test_original_of_follows_corrections_while_known_and_stops_at_a_cycle():
    from shared.versions import original_of

    parents = {"c": "b", "b": "a", "a": None, "x": "y", "y": "x", "p": "gone"}
    known = {"a", "b", "c", "x", "y", "p"}
    assert original_of("c", parents, known) == "a"
    assert original_of("a", parents, known) == "a"
    assert original_of("p", parents, known) == "p"  # the version it corrects is not at hand
    assert original_of("x", parents, known) == "y"  # a forged cycle ends where it closes
