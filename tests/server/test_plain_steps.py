"""Issue 14: explanations stored before rule codes left the templates reach tablets without
them ("R1：…" read as an internal code); the step's ``rule`` field stays for code."""

from sync_server.services.views import plain_steps


def test_a_stored_step_loses_its_rule_code_prefix_and_keeps_its_rule():
    old = [{"rule": "R1", "key": "first_registration", "params": {},
            "text": {"zh": "R1：2026-11-20 10:00 由 王丽 在 desk-1 首次登记", "en": "R1: first registration 10:00 by 王丽"}},
           {"rule": "R2", "key": "protected_until", "params": {}, "text": {"zh": "保护期至 2026-12-20"}},
           {"text": "最早登记"}]
    assert plain_steps(old) == [
        {"rule": "R1", "key": "first_registration", "params": {},
         "text": {"zh": "2026-11-20 10:00 由 王丽 在 desk-1 首次登记", "en": "first registration 10:00 by 王丽"}},
        {"rule": "R2", "key": "protected_until", "params": {}, "text": {"zh": "保护期至 2026-12-20"}},
        {"text": "最早登记"}]
