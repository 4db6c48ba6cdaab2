from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from shared.records import CUSTOMER_PHONE_MAX

from ..services.client_address import request_address
from ..services.customers import customer_detail, lookup
from .deps import CallerDep, StoreDep
from .schemas import ERRORS, CustomerDetail, Lookup

router = APIRouter(prefix="/customers", tags=["customers"])


@router.get("/lookup", response_model=Lookup, responses=ERRORS(401, 403, 404, 422, 429))
def lookup_customer(phone: Annotated[str, Query(min_length=1, max_length=CUSTOMER_PHONE_MAX,
                                                description="as typed; normalised by the site's region")],
                    caller: CallerDep, store: StoreDep, request: Request) -> dict:
    """Who owns this phone's customer. Anyone of the site sees owner and status; only the owner
    and managers see the name, the full phone and the explanation. Reception and reps have a
    budget of 120 look-ups per rolling hour (429 ``lookup_budget`` with Retry-After beyond it;
    services/lookup_budget.py, QA of issue 14 finding 2); managers are not limited."""
    return lookup(store, caller, phone, budget=request.app.state.lookup_budget, address=request_address(request))


@router.get("/{customer_id}", response_model=CustomerDetail, responses=ERRORS(401, 403, 404))
def get_customer(customer_id: str, caller: CallerDep, store: StoreDep) -> dict:
    """The customer's full timeline (owner and managers only)."""
    return customer_detail(store, caller, customer_id)
