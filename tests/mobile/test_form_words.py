"""Words the desk reads on its forms and explanations (QA of issue 14 F9): no jargon, no
default standing for an answer in the strings the forms show."""

from __future__ import annotations

import re

from mobile.i18n import STRINGS
from shared.explain import TEMPLATES

JARGON = re.compile(r"\bfinal\b", re.IGNORECASE)  # "deal …; final": the rules' word, not the desk's


def test_issue14_f9_no_english_explanation_or_tablet_string_says_final():
    """Before: "deal (small deposit) by 王丽 …; final" (and "a deal is final and keeps …")."""
    said = [(key, text["en"]) for key, text in TEMPLATES.items() if JARGON.search(text.get("en", ""))]
    said += [(key, en) for key, (_zh, en) in STRINGS.items() if JARGON.search(en)]
    assert said == []


def test_issue14_f6_a_choice_left_unanswered_is_asked_for_by_its_label():
    assert STRINGS["form.choose"] == ("请选择{label}。", "{label}: choose one.")
    assert STRINGS["form.pick"][0] == "请选择"
