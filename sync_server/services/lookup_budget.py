"""The phone look-up budget (QA of issue 14, finding 2): ``GET /api/v1/customers/lookup`` tells
anyone of the site who owns a typed number, so unlimited look-ups were an oracle that skipped
the slow keyed tag of docs/privacy.md (a rep's script: 8.7 ms a try, every candidate of a
last-four group in about 1.3 h). Each user who may not see every phone (reception, reps) gets
``LOOKUP_BUDGET`` (120) look-ups per rolling hour; managers see whole phones anyway and are
not limited.

The counting is the sign-in throttle's (``services/throttle.py``), not a second mechanism: in
memory for one process, and with ``serve --workers N`` in a SQLite file next to the sign-in
failures file, so every worker counts against the same budget. Over budget: 429
``lookup_budget`` with Retry-After and a message in zh and en, and one audit row
(``customer.lookup_budget``) per user per window, so the manager sees who hit it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from ..errors import TooManyAttempts
from ..storage.base import Store
from .audit import Origin, log
from .auth import Caller
from .throttle import SharedSignInThrottle, SignInThrottle, minutes

__all__ = ["LookupBudget", "LOOKUP_BUDGET", "LOOKUP_WINDOW_S", "lookup_budget_file"]

LOOKUP_BUDGET = 120
"""Look-ups per user per rolling hour: a desk or a rep typing numbers by hand does a few dozen
in a busy hour (one a walk-in or a call); 120 is two a minute for a whole hour, while an
enumeration of one last-four group (521,600 candidates) would take 4,347 h (docs/privacy.md)."""
LOOKUP_WINDOW_S = 60 * 60


def lookup_budget_file(sign_in_file: str | None) -> str | None:
    """The shared look-up count file beside ``serve``'s sign-in failures file (same private
    directory); None when the sign-in throttle counts in memory (one process)."""
    return os.path.join(os.path.dirname(sign_in_file), "phone-lookups.db") if sign_in_file else None


class LookupBudget:
    """``charge`` one look-up of ``caller``; refuse it (429) when the user's budget is spent.

    ``path``: the SQLite file the workers share (``lookup_budget_file``), None for memory.
    ``clock`` returns seconds (wall clock when shared); tests pass their own."""

    def __init__(self, path: str | None = None, limit: int = LOOKUP_BUDGET, window_s: float = LOOKUP_WINDOW_S,
                 clock: Callable[[], float] | None = None):
        self.limit, self.window_s = limit, window_s

        def counter(n: int) -> SignInThrottle:  # keys are ``lookup:<user>``, never ``addr:``
            if path:
                return SharedSignInThrottle(path, n, window_s, clock or time.time, address_limit=n)
            return SignInThrottle(n, window_s, clock or time.monotonic, address_limit=n)

        # both in the same file with the same window, so each one's sweep of old rows suits the other
        self._looked, self._told = counter(limit), counter(1)

    def take(self, caller: Caller, path: str = "push") -> tuple[bool, bool]:
        """Count one look-up of ``caller`` made some other way than the look-up endpoint (a
        pushed record naming a phone the caller could not see, ``record_budget.py``), without
        refusing anything: ``(counted, first_miss)``. ``counted`` is False when the budget is
        spent (nothing counted then); ``first_miss`` is True for the first such miss of
        ``path`` in a window (the caller writes the audit row). Managers: ``(True, False)``."""
        if caller.is_manager:
            return True, False
        keys = [f"lookup:{caller.user.username.lower()}"]
        if not self._looked.retry_after(keys):
            self._looked.failed(keys)
            return True, False
        told = [f"told:{path}:{key}" for key in keys]
        if self._told.retry_after(told):
            return False, False
        self._told.failed(told)
        return False, True

    def charge(self, store: Store, caller: Caller, address: str | None) -> None:
        """Count one look-up; managers are not counted. Raises ``TooManyAttempts``
        (``lookup_budget``, ``retry_after_s``) when ``limit`` look-ups of this user fall in the
        last ``window_s`` seconds; the first refusal of a window writes the audit row
        ``customer.lookup_budget`` (target: the user; details: ``limit``, ``window_minutes``).
        Refused look-ups are not counted."""
        if caller.is_manager:
            return
        username = caller.user.username
        keys = [f"lookup:{username.lower()}"]
        wait = self._looked.retry_after(keys)
        if not wait:
            self._looked.failed(keys)
            return
        told = [f"told:{key}" for key in keys]  # its own key: in the shared file both count in one table
        if not self._told.retry_after(told):
            self._told.failed(told)
            with store.write(caller.site.id):
                log(store, caller.site.id, Origin.api(username, address), "customer.lookup_budget", username,
                    limit=self.limit, window_minutes=round(self.window_s / 60))
        m = minutes(wait)
        raise TooManyAttempts(
            "lookup_budget",
            f"You have looked up {self.limit} phone numbers within the last hour, the most one person may. "
            f"Wait {m} minute(s) and try again, or ask your manager to look the number up (managers are not "
            "limited).",
            retry_after_s=int(wait) + 1,
            zh=f"您在一小时内已查询 {self.limit} 个电话号码，已达每人上限。请 {m} 分钟后再试，或请经理代为查询"
               "（经理不受此限）。",
            details={"limit": self.limit, "retry_after_s": int(wait) + 1})
