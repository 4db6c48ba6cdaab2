"""What the record forms share: save through the capture service, report problems by label,
mark the fields at fault, clear the message when they are fixed, confirm each save distinctly;
and, for the desk's two forms, the phone look-up as it is typed."""

from __future__ import annotations

from collections.abc import Callable

from kivy.clock import Clock
from kivy.properties import ObjectProperty, StringProperty

from shared.errors import Problem, RecordInvalid
from shared.timeutil import format_time

from ..device_clock import wall_now
from ..line_breaks import shorten
from ..messages import char_shown, field_label, joined_sentences, problem_text
from ..services.lookup import CustomerStatus
from .base import FieldsyncScreen

__all__ = ["RecordFormScreen", "PhoneLookupScreen", "VERDICT_KIND", "composing", "one_line"]

# a look-up verdict -> the banner's colour
VERDICT_KIND = {"new": "ok", "returning": "warn", "deal": "warn", "lapsed": "info", "disputed": "error",
                "invalid": "error"}


def verdict_kind(status: CustomerStatus) -> str:
    """The banner's colour for a look-up: ``VERDICT_KIND``, but a rep's "new" that may be another
    rep's customer (``partial``, issue 14) or that the desk cannot be sure of (``unsure``: the
    replica not loaded or not yet tagged, QA of issue 14 H1) is not the green of a certain new
    customer (QA6)."""
    return "info" if status.partial or status.unsure else VERDICT_KIND.get(status.verdict, "info")


class RecordFormScreen(FieldsyncScreen):
    """A screen that saves one record. Subclasses build (type, name, phone, rep, data)."""

    saved_key = "common.saved"
    record_type = ""
    # dotted field path -> id of the widget that edits it (marked red when the field is at fault),
    # in the form's reading order: problems are said in this order (QA of issue 14 F9)
    field_ids: dict[str, str] = {"customer.phone": "phone", "customer": "phone", "customer.name": "name"}
    # dotted paths answered by a choice (buttons or a list) rather than typed: a missing one is
    # "请选择…", never "请填写…"; none is preselected (issue 14 F6: no default stands for an answer)
    choice_fields: tuple[str, ...] = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.saves = 0  # this session's saves on this screen: each confirmation reads differently
        # a save succeeded and cleared the form, untouched since: a late second tap of the same
        # press is not a new record (it would say "please fill in the name" after a good save)
        self.just_saved = False
        self.shown_problems: list = []  # the problems the message says now (``show_problems``)

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        for widget_id in set(self.field_ids.values()):
            widget = self.ids.get(widget_id)
            if widget is not None and hasattr(widget, "error"):
                widget.bind(text=self._field_edited)
        for widget in self.ids.values():
            if self._is_text_field(widget):
                widget.bind(text=self._touched)
            elif widget.__class__.__name__ == "DateField":
                widget.bind(value=self._touched)
            elif hasattr(widget, "group") and hasattr(widget, "state"):  # a choice (stage, grade, 退订, …)
                widget.bind(state=self._touched)
            elif hasattr(widget, "signed"):  # the customer signs again
                widget.bind(signed=self._touched)

    @staticmethod
    def _is_text_field(widget) -> bool:
        return widget.__class__.__name__ in ("FormInput", "NotesInput") or hasattr(widget, "cursor")

    def _touched(self, *_args) -> None:
        self.just_saved = False

    def on_pre_enter(self, *args) -> None:
        self.just_saved = False
        super().on_pre_enter(*args)

    def second_tap(self) -> bool:
        """True when a tap on the save button must do nothing: a save is under way, or the last
        one succeeded and its form is untouched since (QA of issue 12 F2: the tap 200 ms after a
        good save said 未能保存 on the emptied form). The confirmation stays on screen."""
        return self.saving or self.just_saved

    def saved_form(self) -> None:
        """After a good save: the form is cleared (``clear_form``) and counts as untouched."""
        self.clear_form()
        self.just_saved = True

    # -- problems --------------------------------------------------------------------------
    def problem_text(self, problem) -> str:
        if getattr(problem, "code", "") == "missing_field" and problem.field in self.choice_fields:
            return self.t("form.choose", label=field_label(problem.field, self.app.lang, self.record_type))
        return problem_text(problem, self.app.lang, self.record_type)

    def unanswered(self, **answers) -> list[Problem]:
        """A ``missing_field`` problem for every choice left unanswered: ``answers`` maps a
        data key (``source``) to the value chosen, None for none (issue 14 F6)."""
        return [Problem("missing_field", f"{key} is required", "data." + key) for key, value in answers.items()
                if value is None]

    def in_form_order(self, problems) -> list:
        """``problems`` in the order their fields are read on the form (``field_ids``), the
        rest after them as they came."""
        order = list(self.field_ids) + [f for f in self.choice_fields if f not in self.field_ids]

        def rank(problem) -> int:
            field = problem.get("field") if isinstance(problem, dict) else getattr(problem, "field", "")
            return order.index(field) if field in order else len(order)

        return sorted(problems, key=rank)

    def show_problems(self, problems) -> None:
        """Say every problem in the user's language, in the form's order, and mark the fields at
        fault; the problems shown are kept (``shown_problems``) so that fixing one field takes its
        problems out of the message (QA of issue 14, N5)."""
        problems = self.in_form_order(problems)
        self.unmark()
        for problem in problems:
            widget = self.ids.get(self.field_ids.get(problem.field, ""))
            if widget is not None and hasattr(widget, "error"):
                widget.error = True
        self._say_problems(problems)

    def _say_problems(self, problems) -> None:
        self.shown_problems = list(problems)

        def text() -> str:
            return self.t("form.not_saved", message=joined_sentences([self.problem_text(p) for p in problems],
                                                                     self.app.lang))

        self.say(text, "error")

    def show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, RecordInvalid):
            self.show_problems(exc.problems)
        else:
            self.say(lambda: self.t("form.not_saved", message=str(exc)), "error")

    def unmark(self) -> None:
        for widget_id in set(self.field_ids.values()):
            widget = self.ids.get(widget_id)
            if widget is not None and getattr(widget, "error", False):
                widget.error = False

    def marked(self) -> list[str]:
        return sorted(i for i in set(self.field_ids.values()) if getattr(self.ids.get(i), "error", False))

    def _field_edited(self, widget, _text) -> None:
        """A field at fault was changed: unmark it and take its problems out of the message; the
        message goes once none is left."""
        if getattr(widget, "error", False):
            widget.error = False
            if self.message_kind != "error":
                return
            edited = {field for field, widget_id in self.field_ids.items()  # ids are weak proxies: by uid
                      if getattr(self.ids.get(widget_id), "uid", None) == widget.uid}
            left = [p for p in self.shown_problems if p.field not in edited]
            if not self.marked() or not left:
                self.say("")
            elif len(left) < len(self.shown_problems):
                self._say_problems(left)

    # -- saving ----------------------------------------------------------------------------
    def saved_text(self, key: str, name: str, **values) -> Callable[[], str]:
        """A confirmation that names what was saved and when, numbered so a second save differs:
        the text's recipe for ``say`` (told again in the other language, QA7). A value that is
        words (a deal's stage and unit, ``DealScreen``) is given as its own recipe, a callable run
        at each telling: a text made once stays in the language it was made in."""
        self.saves += 1
        time = self.app.time_text(format_time(wall_now()))[11:16]
        values = {"n": self.saves, **values}
        name = shorten(name)  # a 100-character name: the banner keeps its sentence whole (QA of issue 14)
        what = self.saved_key  # this save's: a screen may set another for its next save (成交登记)
        return lambda: self.t(key, what=self.t(what), time=time, name=name,
                              **{k: v() if callable(v) else v for k, v in values.items()})

    def save_record(self, type_: str, *, name: str, phone: str, rep: str | None, data: dict,
                    after: Callable[[dict], None] | None = None, missing: list[Problem] | None = None) -> None:
        """Save one record off the UI thread; ``missing`` (``unanswered``) are refused together
        with the record's own problems (an empty name, …), said in the form's order."""
        def saved(wire: dict) -> None:
            self.unmark()
            self.say(self.saved_text("form.saved_n", name.strip()), "ok")
            self.saved_form()
            self.app.sync_now()
            if after:
                after(wire)

        def save() -> dict:
            if missing:
                fields = {p.field for p in missing}
                raise RecordInvalid(missing + [p for p in self.app.capture.problems(
                    type_, name=name, phone=phone, rep=rep, data=data) if p.field not in fields])
            return self.app.capture.capture(type_, name=name, phone=phone, rep=rep, data=data)

        self.save_once(save, saved, self.show_failure)

    def clear_form(self) -> None:
        for widget in self.ids.values():
            if self._is_text_field(widget):
                widget.text = ""
            elif widget.__class__.__name__ == "DateField":
                widget.value = ""

    def my_rep(self) -> str | None:
        user = self.app.user or {}
        return user.get("username") if user.get("role") == "rep" else None



def one_line(number: str) -> str:
    """A phone as shown in a banner: its groups joined by no-break spaces, so a line is never
    wrapped inside it ("010 1234 / 5678", QA of issue 14 F9)."""
    return number.strip().replace(" ", "\u00a0")


def composing(*fields) -> bool:
    """True while an input method composes in any of ``fields`` (``FormInput.composing``): the
    pinyin in their text is not what the person typed yet (issue 14)."""
    return any(getattr(field, "composing", False) for field in fields)


class PhoneLookupScreen(RecordFormScreen):
    """A record form that looks the typed phone up (来访登记, 来电登记): 0.12 s after the last
    keystroke, off the UI thread (``LookupService.check``); subclasses show the verdict in
    ``show_status``. Not while a pinyin input method is mid-composition in the name or phone
    field (``zhang wei`` is no name yet): the look-up runs once the composition is committed
    (or dropped)."""

    verdict_text = StringProperty("")
    verdict_kind = StringProperty("info")
    status = ObjectProperty(None, allownone=True)
    # bumped at every change of the phone (whose customer it is: the verdict and the owner): a
    # look-up's verdict for an older phone is dropped (QA of issue 12 F5: the previous visitor's
    # verdict and receiver showed on). A name edit only refines the hints (similar names): the
    # look-ups run in order on the one worker, the latest shown last
    inputs_gen = 0
    status_gen = -1  # the inputs_gen the shown ``status`` was looked up for
    _phone_seen = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lookup_trigger = Clock.create_trigger(self._lookup, 0.12)

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        for field in (self.ids.phone, self.ids.name):
            if hasattr(field, "composing"):
                field.bind(composing=lambda _field, now: None if now else self.on_typed())

    def on_typed(self, *_args) -> None:
        phone = self.ids.phone.text if "phone" in self.ids else ""
        if phone != self._phone_seen:
            self._phone_seen = phone
            self.inputs_gen += 1
            self.inputs_changed()
        self._lookup_trigger()

    def inputs_changed(self) -> None:
        """The phone changed: what was shown for the old one is stale from now on."""

    def on_language(self) -> None:
        """The verdict and its explanation are told again in the new language: the look-up of
        the phone in the form runs again (QA6 M4: they stayed Chinese in English)."""
        super().on_language()
        if "phone" in self.ids and self.ids.phone.text.strip():
            self._lookup_trigger()

    def status_current(self) -> bool:
        """True when ``status`` was looked up for the phone now in the form."""
        return self.status is not None and self.status_gen == self.inputs_gen

    def _lookup(self, _dt=None) -> None:
        if composing(self.ids.phone, self.ids.name):
            return  # half-composed pinyin: the commit changes the text and brings us back here
        phone, name, gen = self.ids.phone.text, self.ids.name.text, self.inputs_gen

        def got(status: CustomerStatus) -> None:
            if gen == self.inputs_gen:  # else the inputs changed meanwhile: their own look-up follows
                self.status_gen = gen
                self.show_status(status)

        self.app.tasks.run(lambda: self.app.lookup.check(phone, name), got)

    def show_status(self, status: CustomerStatus) -> None:
        raise NotImplementedError

    def verdict_line(self, status: CustomerStatus) -> str:
        """The verdict in the current language: new, whose customer, protected until when."""
        until = self.app.time_text(status.protected_until.isoformat(), with_time=False) if status.protected_until else ""
        key = "verdict." + status.verdict + ("_awaiting" if status.awaiting_approval else "")  # 待总监审批
        if status.verdict == "invalid" and status.problem in ("letter_o", "letters", "symbol", "extension"):
            return self.t("verdict.invalid_" + status.problem,  # what is wrong (QA14 L3), never an English name
                          char=char_shown(status.problem_char, self.app.lang))
        me = self.my_rep()
        if me and (status.verdict == "new" or (status.owner == me and status.verdict in ("returning", "deal"))):
            key += "_own"  # a rep's own tablet: she receives it herself, never "hand it over to 王丽" (QA7)
        line = self.t(key, owner=status.owner_name or status.owner or "", until=until)
        if status.partial:
            return line + self.t("verdict.partial")
        return line + self.t("verdict.unsure_" + status.unsure) if status.unsure else line

    def kind_line(self, status: CustomerStatus) -> str:
        """The kind of number said after the verdict when it is not the mobile the form asks
        for (a landline, …); "" for a mobile or when unknown (QA of issue 14 F9: "新客户：按排班
        接待（手机号码）" read as a stray label)."""
        if not status.kind or status.kind == "mobile":
            return ""
        return self.t("verdict.kind", kind=self.t("phone.kind." + status.kind))

    filled_name = ""  # the name this form last filled in from a look-up ("" once the user typed one)

    def fill_known_name(self, status: CustomerStatus) -> None:
        """A returning customer's known name goes into an empty name field: never retype what
        the tablet knows. A name the form filled in and nobody edited follows the number: another
        number's known name replaces it, a number with none clears it (QA6 M2: 测试甲 stayed
        for every number typed after hers); a name the user typed is never touched."""
        field = self.ids.name
        if self.filled_name and field.text != self.filled_name:
            self.filled_name = ""  # edited since: the user's own now
        if self.filled_name and status.known_name != self.filled_name:
            # the number no longer matches (another one, an invalid one, one being retyped: QA of
            # issue 14 L3, 138OO138OOO kept the name): what the tablet filled in goes with it
            field.text = self.filled_name = status.known_name
        elif status.known_name and not field.text.strip():
            field.text = self.filled_name = status.known_name
