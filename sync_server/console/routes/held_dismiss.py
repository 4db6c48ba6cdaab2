"""待确认归属's confirmation pages (issue 14 N3): 不予确认 (refuse) one held record, a phone's or
all of a pusher's, with the reason the pusher will read; and "confirm all of this person's",
which says plainly that confirming answers the pusher's look-up. Nothing is written by a GET;
the POST is CSRF-checked and redirects (POST-redirect-GET)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from shared.phones import display_phone
from shared.timeutil import utc_now

from ...services.held import ALL_OF_PUSHER, REASON_MAX, BadReason, NotHeldHere, dismiss_records
from ..deps import Manager, ManagerDep
from .confirm import page_of
from .held import held_url, refused_text

router = APIRouter()


def _target(manager: Manager, record_id: str, phone: str, pusher: str) -> dict | None:
    """What a confirmation page is about, from its query or form: ``{"kind", "n", "what"
    (args of its sentence), "record_id", "phone", "pusher"}`` with ``n`` the records held now
    (0: nothing left to do); None when it names nothing of the site."""
    view, site = manager.page, manager.site
    store, reporting = view.state.store, view.state.reporting
    people = reporting.people(site.id)
    record_id, phone, pusher = record_id.strip().lower(), phone.strip(), pusher.strip()
    if pusher:
        if pusher not in people:
            return None
        held = store.held_page(site.id, 0, ALL_OF_PUSHER, author=pusher)
        return {"kind": "pusher", "n": len(held), "record_id": "", "phone": "", "pusher": pusher,
                "what": {"name": people[pusher][0], "n": len(held), "phones": len({h.phone_key for h in held})}}
    if phone:
        held = store.held_of_phones(site.id, [phone])
        if not held and not store.records_for_keys(site.id, [phone]):
            return None
        return {"kind": "phone", "n": len(held), "record_id": "", "phone": phone, "pusher": "",
                "what": {"phone": display_phone(phone), "n": len(held)}}
    if record_id:
        views = reporting.records_by_ids(site.id, [record_id])
        if not views:
            return None
        v = views[0]
        n = len(store.held_record_ids(site.id, [record_id]))
        return {"kind": "one", "n": n, "record_id": record_id, "phone": "", "pusher": "",
                "what": {"type": view.t("type." + v.record.type), "name": v.customer_name or "—",
                         "phone": display_phone(v.record.phone_key) if v.record.phone_key else "—",
                         "pusher": v.author_name}}
    return None


def _page(manager: Manager, mode: str, target: dict, back: str, reason: str = "", error: str | None = None,
          status_code: int = 200) -> Response:
    return manager.page.render("held_confirm.html", status_code=status_code, manager=manager, mode=mode,
                               target=target, back=back, reason=reason, error=error, reason_max=REASON_MAX)


def _not_found(manager: Manager) -> Response:
    return manager.page.render("error.html", status_code=404, manager=manager,
                               message=manager.page.t("error.not_found"))


@router.get("/held/dismiss")
def dismiss_page(manager: ManagerDep, record_id: str = "", phone: str = "", pusher: str = "",
                 back_pusher: str = "", page: str = "") -> Response:
    """What 不予确认 of ``record_id``, ``phone`` or ``pusher`` does, the records it takes, and
    the reason field; nothing held any more: back to the list, saying so."""
    target = _target(manager, record_id, phone, pusher)
    if target is None:
        return _not_found(manager)
    back = held_url(page_of(page), back_pusher.strip())
    if not target["n"]:
        return _nothing_left(manager, target, back)
    return _page(manager, "dismiss", target, back)


@router.get("/held/release")
def release_page(manager: ManagerDep, pusher: str = "") -> Response:
    """"Confirm all of this person's": how many, and what confirming answers to them."""
    target = _target(manager, "", "", pusher) if pusher.strip() else None
    if target is None:
        return _not_found(manager)
    if not target["n"]:
        return _nothing_left(manager, target, held_url())
    return _page(manager, "release", target, held_url(None, target["pusher"]))


def _nothing_left(manager: Manager, target: dict, back: str) -> Response:
    view, site = manager.page, manager.site
    if target["kind"] == "pusher":
        return view.redirect(held_url(), flash=view.t("held.nothing_held_pusher", name=target["what"]["name"]))
    asked = [target["record_id"]] if target["record_id"] else []
    refusals = list(view.state.store.dismissed(site.id, asked).values())
    if target["phone"]:
        refusals += view.state.store.dismissed_of_phones(site.id, [target["phone"]])
    if refusals:
        latest = max(refusals, key=lambda d: (d.dismissed_at, d.held.record_id))
        return view.redirect(back, flash=refused_text(manager, latest), flash_kind="error")
    return view.redirect(back, flash=view.t("held.already_released"))


@router.post("/held/dismiss")
async def dismiss(manager: ManagerDep) -> Response:
    """Refuse the records the confirmation page named (``record_id``, ``phone`` or ``pusher``)
    with ``reason``; 303 to the list with what was done. No reason, or too long: the page again
    with the message (400, nothing written); a second submit: who refused them, when and why."""
    view, site = manager.page, manager.site
    form = await view.check_csrf()
    record_id, phone, pusher = (str(form.get(k) or "") for k in ("record_id", "phone", "pusher"))
    reason = str(form.get("reason") or "")
    back = str(form.get("back") or "")
    back = back if back.startswith("/console/held") and "//" not in back else held_url()
    target = _target(manager, record_id, phone, pusher)
    if target is None:
        return _not_found(manager)
    try:
        done = dismiss_records(view.state.store, site, manager.origin, reason, record_ids=[record_id] if record_id else [],
                               phone_key=phone, pusher=pusher, now=utc_now())
    except BadReason as bad:
        message = view.t("held." + bad.code, n=REASON_MAX)
        return _page(manager, "dismiss", target, back, reason=reason, error=message, status_code=400)
    except NotHeldHere:
        return _not_found(manager)
    if not done.dismissed:
        return _nothing_left(manager, target, back)
    people = view.state.reporting.people(site.id)
    names = ("、" if view.lang == "zh" else ", ").join(people.get(u, (u, ""))[0] for u in done.pushers)
    if target["kind"] == "pusher":  # their list is empty now: back to everyone's
        back = held_url()
    return view.redirect(back, flash=view.t("held.dismissed_done", count=len(done.dismissed), pushers=names))
