"""The console's strings, one module per page group, merged into one table.

Each module defines ``STRINGS: dict[str, tuple[str, str]]`` (key: (zh, en)). A key defined in
two modules is a bug: importing this package raises ``ValueError`` naming it.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["STRINGS", "MODULES"]

MODULES = ("layout", "sign_in", "disputes", "confirm", "customers", "numbers", "devices", "people", "audit", "exports",
           "rotation", "funnel", "handover", "director", "held")
"""The page groups, in the order they are merged. A new page adds its module here."""


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for name in MODULES:
        table: dict[str, tuple[str, str]] = import_module(f"{__name__}.{name}").STRINGS
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"console strings defined twice ({name}): {sorted(twice)}")
        merged.update(table)
    return merged


STRINGS = _merge()
