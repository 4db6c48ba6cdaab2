"""``/openapi.json`` that resolves and states the bounds.

Bodies read after authentication (push, decision) are declared through ``openapi_extra`` as
``{"$ref": "#/components/schemas/<Model>"}``; ``install_openapi`` adds those models (and the
models they refer to) to ``components``, plus ``WireRecord``: the record shape written from
``shared.records.RECORD_TYPES`` and ``shared.boundary``, so the schema says each field's bounds
and a schema-driven fuzzer generates real push bodies.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from shared.boundary import (
    EARLIEST_DATE,
    EARLIEST_TIME,
    MAX_AHEAD,
    MAX_CLOCK_AHEAD,
    MAX_ID_LENGTH,
    MAX_SAFE_INTEGER,
)
from shared.fields import Field
from shared.records import CLOCK_FIELDS, CUSTOMER_PHONE_MAX, RECORD_TYPES
from shared.timeutil import TIME_EXAMPLE, TIME_SHAPE

__all__ = ["body_ref", "install_openapi", "record_schema", "field_schema"]

_REF = "#/components/schemas/{model}"
_BODIES: dict[str, type[BaseModel]] = {}


def body_ref(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for a route whose JSON body is ``model`` (validated in the route)."""
    _BODIES[model.__name__] = model
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": _REF.format(model=model.__name__)}}}}}


def field_schema(spec: Field) -> dict[str, Any]:
    """The JSON schema of one ``shared.fields.Field``, bounds included."""
    kind = spec.kind
    if kind in ("text", "base64", "png", "phone"):
        schema: dict[str, Any] = {"type": "string", "maxLength": spec.max_len}
        if kind in ("base64", "png"):
            schema["contentEncoding"] = "base64"
        if kind == "png":  # the signature of a visit report (QA F8c)
            schema["contentMediaType"] = "image/png"
        if kind == "phone":
            schema["description"] = "as typed; a valid personal number of the site's region or +country code"
        return schema
    if kind in ("int", "number"):
        low = -MAX_SAFE_INTEGER if spec.minimum is None else spec.minimum
        high = MAX_SAFE_INTEGER if spec.maximum is None else spec.maximum
        return {"type": "integer" if kind == "int" else "number", "minimum": low, "maximum": high}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "enum":
        return {"type": "string", "enum": list(spec.choices)}
    if kind == "date":
        return {"type": "string", "format": "date", "description": f"YYYY-MM-DD exactly (ASCII digits), from "
                f"{EARLIEST_DATE} to {spec.ahead_days} day(s) after the server's receive date"}
    if kind == "time":
        return {"type": "string", "format": "date-time", "description": _TIME_BOUNDS}
    if kind == "uuid":
        return {"type": "string", "format": "uuid"}
    if kind == "object":
        return _object(spec.fields)
    raise ValueError(f"unknown field kind {kind}")


def _object(fields: dict[str, Field] | Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": {n: field_schema(f) for n, f in fields.items()},
                              "additionalProperties": False}
    required = [n for n, f in fields.items() if f.required]
    if required:
        schema["required"] = required
    return schema


_SHAPE = (f"{TIME_SHAPE}: 1-6 fraction digits, an offset from -12:00 to +14:00, ASCII digits, upper-case T and Z "
          f"(e.g. {TIME_EXAMPLE}; docs/protocol.md, Times)")
_TIME_BOUNDS = (f"{_SHAPE}, from {EARLIEST_TIME:%Y-%m-%dT%H:%MZ} to {MAX_AHEAD.days} day(s) after the server's "
                "receive time")
_CLOCK_BOUNDS = (f"the device's wall clock, {_SHAPE}, from {EARLIEST_TIME:%Y-%m-%dT%H:%MZ} to "
                 f"{MAX_CLOCK_AHEAD.days} days after the server's receive time")


def record_schema() -> dict[str, Any]:
    """``WireRecord``: one record of a push, as ``shared.records.validate_record`` checks it.
    ``data`` is the form of the record's ``type`` (one schema per type, under ``anyOf``)."""
    return {
        "type": "object", "additionalProperties": False,
        "description": "A captured record; a record outside these bounds is rejected alone (docs/errors.md).",
        "required": ["id", "seq", "type", "captured_at", "customer"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "maxLength": MAX_ID_LENGTH},
            "seq": {"type": "integer", "minimum": 1, "maximum": MAX_SAFE_INTEGER},
            "type": {"type": "string", "enum": list(RECORD_TYPES)},
            "captured_at": {"type": "string", "format": "date-time", "description": _CLOCK_BOUNDS},
            "clock": {"anyOf": [_object(CLOCK_FIELDS), {"type": "null"}]},
            "rep": {"anyOf": [{"type": "string", "maxLength": MAX_ID_LENGTH}, {"type": "null"}],
                    "description": "username of a rep of the site (required for walkin and deal)"},
            "customer": _object({"name": Field("text", max_len=100),
                                 "phone": Field("phone", required=True, max_len=CUSTOMER_PHONE_MAX)}),
            "supersedes": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]},
            "data": {"anyOf": [_object(kind.data) for kind in RECORD_TYPES.values()]},
        },
    }


def install_openapi(app: FastAPI, max_records: int) -> None:
    """Make ``app.openapi()`` add the body models, their sub-models and ``WireRecord``."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, model in _BODIES.items():
            body = model.model_json_schema(ref_template=_REF)
            components.update(body.pop("$defs", {}))
            components[name] = body
        components["WireRecord"] = record_schema()
        push = components.get("PushRequest")
        if push:
            push["properties"]["records"] = {"type": "array", "maxItems": max_records,
                                             "items": {"$ref": _REF.format(model="WireRecord")}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
