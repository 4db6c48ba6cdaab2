"""Day confirmation (审核确认): the day's walk-ins and calls by desk and rep, confirmed in
bulk or one by one through ``services.confirmation``. The summary counts come from SQL
(``ReportingStore.day_tally``), the order from the day's chain ends (``day_ends``, light rows),
and only the shown page's chains are read whole (``chains``): a promotion day of thousands is
not built in Python (issue 11)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from ...services.confirmation import CONFIRMABLE_TYPES, NotConfirmable, confirm_records
from ...storage.day_tally import ordered_ends, time_order
from ..days import BadDay, DayFields, parse_day, today
from ..deps import ManagerDep
from ..formatting import local

router = APIRouter()


def _to_confirm(store, reporting, site_id: str, day) -> list[str]:
    """What 'confirm all' confirms: unconfirmed registrations of the day (a correction of a
    confirmed one included: confirm it again) and withdrawals of confirmed ones (the manager
    acknowledges) — the chain ends ``day_ends`` gives, in the page's order; never a held record
    a manager refused (不予确认, issue 14 N3)."""
    ends = ordered_ends(reporting.day_ends(site_id, CONFIRMABLE_TYPES, day))
    refused = _refused(store, site_id, ends)
    return ([e.id for e in ends if e.open and e.id not in refused]
            + [e.withdrawal_id for e in ends if e.acknowledge and e.withdrawal_id])


def _refused(store, site_id: str, ends) -> set[str]:
    """The open chain ends a manager refused on 待确认归属 (issue 14 N3): shown, never open."""
    return set(store.dismissed(site_id, [e.id for e in ends if e.open]))


PAGE_SIZE = 100
"""Registrations a page of the day shows (a promotion day brings thousands)."""


def page_of(text: str | None) -> int | None:
    """``?page=`` as a page number from 1 (1 when not given); None when it is not one."""
    text = (text or "").strip()
    if not text:
        return 1
    return int(text) if text.isdigit() and 0 < len(text) < 7 and int(text) > 0 else None


def _day_page(manager, day_text: str | None, page_text: str | None = None) -> Response:
    """The day's summary (every registration), its rows one page of ``PAGE_SIZE`` at a time by
    desk then time, the page past the last showing the last."""
    page, site = manager.page, manager.site
    # a day that is not one: 422 with today's page and the problem beside the field (QA of issue
    # 15: a 303 to today dropped it), as every console page that reads a day (``DayFields``)
    fields = DayFields(page.t)
    day = fields.day("day", day_text, today(site.utc_offset_minutes))
    number = page_of(page_text)
    if number is None and not fields.errors:
        return page.redirect(f"/console/confirm?day={day.isoformat()}", flash_kind="error",
                             flash=page.t("confirm.bad_page", text=(page_text or "")[:20]))
    number = number or 1
    reporting = page.state.reporting
    with page.state.store.read():  # the counts, the order and the page's rows of one snapshot
        tally, found = reporting.day_overview(site.id, CONFIRMABLE_TYPES, day)
        timed = time_order(found)
        ends = ordered_ends(timed, timed=True)
        pages = max(1, -(-len(ends) // PAGE_SIZE))
        number = min(number, pages)
        first = (number - 1) * PAGE_SIZE
        cut = ends[first:first + PAGE_SIZE]
        chains = {v.record.id: v for v in reporting.chains(site.id, CONFIRMABLE_TYPES, {e.root_id for e in cut})}
    shown: dict[str, list] = {}
    for v in (chains[e.id] for e in cut if e.id in chains):
        shown.setdefault(v.device_name, []).append(v)
    # the summary counts registrations; withdrawals to acknowledge are said apart (issue 9 QA:
    # "共 1 条，未确认 2 条" counted a withdrawal as an unconfirmed registration)
    no_rep = page.t("confirm.no_rep")
    by_desk: dict[str, list[int]] = {e.desk: [0, 0] for e in ends}  # live, withdrawn; the page's desk order
    by_rep: dict[str, list[int]] = {e.rep or no_rep: [0, 0, 0, 0] for e in timed}  # live, confirmed, withdrawn, refused
    for row in tally:
        by_desk.setdefault(row.desk, [0, 0])
        by_desk[row.desk][0] += row.live
        by_desk[row.desk][1] += row.withdrawn
        counts = by_rep.setdefault(row.rep or no_rep, [0, 0, 0, 0])
        counts[0] += row.live
        counts[1] += row.confirmed
        counts[2] += row.withdrawn
    live_count = sum(r.live for r in tally)
    refused = _refused(page.state.store, site.id, ends)  # 不予确认: shown, not waiting for a confirmation
    for e in ends:  # per rep too (QA5 F2: the rep table counted them as 未确认 after 全部确认)
        if e.id in refused:
            by_rep.setdefault(e.rep or no_rep, [0, 0, 0, 0])[3] += 1
    open_count = live_count - sum(r.confirmed for r in tally) - len(refused)
    ack_count = sum(r.acknowledge for r in tally)
    # a registration of the page that is a claim in an open dispute gets the 有争议 badge: the
    # disputes of the page's customers only (all open ones of a busy site were ~0.5 s to read)
    # and their households (a household's dispute is filed under one member's phone)
    store = page.state.store
    keys = {k for link in store.linked_component(site.id, {v.record.phone_key for rows in shown.values()
                                                           for v in rows}) for k in link if k}
    disputed = {claim["record_id"] for c in store.conflicts_for_keys(site.id, keys)
                if c.status == "open" for claim in c.claims}
    return page.render("confirm.html", status_code=fields.status, field_errors=fields.errors, manager=manager, day=day,
                       prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1), total=len(ends),
                       by_desk=by_desk, shown=shown, by_rep=by_rep, open_count=open_count, disputed=disputed,
                       page_number=number, pages=pages, first_row=first + 1,
                       last_row=min(first + PAGE_SIZE, len(ends)),
                       live_count=live_count,  # a withdrawn one is shown, not counted
                       withdrawn_count=sum(r.withdrawn for r in tally), ack_count=ack_count,
                       people=reporting.people(site.id))


@router.get("/confirm")
def day_confirmation(manager: ManagerDep, day: str = "", page: str = "") -> Response:
    return _day_page(manager, day, page)


@router.post("/confirm")
async def confirm(manager: ManagerDep) -> Response:
    """Confirm, then 303 back to the same day (redirect-after-post: the address keeps ``?day``
    and reloading does not post again); the outcome is shown once on that page."""
    page, site = manager.page, manager.site
    form = await page.check_csrf()
    try:
        day_text = str(form.get("day") or "").strip()
        if not day_text and form.get("all"):  # "confirm all" of a day nobody named, never (named rows may go)
            raise BadDay("")
        day = parse_day(day_text, today(site.utc_offset_minutes))
    except BadDay as bad:  # never confirm "all" of a day nobody asked for (issue 9 QA)
        message = page.t("confirm.bad_day", text=bad.text) if bad.text else page.t("confirm.no_day")
        return page.redirect("/console/confirm", flash=message, flash_kind="error")
    number = page_of(str(form.get("page") or ""))
    back = f"/console/confirm?day={day.isoformat()}" + (f"&page={number}" if number and number > 1 else "")
    if form.get("all"):
        ids = _to_confirm(page.state.store, page.state.reporting, site.id, day)
    else:
        ids = [str(i) for i in form.getlist("record_id")]
    if not ids:
        return page.redirect(back, flash=page.t("confirm.nothing"), flash_kind="error")
    try:
        result = confirm_records(page.state.store, site_id=site.id, author=manager.user.username, record_ids=ids)
    except NotConfirmable:
        return page.redirect(back, flash=page.t("error.not_found"), flash_kind="error")
    if not result.confirmed and result.already:  # another manager was quicker (issue 9 QA: "已确认 0 条")
        first = next(iter(page.state.reporting.confirmations(site.id, result.already).values()), None)
        if first is not None:
            name = page.state.reporting.people(site.id).get(first.author, (first.author, ""))[0]
            return page.redirect(back, flash=page.t("confirm.already", name=name,
                                                    time=local(first.confirmed_at, site.utc_offset_minutes)))
    done = page.t("confirm.done", count=len(result.confirmed))
    if result.dismissed:  # refused on 待确认归属: never confirmed (issue 14 N3)
        done += page.t("confirm.dismissed_skipped", n=len(result.dismissed))
    return page.redirect(back, flash=done)
