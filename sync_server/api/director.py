"""The sales director's JSON API (issue 12 QA item 9; protocol.md "Director API"): sign in for
a token, list the organisation's proposals, approve one or return it with a reason. The rules
are the console's (``services.approval``): a director reaches their organisation's sites only
(another's proposal is 404 ``unknown_proposal``), never approves a decision they wrote (403
``own_decision``), and every approval and return is in the audit log, from the caller's address."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ..services import approval, director_tokens
from ..services.approval import DirectorActor
from ..services.audit import Origin
from ..services.client_address import request_address
from ..storage.base import Store
from .body import read_json
from .deps import SettingsDep, StoreDep
from .openapi import body_ref
from .request_errors import validation_error
from .schemas import ERRORS, Secret, Text

router = APIRouter(tags=["director"])

_bearer = HTTPBearer(auto_error=False, description="a director's token from POST /api/v1/auth/director")


class DirectorSignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Text = Field(min_length=1, max_length=64)
    password: Secret = Field(min_length=1, max_length=1024)


class DirectorOut(BaseModel):
    username: str
    name: str
    org_id: str
    site_ids: list[str]


class DirectorToken(BaseModel):
    token: str
    expires_at: str
    director: DirectorOut


class ReturnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text = Field(max_length=approval.REASON_MAX_CHARS)


class ProposalOut(BaseModel):
    id: str
    site_id: str
    conflict_id: str
    status: Literal["awaiting", "approved", "returned"]
    owner: str
    split: dict[str, int] | None
    rule_owner: str | None
    reason: str
    proposed_by: str
    proposed_at: str
    reviewed_by: str | None
    reviewed_at: str | None
    return_reason: str | None
    decision_id: str | None


def _header(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return f"{credentials.scheme} {credentials.credentials}" if credentials else None


def get_director(store: StoreDep,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> DirectorActor:
    return director_tokens.director_of(store, _header(credentials))


DirectorDep = Annotated[DirectorActor, Depends(get_director)]


@router.post("/auth/director", response_model=DirectorToken, responses=ERRORS(401, 403, 413, 422, 429),
             openapi_extra=body_ref(DirectorSignIn))
async def sign_in(request: Request, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """A sales director's token (shown only in this answer; valid 12 hours). Wrong passwords
    are throttled like enrolment (429); sign-ins, failures and lock-outs are in the audit log
    of every site of the director's organisation."""
    try:
        body = DirectorSignIn.model_validate(await read_json(request, settings.max_body_bytes))
    except ValidationError as exc:
        raise validation_error(exc) from None
    token, expires_at, director = await run_in_threadpool(
        director_tokens.sign_in, store, body.username, body.password,
        throttle=request.app.state.sign_in_throttle, address=request_address(request))
    sites = await run_in_threadpool(store.sites_of_org, director.org_id)
    return {"token": token, "expires_at": expires_at,
            "director": {"username": director.username, "name": director.name, "org_id": director.org_id,
                         "site_ids": sites}}


@router.delete("/auth/director", status_code=204, responses=ERRORS(401))
def sign_out(director: DirectorDep, store: StoreDep,
             credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Response:
    """End this token (its next use is 401 ``bad_token``)."""
    director_tokens.sign_out(store, _header(credentials))
    return Response(status_code=204)


@router.get("/director/proposals", response_model=list[ProposalOut], responses=ERRORS(401, 403, 422))
def list_proposals(director: DirectorDep, store: StoreDep,
                   status: Annotated[Literal["awaiting", "approved", "returned", "all"], Query()] = "awaiting",
                   ) -> list[dict]:
    """The organisation's proposals (``status``, default awaiting), oldest first."""
    return [approval.proposal_view(store, p)
            for p in approval.proposals_for(store, director, None if status == "all" else status)]


def _review(store: Store, director: DirectorActor, origin: Origin, proposal_id: str, reason: str | None) -> dict:
    proposal = approval.find_proposal(store, director, proposal_id)
    if reason is None:
        reviewed = approval.approve(store, director, origin, proposal.site_id, proposal.id)
    else:
        reviewed = approval.send_back(store, director, origin, proposal.site_id, proposal.id, reason)
    return approval.proposal_view(store, reviewed)


@router.post("/director/proposals/{proposal_id}/approve", response_model=ProposalOut,
             responses=ERRORS(401, 403, 404, 409))
async def approve(proposal_id: str, request: Request, director: DirectorDep, store: StoreDep) -> dict:
    """Approve a proposal: its decision takes effect from now. 404 ``unknown_proposal`` (not at
    the organisation's sites), 403 ``own_decision``, 409 ``already_reviewed`` /
    ``conflict_closed`` / ``owner_left`` / ``handed_over_since``."""
    origin = Origin.director_api(director.director.username, request_address(request))
    return await run_in_threadpool(_review, store, director, origin, proposal_id, None)


@router.post("/director/proposals/{proposal_id}/return", response_model=ProposalOut,
             responses=ERRORS(401, 403, 404, 409, 413, 422), openapi_extra=body_ref(ReturnRequest))
async def send_back(proposal_id: str, request: Request, director: DirectorDep, store: StoreDep,
                    settings: SettingsDep) -> dict:
    """Return a proposal to the manager with ``reason`` (required, at most 4000 characters).
    Errors as approve, and 422 ``missing_reason`` / ``too_long``."""
    try:
        body = ReturnRequest.model_validate(await read_json(request, settings.max_body_bytes))
    except ValidationError as exc:
        raise validation_error(exc) from None
    origin = Origin.director_api(director.director.username, request_address(request))
    return await run_in_threadpool(_review, store, director, origin, proposal_id, body.reason)
