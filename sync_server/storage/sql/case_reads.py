"""The push's read of the complaint cases its steps name (``CareCalendarStore.complaint_case_records``):
every record kept under each case (``complaint_steps``), with whether it is live, and the
withdrawals of any of them — what ``services/complaint_checks.py`` needs to refuse a step on a
withdrawn or closed complaint (QA15 A)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..base import StoredRecord, iter_chunks
from .care import _case_records, _stored_cases
from .engine import CHUNK
from .records import RECORD_SELECT, record_of
from .tables import records

__all__ = ["CaseReads"]


class CaseReads:
    """Mixed into ``SqlStore`` (needs the ``Transactions`` helpers)."""

    connection: Any

    def complaint_case_records(self, site_id: str, record_ids: Iterable[str]) -> dict[str, list[tuple[StoredRecord, bool]]]:
        with self.connection() as conn:
            cases = _stored_cases(conn, site_id, record_ids)
            if not cases:
                return {}
            kept = _case_records(conn, site_id, sorted(set(cases.values())))
            case_of = {r.id: case for case, rows in kept.items() for r, _ in rows}
            for chunk in iter_chunks(sorted(case_of), CHUNK):
                for row in conn.execute(RECORD_SELECT.where(records.c.site_id == site_id, records.c.type == "withdrawal",
                                                            records.c.supersedes.in_(list(chunk)))):
                    withdrawal = record_of(row)
                    kept[case_of[withdrawal.supersedes or ""]].append((withdrawal, True))
        return {rid: kept.get(case, []) for rid, case in cases.items()}
