"""Capturing records on the tablet: build the wire form, validate it, save it atomically."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from shared.clocks import DeviceClock
from shared.errors import RecordInvalid
from shared.fields import clean_name
from shared.phones import without_invisible
from shared.records import RECORD_TYPES, validate_record
from shared.timeutil import format_time

from ..device_clock import read_clock, wall_now
from ..i18n import tr
from ..store import LocalStore, OutboxEntry
from ..store.rotation_queries import reception_of
from .profile import user_names
from .record_rights import RecordRights

__all__ = ["RecordCapture"]


class RecordCapture:
    """Makes records for the signed-in user. ``clock``/``now`` are seams for tests."""

    def __init__(self, store: LocalStore, clock: Callable[[], DeviceClock] = read_clock,
                 now: Callable[[], datetime] = wall_now):
        self.store, self.clock, self.now = store, clock, now

    @property
    def site_id(self) -> str:
        site = self.store.site()
        if site:
            return site["id"]
        return (self.store.get_meta("user") or {}).get("site_id", "")

    @property
    def region(self) -> str:
        site = self.store.site()
        return (site or {}).get("region") or "CN"

    def phone_hash_of(self, phone: str) -> str | None:
        """The replica's key of ``phone``: its keyed tag (issue 14, ``LocalStore.phone_tag_of``;
        None for an invalid number, or before the tablet has the site's key: then the record is
        tagged when the key arrives)."""
        return self.store.phone_tag_of(phone, self.region)

    def build(self, type_: str, *, name: str, phone: str, rep: str | None, data: Mapping[str, Any],
              supersedes: str | None = None) -> dict:
        """A wire record captured now (``seq`` is given by the store when saved)."""
        wire = {
            "id": str(uuid.uuid4()), "type": type_, "captured_at": format_time(self.now()),
            "clock": self.clock().as_wire(), "rep": rep or None,
            "customer": {"name": clean_name(name or ""), "phone": without_invisible(phone or "").strip()},
            "data": {k: v for k, v in data.items() if v not in (None, "")},
        }
        if supersedes:
            wire["supersedes"] = supersedes
        return wire

    def build_rotation(self, rep: str | None, data: Mapping[str, Any]) -> dict:
        """A ``rotation`` record (排班, ``shared.rotation_log``) captured now: no customer."""
        return {"id": str(uuid.uuid4()), "type": "rotation", "captured_at": format_time(self.now()),
                "clock": self.clock().as_wire(), "rep": rep or None,
                "data": {k: v for k, v in data.items() if v not in (None, "")}}

    def save(self, wire: Mapping[str, Any], rotation_event: Mapping[str, Any] | None = None,
             replaces: str | None = None, state: str = "pending") -> dict:
        """Validate and store a record in one atomic write; RecordInvalid lists every problem,
        the bounds (``shared.boundary``) taken from this tablet's clock, as the server takes
        them from its own."""
        now = self.now()
        problems = validate_record({**wire, "seq": 1}, self.region, now)
        if problems:
            raise RecordInvalid(problems)
        customer = wire.get("customer") or {}
        return self.store.add_record(wire, phone_hash_=self.phone_hash_of(customer["phone"]) if customer else None,
                                     rotation_event=rotation_event, replaces=replaces, state=state, now=now)

    def problems(self, type_: str, *, name: str, phone: str, rep: str | None, data: Mapping[str, Any]) -> list:
        """What ``capture`` would refuse in this record (every problem; nothing is saved)."""
        wire = self.build(type_, name=name, phone=phone, rep=rep, data=data)
        return validate_record({**wire, "seq": 1}, self.region, self.now())

    def capture(self, type_: str, *, name: str, phone: str, rep: str | None, data: Mapping[str, Any],
                rotation_event: Callable[[str], Mapping[str, Any]] | Mapping[str, Any] | None = None) -> dict:
        """Build and save a record; ``rotation_event(record_id)`` gives the ``rotation`` record of
        this reception (排班), saved in the same transaction (both or neither). An event of the
        old tablet-only shape (``{"kind": "receive", "visit", "rep"}``) is made that record.
        A deal referring to another (``data.refers_to``: 退订, 换房) the signed-in user may not
        change (``RecordRights``: another rep's deal) raises NotOwnRecord, nothing saved."""
        refers_to = data.get("refers_to") if type_ == "deal" else None
        if isinstance(refers_to, str) and refers_to:
            action = "unit_change" if data.get("event") == "unit_change" else "cancellation"
            RecordRights.load(self.store).check_reference(self.store, refers_to, action)
        wire = self.build(type_, name=name, phone=phone, rep=rep, data=data)
        event = None
        if callable(rotation_event):
            event = rotation_event(wire["id"])
        elif rotation_event is not None:
            event = self.build_rotation(rotation_event.get("rep") or rep, {
                "day": self.now().date().isoformat(), "event": "receive", "visit": rotation_event.get("visit"),
                "owner": rotation_event.get("owner"), "reason": rotation_event.get("reason"), "registration": wire["id"]})
        return self.save(wire, event)

    def correct(self, record_id: str, *, name: str | None = None, phone: str | None = None,
                rep: str | None = None, data: Mapping[str, Any] | None = None) -> dict:
        """A new version of an own record (R4: corrections are new records, history stays).

        The server never stored a rejected record, so the correction of one is sent as a new
        record (no ``supersedes`` on the wire); the tablet keeps the link in its outbox. A
        walk-in corrected to another rep takes its reception (排班) along, in the same
        transaction: the old reception is withdrawn and the new rep's is recorded (the same
        visit, reason and turn: the desk's mistake, not a new turn). A ``rotation`` record has
        no customer to correct: ValueError (withdraw it, 作废). A record the signed-in user may
        not correct (another user's on a shared tablet, ``RecordRights``: the server would refuse
        it ``not_own_record``, or take it as hers): NotOwnRecord, nothing saved."""
        entry = self.store.outbox_entry(record_id)
        RecordRights.load(self.store).check(entry, "correct")
        original = entry.wire
        if not RECORD_TYPES[original["type"]].has_customer:
            raise ValueError("a rotation record cannot be corrected; withdraw it (作废) and record the event again")
        customer = original.get("customer") or {}
        merged = copy.deepcopy(dict(original.get("data") or {}))
        merged.update(data or {})
        wire = self.build(original["type"], name=customer.get("name", "") if name is None else name,
                          phone=customer.get("phone", "") if phone is None else phone,
                          rep=original.get("rep") if rep is None else rep, data=merged,
                          supersedes=None if entry.state == "rejected" else record_id)
        also = []
        reception = reception_of(self.store, record_id)
        if reception is not None and wire.get("rep") and wire["rep"] != reception.rep:
            name = user_names(self.store).get(wire["rep"], wire["rep"])
            text = tr("rotation.withdraw_reason.reception_moved", "zh", rep=name)
            also.append(self._withdrawal_of(reception, text, code="reception_moved", params={"rep": wire["rep"]}))
            moved = {**reception.wire["data"], "registration": wire["id"]}
            also.append((self.build_rotation(wire["rep"], moved), "pending"))
        return self.store.add_record(wire, phone_hash_=self._hash_of(wire), replaces=record_id,
                                     now=self.now(), also=also)

    def _hash_of(self, wire: Mapping[str, Any]) -> str | None:
        customer = wire.get("customer")
        return self.phone_hash_of(customer["phone"]) if customer else None

    def _withdrawal_of(self, entry: OutboxEntry, reason: str, code: str | None = None,
                       params: Mapping[str, str] | None = None) -> tuple[dict, str]:
        """The withdrawal of an own record and the state it is saved in (``local`` when the
        server rejected the record: nothing there to withdraw). A record that names no customer
        (排班) is withdrawn by a withdrawal that names none. ``code``/``params``: a reason the
        tablet gives itself (``shared.records.WITHDRAWAL_REASON_CODES``), rendered in each
        reader's language (``mobile.messages.withdrawal_reason_text``); ``reason`` keeps its
        Chinese text for readers that do not know the code."""
        data: dict[str, Any] = {"reason": reason}
        if code:
            data.update(reason_code=code, reason_params=dict(params or {}))
        customer = entry.wire.get("customer")
        if customer is None:
            wire = {"id": str(uuid.uuid4()), "type": "withdrawal", "captured_at": format_time(self.now()),
                    "clock": self.clock().as_wire(), "rep": None, "data": data,
                    "supersedes": entry.id}
        else:
            wire = self.build("withdrawal", name=customer.get("name", ""), phone=customer.get("phone", ""),
                              rep=None, data=data, supersedes=entry.id)
        return wire, "local" if entry.state == "rejected" else "pending"

    def withdraw(self, record_id: str, reason: str, action: str | None = None) -> dict:
        """Withdraw an own record with a reason (a ``withdrawal`` record; nothing is deleted).

        Withdrawing a record the server rejected (so never stored) keeps the withdrawal on the
        tablet (state ``local``): there is nothing on the server to withdraw. A ``rotation``
        record (排班, e.g. a reception tapped for the wrong rep) is withdrawn the same way: the
        event leaves the board on every tablet (作废). A walk-in's reception is withdrawn with
        it, in the same transaction. Raises RecordInvalid (an empty reason), NotOwnRecord (a
        record the signed-in user may not withdraw, ``RecordRights``; ``action`` the word its
        message ends with: ``withdraw``, ``void`` — the default for a rotation record — or
        ``undo``)."""
        entry = self.store.outbox_entry(record_id)
        RecordRights.load(self.store).check(entry, action or ("void" if entry.type == "rotation" else "withdraw"))
        wire, state = self._withdrawal_of(entry, reason)
        also = []
        reception = reception_of(self.store, record_id) if entry.type != "rotation" else None
        if reception is not None:
            also.append(self._withdrawal_of(reception, reason))
        problems = validate_record({**wire, "seq": 1}, self.region, self.now())
        if problems:
            raise RecordInvalid(problems)
        return self.store.add_record(wire, phone_hash_=self._hash_of(wire), state=state, now=self.now(), also=also)
