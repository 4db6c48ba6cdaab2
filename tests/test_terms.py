"""One word for one thing on the tablet and in the console (QA sweep, 2026-12-03: the tablet
said 重大投诉 and 已给方案 where the console, the exports and the rule (001 §2 第十一条:
较大事件投诉; 003: 给出初步解决方案) say 较大投诉 and 已给出方案)."""

from __future__ import annotations

import pytest

from mobile.i18n_forms import FORM_STRINGS
from shared.records import COMPLAINT_STATUSES
from sync_server.console.strings import STRINGS

# (tablet key, console key) of the same complaint term
PAIRS = [(f"complaint.{severity}", f"severity.{severity}") for severity in ("general", "major")] + [
    (f"step.{status}", f"complaint.{status}") for status in COMPLAINT_STATUSES if f"step.{status}" in FORM_STRINGS]


def test_every_complaint_step_the_tablet_offers_is_paired():
    assert len(PAIRS) >= 2 + 5  # responded, solution offered, resolved, satisfaction checked, closed


@pytest.mark.parametrize(("tablet", "console"), PAIRS)
def test_the_tablet_and_the_console_name_a_complaint_term_alike(tablet, console):
    assert FORM_STRINGS[tablet][0] == STRINGS[console][0]
