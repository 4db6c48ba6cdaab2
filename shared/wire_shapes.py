"""Records stored before the wire's one time shape was enforced (QA of issue 15), read again.

A push is checked strictly (``shared.timeutil.parse_wire_time`` / ``parse_wire_date``), but a
server may hold — and relay to tablets — records it accepted earlier in another ISO 8601 form
(``2026-12-02 10:00:00+08:00``, ``+1400``). A reader that validates what it pulled
(``mobile.services.lookup``: the replica's records through ``parse_record``) restates them first,
so such a record still counts instead of silently dropping out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .fields import Field
from .records import RECORD_TYPES
from .timeutil import format_time, parse_time, parse_wire_date, parse_wire_time

__all__ = ["restated_times"]


def restated_times(wire: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``wire`` whose ``captured_at`` and whose ``date`` and ``time`` fields of ``data``
    (its type's, nested ones too) are in the wire's shape when a lenient reader (``parse_time``,
    ``date.fromisoformat``) reads them; a value none reads is left as it is (validation says so)."""
    out = dict(wire)
    if "captured_at" in out:
        out["captured_at"] = _time(out["captured_at"])
    type_ = out.get("type")
    kind = RECORD_TYPES.get(type_) if isinstance(type_, str) else None
    if kind is not None and isinstance(out.get("data"), Mapping):
        out["data"] = _restated(kind.data, out["data"])
    return out


def _restated(specs: Mapping[str, Field], values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for name, spec in specs.items():
        if name not in out:
            continue
        if spec.kind == "date":
            out[name] = _date(out[name])
        elif spec.kind == "time":
            out[name] = _time(out[name])
        elif spec.kind == "object" and isinstance(out[name], Mapping):
            out[name] = _restated(spec.fields, out[name])
    return out


def _time(value: Any) -> Any:
    try:
        parse_wire_time(value)
        return value
    except ValueError:
        pass
    try:
        return format_time(parse_time(value))
    except (ValueError, TypeError, OverflowError):
        return value


def _date(value: Any) -> Any:
    try:
        parse_wire_date(value)
        return value
    except ValueError:
        pass
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else value
    except ValueError:
        return value
