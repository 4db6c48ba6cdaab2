from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ..services.audit import Origin
from ..services.client_address import request_address
from ..services.conflicts import decide, get_conflict, list_conflicts
from .body import read_json
from .decision_body import read_decision, read_seen_claims
from .deps import ManagerDep, SettingsDep, StoreDep
from .openapi import body_ref
from .request_errors import validation_error
from .schemas import ERRORS, ConflictOut, DecisionRequest

router = APIRouter(prefix="/conflicts", tags=["conflicts"])


@router.get("", response_model=list[ConflictOut], responses=ERRORS(401, 403, 422))
def get_conflicts(caller: ManagerDep, store: StoreDep,
                  status: Annotated[Literal["open", "decided", "all"], Query()] = "open") -> list[dict]:
    """The site's ownership conflicts (managers only), oldest first."""
    return list_conflicts(store, caller, status)


@router.get("/{conflict_id}", response_model=ConflictOut, responses=ERRORS(401, 403, 404))
def get_one_conflict(conflict_id: str, caller: ManagerDep, store: StoreDep) -> dict:
    """One conflict of the site (managers only), as in the list."""
    return get_conflict(store, caller, conflict_id)


@router.post("/{conflict_id}/decision", response_model=ConflictOut, responses=ERRORS(401, 403, 404, 409, 413, 422),
             openapi_extra=body_ref(DecisionRequest))
async def post_decision(conflict_id: str, request: Request, caller: ManagerDep, store: StoreDep,
                        settings: SettingsDep) -> dict:
    """Decide an open conflict: ``owner`` (a rep of the site), optional ``split`` of whole
    percentages summing to 100, and a non-blank ``reason``; optional ``seen_claims``, the claim
    record ids the manager saw: 409 ``conflict_changed`` when the conflict's claims differ now
    (an old client without it decides as before). The body is read only after
    authentication. A refusal's ``message`` is in Chinese when ``Accept-Language`` prefers it
    (``messages`` holds both)."""
    payload = await read_json(request, settings.max_body_bytes)
    names = await run_in_threadpool(lambda: {u.username: u.name for u in store.list_users(caller.site.id)})
    owner, split, reason = read_decision(payload, names)  # each field's problem in words, zh and en (issue 9)
    seen = read_seen_claims(payload)
    try:
        DecisionRequest.model_validate(payload)  # the documented shape, last
    except ValidationError as exc:
        raise validation_error(exc) from None
    origin = Origin.api(caller.user.username, request_address(request))
    return await run_in_threadpool(decide, store, caller, conflict_id, owner, split, reason, origin, seen)
