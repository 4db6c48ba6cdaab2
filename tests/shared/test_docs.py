"""The documentation lists what the code does: every problem code is in docs/errors.md."""

import ast
from pathlib import Path

from shared.errors import PROBLEM_CODES

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_every_problem_code_is_documented():
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    assert [code for code in PROBLEM_CODES if f"`{code}`" not in text] == []


def test_every_problem_code_the_code_emits_is_a_documented_code():
    emitted = set()
    for package in ("shared", "sync_server", "mobile"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ("Problem", "_problem") and node.args
                        and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    emitted.add(node.args[0].value)
    assert {"id_reused", "unknown_rep", "invalid_phone"} <= emitted  # the scan finds them
    assert sorted(emitted - set(PROBLEM_CODES)) == []
