"""How stored explanation steps are sent (``views.plain_steps``). Issue 14: rows rendered
before rule codes left the templates ("R1：…") reach tablets without them. Issue 13: steps are
stored without text and rendered from their params when read; ``rendered=False`` (a tablet
pulling with ``steps=params``) sends them without text."""

from sync_server.services.views import plain_steps

AT = "2026-11-20T02:00:00+00:00"
OLD = [{"rule": "R1", "key": "first_registration", "at": AT,
        "params": {"time": AT, "rep": "王丽", "device": "desk-1"},
        "text": {"zh": "R1：2026-11-20 10:00 在 desk-1 首次登记，接待人 王丽", "en": "R1: first registration 10:00 by 王丽"}},
       {"rule": "R2", "key": "some_future_step", "params": {}, "text": {"zh": "R2：保护期至 2026-12-20"}},
       {"text": "最早登记"}]


def test_a_stored_step_is_rendered_from_its_params_without_a_rule_code_and_keeps_its_rule():
    assert plain_steps(OLD, 480) == [
        {"rule": "R1", "key": "first_registration", "at": AT, "params": {"time": AT, "rep": "王丽", "device": "desk-1"},
         "text": {"zh": "2026-11-20 10:00 在 desk-1 首次登记，接待人 王丽", "en": "first registration 2026-11-20 10:00 on desk-1, received by 王丽"}},
        {"rule": "R2", "key": "some_future_step", "params": {}, "text": {"zh": "保护期至 2026-12-20"}},
        {"text": "最早登记"}]


def test_a_step_stored_without_text_gets_the_same_words_in_the_sites_time():
    new = [{k: v for k, v in OLD[0].items() if k != "text"}]
    assert plain_steps(new, 480)[0]["text"]["zh"] == "2026-11-20 10:00 在 desk-1 首次登记，接待人 王丽"
    assert plain_steps(new, 420)[0]["text"]["zh"] == "2026-11-20 09:00 在 desk-1 首次登记，接待人 王丽"


def test_a_tablet_that_renders_itself_gets_the_steps_without_text():
    assert plain_steps(OLD, 480, rendered=False) == [
        {"rule": "R1", "key": "first_registration", "at": AT, "params": {"time": AT, "rep": "王丽", "device": "desk-1"}},
        {"rule": "R2", "key": "some_future_step", "params": {}}, {}]
