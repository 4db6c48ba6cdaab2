"""Who owns a customer: the look-up any user of the site may make (R5), and the full
timeline for the owner and managers."""

from __future__ import annotations

from shared.errors import InvalidPhone
from shared.explain import story_dicts
from shared.phones import normalise_phone, phone_hash
from shared.replica_privacy import holds_phone_tag
from shared.timeutil import format_time, utc_now

from ..errors import Forbidden, NotFound, Unprocessable
from ..storage.base import CustomerRow, Store
from .approval import awaiting_keys
from .auth import Caller
from .conflicts import decisions_of
from .lookup_budget import LookupBudget
from .ownership import decide_unit, first_ever_registered, unit_handovers, unit_keys
from .views import (
    arrivals,
    conflict_view,
    inactive_since,
    may_see_customer,
    ownership_view,
    record_view,
    serves_hash,
)

__all__ = ["lookup", "customer_detail"]


def _names(store: Store, site_id: str) -> dict[str, str]:
    return {u.username: u.name for u in store.list_users(site_id)}


def lookup(store: Store, caller: Caller, phone: str, budget: LookupBudget | None = None,
           address: str | None = None) -> dict:
    """Who owns the customer of ``phone`` (as typed, normalised by the site's region): the
    ownership view (``views.ownership_view``). Errors: 422 ``invalid_phone``, 404
    ``unknown_customer``; with a ``budget``, 429 ``lookup_budget`` once the caller (not a
    manager) has spent it (QA of issue 14 finding 2; a valid phone counts, found or not)."""
    try:
        key = normalise_phone(phone, caller.site.region)
    except InvalidPhone as exc:
        raise Unprocessable("invalid_phone", str(exc), "phone",
                            zh="这不是可用的个人手机号码：请与客户核对号码；境外号码请加 + 和国家代码。") from None
    if budget is not None:
        budget.charge(store, caller, address)
    customer = store.customers_by_keys(caller.site.id, [key]).get(key)
    if customer is None:
        raise NotFound("unknown_customer", "Nobody at this site has registered this phone yet; register the "
                       "customer as a new walk-in.", zh="本案场还没有人登记过这个电话：请作为新客户登记。")
    now = utc_now()
    first_ever = first_ever_registered(store, caller.site, [customer], now)
    return _api_view(customer, caller, _names(store, caller.site.id), now, first_ever,
                     awaiting_keys(store, caller.site.id))


def _api_view(customer: CustomerRow, caller: Caller, names: dict[str, str], now, first_ever,
              awaiting: set[str]) -> dict:
    """``ownership_view`` for the customers API: ``phone_tag`` (issue 14), and the legacy
    ``phone_hash`` only on a site set to ``replica_keys = legacy`` and under the tags' rules
    (``views.serves_hash``, docs/privacy.md)."""
    view = ownership_view(customer, caller, names, now, first_ever, keys="tag", awaiting=awaiting)
    user = caller.user
    holds = holds_phone_tag(user.role, user.username, customer.owner, customer.split)
    view["phone_hash"] = phone_hash(customer.site_id, customer.phone_key) \
        if serves_hash(caller.site, user, holds) else None
    return view


def _visible_customer(store: Store, caller: Caller, customer_id: str) -> CustomerRow:
    customer = store.get_customer(caller.site.id, customer_id)
    if customer is None:
        raise NotFound("unknown_customer", "No such customer at your site; look the phone up instead.",
                       zh="本案场没有这位客户：请改用电话号码查询。")
    if not may_see_customer(caller, customer):
        raise Forbidden("not_owner", "Only the customer's owner and managers see the details; look the phone up "
                        "to see who owns the customer.",
                        zh="只有客户的归属售楼员和经理能看详情：请用电话号码查询客户归属。")
    return customer


def customer_detail(store: Store, caller: Caller, customer_id: str) -> dict:
    """Ownership plus every record of the customer's household unit, its full reasoned history
    (every episode, not only the current one) and its conflicts."""
    customer = _visible_customer(store, caller, customer_id)
    site, now = caller.site, utc_now()
    keys = set().union(*unit_keys(store, site.id, [customer.phone_key]).values())
    records = sorted(store.with_chains(site.id, store.records_for_keys(site.id, keys)), key=lambda r: (r.estimated_at, r.id))
    decisions = store.decisions_for_keys(site.id, keys)
    names = _names(store, site.id)
    devices = {d.id: d.name for d in store.list_devices(site.id)}
    ownership = decide_unit(site, records, decisions, now, names, devices,
                            handovers=unit_handovers(store, site.id, keys), keys=keys)
    conflicts = store.conflicts_for_keys(site.id, keys)
    by_decision = decisions_of(store, site.id, conflicts)
    received = arrivals(store, conflicts)
    return {
        **_api_view(customer, caller, names, now,
                    {customer.id: format_time(ownership.first_ever_at) if ownership.first_ever_at else None},
                    awaiting_keys(store, site.id)),
        "records": [record_view(r, inactive_since(store.list_users(site.id))) for r in records],
        "history": story_dicts(ownership.history, site.utc_offset_minutes),
        "conflicts": [conflict_view(c, by_decision.get(c.decision_id or ""), received=received,
                                   utc_offset_minutes=site.utc_offset_minutes) for c in conflicts],
    }
