"""What callers see: stored rows rendered as the documented JSON shapes, with privacy applied
(phones and names only for the customer's owner and managers, 000 §三)."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from datetime import datetime

import orjson  # the server extra installs it (>= 3.10: ``Fragment``)

from shared.explain import TEMPLATES, close_minutes, step_text
from shared.phones import TAG_KEYS, mask_phone, phone_hash
from shared.replica_privacy import SEES_EVERY_PHONE, holds_phone_tag, sees_customer
from shared.timeutil import parse_time

from ..storage.base import ConflictRow, CustomerRow, DecisionRow, Site, StoredRecord, User
from .auth import Caller

__all__ = ["site_view", "user_view", "record_view", "record_fragment", "ownership_view", "conflict_view", "arrivals", "plain_steps", "may_see_customer",
           "status_at", "inactive_since", "arrived_after_deactivation", "phone_keys", "KEYS", "serves_tag", "serves_hash", "tag_of"]

KEYS = ("hash", *TAG_KEYS)
"""How a caller names customers by phone (issue 14, docs/privacy.md): ``tag2`` (``keys=tag2``,
tablets from their migration ``017_tag2`` on), ``tag`` (``keys=tag``, the tablets of issue 14's
first release) or ``hash`` (the old form, no ``keys``)."""


def serves_tag(site: Site, keys: str, user: User | None = None) -> bool:
    """Does a caller asking ``keys`` get customers' tags from this site? ``tag2`` always;
    ``tag`` (the cheaper n = 2^11 kind) unless the site is set to ``replica_keys = tag2`` (every
    tablet updated: served to nobody, docs/privacy.md "Compatibility") or ``user`` — one who
    may not see every phone (not a manager) — has moved to ``tag2`` (``User.tag2_since``: one
    of their tablets pulled ``keys=tag2``; their token must not fetch the cheap tags instead)."""
    if keys == "tag2":
        return True
    moved = user is not None and user.tag2_since is not None and user.role not in SEES_EVERY_PHONE
    return keys == "tag" and site.replica_keys != "tag2" and not moved


def site_view(site: Site, keys: str = "hash") -> dict:
    """The site's settings as tablets get them; with ``keys`` ``tag`` or ``tag2`` also
    ``replica_keys`` and the ``replica_key`` that tablets compute phone tags with (an enrolled
    device only: every caller of a pull is one)."""
    view = {"id": site.id, "name": site.name, "validity_days": site.validity_days, "household": site.household,
            "region": site.region, "utc_offset_minutes": site.utc_offset_minutes,
            "walkin_landlines": site.walkin_landlines, "closed_days": list(site.closed_days)}
    if keys in TAG_KEYS:
        view["replica_keys"] = site.replica_keys
        view["replica_key"] = site.replica_key
    return view


def serves_hash(site: Site, user: User | None = None, holds_tag: bool = True) -> bool:
    """Does an old-form caller (no ``keys``) get the legacy unsalted ``phone_hash`` of a
    customer? Only on a site set to ``replica_keys = legacy``, and there under the rules of the
    tags (issue 14 QA, M1: the legacy setting gave every caller every customer's hash, which
    recovers a hidden number in milliseconds): not where the caller's tablet would not hold the
    customer's tag (``holds_tag``: a rep and another rep's customer), and not to a ``user`` who
    moved to ``tag2`` (``User.tag2_since``, not a manager) — their token must not fetch the
    cheapest key of all instead. The desk and managers keep every hash: the old desk tablets
    the setting exists for find returning customers by it."""
    moved = user is not None and user.tag2_since is not None and user.role not in SEES_EVERY_PHONE
    return site.replica_keys == "legacy" and holds_tag and not moved


def phone_keys(site: Site, phone_key: str, tag: str | None, keys: str, holds_tag: bool = True,
               user: User | None = None) -> dict:
    """The phone key fields of a customer as the caller may get them (issue 14): the last-four
    ``phone_masked`` always; ``phone_tag`` for ``keys`` ``tag`` or ``tag2`` — ``tag``: the
    customer's tag of that kind (``phone_tag`` or ``phone_tag2``, ``tag_of``), None until the
    tagger computed it, None when the caller's tablet does not hold it (``holds_tag``:
    ``shared.replica_privacy.holds_phone_tag``, a rep and another rep's customer), None for
    ``keys=tag`` on a site set to ``replica_keys = tag2`` or for a ``user`` who moved to
    ``tag2`` (``serves_tag``);
    the unsalted legacy ``phone_hash`` only for the old form on a site set to
    ``replica_keys = legacy``, and there only where ``serves_hash`` allows; on a ``private``
    site an old tablet gets no hash (it finds customers of other tablets by phone no more,
    docs/privacy.md)."""
    out: dict[str, str | None] = {"phone_masked": mask_phone(phone_key)}
    if keys in TAG_KEYS:
        out["phone_tag"] = tag if holds_tag and serves_tag(site, keys, user) else None
    elif serves_hash(site, user, holds_tag):
        out["phone_hash"] = phone_hash(site.id, phone_key)
    return out


def tag_of(customer: CustomerRow, keys: str) -> str | None:
    """The customer's stored tag of ``keys``: ``phone_tag2`` for ``tag2``, else ``phone_tag``."""
    return customer.phone_tag2 if keys == "tag2" else customer.phone_tag


def user_view(user: User) -> dict:
    return {"username": user.username, "name": user.name, "role": user.role, "active": user.active,
            "deactivated_at": user.deactivated_at, "duty_periods": [list(p) for p in user.duty_periods]}


def inactive_since(users: Iterable[User]) -> dict[str, datetime]:
    """``username -> deactivation time`` of the deactivated users among ``users``."""
    return {u.username: parse_time(u.deactivated_at) for u in users if not u.active and u.deactivated_at}


def arrived_after_deactivation(record: StoredRecord, inactive: Mapping[str, datetime]) -> bool:
    """Did the record reach the server after its rep or its author was deactivated? (issue 8
    item 8: accepted because captured before, but a manager must see it came late)."""
    received = parse_time(record.received_at)
    return any(user in inactive and received > inactive[user] for user in {record.rep or "", record.author})


def record_view(record: StoredRecord, inactive: Mapping[str, datetime] | None = None,
                tags: Mapping[str, str | None] | None = None) -> dict:
    """The wire record exactly as pushed, plus what the server learned receiving it. With
    ``inactive`` (``inactive_since``), also ``after_deactivation``. With ``tags`` (phone key ->
    its customer's ``phone_tag``, a ``keys=tag`` pull), also ``phone_tag``: the tablet files the
    record under it without computing one tag per record (issue 14)."""
    view = {**record.wire, "device_id": record.device_id, "estimated_at": record.estimated_at,
            "clock_method": record.clock_method, "received_at": record.received_at}
    if inactive is not None:
        view["after_deactivation"] = arrived_after_deactivation(record, inactive)
    if tags is not None:
        view["phone_tag"] = tags.get(record.phone_key)
    return view


def spliceable(text: str) -> bool:
    """Is stored JSON ``text`` surely what ``orjson.dumps`` writes for its decoded value, so a
    line may carry it as it is? Not where it may have been written by ``json`` (``engine.dumps``'
    fallback for a value orjson refuses, an integer beyond 64 bits: orjson reads that back as a
    float, and the line before carried the float): ``json`` writes ``": "`` after every key,
    orjson never outside a string (where it is rare: then the value is encoded, as before)."""
    return '": ' not in text


_RECORD_EXTRAS = ("device_id", "estimated_at", "clock_method", "received_at", "after_deactivation", "phone_tag")
_EXTRA_NAMES = tuple(f'"{name}":' for name in _RECORD_EXTRAS)


def record_fragment(record: StoredRecord, text: str, tags: Mapping[str, str | None] | None = None) -> orjson.Fragment | None:
    """``record_view(record, tags=tags)`` as one ``orjson.Fragment``: ``text`` (the wire exactly
    as stored, ``Change.text``) with the server's members appended, so the wire is not encoded
    again (a snapshot, issue 13). The same bytes as ``orjson.dumps(record_view(...))`` for a wire
    stored by orjson. None — encode the view — where appending would not be that view: the text
    is not one object, it names one of the appended members (``"device_id":`` anywhere, even
    nested: a quote inside a string value is escaped, so only a real member matches), or it
    may have been written by ``json`` (``spliceable``)."""
    if (len(text) < 2 or text[0] != "{" or text[-1] != "}" or not spliceable(text)
            or any(name in text for name in _EXTRA_NAMES)):
        return None
    extra: dict[str, str | None] = {"device_id": record.device_id, "estimated_at": record.estimated_at,
                                    "clock_method": record.clock_method, "received_at": record.received_at}
    if tags is not None:
        extra["phone_tag"] = tags.get(record.phone_key)
    members = orjson.dumps(extra)[1:]  # b'"device_id":…}'
    body = text[:-1].rstrip()
    return orjson.Fragment(body.encode() + (b"," if body != "{" else b"") + members)


def may_see_customer(caller: Caller, customer: CustomerRow) -> bool:
    """Managers and the customer's owner (or a rep sharing it by a split) see the details
    (``shared.replica_privacy.sees_customer``, 000 §三)."""
    return sees_customer(caller.user.role, caller.user.username, customer.owner, customer.split)


def status_at(customer: CustomerRow, now: datetime) -> str | None:
    """The status as of ``now``: a protection window that has ended reads ``lapsed`` even if
    nothing was pushed for the customer since it ended."""
    if customer.status in ("protected", "disputed") and customer.protected_until:
        if now > parse_time(customer.protected_until):
            return "lapsed"
    return customer.status


def ownership_view(customer: CustomerRow, caller: Caller, names: dict[str, str], now: datetime,
                   first_ever: Mapping[str, str | None] | None = None, rendered: bool = True,
                   keys: str = "hash", named: Container[str] = (), explanation_text: str | None = None,
                   awaiting: Container[str] = ()) -> dict:
    """``first_ever``: customer id -> ``first_ever_registered_at`` (``services.ownership.first_ever_registered``).
    ``rendered``: explanation steps carry ``text`` (``plain_steps``); False for a tablet that
    renders them itself (pull ``steps=params``, issue 13). ``keys``: the phone key fields
    (``phone_keys``: ``tag`` or the old ``hash`` form); ``named``: the phone keys the caller's own
    records named (``Store.phones_named_by``; a rep's tablet holds those customers' tags,
    ``shared.replica_privacy.holds_phone_tag``, and gets their story as the desk does, the
    managers' reasons withheld: ``desk_steps``). ``explanation_text``: the explanation as
    stored (``Change.text``, a snapshot, issue 13), sent as it is (an ``orjson.Fragment``) where
    that is what would be sent — the caller sees it, the steps go unrendered and no step carries
    a stored ``text`` (``"text":`` nowhere in it) — instead of encoding the decoded steps again.
    ``awaiting``: phone keys whose dispute has a decision awaiting the sales director (R10): a
    disputed customer among them carries ``"approval": "awaiting"`` (待总监审批, QA of issue 12
    L1; absent otherwise: an addition, docs/protocol.md)."""
    visible = may_see_customer(caller, customer)
    # the desk gets the story without the managers' reasons (issue 12 QA: its own rebuild from
    # the summary alone made the new owner the first registrant and invented a 签约); so does a
    # rep for a customer her own records named (QA8: her rebuild ignored the decision that gave
    # the customer to another rep, and told her "陈杰 首次登记" for a rep who never registered)
    told = caller.role == "reception" or customer.phone_key in named
    steps = customer.explanation if visible else desk_steps(customer.explanation) if told else []
    approval = {"approval": "awaiting"} if customer.phone_key in awaiting and status_at(customer, now) == "disputed" else {}
    return {
        "customer_id": customer.id,
        **phone_keys(caller.site, customer.phone_key, tag_of(customer, keys), keys,
                     holds_phone_tag(caller.user.role, caller.user.username, customer.owner, customer.split,
                                     customer.phone_key in named), caller.user),
        "phone": customer.phone_key if visible else None,
        "name": (customer.name or None) if visible else None,
        "owner": customer.owner,
        "owner_name": names.get(customer.owner or "", customer.owner),
        "status": status_at(customer, now),
        "protected_until": customer.protected_until,
        "first_registered_at": customer.first_registered_at,
        "first_ever_registered_at": (first_ever or {}).get(customer.id, customer.first_registered_at),
        "split": customer.split,
        **approval,
        "explanation": (orjson.Fragment(explanation_text)
                        if explanation_text is not None and visible and not rendered and '"text":' not in explanation_text
                        and spliceable(explanation_text)
                        else plain_steps(steps, caller.site.utc_offset_minutes, rendered)),
    }


WITHHELD = "—"
"""What the desk reads for a reason it may not see (a decision's, a hand-over's)."""


def desk_steps(steps: list) -> list:
    """A customer's explanation as the reception desk may read it (issue 12 QA): every step,
    its ``reason`` param (a manager's words about the people involved) as ``WITHHELD`` and
    without the ``text`` older rows carry (which holds the reason; known keys are rendered
    again from the params, ``plain_steps``)."""
    out = []
    for step in steps:
        if not isinstance(step, dict):
            continue
        params = step.get("params") or {}
        if "reason" in params:
            params = {**params, "reason": WITHHELD}
        out.append({**{k: v for k, v in step.items() if k != "text"}, "params": params})
    return out


_RULE_CODE = re.compile(r"^R\d+[：:] ?")


def plain_steps(steps: list[dict], utc_offset_minutes: int = 480, rendered: bool = True) -> list[dict]:
    """Stored steps (``Step.as_dict(text=False)``; rows written before issue 13 also carry
    ``text``) as sent. ``rendered``: each step with ``text`` ``{"zh","en"}`` rendered from its
    params in site-local time (``shared.explain.step_text``: the words ``Step.as_dict`` gives,
    protocol.md "Pull"); a step of a key this server does not know keeps its stored text less
    a rule-code prefix ("R1：…", issue 14). Times of the story that share a minute are told with
    seconds (``shared.explain.close_minutes``: which claim came first can be seen). Not ``rendered``: the steps without ``text``, for a
    tablet that renders them itself (``steps=params``, issue 13)."""
    if not rendered:
        return [{k: v for k, v in s.items() if k != "text"} if isinstance(s, dict) and "text" in s else s
                for s in steps]
    out = []
    precise = close_minutes(s for s in steps if isinstance(s, dict))  # two claims in one minute: seconds
    for s in steps:
        if not isinstance(s, dict):
            out.append(s)
        elif s.get("key") in TEMPLATES:
            out.append({**s, "text": step_text(s, utc_offset_minutes, precise)})
        elif isinstance(s.get("text"), dict):
            out.append({**s, "text": {lang: _RULE_CODE.sub("", t) for lang, t in s["text"].items()}})
        else:
            out.append(s)
    return out


def arrivals(store, conflicts: Iterable[ConflictRow]) -> dict[str, str]:
    """``record id -> received_at`` for every claim of ``conflicts`` (one read of the records)."""
    by_site: dict[str, set[str]] = {}
    for conflict in conflicts:
        by_site.setdefault(conflict.site_id, set()).update(c["record_id"] for c in conflict.claims)
    return {r.id: r.received_at for site_id, ids in by_site.items() for r in store.records_by_ids(site_id, ids)}


def conflict_view(conflict: ConflictRow, decision: DecisionRow | None, parties=None,
                  received: Mapping[str, str] | None = None, utc_offset_minutes: int = 480,
                  rendered: bool = True) -> dict:
    """``parties``: a ``services.conflicts.DecisionParties`` (who a decision must consider now).
    ``received``: record id -> when the server received it (``arrivals``); each claim carries it
    as ``received_at`` beside its capture estimate (``null`` for a record the server no longer has).
    ``utc_offset_minutes``, ``rendered``: how the explanation is sent (``plain_steps``)."""
    claims = conflict.claims if received is None else [
        {**c, "received_at": received.get(c["record_id"])} for c in conflict.claims]
    return {
        "id": conflict.id, "customer_id": conflict.customer_id, "claims": claims, "owner": conflict.owner,
        "status": conflict.status, "flags": conflict.flags, "opened_at": conflict.opened_at,
        "decision": None if decision is None else {
            "id": decision.id, "owner": decision.owner, "split": decision.split, "reason": decision.reason,
            "decided_at": decision.decided_at, "author": decision.author, "covers": decision.covers},
        "explanation": plain_steps(conflict.explanation, utc_offset_minutes, rendered),
        "parties": None if parties is None else {"owner": parties.owner, "split": parties.split,
                                                 "holders": list(parties.holders), "reps": list(parties.reps)},
    }
