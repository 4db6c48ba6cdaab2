"""A site's ownership policy: the settings domain.md leaves to each sales office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

__all__ = ["SitePolicy", "HOUSEHOLD_RULES"]

HOUSEHOLD_RULES = ("split", "first")


@dataclass(frozen=True)
class SitePolicy:
    """``validity_days``: how long a registration protects its rep (R2; 001 §12 says a month,
    §14 two). ``household``: spouses registered by two reps before a deal are shared 50/50
    (``split``, 001 §12.7.4) or go to the first receiver (``first``, 001 §14(五)3(11)).
    ``close_call_ms``: claims nearer than this, or than their combined clock uncertainty, are
    decided by the rule but flagged for a manager. ``utc_offset_minutes``: the site's local
    time, for appointment days and the dates people read."""

    validity_days: int = 30
    household: str = "split"
    close_call_ms: int = 60_000
    utc_offset_minutes: int = 480
    region: str = "CN"

    def __post_init__(self) -> None:
        if self.validity_days < 1:
            raise ValueError("validity_days must be at least 1")
        if self.household not in HOUSEHOLD_RULES:
            raise ValueError(f"household must be one of {HOUSEHOLD_RULES}")

    @property
    def validity(self) -> timedelta:
        return timedelta(days=self.validity_days)
