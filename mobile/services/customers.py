"""A rep's customers and what is due (contact cadence, domain.md / 000 §五, 003)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.phones import display_phone
from shared.timeutil import parse_time

from ..device_clock import wall_now
from ..store import LocalStore

__all__ = ["MyCustomers", "DueCustomer", "CADENCE_DAYS"]

# Grade A weekly, B every two weeks, C monthly (000 §五); D (no intent yet) monthly as well.
CADENCE_DAYS = {"A": 7, "B": 14, "C": 30, "D": 30}
_CONTACT_TYPES = ("walkin", "follow_up", "visit_report", "deal")


@dataclass(frozen=True)
class DueCustomer:
    name: str
    phone: str
    grade: str
    last_contact: datetime
    due: datetime
    status: str
    provisional: bool

    def overdue(self, now: datetime) -> bool:
        return self.due < now


class MyCustomers:
    def __init__(self, store: LocalStore, now: Callable[[], datetime] = wall_now):
        self.store, self.now = store, now

    def due_list(self, me: str) -> list[DueCustomer]:
        """My customers, soonest due first: the server's list plus my unsent registrations."""
        contacts: dict[str, tuple[datetime, str]] = {}  # phone_hash -> (last contact, grade)
        info: dict[str, dict] = {}

        def note(h: str | None, at: datetime, wire: dict) -> None:
            if not h:
                return
            last, grade = contacts.get(h, (at, "C"))
            intent = (wire.get("data") or {}).get("intent")
            if wire.get("type") == "walkin" and intent:
                grade = intent
            contacts[h] = (max(last, at), grade)

        for row in self.store.records_by_rep(me, _CONTACT_TYPES):
            note(row["phone_hash"], parse_time(row["estimated_at"] or row["captured_at"]), json.loads(row["wire"]))
        for entry in self.store.own_records_of_types(_CONTACT_TYPES):
            if entry.state == "rejected" or entry.superseded_by:
                continue
            h = entry.phone_hash
            if not h or (entry.type == "walkin" and entry.rep != me):  # no phone: nobody to follow up
                continue
            note(h, parse_time(entry.captured_at), entry.wire)
            info.setdefault(h, {"name": entry.customer_name, "phone": entry.wire["customer"]["phone"],
                                "status": "pending", "provisional": True})
        for row in self.store.customers_owned_by(me):
            info[row["phone_hash"]] = {"name": row["name"] or "", "phone": display_phone(row["phone"]) if row["phone"] else row["phone_masked"] or "",
                                       "status": row["status"], "provisional": False}
            if row["phone_hash"] not in contacts and row["first_registered_at"]:
                contacts[row["phone_hash"]] = (parse_time(row["first_registered_at"]), "C")
        out = []
        for h, meta in info.items():
            if h not in contacts:
                continue
            last, grade = contacts[h]
            out.append(DueCustomer(meta["name"], meta["phone"],
                                   grade, last, last + timedelta(days=CADENCE_DAYS.get(grade, 30)), meta["status"],
                                   meta["provisional"]))
        return sorted(out, key=lambda c: c.due)
