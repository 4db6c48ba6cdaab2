"""Hand-overs of a leaving rep's customers (managers of the site only; 001 §14(五)3(12))."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ..errors import ApiError
from ..services import handover
from ..services.audit import Origin
from ..services.auth import Caller
from ..services.client_address import request_address
from ..services.conflicts import REASON_MAX_CHARS
from ..storage.base import Store
from .body import read_json
from .deps import ManagerDep, SettingsDep, StoreDep
from .openapi import body_ref
from .request_errors import validation_error
from .schemas import ERRORS, Text

router = APIRouter(prefix="/handovers", tags=["handovers"])


class HandoverRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_rep: Text = Field(min_length=1, max_length=200)
    method: Literal["draw", "choice"]
    reason: Text = Field(max_length=REASON_MAX_CHARS)
    deals_too: bool = False
    exclude: list[Annotated[Text, Field(max_length=200)]] = Field(default_factory=list, max_length=1000)
    choices: dict[Text, Annotated[Text, Field(max_length=200)]] | None = Field(
        default=None, description="customer (unit) id -> receiving rep, for method choice")


class HandoverOut(BaseModel):
    id: str
    from_rep: str
    author: str
    created_at: str
    reason: str
    method: str
    deals_too: bool
    seed: str | None
    algorithm: str | None
    receivers: list[str]
    drawn: list[str]
    result: dict[str, str]
    counts: dict[str, int]
    verified: bool


def _candidates(store: Store, caller: Caller, from_rep: str) -> dict[str, Any]:
    units = handover.leaving_units(store, caller, from_rep)
    return {"from_rep": from_rep,
            "customers": [{"id": u.id, "customer_ids": [c.id for c in u.customers], "name": u.name,
                           "status": u.status} for u in units],
            "deals": sum(1 for u in units if u.deal),
            "receivers": [u.username for u in handover.receivers_for(store, caller, from_rep)]}


@router.get("", response_model=list[HandoverOut], responses=ERRORS(401, 403))
def get_handovers(caller: ManagerDep, store: StoreDep) -> list[dict]:
    """The site's hand-overs, newest first."""
    return [handover.view(row) for row in handover.list_for(store, caller)]


@router.get("/candidates", responses=ERRORS(401, 403, 422))
def get_candidates(caller: ManagerDep, store: StoreDep,
                   from_rep: Annotated[str, Query(min_length=1, max_length=200)]) -> dict[str, Any]:
    """The customers ``from_rep`` holds now (units: a household counts once; ``status``
    protected, disputed or deal) and the active reps who may receive them."""
    return _candidates(store, caller, from_rep)


@router.get("/{handover_id}", response_model=HandoverOut, responses=ERRORS(401, 403, 404))
def get_handover(handover_id: str, caller: ManagerDep, store: StoreDep) -> dict:
    """One hand-over of the site; ``verified``: its draw run again from its seed gives its result."""
    return handover.view(handover.get(store, caller, handover_id))


@router.post("", response_model=HandoverOut, status_code=201, responses=ERRORS(401, 403, 409, 413, 422),
             openapi_extra=body_ref(HandoverRequest))
async def post_handover(request: Request, caller: ManagerDep, store: StoreDep, settings: SettingsDep) -> dict:
    """Hand a leaving rep's customers over: ``method`` ``draw`` (the server chooses the seed;
    ``exclude`` reps who do not receive) or ``choice`` (``choices`` names a rep for every
    customer). ``deals_too``: customers with a deal move too (otherwise they keep their rep).
    The body is read only after authentication."""
    payload = await read_json(request, settings.max_body_bytes)
    try:
        body = HandoverRequest.model_validate(payload)
    except ValidationError as exc:
        raise validation_error(exc) from None
    origin = Origin.api(caller.user.username, request_address(request))
    try:
        row = await run_in_threadpool(lambda: handover.record(
            store, caller, body.from_rep, body.method, body.reason, origin=origin, deals_too=body.deals_too,
            exclude=body.exclude, choices=body.choices))
    except ApiError as exc:  # a second identical POST: 409 naming the hand-over made, not "reload the page"
        raise handover.handed_over_already(store, caller, body.from_rep, exc) from None
    return handover.view(row)
