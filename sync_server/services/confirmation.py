"""Day confirmation (审核确认, R4): a manager confirms the day's registrations.

Records are entered the same day and become valid once the project manager confirms them.
A confirmation is a fact of its own (who confirmed which record, when), appended to a
ledger; the registration itself is never touched (所录资料不得涂改). Confirming twice is
harmless: a record already confirmed keeps its first confirmation. Each confirmation takes a
change id, so the tablets that see the record pull it (kind ``confirmation``, ``services/pull.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..storage.base import ConfirmationRow, Store
from .record_budget import release

__all__ = ["CONFIRMABLE_TYPES", "ConfirmationResult", "confirm_records", "NotConfirmable"]

CONFIRMABLE_TYPES = ("walkin", "call")
"""The registrations of a day: walk-ins (来访登记) and phone inquiries (来电登记)."""


class NotConfirmable(Exception):
    """Some ids are not registrations of the manager's site; nothing was confirmed."""

    def __init__(self, ids: list[str]):
        super().__init__(f"not registrations of this site: {', '.join(ids)}")
        self.ids = ids


@dataclass(frozen=True)
class ConfirmationResult:
    confirmed: list[ConfirmationRow]
    already: list[str]
    dismissed: list[str] = field(default_factory=list)  # refused by a manager (不予确认): never confirmed


def confirm_records(store: Store, *, site_id: str, author: str, record_ids: Iterable[str],
                    now: datetime | None = None) -> ConfirmationResult:
    """Confirm ``record_ids`` as ``author`` (a manager of ``site_id``), in one write.

    Confirming a withdrawal is the manager's acknowledgement that a registration was taken
    out (issue 9 item 5). A record held by the look-up budget (any type, ``record_budget``)
    is confirmable too, and confirming it releases its phone into the ownership index (issue 14).
    An id that is not a walk-in, call, withdrawal or held record of ``site_id`` refuses the whole request
    (``NotConfirmable``): a forged form cannot confirm another site's records. A held record a
    manager refused (不予确认, issue 14 N3, ``held.dismiss_records``) is never confirmed nor
    released: it is left out and listed in ``ConfirmationResult.dismissed``.
    """
    wanted = list(dict.fromkeys(i.strip().lower() for i in record_ids if i and i.strip()))
    found = store.records_by_ids(site_id, wanted)
    held = store.held_record_ids(site_id, [r.id for r in found])
    refused = set(store.dismissed(site_id, [r.id for r in found]))
    known = {r.id.lower() for r in found
             if (r.type in CONFIRMABLE_TYPES or r.type == "withdrawal" or r.id in held or r.id in refused)}
    strangers = [i for i in wanted if i not in known]
    if strangers:
        raise NotConfirmable(strangers)
    dismissed = [i for i in wanted if i in refused]
    wanted = [i for i in wanted if i not in refused]
    when = (now or datetime.now(UTC)).astimezone(UTC)
    at = when.isoformat(timespec="milliseconds")
    with store.write(site_id):  # the check for an earlier confirmation and the append are one transaction
        late = set(store.dismissed(site_id, wanted)) if held else set()  # refused meanwhile by another manager
        dismissed += [i for i in wanted if i in late]
        wanted = [i for i in wanted if i not in late]
        rows = store.add_confirmations([ConfirmationRow(id=str(uuid.uuid4()), site_id=site_id, record_id=i,
                                                        author=author, confirmed_at=at) for i in wanted])
        site = store.get_site(site_id) if held else None
        if site is not None:  # confirming a held record releases its phone into the ownership index
            release(store, site, {r.phone_key for r in found if r.id in held}, when)
    stored = {r.record_id for r in rows}
    return ConfirmationResult(confirmed=rows, already=[i for i in wanted if i not in stored], dismissed=dismissed)
