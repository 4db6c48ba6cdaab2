"""What the server's story of a customer tells a tablet about the past it does not hold.

The tablet rebuilds a provisional story (``services.lookup``) when it has unsent records for a
customer. The replica's summary gives only the owner, the first registration's time and the
window; for a customer handed over (001 §14(五)3(12)) that made the new owner the first
registrant, with a 签约 nobody made (issue 12 leftover). The server's story — sent to the desk
without the managers' reasons and to the owner whole — names each registration, deal and
hand-over with its rep, time and device, so the tablet replays those instead (pure functions).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from shared.explain import step_from_dict
from shared.ownership import HandOver

__all__ = ["ToldClaim", "server_steps", "devices_told", "handovers_told", "claims_told", "THIS_TABLET",
           "as_this_tablet"]

THIS_TABLET = {"zh": "本机", "en": "this tablet"}
"""How a story names the tablet it is read on (issue 14 F3: never 某台平板, never its hostname)."""

REGISTRATIONS = ("first_registration", "registered_again", "earliest_known", "earliest_known_several")
HANDOVERS = ("handover", "handover_with_deal")


@dataclass(frozen=True)
class ToldClaim:
    """A record the story stands for: ``kind`` walkin | deal | follow_up, ``rep`` a username."""

    kind: str
    rep: str
    at: datetime
    device: str = ""
    data: Mapping[str, str] = field(default_factory=dict)


def server_steps(summary: Mapping | None) -> list[dict]:
    """The summary's explanation steps as pulled (``[]`` when the server gave none)."""
    return [s for s in json.loads((summary or {}).get("explanation") or "[]") if isinstance(s, dict)]


def devices_told(steps: list[dict]) -> list[tuple[str, datetime, str]]:
    """``(rep name, time, device name)`` of each registration the story names a device for."""
    told = []
    for item in steps:
        step = step_from_dict(item)
        device, rep, at = step.params.get("device"), step.params.get("rep"), step.params.get("time")
        if device and isinstance(rep, str) and isinstance(at, datetime):
            told.append((rep, at, str(device)))
    return told


def _username(usernames: Mapping[str, str], name: object) -> str:
    return usernames.get(str(name), str(name))


def handovers_told(steps: list[dict], usernames: Mapping[str, str], customer_id: str) -> list[HandOver]:
    """The hand-overs that moved this customer (``handover``, ``handover_with_deal``), people
    as usernames (``usernames``: display name -> username; a name not held stays a name), ids
    derived from the customer and the time (replayable)."""
    out = []
    for item in steps:
        step = step_from_dict(item)
        at = step.params.get("time")
        if step.key not in HANDOVERS or not isinstance(at, datetime):
            continue
        out.append(HandOver(id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"fieldsync:{customer_id}:handover:{at.isoformat()}")),
                            from_rep=_username(usernames, step.params.get("rep")),
                            to_rep=_username(usernames, step.params.get("to")), at=at,
                            author=_username(usernames, step.params.get("author")),
                            reason=str(step.params.get("reason") or ""), method=str(step.params.get("method") or "draw"),
                            deals_too=step.key == "handover_with_deal"))
    return out


def claims_told(steps: list[dict], usernames: Mapping[str, str]) -> list[ToldClaim]:
    """The registrations, deals and the last renewal the story tells of, as records to replay."""
    out = []
    for item in steps:
        step = step_from_dict(item)
        at, rep = step.params.get("time"), _username(usernames, step.params.get("rep"))
        if not isinstance(at, datetime) or not rep:
            continue
        if step.key in REGISTRATIONS:
            out.append(ToldClaim("walkin", rep, at, str(step.params.get("device") or ""), {"visit": "first"}))
        elif step.key == "deal":
            out.append(ToldClaim("deal", rep, at, "", {"stage": str(step.params.get("stage") or "contract")}))
        elif step.key == "renewed":
            out.append(ToldClaim("follow_up", rep, at, "", {"method": "visit", "content": "renewal"}))
    return out


def as_this_tablet(steps: list[dict], own_name: str, own_reps: set[str], lang: str) -> list[dict]:
    """The server's ``steps`` with this tablet's own registrations naming ``THIS_TABLET[lang]``
    as their device: a step whose ``device`` is this tablet's enrolled name (``own_name``) and
    whose ``rep`` (a display name) is one this tablet registered the customer for
    (``own_reps``). The server names devices as enrolled — a default name is the machine's
    hostname (QA of issue 14, N4: the desk's card read "在 tablet-vm")."""
    if not own_name:
        return list(steps)
    out = []
    for item in steps:
        params = item.get("params")
        if isinstance(params, dict) and params.get("device") == own_name and params.get("rep") in own_reps:
            item = {**item, "params": {**params, "device": THIS_TABLET[lang]}}
        out.append(item)
    return out
