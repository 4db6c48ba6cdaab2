"""Every text field of the tablet in the real app under Xvfb (issue 14 leftovers): the keyboard
each one asks Android for, and emoji drawn (never a box) while a name is typed."""

from __future__ import annotations

import pytest

from tests.mobile.test_ui import SHOTS, display, run_driver  # noqa: F401 - the Xvfb fixture

pytestmark = [pytest.mark.ui]

CHINESE = ("text", True, False)  # input_type, keyboard_suggestions, password: pinyin/handwriting IMEs compose
TEL, NUMBER = ("tel", True, False), ("number", True, False)
LATIN = ("text", False, False)  # no suggestions: no autocorrect, no capitals
SECRET = ("text", False, True)
KEYBOARDS = {
    "enrol.server": ("url", False, False), "enrol.username": LATIN, "enrol.password": SECRET,
    "enrol.new_password": SECRET, "enrol.device": CHINESE,
    "walkin.phone": TEL, "walkin.name": CHINESE, "walkin.party": NUMBER, "walkin.notes": CHINESE,
    "call.phone": TEL, "call.name": CHINESE, "call.topic": CHINESE, "call.notes": CHINESE,
    "visit.organisation": CHINESE, "visit.address": CHINESE, "visit.legal": CHINESE, "visit.suggestions": CHINESE,
    "visit.contact_name": CHINESE, "visit.contact_title": CHINESE, "visit.contact_phone": TEL,
    "visit.contact_mobile": TEL, "visit.signer": CHINESE,
    "follow.phone": TEL, "follow.name": CHINESE, "follow.contact": CHINESE, "follow.content": CHINESE,
    "follow.feedback": CHINESE, "follow.next_action": CHINESE,
    "complaint.phone": TEL, "complaint.name": CHINESE, "complaint.contact": CHINESE, "complaint.handler": CHINESE,
    "complaint.content": CHINESE, "complaint_step.note": CHINESE, "find.query": CHINESE,
    "deal.phone": TEL, "deal.name": CHINESE, "deal.unit": CHINESE, "deal.previous_unit": CHINESE,
    "deal.amount": NUMBER, "deal.reason": CHINESE,
    "CorrectionPopup.name": CHINESE, "CorrectionPopup.phone": TEL, "CorrectionPopup.reason": CHINESE,
    "UndoReceptionPopup.reason": CHINESE,
}


@pytest.fixture(scope="module")
def fields(display, tmp_path_factory):  # noqa: F811 - pytest fixture injection
    SHOTS.mkdir(parents=True, exist_ok=True)
    return run_driver("ui_fields_driver.py", display, tmp_path_factory.mktemp("fields"),
                      server_url="http://127.0.0.1:9", shots=True, timeout=120)


def test_every_text_field_of_every_screen_and_popup_asks_for_the_keyboard_it_needs(fields):
    """The enrol screen's server URL gets the URL keyboard; phones the phone pad; counts and
    amounts the number pad; usernames, passwords and the URL no suggestions (no autocorrect, no
    capitals); everything a person may write in Chinese the full keyboard with suggestions."""
    found = {field: (f["input_type"], f["suggestions"], f["password"]) for field, f in fields["fields"].items()}
    assert found == KEYBOARDS  # a new field must be declared here with the keyboard it needs


def test_every_text_field_is_a_form_input_with_an_id(fields):
    """FormInput draws emoji, drops unfinished compositions and says when one is under way."""
    assert {f["class"] for f in fields["fields"].values()} <= {"FormInput", "NotesInput"}
    assert set(fields["unnamed"].values()) == {0}


def test_issue14_an_emoji_typed_in_a_name_field_is_drawn_in_the_symbol_font_not_a_box(fields):
    """The field's own pixels where 🙂 follows 张伟 match 🙂 drawn alone in the symbol font, not
    the box the CJK font draws for it (before: overlap with the symbol font 0)."""
    emoji = fields["emoji"]
    assert emoji["symbol_overlap"] > 0.7 > emoji["box_overlap"], emoji
    assert emoji["emoji_end"] > emoji["plain_end"]  # the cursor after the emoji sits past its glyph
