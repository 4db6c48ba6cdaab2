"""Written reasons (decisions, returns, hand-overs): what every service refuses in one."""

from __future__ import annotations

from shared.fields import control_character_problem

from ..errors import Unprocessable

__all__ = ["refuse_control_characters"]


def refuse_control_characters(reason: str, field: str = "reason") -> None:
    """422 ``invalid_value`` for a written reason holding control characters (NUL and the like,
    invisible and unstorable on PostgreSQL; a spreadsheet cannot hold them either): decisions,
    returns and hand-overs alike (QA: a NUL in a reason broke the audit log's XLSX)."""
    if control_character_problem(reason, field):
        raise Unprocessable("invalid_value", "The reason contains control characters (such as NUL, often pasted "
                            "along with text); type it again.", field,
                            zh="理由中含有控制字符（如粘贴带入的不可见字符）：请重新输入理由。")
