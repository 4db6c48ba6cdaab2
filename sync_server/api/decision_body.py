"""The body of ``POST /conflicts/{id}/decision``, checked field by field with messages a
manager can act on, in English and Chinese (``ApiError.zh``; the answer's ``message`` follows
``Accept-Language``).

Before this, a share of 70.5 came back as pydantic's "Input should be a valid integer, got a
number with a fractional part" (issue 9): right, but in a programmer's words and English only.
Every field is checked here first (owner, split and each share, reason); pydantic's model
(``schemas.DecisionRequest``) still documents the shape and validates last.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.boundary import printable
from shared.fields import control_character_problem, is_uuid

from ..errors import Unprocessable
from ..services.conflicts import REASON_MAX_CHARS

__all__ = ["read_decision", "read_seen_claims", "SEEN_CLAIMS_MAX"]

FIELDS = ("owner", "split", "reason", "seen_claims")
SEEN_CLAIMS_MAX = 1000
"""The most claim ids ``seen_claims`` may list (a dispute has a handful)."""


def _refuse(code: str, field: str | None, en: str, zh: str) -> Unprocessable:
    return Unprocessable(code, en, field, zh=zh)


def _text(value: Any, field: str, label_en: str, label_zh: str) -> str:
    """A text field: a string of whole characters without control characters."""
    if not isinstance(value, str):
        raise _refuse("wrong_type", field, f"{label_en} must be text (a JSON string); got {_kind(value)}.",
                      f"{label_zh}须为文字（JSON 字符串），收到的是{_kind_zh(value)}。")
    if printable(value, len(value) + 1) != value or control_character_problem(value, ""):
        raise _refuse("invalid_value", field, f"{label_en} holds control characters or half a character; type it "
                      "again.", f"{label_zh}含有控制字符或不完整的字符：请重新输入。")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else "something else"


def _kind_zh(value: Any) -> str:
    return {"null": "空值（null）", "true/false": "真假值（true/false）", "a number": "数字", "text": "文字",
            "a list": "列表", "an object": "对象"}.get(_kind(value), "其他值")


def _share(rep: str, value: Any, names: Mapping[str, str]) -> int:
    field = f"split.{rep}"
    who = f"{names[rep]}（{rep}）" if names.get(rep) else f"{rep} "  # people read names; the login says which field
    shown = printable(repr(value) if not isinstance(value, str) else value, 40)
    whole_en = "shares are whole percentages from 0 to 100 (no decimals, no text)"
    whole_zh = "分成须为 0 到 100 之间的整数百分比（不能有小数，不能是文字）"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _refuse("wrong_type", field, f"The share of {rep} is {shown}: {whole_en}.",
                      f"{who}的分成为“{shown}”：{whole_zh}。")
    if isinstance(value, float):  # 70.0 too: the API's shares are JSON integers
        raise _refuse("invalid_value", field, f"The share of {rep} is {shown}: {whole_en}; round it, and keep "
                      "the total at 100.", f"{who}的分成为 {shown}：{whole_zh}；请取整，并保持合计为 100。")
    number = int(value)
    if not 0 <= number <= 100:
        raise _refuse("invalid_value", field, f"The share of {rep} is {number}: {whole_en}.",
                      f"{who}的分成为 {number}：{whole_zh}。")
    return number


def read_decision(payload: Any, names: Mapping[str, str] | None = None) -> tuple[str, dict[str, int] | None, str]:
    """``(owner, split, reason)`` from a decision body, or 422 naming the first wrong field in
    both languages (``names``: username -> display name, for the Chinese text). The service
    checks what needs the site (who is a rep, the total, holders)."""
    people = names or {}
    if not isinstance(payload, dict):
        raise _refuse("wrong_type", None, "A decision is a JSON object with owner, split (optional) and reason.",
                      "裁定须为 JSON 对象，包含 owner（归属售楼员）、split（分成，可省略）和 reason（理由）。")
    extra = sorted(str(k) for k in payload if k not in FIELDS)
    if extra:
        keys = printable(", ".join(extra), 200)
        raise _refuse("unknown_field", extra[0], f"{keys} is not part of a decision; send only owner, split, "
                      "reason and seen_claims.", f"{keys} 不是裁定的内容：只需发送 owner、split、reason 和 seen_claims。")
    if payload.get("owner") in (None, ""):
        raise _refuse("missing_field", "owner", "Name the owner: the username of the rep the customer goes to.",
                      "请填写 owner：客户归属售楼员的用户名。")
    owner = _text(payload["owner"], "owner", "owner", "owner（归属售楼员）").strip()
    if not owner:
        raise _refuse("missing_field", "owner", "Name the owner: the username of the rep the customer goes to.",
                      "请填写 owner：客户归属售楼员的用户名。")
    split: dict[str, int] | None = None
    raw_split = payload.get("split")
    if raw_split is not None:
        if not isinstance(raw_split, dict):
            raise _refuse("wrong_type", "split", "split is an object of rep username to whole percentage, e.g. "
                          '{"wang.li": 70, "zhang.qiang": 30}, or null for no split.',
                          'split 须为“售楼员用户名：整数百分比”的对象，例如 {"wang.li": 70, "zhang.qiang": 30}；'
                          "不分成请省略或填 null。")
        split = {_text(rep, "split", "A rep's username in split", "split 中的售楼员用户名"): _share(rep, value, people)
                 for rep, value in raw_split.items()}
    if "reason" not in payload or payload["reason"] is None:
        raise _refuse("missing_reason", "reason", "Write the reason for the decision (a written opinion); "
                      "it is kept with the decision.", "请填写裁定理由：裁定需有书面理由，理由随裁定保存。")
    reason = _text(payload["reason"], "reason", "reason", "裁定理由").strip()
    if not reason:
        raise _refuse("missing_reason", "reason", "Write the reason for the decision (a written opinion); "
                      "it is kept with the decision.", "请填写裁定理由：裁定需有书面理由，理由随裁定保存。")
    if len(reason) > REASON_MAX_CHARS:
        raise _refuse("too_long", "reason", f"The reason has {len(reason)} characters; shorten it to at most "
                      f"{REASON_MAX_CHARS}.", f"裁定理由最多 {REASON_MAX_CHARS} 字，当前为 {len(reason)} 字：请精简后再提交。")
    return owner, split, reason


def read_seen_claims(payload: Any) -> list[str] | None:
    """``seen_claims`` (optional, QA14 F2): the claim record ids the manager saw when deciding,
    as the conflict listed them (``claims[].record_id``). None when not sent (an old client:
    nothing is checked); otherwise a list of ids, or 422 ``wrong_type`` / ``invalid_value``."""
    if not isinstance(payload, dict) or payload.get("seen_claims") is None:
        return None
    raw = payload["seen_claims"]
    if not isinstance(raw, list):
        raise _refuse("wrong_type", "seen_claims", "seen_claims is a list of the claim record ids you saw "
                      f"(claims[].record_id of the conflict); got {_kind(raw)}.",
                      f"seen_claims 须为您看到的登记编号列表（争议的 claims[].record_id），收到的是{_kind_zh(raw)}。")
    if len(raw) > SEEN_CLAIMS_MAX:
        raise _refuse("invalid_value", "seen_claims", f"seen_claims lists {len(raw)} ids; a dispute has far fewer "
                      f"(at most {SEEN_CLAIMS_MAX}).", f"seen_claims 列出了 {len(raw)} 个编号，远多于一个争议的登记数"
                      f"（最多 {SEEN_CLAIMS_MAX} 个）。")
    ids = [_text(value, "seen_claims", "Each id in seen_claims", "seen_claims 中的每个登记编号") for value in raw]
    if not all(is_uuid(value) for value in ids):  # QA of issue 15: "not-a-uuid" was a 409 naming "?"
        raise _refuse("invalid_value", "seen_claims", "Each id in seen_claims is a claim's record_id as the "
                      "conflict lists it, a UUID like 0b5f6a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b.",
                      "seen_claims 中的每个编号须为争议所列登记的 record_id，即形如 "
                      "0b5f6a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b 的 UUID。")
    return [value.lower() for value in ids]  # ids compare in either case, as everywhere in the protocol
