"""The documentation lists what the code does: every problem code is in docs/errors.md."""

from pathlib import Path

from shared.errors import PROBLEM_CODES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_problem_code_is_documented():
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    assert [code for code in PROBLEM_CODES if f"`{code}`" not in text] == []
