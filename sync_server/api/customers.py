from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from shared.records import CUSTOMER_PHONE_MAX

from ..services.customers import customer_detail, lookup
from .deps import CallerDep, StoreDep
from .schemas import ERRORS, CustomerDetail, Lookup

router = APIRouter(prefix="/customers", tags=["customers"])


@router.get("/lookup", response_model=Lookup, responses=ERRORS(401, 403, 404, 422))
def lookup_customer(phone: Annotated[str, Query(min_length=1, max_length=CUSTOMER_PHONE_MAX,
                                                description="as typed; normalised by the site's region")],
                    caller: CallerDep, store: StoreDep) -> dict:
    """Who owns this phone's customer. Anyone of the site sees owner and status; only the owner
    and managers see the name, the full phone and the explanation."""
    return lookup(store, caller, phone)


@router.get("/{customer_id}", response_model=CustomerDetail, responses=ERRORS(401, 403, 404))
def get_customer(customer_id: str, caller: CallerDep, store: StoreDep) -> dict:
    """The customer's full timeline (owner and managers only)."""
    return customer_detail(store, caller, customer_id)
