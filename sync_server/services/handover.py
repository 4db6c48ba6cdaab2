"""Hand-over of a leaving rep's customers (随机抽数分配, 001 §14(五)3(12)): by a seeded random
draw among the other active reps, or by the manager's choice per customer. Used by the API,
the console and the CLI alike.

What is handed over: the customers the leaving rep holds now — protected, disputed, or with a
deal (those only when ``deals_too``; otherwise a deal keeps its rep, R9). A customer whose
protection lapsed is nobody's to hand over (R2). A household (R6) moves as one: the draw draws
units, each named by its smallest customer id.

A hand-over is stored (``HandoverRow``) with its author, time, reason and — for a draw — the
seed, the algorithm, the sorted receivers and the sorted customer ids drawn, so anyone can run
``shared.handover.draw`` again and compare (``verify``). Then the units are decided again: the
engine applies the hand-over from its time on (``shared.ownership_handover``), and tablets pull
the new owner as an ``ownership`` change, like a decision's.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

from shared.handover import ALGORITHM, counts, draw
from shared.rotation_duty import duty_spans, on_duty_at
from shared.timeutil import format_time, parse_time, utc_now

from ..errors import ApiError, Conflict, NotFound, Unprocessable
from ..storage.base import CustomerRow, HandoverItemRow, HandoverRow, Store, User
from ..storage.reporting import ReportingStore
from . import audit
from .audit import Origin
from .auth import Actor
from .conflicts import REASON_MAX_CHARS
from .display import display_name, site_time
from .ownership import recompute, unit_keys
from .reasons import refuse_control_characters
from .views import status_at

__all__ = ["Unit", "Plan", "leaving_units", "receivers_for", "not_started", "plan", "log_preview", "previews_before", "record", "get", "list_for", "verify",
           "new_seed", "view", "METHODS"]

METHODS = ("draw", "choice")
_MOVABLE = ("protected", "disputed", "deal")


@dataclass(frozen=True)
class Unit:
    """One customer (or household, R6) the leaving rep holds: ``id`` its smallest customer id
    (the draw's input), ``customers`` its rows held by the rep, ``status`` as of now."""

    id: str
    customers: tuple[CustomerRow, ...]
    status: str

    @property
    def deal(self) -> bool:
        return self.status == "deal"

    @property
    def name(self) -> str:
        return "、".join(c.name for c in self.customers if c.name) or "—"


@dataclass(frozen=True)
class Plan:
    """What a hand-over would do: ``result`` unit id -> receiving rep; ``kept`` the units with
    a deal that stay with the leaving rep (not ``deals_too``); ``receivers`` the reps drawn
    among (sorted; empty for a choice); ``seed`` for a draw."""

    from_rep: str
    method: str
    deals_too: bool
    seed: str | None
    receivers: tuple[str, ...]
    units: tuple[Unit, ...]
    result: dict[str, str]
    kept: tuple[Unit, ...]

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.result, self.receivers)


def new_seed() -> str:
    """A fresh seed: 16 hex digits from ``secrets`` (64 bits)."""
    return secrets.token_hex(8)


def _refuse(code: str, en: str, zh: str, field: str | None = None) -> Unprocessable:
    return Unprocessable(code, en, field, zh=zh)


def _leaving(store: Store, actor: Actor, from_rep: str) -> User:
    user = store.get_user(from_rep)
    if user is None or user.site_id != actor.site.id or user.role != "rep":
        who = display_name(store, from_rep) if user is not None and user.site_id == actor.site.id else from_rep
        raise _refuse("unknown_rep", f"{who!r} is not a rep of this site; choose the rep who leaves from the "
                      "list.", f"“{who}”不是本案场的售楼员：请从列表中选择要交接的售楼员。", "from_rep")
    return user


def receivers_for(store: Store, actor: Actor, from_rep: str) -> list[User]:
    """The active reps of the site other than ``from_rep`` who are on duty now (a rep listed
    from a later day, ``users add --listed-from``, is not yet: ``shared.rotation_duty.on_duty_at``),
    by username: who may receive."""
    users = [u for u in store.list_users(actor.site.id) if u.role == "rep" and u.active and u.username != from_rep]
    started = on_duty_at(duty_spans(asdict(u) for u in users), utc_now())
    return [u for u in users if u.username in started]


def not_started(store: Store, actor: Actor, from_rep: str) -> list[User]:
    """The active reps of the site other than ``from_rep`` not yet on duty (listed from a later
    day): shown beside the receivers so a manager sees why they are missing (QA5)."""
    ready = {u.username for u in receivers_for(store, actor, from_rep)}
    return [u for u in store.list_users(actor.site.id)
            if u.role == "rep" and u.active and u.username != from_rep and u.username not in ready]


def leaving_units(store: Store, actor: Actor, from_rep: str) -> list[Unit]:
    """The customers ``from_rep`` holds now (protected, disputed or with a deal), grouped by
    household unit, by unit id. 422 ``unknown_rep`` for someone not a rep of the site."""
    _leaving(store, actor, from_rep)
    now = utc_now()
    rows = [c for c in store.customers_of_owner(actor.site.id, from_rep) if status_at(c, now) in _MOVABLE]
    units = unit_keys(store, actor.site.id, {c.phone_key for c in rows})
    out = []
    for keys in units.values():
        members = tuple(sorted((c for c in rows if c.phone_key in keys), key=lambda c: c.id))
        if members:
            statuses = {status_at(c, now) for c in members}
            status = "deal" if "deal" in statuses else "disputed" if "disputed" in statuses else "protected"
            out.append(Unit(id=members[0].id, customers=members, status=status))
    return sorted(out, key=lambda u: u.id)


def plan(store: Store, actor: Actor, from_rep: str, method: str, *, deals_too: bool = False,
         exclude: Iterable[str] = (), choices: Mapping[str, str] | None = None, seed: str | None = None) -> Plan:
    """The hand-over ``method`` (``draw``: among the active reps but ``exclude``, with ``seed``
    or a fresh one; ``choice``: ``choices`` unit id -> rep, every unit named) would make now.
    422 with a message in zh and en for a rep not of the site, no receiver left, a choice naming
    an unknown customer or rep, or a unit left without a receiver."""
    if method not in METHODS:
        raise _refuse("invalid_value", "Choose how to hand over: a random draw or your own choice per customer.",
                      "请选择交接方式：随机抽数分配，或逐个客户指定。", "method")
    units = leaving_units(store, actor, from_rep)
    kept = tuple(u for u in units if u.deal and not deals_too)
    moving = [u for u in units if not u.deal or deals_too]
    reps = {u.username for u in receivers_for(store, actor, from_rep)}
    if method == "draw":
        receivers = tuple(sorted(reps - set(exclude)))
        if not receivers:
            raise _refuse("no_receiver", "No rep on duty now is left to receive the customers (reps listed from a "
                          "later day cannot receive yet); exclude fewer reps.",
                          "没有可接收客户的在岗售楼员（尚未到岗的售楼员暂不能接收）：请少排除几位。", "exclude")
        seed = seed or new_seed()
        return Plan(from_rep, method, deals_too, seed, receivers, tuple(units),
                    draw([u.id for u in moving], receivers, seed), kept)
    choices = dict(choices or {})
    ids = {u.id for u in moving}
    strangers = sorted(set(choices) - ids)
    if strangers:
        raise _refuse("unknown_customer", "A chosen customer is not one this rep holds now (or has a deal and deals "
                      "are not included); reload the page.", "所选客户不是该售楼员当前的客户（或已成交而本次不含已成交客户）：请刷新页面。",
                      "choices")
    wrong = sorted({rep for rep in choices.values() if rep not in reps})
    if wrong:
        site_users = {u.username: u for u in store.list_users(actor.site.id)}  # another site's: as typed
        later = [site_users[r] for r in wrong if r in site_users and site_users[r].active
                 and site_users[r].role == "rep" and r != from_rep]
        if later:  # listed from a later day: not on duty yet
            now = utc_now()
            starts = [parse_time(p[0]) for u in later for p in u.duty_periods if p[0] and parse_time(p[0]) > now]
            day = site_time(store, actor.site.id, format_time(min(starts)))[:10] if starts else "?"
            names = [u.name or u.username for u in later]
            raise _refuse("rep_not_started", f"{', '.join(names)} is not on duty yet (from {day}): choose a rep "
                          "on duty now.", f"{'、'.join(names)} 尚未到岗（{day} 起）：请选择目前在岗的售楼员。", "choices")
        shown = [site_users[r].name if r in site_users and site_users[r].name else r for r in wrong]
        raise _refuse("unknown_rep", f"{', '.join(shown)} cannot receive customers: choose active reps of this site "
                      "other than the one who leaves.", f"{'、'.join(shown)} 不能接收客户：请选择本案场其他在职售楼员。",
                      "choices")
    missing = [u for u in moving if u.id not in choices]
    if missing:
        raise _refuse("missing_field", f"{len(missing)} customer(s) have no receiving rep; choose one for each.",
                      f"还有 {len(missing)} 位客户未指定接收的售楼员：请逐一选择。", "choices")
    return Plan(from_rep, method, deals_too, None, (), tuple(units), choices, kept)


def log_preview(store: Store, actor: Actor, origin: Origin, made: Plan, exclude: Iterable[str] = ()) -> None:
    """Write a previewed hand-over to the audit log (``handover.previewed`` on the leaving rep:
    the method, who sat out, who would get whom). Issue 12 QA: a manager could preview draw after
    draw, changing who sits out, until a preferred rep got the best customer; every preview now
    counts, and the record shows how many preceded it (``previews_before``)."""
    with store.write(actor.site.id):
        audit.log(store, actor.site.id, origin, "handover.previewed", made.from_rep, method=made.method,
                  deals_too=made.deals_too, excluded=sorted(set(exclude)), result=dict(sorted(made.result.items())))


def previews_before(store: Store, reporting: ReportingStore, row: HandoverRow) -> int:
    """How many previews of hand-overs of ``row.from_rep`` the audit log holds after the rep's
    previous hand-over and before ``row`` (``log_preview``). ``reporting``: the site's
    ``ReportingStore``."""
    earlier = [parse_time(h.created_at) for h in store.list_handovers(row.site_id)
               if h.from_rep == row.from_rep and parse_time(h.created_at) < parse_time(row.created_at)]
    found = reporting.audit_entries([row.site_id], max(earlier) if earlier else None, parse_time(row.created_at),
                                    person=row.from_rep, limit=100_000)
    return sum(1 for entry in found.rows if entry.action == "handover.previewed" and entry.target == row.from_rep)


def handed_over_already(store: Store, actor: Actor, from_rep: str, refusal: ApiError) -> ApiError:
    """``refusal`` of a hand-over (``nothing_to_hand_over``, or ``unknown_customer``: the chosen
    customers are no longer the rep's) as 409 ``already_handed_over`` when ``from_rep``'s
    customers were handed over before — a second identical POST — naming the newest hand-over
    (``handover_id``), who made it and when (site time), as the console says it (QA of issue 12
    N9.4: the API said 422 "reload the page"); else ``refusal`` itself."""
    if refusal.code not in ("nothing_to_hand_over", "unknown_customer"):
        return refusal
    earlier = sorted((r for r in store.list_handovers(actor.site.id) if r.from_rep == from_rep),
                     key=lambda r: parse_time(r.created_at), reverse=True)
    if not earlier:
        return refusal
    row = earlier[0]
    rep, author = display_name(store, row.from_rep), display_name(store, row.author)
    when = site_time(store, actor.site.id, row.created_at)
    return Conflict("already_handed_over", f"{rep}'s customers were already handed over by {author} at {when} "
                    "(site time); nothing was changed now. Read that hand-over (handover_id).",
                    details={"handover_id": row.id},
                    zh=f"{rep} 的客户已由 {author} 于 {when} 交接，本次未做任何更改：请查看该交接记录（handover_id）。")


def record(store: Store, actor: Actor, from_rep: str, method: str, reason: str, *, origin: Origin,
           deals_too: bool = False, exclude: Iterable[str] = (), choices: Mapping[str, str] | None = None,
           seed: str | None = None) -> HandoverRow:
    """Make the hand-over (``plan``, under the site's write lock), store it, decide its
    customers again and write the audit row (``origin``: who, from where) in one transaction. 422 ``missing_reason``/``too_long`` for the reason (as for a
    decision, at most ``REASON_MAX_CHARS``), ``nothing_to_hand_over`` when no customer moves."""
    reason = reason.strip()
    refuse_control_characters(reason)
    if not reason:
        raise _refuse("missing_reason", "Write the reason for the hand-over (long leave, leaving); it is kept with it.",
                      "请填写交接理由（如请长假、调离）：理由随交接记录保存。", "reason")
    if len(reason) > REASON_MAX_CHARS:
        raise _refuse("too_long", f"The reason has {len(reason)} characters; shorten it to at most "
                      f"{REASON_MAX_CHARS}.", f"交接理由最多 {REASON_MAX_CHARS} 字，当前为 {len(reason)} 字：请精简。",
                      "reason")
    with store.write(actor.site.id):
        made = plan(store, actor, from_rep, method, deals_too=deals_too, exclude=exclude, choices=choices, seed=seed)
        if not made.result:
            raise _refuse("nothing_to_hand_over", "This rep holds no customer to hand over now.",
                          "该售楼员目前没有可交接的客户。", "from_rep")
        now = utc_now()
        units = {u.id: u for u in made.units}
        row = HandoverRow(id=str(uuid.uuid4()), site_id=actor.site.id, from_rep=from_rep, author=actor.user.username,
                          created_at=format_time(now), reason=reason, method=method, deals_too=deals_too,
                          seed=made.seed, algorithm=ALGORITHM if method == "draw" else None,
                          receivers=list(made.receivers), drawn=sorted(made.result) if method == "draw" else [],
                          result=dict(sorted(made.result.items())))
        items = [HandoverItemRow(site_id=actor.site.id, handover_id=row.id, phone_key=c.phone_key, customer_id=c.id,
                                 to_rep=rep) for unit_id, rep in made.result.items() for c in units[unit_id].customers]
        store.add_handover(row, items)
        recompute(store, actor.site, {item.phone_key for item in items}, now)
        audit.log(store, actor.site.id, origin, "handover.recorded", from_rep, handover=row.id, method=method,
                  customers=len(items), reason=reason)
    return row


def get(store: Store, actor: Actor, handover_id: str) -> HandoverRow:
    """The site's hand-over; 404 ``unknown_handover`` otherwise (another site's too)."""
    row = store.get_handover(actor.site.id, handover_id)
    if row is None:
        raise NotFound("unknown_handover", "No such hand-over at your site; open the list of hand-overs.",
                       zh="本案场没有这条交接记录：请打开交接列表查看。")
    return row


def list_for(store: Store, actor: Actor) -> list[HandoverRow]:
    """The site's hand-overs, newest first."""
    return store.list_handovers(actor.site.id)


def verify(row: HandoverRow) -> tuple[bool, dict[str, str]]:
    """Run a recorded draw again from its seed and inputs: ``(same, result)``. A choice has no
    draw: ``(True, its result)``."""
    if row.method != "draw" or not row.seed:
        return True, dict(row.result)
    again = draw(row.drawn, row.receivers, row.seed)
    return again == dict(row.result), again


def view(row: HandoverRow) -> dict:
    """The documented JSON shape of a hand-over (protocol.md "Hand-over"), with ``verified``."""
    same, _ = verify(row)
    return {"id": row.id, "from_rep": row.from_rep, "author": row.author, "created_at": row.created_at,
            "reason": row.reason, "method": row.method, "deals_too": row.deals_too, "seed": row.seed,
            "algorithm": row.algorithm, "receivers": row.receivers, "drawn": row.drawn, "result": row.result,
            "counts": counts(row.result, row.receivers), "verified": same}
