"""Customer search and one customer's page: everything in time order, and the ownership
history with each step's explanation."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ...services.views import arrived_after_deactivation, inactive_since
from ...storage.base import DecisionRow
from ...storage.reporting import DEAL_WITHDRAWN, RecordView
from ..deps import ManagerDep
from ..explaining import explain, ownership_now
from ..field_labels import field_name, field_value

router = APIRouter()


@router.get("/customers")
def customer_search(manager: ManagerDep, q: str = "") -> Response:
    page = manager.page
    found = page.state.reporting.find_customers(manager.site.id, q)
    return page.render("customers.html", manager=manager, q=q, customers=found,
                       people=page.state.reporting.people(manager.site.id))


@router.get("/customers/{customer_id}")
def customer_page(manager: ManagerDep, customer_id: str) -> Response:
    page, site = manager.page, manager.site
    timeline = page.state.reporting.timeline(site.id, customer_id)
    if timeline is None:
        return page.render("error.html", status_code=404, manager=manager, message=page.t("error.not_found"))
    entries: list[tuple[str, str, RecordView | DecisionRow]] = [
        (v.record.estimated_at, "record", v) for v in timeline.records]
    entries += [(d.decided_at, "decision", d) for d in timeline.decisions]
    entries.sort(key=lambda e: _instant(e[0]))
    inactive = inactive_since(page.state.store.list_users(site.id))  # issue 8 item 8
    late = {v.record.id for v in timeline.records if arrived_after_deactivation(v.record, inactive)}
    ownership = ownership_now(page.state.store, site, timeline)
    # 首次登记 is the first ever (issue 9 item 10); the current claim's start is shown beside it when later
    first_ever, since = ownership.first_ever_at, timeline.customer.first_registered_at
    since = since if since and first_ever and _instant(since) != first_ever else None
    # a time an impossible clock stands for is told as unknown, never as a time (issue 9 QA item 3)
    placeholders = {_instant(v.record.estimated_at) for v in timeline.records if v.record.clock_method == "impossible"}
    unknown = {"first": first_ever in placeholders, "since": since is not None and _instant(since) in placeholders}
    deals = [v for v in timeline.records if v.record.type == "deal"]  # a repeat of a counted stage is marked (F5)
    return page.render("customer.html", manager=manager, customer=timeline.customer, entries=entries, late=late,
                       corrections=corrections(timeline.records, page.lang),
                       deals=deals, repeated=page.state.reporting.repeated_deals(site.id, [v.record.id for v in deals]),
                       deal_withdrawn=DEAL_WITHDRAWN,
                       conflicts=timeline.conflicts, people=page.state.reporting.people(site.id),
                       first_ever=first_ever, claim_since=since, unknown=unknown,
                       history=explain(ownership.history, page.lang, site.utc_offset_minutes))


def corrections(views, lang: str) -> list[dict]:
    """Each correction of the customer's records (R4: a new version, history stays): when, who,
    and what changed, before -> after (rep, name, phone, then each form field), oldest first."""
    by_id = {v.record.id: v for v in views}
    out = []
    for after in views:
        before = by_id.get(after.record.supersedes or "")
        if before is None or after.record.type == "withdrawal":
            continue
        changes = []
        if before.record.rep != after.record.rep:
            changes.append(("rep", before.rep_name or "—", after.rep_name or "—"))
        if before.customer_name != after.customer_name:
            changes.append(("customer", before.customer_name or "—", after.customer_name or "—"))
        if before.record.phone_key != after.record.phone_key:
            changes.append(("phone", before.record.phone_key, after.record.phone_key))
        for key in sorted(set(before.data) | set(after.data)):
            if before.data.get(key) != after.data.get(key):  # named and shown in the reader's words
                changes.append((field_name(key, lang), field_value(key, before.data.get(key), lang),
                                field_value(key, after.data.get(key), lang)))
        out.append({"record": after.record, "previous": before.record, "author": after.author_name,
                    "at": after.record.estimated_at, "received_at": after.record.received_at, "changes": changes})
    out.sort(key=lambda c: _instant(c["received_at"]))
    return out


def _instant(text: str):
    from shared.timeutil import parse_time

    return parse_time(text)
