"""A rep's customers and what is due (contact cadence, ``shared.cadence``: 000 §五, 003)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from shared.cadence import CONTACT_TYPES, CadencePolicy, Contact, contact_from_record, next_due
from shared.phones import display_phone
from shared.timeutil import parse_time
from shared.versions import original_of

from ..device_clock import wall_now
from ..store import LocalStore
from ..store.care_queries import replica_owners
from .profile import site_tz

__all__ = ["MyCustomers", "DueCustomer"]


@dataclass(frozen=True)
class DueCustomer:
    """One of my customers: ``due`` is the site day they are next due (``shared.cadence``),
    ``reason`` why (grade, tier, follow_up_date, first_revisit)."""

    name: str
    phone: str
    grade: str
    last_contact: datetime
    due: date
    status: str
    provisional: bool
    reason: str = "grade"

    def days_overdue(self, today: date) -> int:
        """Days past due on ``today`` (0: due today; negative: not yet)."""
        return (today - self.due).days

    def overdue(self, now: datetime) -> bool:
        return self.due < now.date()


class MyCustomers:
    def __init__(self, store: LocalStore, now: Callable[[], datetime] = wall_now,
                 policy: CadencePolicy | None = None):
        self.store, self.now, self.policy = store, now, policy or CadencePolicy()

    def due_list(self, me: str) -> list[DueCustomer]:
        """My customers, soonest due first: the server's list plus my unsent registrations;
        contacts are the server's records of mine and my own records (not rejected or
        superseded), so a follow-up's next date counts as soon as it is saved."""
        contacts: dict[str, list[Contact]] = {}  # phone_hash -> contacts
        info: dict[str, dict] = {}
        seen: set[str] = set()

        pulled = [(row["phone_hash"], row["id"], parse_time(row["estimated_at"] or row["captured_at"]),
                   json.loads(row["wire"])) for row in self.store.records_by_rep(me, CONTACT_TYPES)]
        every = [e for e in self.store.own_records_of_types(CONTACT_TYPES) if e.state != "rejected"]
        # a correction counts at its original's time (R4: it moves nothing in time; QA of issue
        # 11, second pass: a deal's amount fixed days later read as a contact that day)
        when = {rid: at for _, rid, at, _ in pulled} | {e.id: parse_time(e.captured_at) for e in every}
        parent = {rid: wire.get("supersedes") for _, rid, _, wire in pulled} | {e.id: e.supersedes for e in every}
        replaced = {p for p in parent.values() if p}

        def note(h: str | None, record_id: str, wire: dict) -> None:
            if not h or record_id in seen or record_id in replaced:
                return
            seen.add(record_id)
            contact = contact_from_record(wire.get("type") or "", when[original_of(record_id, parent, when)],
                                          wire.get("data") or {})
            if contact is not None:
                contacts.setdefault(h, []).append(contact)

        for h, rid, _, wire in pulled:
            note(h, rid, wire)
        own = [entry for entry in every if not entry.superseded_by]
        owners = replica_owners(self.store)
        for entry in own:
            h = entry.phone_hash
            if not h or (entry.type == "walkin" and entry.rep != me):  # no phone: nobody to follow up
                continue
            owner, status = owners.get(h, (None, None))
            if owner not in (None, me) and status != "lapsed":
                continue  # the server says another rep holds this customer (R1, a hand-over): not mine, not "unsynced"
            note(h, entry.id, entry.wire)
            info.setdefault(h, {"name": entry.customer_name, "phone": entry.wire["customer"]["phone"],
                                "status": "pending", "provisional": True})
        for row in self.store.customers_owned_by(me):
            info[row["phone_hash"]] = {"name": row["name"] or "", "phone": display_phone(row["phone"]) if row["phone"] else row["phone_masked"] or "",
                                       "status": row["status"], "provisional": False}
            if row["phone_hash"] not in contacts and row["first_registered_at"]:
                contacts[row["phone_hash"]] = [Contact(parse_time(row["first_registered_at"]), "walkin")]
        zone = site_tz(self.store.site())  # the server's estimates are UTC: days are the site's
        out = []
        for h, meta in info.items():
            due = next_due(contacts.get(h, ()), self.policy, zone)
            if due is None:
                continue
            out.append(DueCustomer(meta["name"], meta["phone"], due.grade, due.last_contact, due.due_on,
                                   meta["status"], meta["provisional"], due.reason))
        return sorted(out, key=lambda c: (c.due, c.name))
