"""422 ``invalid_request`` in both languages: which fields of a request (its query, path or
body) are not the documented shape, and what each should be (pydantic's error types put into
words a person can act on; its English ``msg`` where no Chinese wording is written)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from ..errors import Unprocessable

__all__ = ["describe_errors", "validation_error", "request_error"]

_PLACES = {"query": "查询参数", "path": "路径参数", "header": "请求头", "body": "请求体"}
_ZH: dict[str, str] = {
    "missing": "缺少此项，请填写",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数（不带小数）",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "string_type": "须为文字",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不是此接口的字段，请删去",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "须不小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "须不大于 {le}",
    "string_too_short": "至少 {min_length} 个字",
    "string_too_long": "最多 {max_length} 个字",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "string_pattern_mismatch": "格式不对",
    "uuid_parsing": "须为 UUID",
    "uuid_type": "须为 UUID",
    "control_characters": "含有控制字符（如 NUL，常随粘贴带入）：请删去后重新输入",
    "lone_surrogate": "含有不完整的字符：请重新输入",
    "value_error": "格式不对，请按 /docs 所写的格式填写",
    "assertion_error": "格式不对，请按 /docs 所写的格式填写",
    "string_sub_type": "须为文字",
    "int_type_strict": "须为整数",
    "too_big": "数值太大",
    "datetime_parsing": "须为带时区的时间（如 2026-12-01T09:00:00+08:00）",
    "datetime_type": "须为带时区的时间（如 2026-12-01T09:00:00+08:00）",
    "date_parsing": "须为日期（如 2026-12-01）",
    "date_from_datetime_parsing": "须为日期（如 2026-12-01）",
    "url_parsing": "须为网址",
}
_OTHER = "格式不对，请按 /docs 所写的格式填写"
"""A pydantic error type without a Chinese wording above: never its English inside Chinese."""


def _choices(expected: str) -> str:
    """pydantic's ``'draw' or 'choice'`` as ``draw、choice`` (the values are codes to send as
    written; the English "or" is not Chinese)."""
    parts = [p.strip().strip("'\"") for p in expected.replace(" or ", ", ").split(",")]
    return "、".join(p for p in parts if p)


def _where(err: Mapping[str, Any], *, place: bool) -> str:
    """The field's dotted path: with its place (``query.limit``; a body's fields without
    ``body``), as ``field`` always read, or without it for a sentence naming the place."""
    hidden = ("body",) if place else ("body", "query", "path", "header")
    return ".".join(str(p) for p in err.get("loc", ()) if p not in hidden) or "body"


def _zh(err: Mapping[str, Any]) -> str:
    template = _ZH.get(str(err.get("type", "")))
    if template is None:
        return _OTHER
    ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
    if "expected" in ctx:
        ctx["expected"] = _choices(ctx["expected"])
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：").rstrip() or "格式不对"


def describe_errors(errors: Sequence[Mapping[str, Any]]) -> tuple[str, str, str | None]:
    """``(english, chinese, first field)``: a sentence naming the wrong fields (at most five),
    each with what it should be, and the first field's dotted path (None for the whole body)."""
    en, zh, first = [], [], None
    for err in errors[:5]:
        where = _where(err, place=True)
        place = _PLACES.get(str((err.get("loc") or ("",))[0]), "")
        first = first or (where if where != "body" else None)
        en.append(f"{where}: {err.get('msg', 'invalid')}")
        zh.append(f"{place} {_where(err, place=False)} {_zh(err)}".lstrip())
    return ("The request is not the documented shape: " + "; ".join(en) + ". See /docs.",
            "请求格式不对：" + "；".join(zh) + "。请按 /docs 所写的格式发送。", first)


def request_error(errors: Sequence[Mapping[str, Any]]) -> Unprocessable:
    """A 422 ``invalid_request`` naming the fields that are wrong, in both languages."""
    en, zh, field = describe_errors(errors)
    return Unprocessable("invalid_request", en, field, zh=zh)


def validation_error(exc: ValidationError) -> Unprocessable:
    """``request_error`` for bodies validated after authentication."""
    return request_error(exc.errors())
