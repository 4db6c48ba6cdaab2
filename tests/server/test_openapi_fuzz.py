"""Issue 8, item 10: Schemathesis over the published ``/openapi.json`` of a live server
(SQLite and PostgreSQL): every operation, schema-conforming and schema-violating data, bounded
in examples and derandomized; 0 server errors, and push bodies really generated from the
schema (some reach the per-record checks: 200 with results)."""

from __future__ import annotations

import os
from collections import Counter

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.server.helpers import Tablet, now_cst

EXAMPLES = int(os.environ.get("FIELDSYNC_SCHEMA_EXAMPLES") or 15)  # per operation and mode


def _fuzz(operation, mode, server, manager: Tablet, seen: Counter) -> None:
    """Call ``operation`` with EXAMPLES generated cases; fail on a 5xx or a bare error body."""

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        if operation.path == "/api/v1/sync/push" and isinstance(case.body, dict):
            # the token's own device and a sane wall clock, so bodies reach the record checks
            case.body["device_id"] = manager.device_id
            case.body["sent_at"] = now_cst().isoformat(timespec="milliseconds")
        if operation.path.startswith("/api/v1/devices/"):
            case.path_parameters = {"device_id": "not-this-tablet"}  # never revoke the fuzzing tablet
        response = case.call(base_url=server.base_url, headers=manager.headers, timeout=60)
        seen[(operation.path, response.status_code)] += 1
        assert response.status_code < 500, f"{case.method} {operation.path}: {response.text}"
        if response.status_code >= 400 and operation.path.startswith("/api/"):
            assert set(response.json()) == {"error"}, response.text

    try:
        call()
    except Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE  # an operation without inputs has nothing to violate


def test_schema_driven_requests_never_get_a_server_error(live_server):
    manager = Tablet(live_server, "zhao.min", "schemathesis-tablet")
    spec = requests.get(live_server.url("/openapi.json"), timeout=30).json()
    schema = schemathesis.openapi.from_dict(spec)
    seen: Counter[tuple[str, int]] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert any(op.path == "/api/v1/sync/push" for op in operations)
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, live_server, manager, seen)
    assert seen[("/api/v1/sync/push", 200)] > 0, seen  # push bodies were generated, not just refused
