"""The tablet side must stay installable on Android through python-for-android: every
package `shared/` and `mobile/` depend on, all the way down, is pure Python or has a p4a
recipe. A compiled dependency slipping in fails here, not months later on a build machine."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution

import pytest
from packaging.requirements import Requirement

# Compiled packages python-for-android builds from its own recipes (pythonforandroid/recipes).
P4A_RECIPES = {"kivy", "pillow", "pyjnius", "android", "sdl2", "setuptools"}
# Packages whose desktop wheels are compiled but whose source distribution, which p4a
# builds for the device, is pure Python.
PURE_FROM_SOURCE = {
    "charset-normalizer": "mypyc speed-up only when CHARSET_NORMALIZER_USE_MYPYC is set",
}


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _requirements(dist_name: str, extras: frozenset[str]) -> set[tuple[str, frozenset[str]]]:
    """The distributions ``dist_name`` (with ``extras``) needs on a device: requirement markers
    are evaluated for Android (Linux, this Python), so desktop-only and old-Python ones drop out."""
    device = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}
    found = set()
    for line in distribution(dist_name).requires or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is not None and not any(marker.evaluate({**device, "extra": extra})
                                          for extra in (extras or {""})):
            continue
        found.add((_name(requirement.name), frozenset(requirement.extras)))
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
