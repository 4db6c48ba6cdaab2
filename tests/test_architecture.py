"""The architecture stays visible: dependencies point inward to shared/ (style.md habit 1),
and the tablet side uses only what python-for-android can build."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Packages whose import on a given side would break the layering or the Android build.
FORBIDDEN = {
    "shared": {"kivy", "fastapi", "starlette", "requests", "sqlite_utils", "sqlite3", "psycopg", "pydantic",
               "uvicorn", "mobile", "sync_server", "argon2", "sqlalchemy", "alembic"},
    "mobile": {"sync_server", "fastapi", "starlette", "pydantic", "psycopg", "uvicorn", "openpyxl", "argon2",
               "sqlalchemy", "alembic"},
    "sync_server": {"mobile", "kivy"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_its_layer_allows(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_each_kivy_screen_is_one_class_with_its_own_kv_file():
    screens = ROOT / "mobile" / "screens"
    trees = {path.name: ast.parse(path.read_text(encoding="utf-8")) for path in screens.glob("*.py")}
    classes = {name: [node for node in tree.body if isinstance(node, ast.ClassDef)] for name, tree in trees.items()}
    bases = {b.id for nodes in classes.values() for node in nodes for b in node.bases if isinstance(b, ast.Name)}
    concrete = {name: [n.name for n in nodes if n.name.endswith("Screen") and n.name not in bases]
                for name, nodes in classes.items()}
    concrete = {name: found for name, found in concrete.items() if found}
    assert concrete, "no screens found"
    assert {name: found for name, found in concrete.items() if len(found) != 1} == {}
    assert [name for name in concrete if not (screens / name).with_suffix(".kv").exists()] == []


def test_only_the_settings_module_reads_the_environment():
    """Every FIELDSYNC_* value is a validated field of sync_server/config.py's Settings (read
    there through pydantic-settings); a module reading os.environ itself would bypass the
    validation at start and what `serve --workers N` hands its workers."""
    reads = re.compile(r"\bos\.environ\b|\bgetenv\b|\bfrom os import\b.*\benviron\b|\bputenv\b")
    offenders = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "sync_server").rglob("*.py")
                       if path.name != "config.py" or path.parent.name != "sync_server"
                       if reads.search(path.read_text(encoding="utf-8")))
    assert offenders == []
