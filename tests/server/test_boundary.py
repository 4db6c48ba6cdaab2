"""Issue 8, the boundary: nothing a tablet sends breaks a push. Each failing input of the issue
(items 1-5 and 10) pushed beside one good walk-in, on SQLite and on PostgreSQL: the good record
is accepted, the bad one rejected alone with a code and a field (or, for an envelope, a 4xx in
the error shape); never a 5xx."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import requests

from shared.boundary import MAX_NESTING, MAX_SAFE_INTEGER
from shared.timeutil import parse_time
from tests.server.helpers import Tablet


@pytest.fixture(scope="module")
def desk(live_server):
    return Tablet(live_server, "desk.li")


@pytest.fixture(scope="module")
def rep(live_server):
    return Tablet(live_server, "wang.li")


_phones = iter(range(10_000_000, 99_999_999))


def _good(tablet: Tablet, type_: str = "walkin", **kwargs) -> dict:
    return tablet.record(type_, phone=f"139{next(_phones):08d}", **kwargs)


def _push_text(tablet: Tablet, text: str) -> requests.Response:
    """Push a raw JSON text (for tokens ``requests`` would never write: NaN, lone surrogates)."""
    return requests.post(tablet.server.url("/sync/push"), data=text.encode("utf-8", "surrogatepass"),
                         headers={**tablet.headers, "Content-Type": "application/json"}, timeout=60)


def _raw(tablet: Tablet, records: list[dict], replacements: dict[str, str]) -> requests.Response:
    """The envelope of ``records`` as JSON text with each ``"placeholder"`` replaced by raw JSON."""
    text = json.dumps(tablet.envelope(records), ensure_ascii=True)
    for placeholder, raw in replacements.items():
        text = text.replace(json.dumps(placeholder), raw)
    return _push_text(tablet, text)


def _outcome(response: requests.Response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.text
    return [(r["status"], r.get("error", {}).get("field")) if r["status"] != "rejected"
            else (r["error"]["code"], r["error"]["field"]) for r in response.json()["results"]]


def _sql(server, query: str, params: tuple = ()) -> list[tuple]:
    """Read the server's own database (SQLite file or PostgreSQL) directly."""
    if server.db_url.startswith("sqlite:///"):
        with sqlite3.connect(server.db_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(query, params).fetchall()
    with psycopg.connect(server.db_url, autocommit=True) as conn:
        return conn.execute(query.replace("?", "%s"), params).fetchall()


def _execute(server, statements: list[str]) -> None:
    if server.db_url.startswith("sqlite:///"):
        with sqlite3.connect(server.db_url.removeprefix("sqlite:///")) as conn:
            for statement in statements:
                conn.execute(statement)
        return
    with psycopg.connect(server.db_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


# -- item 1: times out of range --------------------------------------------------------------
def test_far_future_capture_time_rejects_only_that_record(desk):
    bad = {**_good(desk), "captured_at": "9999-12-31T23:59:59.000+08:00"}
    del bad["clock"]
    good = _good(desk)
    assert _outcome(desk.push_raw([good, bad, _good(desk)])) == [
        ("accepted", None), ("invalid_time", "captured_at"), ("accepted", None)]


@pytest.mark.parametrize("captured_at", ["0001-01-01T00:00:00.000+14:00", "1969-12-31T23:59:59.999Z",
                                         "9999-12-31T23:59:59.999-12:00"])
def test_capture_time_outside_the_bounds_is_invalid_time(desk, captured_at):
    bad = {**_good(desk), "captured_at": captured_at}
    assert _outcome(desk.push_raw([bad, _good(desk)])) == [("invalid_time", "captured_at"), ("accepted", None)]


def test_a_reset_clock_at_the_epoch_is_still_accepted(desk):
    """1970-01-01 is the floor: a tablet whose clock was reset must not lose its registration."""
    reset = {**_good(desk), "captured_at": "1970-01-01T08:05:00.000+08:00"}
    assert _outcome(desk.push_raw([reset])) == [("accepted", None)]


def test_elapsed_clock_at_its_bound_is_estimated_without_overflow(live_server):
    """A push at elapsed 2^53-1 carrying a record at elapsed 0 of the same boot: 285,000 years back
    cannot be a time; the record is accepted with its estimate marked impossible (issue 8 item 7)."""
    tablet = Tablet(live_server, "desk.li", "desk-elapsed")
    record = {**_good(tablet), "clock": {"boot_id": tablet.boot, "elapsed_ms": 0}}
    body = tablet.envelope([record, _good(tablet)])
    body["clock"]["elapsed_ms"] = MAX_SAFE_INTEGER
    response = requests.post(live_server.url("/sync/push"), json=body, headers=tablet.headers, timeout=60)
    assert _outcome(response) == [("accepted", None), ("accepted", None)]
    changes, _ = tablet.pull_all()
    methods = {c["record"]["id"]: c["record"]["clock_method"] for c in changes if c["kind"] == "record"}
    assert methods[record["id"]] == "impossible"
    body = tablet.envelope([_good(tablet)])
    body["clock"]["elapsed_ms"] = MAX_SAFE_INTEGER + 1
    response = requests.post(live_server.url("/sync/push"), json=body, headers=tablet.headers, timeout=60)
    assert response.status_code == 422 and response.json()["error"]["field"] == "clock.elapsed_ms"


def test_far_future_sent_at_is_a_422_naming_it(desk):
    body = {**desk.envelope([_good(desk)]), "sent_at": "9999-12-31T23:59:59.000-12:00"}
    response = requests.post(desk.server.url("/sync/push"), json=body, headers=desk.headers, timeout=60)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "sent_at" and "clock" in response.json()["error"]["message"]


def test_a_tablet_whose_clock_runs_two_days_fast_still_syncs_with_true_capture_times(desk):
    """The wall clock is read, never trusted (protocol.md, Clocks): a desk two days fast pushes;
    its walk-in is accepted and estimated from the elapsed clock, not refused as invalid_time."""
    fast = datetime.now(UTC) + timedelta(days=2)
    record = {**_good(desk), "captured_at": (fast - timedelta(minutes=3)).isoformat(timespec="milliseconds")}
    record["clock"] = {"boot_id": desk.boot, "elapsed_ms": 1_000_000}
    body = desk.envelope([record])
    body["sent_at"] = fast.isoformat(timespec="milliseconds")
    body["clock"] = {"boot_id": desk.boot, "elapsed_ms": 1_180_000}
    response = requests.post(desk.server.url("/sync/push"), json=body, headers=desk.headers, timeout=60)
    assert _outcome(response) == [("accepted", None)]
    changes, _ = desk.pull_all()
    stored = next(c["record"] for c in changes if c["kind"] == "record" and c["record"]["id"] == record["id"])
    assert stored["clock_method"] == "same_boot"
    assert abs(parse_time(stored["estimated_at"]) - (datetime.now(UTC) - timedelta(minutes=3))) < timedelta(minutes=1)


@pytest.mark.parametrize("field,value", [("appointment_date", "9999-12-31"), ("appointment_date", "0001-01-01")])
def test_calendar_date_outside_the_bounds_rejects_only_that_record(desk, field, value):
    bad = _good(desk, "referral", data={field: value})
    assert _outcome(desk.push_raw([bad, _good(desk)])) == [("invalid_value", f"data.{field}"), ("accepted", None)]


# -- item 2: integers beyond 2^53 - 1 --------------------------------------------------------
@pytest.mark.parametrize("seq", [2**63, 2**53, -1, 0, 10**30])
def test_seq_beyond_its_bound_rejects_only_that_record_and_is_no_refused_seq(live_server, seq):
    tablet = Tablet(live_server, "desk.li", f"desk-seq-{seq}")
    good = _good(tablet)
    bad = {**_good(tablet), "seq": seq, "customer": {"name": "", "phone": "1"}}  # otherwise invalid too
    assert _outcome(tablet.push_raw([good, bad])) == [("accepted", None), ("invalid_value", "seq")]
    refused = _sql(live_server, "SELECT seq FROM refused_seqs WHERE device_id = ?", (tablet.device_id,))
    assert [s for (s,) in refused if not 1 <= s <= MAX_SAFE_INTEGER] == []


@pytest.mark.parametrize("value", [2**63, 2**53, -(2**63)])
def test_integer_fields_beyond_their_bounds_reject_only_that_record(desk, value):
    bad = _good(desk, data={"party_size": value})
    clock = {**_good(desk), "clock": {"boot_id": "b", "elapsed_ms": value}}
    assert _outcome(desk.push_raw([bad, clock, _good(desk)])) == [
        ("invalid_value", "data.party_size"), ("invalid_value", "clock.elapsed_ms"), ("accepted", None)]


# -- item 3: lone surrogates -----------------------------------------------------------------
@pytest.mark.parametrize("where", ["customer.name", "data.notes", "rep", "id", "clock.boot_id", "key"])
def test_lone_surrogate_in_a_record_rejects_only_that_record(desk, where):
    bad = _good(desk)
    half = "王\ud83d"
    if where == "key":
        bad["data"]["X"] = "x"
    elif "." in where:
        outer, inner = where.split(".")
        bad[outer][inner] = "X"
    else:
        bad[where] = "X"
    text = json.dumps(desk.envelope([_good(desk), bad]), ensure_ascii=True)
    text = text.replace('"X"', json.dumps(half, ensure_ascii=True))
    response = _push_text(desk, text)
    outcome = _outcome(response)
    assert outcome[0] == ("accepted", None) and outcome[1][0] == "invalid_value"
    assert outcome[1][1] == (where if where != "key" else "data.王\ufffd")


def test_lone_surrogate_in_the_envelope_is_a_422(desk):
    text = json.dumps(desk.envelope([_good(desk)]), ensure_ascii=True)
    text = text.replace('"device_id"', '"\\ud83d": 1, "device_id"')
    response = _push_text(desk, text)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"


# -- item 4: NaN and Infinity ----------------------------------------------------------------
@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" * 40])
def test_non_finite_amount_rejects_only_that_deal(live_server, rep, token):
    deal = _good(rep, "deal", rep="wang.li", data={"amount": "__AMOUNT__"})
    good = _good(rep, "deal", rep="wang.li", data={"amount": 1_250_000.5})
    response = _raw(rep, [deal, good], {"__AMOUNT__": token})
    assert _outcome(response) == [("invalid_value", "data.amount"), ("accepted", None)]
    changes, _ = rep.pull_all()
    pulled = {c["record"]["id"]: c["record"] for c in changes if c["kind"] == "record"}
    assert deal["id"] not in pulled and pulled[good["id"]]["data"]["amount"] == 1_250_000.5


def test_nan_in_the_envelope_is_a_422(desk):
    body = desk.envelope([_good(desk)])
    body["clock"]["elapsed_ms"] = "__NAN__"
    response = _push_text(desk, json.dumps(body).replace('"__NAN__"', "NaN"))
    assert response.status_code == 422 and response.json()["error"]["field"] == "clock.elapsed_ms"


# -- item 5: nesting --------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_body_is_a_422_in_the_error_shape(desk, depth):
    for text in ("[" * depth + "]" * depth,
                 json.dumps(desk.envelope([_good(desk, data={"notes": "__DEEP__"})]))
                 .replace('"__DEEP__"', "[" * depth + "]" * depth)):
        response = _push_text(desk, text)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "invalid_json"
        assert str(MAX_NESTING) in response.json()["error"]["message"]


def test_nesting_within_the_limit_rejects_only_that_record(desk):
    depth = MAX_NESTING - 6
    bad = _good(desk, data={"notes": "__DEEP__"})
    response = _raw(desk, [bad, _good(desk)], {"__DEEP__": "[" * depth + "]" * depth})
    assert _outcome(response) == [("wrong_type", "data.notes"), ("accepted", None)]


# -- fault isolation: a record the store itself refuses ----------------------------------------
_BOOM = "存储故障测试"


@pytest.fixture
def store_refuses_one_name(live_server):
    """A trigger in the server's own database that fails the insert of a record named _BOOM:
    a store-level fault no validation foresees."""
    if live_server.db_url.startswith("sqlite:///"):
        create = [f"CREATE TRIGGER boom BEFORE INSERT ON records WHEN NEW.name = '{_BOOM}' "
                  "BEGIN SELECT RAISE(ABORT, 'injected store fault'); END"]
        drop = ["DROP TRIGGER boom"]
    else:
        create = ["CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                  f"IF NEW.name = '{_BOOM}' THEN RAISE EXCEPTION 'injected store fault'; END IF; RETURN NEW; END $$",
                  "CREATE TRIGGER boom BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION boom()"]
        drop = ["DROP TRIGGER boom ON records", "DROP FUNCTION boom()"]
    _execute(live_server, create)
    yield
    _execute(live_server, drop)


def test_a_record_the_store_refuses_is_rejected_alone(live_server, store_refuses_one_name):
    tablet = Tablet(live_server, "desk.li", "desk-store-fault")
    first, boom, last = _good(tablet), _good(tablet, name=_BOOM), _good(tablet)
    correction = {**_good(tablet), "supersedes": boom["id"]}
    response = tablet.push_raw([first, boom, last, correction])
    assert _outcome(response) == [("accepted", None), ("not_stored", "id"), ("accepted", None),
                                  ("unknown_record", "supersedes")]
    assert response.json()["contiguous_seq"] == correction["seq"]  # every seq arrived
    changes, _ = tablet.pull_all()
    pulled = {c["record"]["id"] for c in changes if c["kind"] == "record"}
    assert {first["id"], last["id"]} <= pulled and boom["id"] not in pulled
    for phone in (first["customer"]["phone"], last["customer"]["phone"]):
        assert tablet.get("/customers/lookup", phone=phone).json()["owner"] == "wang.li"


# -- item 10: the published schema -------------------------------------------------------------
def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_resolves_every_reference_and_states_the_bounds(live_server):
    schema = requests.get(live_server.url("/openapi.json"), timeout=30).json()
    components = schema["components"]["schemas"]
    assert sorted({r for r in _refs(schema) if r.removeprefix("#/components/schemas/") not in components}) == []
    push = schema["paths"]["/api/v1/sync/push"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    push = components[push["$ref"].rsplit("/", 1)[-1]] if "$ref" in push else push
    assert push["properties"]["records"]["maxItems"] == 1000
    clock = components["WireClock"]["properties"]["elapsed_ms"]
    assert (clock["minimum"], clock["maximum"]) == (0, MAX_SAFE_INTEGER)
    record = components["WireRecord"]["properties"]
    assert record["seq"]["maximum"] == MAX_SAFE_INTEGER and record["customer"]
    assert "1970-01-01" in record["captured_at"]["description"]


@pytest.mark.parametrize("type_", [["walkin"], {"walkin": 1}, None, 7])
def test_a_type_that_is_no_text_rejects_only_that_record(desk, type_):
    bad = {**_good(desk), "type": type_}
    assert _outcome(desk.push_raw([bad, _good(desk)])) == [("unknown_type", "type"), ("accepted", None)]


# -- the other bodies a client sends: enrolment and decisions ----------------------------------
@pytest.mark.parametrize("text", ['{"username": "desk.li", "password": "\\ud83d", "device_name": "t"}',
                                  '{"username": "desk.li", "password": "x", "device_name": "\\udfff"}',
                                  "[" * 5_000 + "]" * 5_000,
                                  '{"username": "desk.li", "password": NaN, "device_name": "t"}'])
def test_enrolment_bodies_out_of_bounds_are_422_in_the_error_shape(live_server, text):
    response = requests.post(live_server.url("/auth/enroll"), data=text.encode(), timeout=60,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] in ("invalid_request", "invalid_json")


def test_decision_with_half_a_character_is_422(live_server):
    manager = Tablet(live_server, "zhao.min", "manager-decision")
    text = '{"owner": "wang.li", "reason": "\\ud83d"}'
    response = requests.post(live_server.url(f"/conflicts/{'0' * 8}/decision"), data=text.encode(), timeout=60,
                             headers={**manager.headers, "Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "reason"


@pytest.mark.parametrize("where", ["customer.phone", "data.household_phone", "id", "data.key", "key"])
def test_a_nul_echoed_in_a_rejection_never_fails_the_push(desk, where):
    """QA of issue 8 on PostgreSQL: a NUL in a phone, an id or a field name was echoed into the
    rejection, which PostgreSQL's refused_seqs cannot store: 500 for the whole push."""
    bad = _good(desk)
    if where == "customer.phone":
        bad["customer"] = {**bad["customer"], "phone": "138\u00000013 8000"}
    elif where == "data.household_phone":
        bad["data"] = {**bad["data"], "household_phone": "139\u00000013 9000"}
    elif where == "id":
        bad["id"] = "\u0000" + bad["id"][1:]
    elif where == "data.key":
        bad["data"] = {**bad["data"], "\u0000": 1}
    else:
        bad["\u0000"] = 1
    response = desk.push_raw([bad, _good(desk)])
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results[0]["status"] == "rejected" and results[1]["status"] == "accepted"
    error = results[0]["error"]
    assert "\u0000" not in error["message"] and "\u0000" not in (error["field"] or "")
