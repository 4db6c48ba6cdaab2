"""The tablet side must stay installable on Android through python-for-android: every
package `shared/` and `mobile/` depend on, all the way down, is pure Python or has a p4a
recipe, and android/buildozer.spec asks for exactly what the tablet needs, at versions it
accepts. A compiled dependency slipping in, or a dependency missing from the APK, fails here,
not months later on a build machine.

The recipe names come from android/p4a-recipes.txt, a snapshot of
pythonforandroid/recipes/ at the p4a commit the spec pins (``p4a.commit``)."""

from __future__ import annotations

import configparser
import json
import os
import re
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
ANDROID = ROOT / "android"


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _recipe_snapshot() -> tuple[str, dict[str, str | None]]:
    """``(p4a commit, {normalised recipe name: pinned version or None})`` from the snapshot."""
    text = (ANDROID / "p4a-recipes.txt").read_text(encoding="utf-8")
    commit = re.search(r"^# p4a commit: ([0-9a-f]{40})\b", text, re.M).group(1)
    recipes = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, *version = line.split()
            recipes[_name(name)] = version[0] if version else None
    return commit, recipes


def _spec() -> configparser.ConfigParser:
    spec = configparser.ConfigParser()
    spec.optionxform = str  # buildozer's tokens are case-sensitive
    spec.read(ANDROID / "buildozer.spec", encoding="utf-8")
    return spec


def _spec_list(token: str) -> list[str]:
    return [item.strip() for item in _spec().get("app", token).split(",") if item.strip()]


def spec_requirements() -> dict[str, Requirement]:
    """``normalised name -> Requirement`` of the spec's ``requirements``."""
    found = {}
    for item in _spec_list("requirements"):
        requirement = Requirement(item)
        found[_name(requirement.name)] = requirement
    return found


# Compiled packages python-for-android builds from its own recipes (pythonforandroid/recipes).
P4A_COMMIT, P4A_RECIPES = _recipe_snapshot()
# In the tablet's dependency closure but deliberately not in the APK (name -> why).
NOT_ON_DEVICE = {
    "pip": "sqlite-utils needs it only for its `sqlite-utils install` command",
    "docutils": "desktop Kivy's RstDocument widget; the app has none",
    "pygments": "desktop Kivy's CodeInput widget; the app has none",
    "kivy-garden": "desktop Kivy's garden installer",
}
# Recipes the APK needs although no distribution names them: the interpreter, the stdlib
# modules the tablet uses (sqlite3 for its store; openssl for https and hashlib), and Kivy's
# Android glue.
STDLIB_RECIPES = {"python3", "sqlite3", "openssl", "pyjnius", "android"}
# Packages whose desktop wheels are compiled but whose source distribution, which p4a
# builds for the device, is pure Python.
PURE_FROM_SOURCE = {
    "charset-normalizer": "mypyc speed-up only when CHARSET_NORMALIZER_USE_MYPYC is set",
}


def _device_requirements(dist_name: str, extras: frozenset[str]) -> list[Requirement]:
    """What ``dist_name`` (with ``extras``) requires on a device: requirement markers are
    evaluated for Android (Linux, this Python), so desktop-only and old-Python ones drop out."""
    device = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}
    found = []
    for line in distribution(dist_name).requires or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is not None and not any(marker.evaluate({**device, "extra": extra})
                                          for extra in (extras or {""})):
            continue
        found.append(requirement)
    return found


def _requirements(dist_name: str, extras: frozenset[str]) -> set[tuple[str, frozenset[str]]]:
    """``(normalised name, extras)`` of what ``dist_name`` needs on a device."""
    return {(_name(r.name), frozenset(r.extras)) for r in _device_requirements(dist_name, extras)}


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


def tablet_constraints() -> dict[str, list[tuple[str, Requirement]]]:
    """``name -> [(who asks, requirement)]``: every version constraint on a tablet distribution,
    from fieldsync[mobile] and from each distribution of the closure."""
    closure = tablet_closure()
    asked: dict[str, list[tuple[str, Requirement]]] = {}
    for parent, extras in [("fieldsync", frozenset({"mobile"}))] + [(name, frozenset()) for name in closure]:
        for requirement in _device_requirements(parent, extras):
            asked.setdefault(_name(requirement.name), []).append((parent, requirement))
    return asked


def is_pure_python(name: str) -> bool:
    wheel = distribution(name).read_text("WHEEL") or ""
    return "Root-Is-Purelib: true" in wheel


def test_tablet_dependencies_are_pure_python_or_have_a_p4a_recipe():
    closure = tablet_closure()
    assert {"kivy", "requests", "sqlite-utils", "phonenumbers"} <= set(closure)
    compiled = {name: parent for name, parent in closure.items() if name not in set(P4A_RECIPES) | set(PURE_FROM_SOURCE) and not is_pure_python(name)}
    assert compiled == {}, f"compiled packages without a python-for-android recipe (name -> pulled in by): {compiled}"


def test_spec_requirements_cover_every_distribution_the_tablet_needs():
    """A dependency of mobile/ or shared/ (or of theirs) missing from the spec would be an
    ImportError on the first tablet, not on a desktop."""
    closure = tablet_closure()
    missing = {name: parent for name, parent in closure.items()
               if name not in spec_requirements() and name not in NOT_ON_DEVICE}
    assert missing == {}, f"add to android/buildozer.spec requirements (name -> pulled in by): {missing}"
    assert STDLIB_RECIPES <= set(spec_requirements()), "python3, sqlite3, openssl, pyjnius, android are built by recipes"


def test_spec_asks_only_for_recipes_or_pure_python_tablet_dependencies():
    """Every name in the spec is a p4a recipe at the pinned commit, or a pure-Python
    distribution the tablet really uses (p4a pip-installs those; a compiled one would fail
    to cross-compile, and a stray one bloats the APK)."""
    closure = tablet_closure()
    wrong = {}
    for name in spec_requirements():
        if name in P4A_RECIPES:
            continue
        if name not in closure:
            wrong[name] = "neither a p4a recipe nor a dependency of the tablet"
        elif name not in PURE_FROM_SOURCE and not is_pure_python(name):
            wrong[name] = "compiled, and p4a has no recipe for it"
    assert wrong == {}


def test_spec_pins_satisfy_every_constraint_of_the_tablet_and_its_dependencies():
    """A pinned version outside what pyproject or a dependency accepts builds an APK that
    breaks at run time (or a pip resolution error on the build machine)."""
    constraints = tablet_constraints()
    unmet = []
    for name, requirement in spec_requirements().items():
        pins = [spec.version for spec in requirement.specifier if spec.operator == "=="]
        if name in P4A_RECIPES and P4A_RECIPES[name] and pins:
            if Version(pins[0]) != Version(P4A_RECIPES[name]):
                unmet.append(f"{name}=={pins[0]}: p4a's recipe at {P4A_COMMIT[:12]} builds {P4A_RECIPES[name]}")
        if name not in P4A_RECIPES and not pins:
            unmet.append(f"{name}: pin a version (the APK should be reproducible)")
        for pin in pins:
            for parent, asked in constraints.get(name, []):
                if not asked.specifier.contains(pin, prereleases=True):
                    unmet.append(f"{name}=={pin}: {parent} asks for {asked}")
    assert unmet == []


def test_spec_pins_the_p4a_commit_its_recipe_snapshot_was_taken_from():
    spec = _spec()
    assert re.fullmatch(r"[0-9a-f]{40}", P4A_COMMIT)
    assert spec.get("app", "p4a.commit") == P4A_COMMIT
    assert {"kivy", "python3", "sdl2", "sqlite3", "openssl", "pyjnius"} <= set(P4A_RECIPES)


def test_spec_describes_a_landscape_tablet_app_with_network_permissions_icon_and_names():
    spec = _spec()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert spec.get("app", "version") == project["version"]
    assert set(_spec_list("orientation")) <= {"landscape", "landscape-reverse"} and "landscape" in _spec_list("orientation")
    assert set(_spec_list("android.permissions")) == {"android.permission.INTERNET",
                                                      "android.permission.ACCESS_NETWORK_STATE"}
    assert spec.get("app", "title").strip()
    icon = ANDROID / spec.get("app", "icon.filename")
    header = icon.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width == height >= 512, (width, height)
    names = {}
    for resource in _spec_list("android.add_resources"):
        for strings in (ANDROID / resource).glob("values-*/strings.xml"):
            for string in ET.parse(strings).getroot().iter("string"):
                names[(strings.parent.name, string.get("name"))] = string.text
    assert names.get(("values-zh", "app_name")) == "案场登记"


FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.mark.skipif(not FONT.exists(), reason="needs Debian's fonts-wqy-microhei (.ci/setup installs it)")
def test_staged_app_starts_from_its_own_files_with_the_bundled_font_and_private_data_folder(tmp_path):
    """What buildozer would package: the entry point finds the bundled font before Android's
    own, keeps data in the app's private folder, and mobile.app imports from the staged tree
    alone (no sync_server, no tests)."""
    subprocess.run(["bash", str(ANDROID / "build-apk.sh"), "--stage-only"], check=True, capture_output=True,
                   timeout=120)
    stage = ROOT / "build" / "android" / "app"
    assert (stage / "main.py").exists() and (stage / "mobile" / "fonts" / "wqy-microhei-LICENSE.txt").exists()
    assert not list(stage.rglob("__pycache__"))
    assert not (stage / "sync_server").exists() and not (stage / "tests").exists()
    probe = ("import json, os, sys; sys.path.insert(0, os.getcwd()); import main; main.configure(); "
             "import mobile.app; from mobile.fonts import find_cjk_font; "
             "print(json.dumps([find_cjk_font(), os.environ['FIELDSYNC_DATA'], mobile.app.__file__]))")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "FIELDSYNC_CJK_FONT",
                                                                          "FIELDSYNC_DATA")}
    env.update(ANDROID_PRIVATE=str(tmp_path), KIVY_NO_ARGS="1", KIVY_HOME=str(tmp_path / "kivy"),
               KIVY_NO_CONSOLELOG="1", KIVY_WINDOW="")
    run = subprocess.run([sys.executable, "-P", "-c", probe], cwd=stage, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    font, data, app_file = json.loads(run.stdout.strip().splitlines()[-1])
    assert font == str(stage / "mobile" / "fonts" / "wqy-microhei.ttc")
    assert data == str(tmp_path / "fieldsync")
    assert Path(app_file).is_relative_to(stage)


def test_apk_staging_ships_the_entry_point_the_font_and_its_licence():
    script = (ANDROID / "build-apk.sh").read_text(encoding="utf-8")
    assert "android/main.py" in script and "wqy-microhei.ttc" in script and "FONT-LICENSE.txt" in script
    assert "Apache" in (ANDROID / "FONT-LICENSE.txt").read_text(encoding="utf-8")
    exts = set(_spec_list("source.include_exts"))
    shipped = {path.suffix.lstrip(".") for folder in ("mobile", "shared") for path in (ROOT / folder).rglob("*.*")
               if "__pycache__" not in path.parts}
    assert shipped - {"pyc"} <= exts, "a file type of mobile/ or shared/ would be left out of the APK"
    assert {"py", "kv", "ttc"} <= exts


def test_spec_names_an_ndk_the_pinned_p4a_accepts():
    """buildozer's own default NDK (r17c) is older than p4a's minimum (r25): the build would
    fail after an hour of downloads."""
    ndk = _spec().get("app", "android.ndk")
    assert int(re.match(r"\d+", ndk).group()) >= 25, ndk
    assert int(_spec().get("app", "android.api")) >= 30


def test_the_tablets_phone_tags_can_be_computed_on_android():
    """Issue 14: the replica's phone tags are ``hashlib.scrypt`` (shared.phones.phone_tag),
    which CPython builds only against OpenSSL 1.1 or newer. The APK's Python links
    python-for-android's ``openssl`` recipe: it must be in the spec and at least 1.1."""
    assert "openssl" in spec_requirements()
    version = P4A_RECIPES["openssl"]
    assert version is not None and tuple(int(p) for p in re.findall(r"\d+", version)[:2]) >= (1, 1)
    import hashlib

    assert hasattr(hashlib, "scrypt")


NOTO = Path("/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf")
HANAZONO = Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")


@pytest.mark.skipif(not (FONT.exists() and NOTO.exists() and HANAZONO.exists()),
                    reason="needs Debian's fonts-wqy-microhei, fonts-noto-core and fonts-hanazono (.ci/setup installs them)")
def test_the_apk_carries_a_font_for_every_script_and_the_symbols_it_draws_names_in():
    """Issue 14 leftovers (fonts): the staged app holds Noto Sans Hebrew, Arabic, Thai,
    Devanagari, HanaMin A and B (rare Chinese characters, QA of issue 14 M4) and Symbola with
    their licences, and buildozer packages .ttf files."""
    from mobile.fonts import SCRIPT_FONTS, SHIPPED, SYMBOL_CANDIDATES

    subprocess.run(["bash", str(ANDROID / "build-apk.sh"), "--stage-only"], check=True, capture_output=True,
                   timeout=120)
    fonts = ROOT / "build" / "android" / "app" / "mobile" / "fonts"
    for _name, _chars, candidates in SCRIPT_FONTS:
        shipped = [Path(c).name for c in candidates if Path(c).parent == SHIPPED]
        assert shipped and (fonts / shipped[0]).stat().st_size > 10_000, shipped
    symbols = [Path(c).name for c in SYMBOL_CANDIDATES if Path(c).parent == SHIPPED]
    assert symbols and (fonts / symbols[0]).exists()
    assert "SIL Open Font License" in (fonts / "Noto-LICENSE.txt").read_text(encoding="utf-8")
    assert (fonts / "HanaMin-LICENSE.txt").exists()
    assert "ttf" in set(_spec_list("source.include_exts"))
