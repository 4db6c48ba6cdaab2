"""The tablet side must stay installable on Android through python-for-android: every
package `shared/` and `mobile/` depend on, all the way down, is pure Python or has a p4a
recipe. A compiled dependency slipping in fails here, not months later on a build machine."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution

import pytest

# Compiled packages python-for-android builds from its own recipes (pythonforandroid/recipes).
P4A_RECIPES = {"kivy", "pillow", "pyjnius", "android", "sdl2", "setuptools"}
# Packages whose desktop wheels are compiled but whose source distribution, which p4a
# builds for the device, is pure Python.
PURE_FROM_SOURCE = {
    "charset-normalizer": "mypyc speed-up only when CHARSET_NORMALIZER_USE_MYPYC is set",
}

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._\-]*)\s*(\[[^\]]*\])?[^;]*(?:;\s*(.*))?$")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _requirements(dist_name: str, extras: frozenset[str]) -> set[tuple[str, frozenset[str]]]:
    found = set()
    for line in distribution(dist_name).requires or []:
        match = _REQUIREMENT.match(line)
        name, extra_text, marker = match.group(1), match.group(2) or "", match.group(3) or ""
        wanted = frozenset(e.strip() for e in extra_text.strip("[]").split(",") if e.strip())
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        if extra and extra.group(1) not in extras:
            continue
        if re.search(r"(sys_platform|platform_system)\s*==\s*['\"](win32|Windows|darwin|Darwin)", marker):
            continue  # only ever installed on desktops
        found.add((_name(name), wanted))
    return found


def tablet_closure() -> dict[str, str]:
    """``name -> parent`` for every distribution the tablet app pulls in."""
    try:
        distribution("fieldsync")
    except PackageNotFoundError:
        pytest.skip("fieldsync is not installed (pip install -e '.[dev]')")
    seen: dict[str, str] = {}
    todo = [(name, extras, "fieldsync") for name, extras in _requirements("fieldsync", frozenset({"mobile"}))]
    while todo:
        name, extras, parent = todo.pop()
        if name in seen or name == "fieldsync":
            continue
        seen[name] = parent
        todo.extend((child, child_extras, name) for child, child_extras in _requirements(name, extras))
    return seen


def is_pure_python(name: str) -> bool:
    wheel = distribution(name).read_text("WHEEL") or ""
    return "Root-Is-Purelib: true" in wheel


def test_tablet_dependencies_are_pure_python_or_have_a_p4a_recipe():
    closure = tablet_closure()
    assert {"kivy", "requests", "sqlite-utils", "phonenumbers"} <= set(closure)
    compiled = {name: parent for name, parent in closure.items() if name not in P4A_RECIPES | set(PURE_FROM_SOURCE) and not is_pure_python(name)}
    assert compiled == {}, f"compiled packages without a python-for-android recipe (name -> pulled in by): {compiled}"
