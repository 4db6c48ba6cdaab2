"""What the simple record forms share: save through the capture service, report problems."""

from __future__ import annotations

from collections.abc import Callable

from shared.errors import RecordInvalid

from .base import FieldsyncScreen

__all__ = ["RecordFormScreen"]


class RecordFormScreen(FieldsyncScreen):
    """A screen that saves one record. Subclasses build (type, name, phone, rep, data)."""

    saved_key = "common.saved"

    def problem_text(self, problem) -> str:
        key = "err." + problem.code
        text = self.t(key)
        return f"{text} ({problem.field})" if text != key else f"{problem.field}: {problem.message}"

    def save_record(self, type_: str, *, name: str, phone: str, rep: str | None, data: dict,
                    after: Callable[[dict], None] | None = None) -> None:
        def saved(wire: dict) -> None:
            self.say(self.t(self.saved_key), "ok")
            self.clear_form()
            self.app.sync_now()
            if after:
                after(wire)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RecordInvalid):
                self.say(self.t("common.error", message="; ".join(self.problem_text(p) for p in exc.problems)), "error")
            else:
                self.say(self.t("common.error", message=str(exc)), "error")

        self.app.tasks.run(lambda: self.app.capture.capture(type_, name=name, phone=phone, rep=rep, data=data),
                           saved, failed)

    def clear_form(self) -> None:
        for widget in self.ids.values():
            if widget.__class__.__name__ == "FormInput" or hasattr(widget, "cursor"):
                widget.text = ""

    def my_rep(self) -> str | None:
        user = self.app.user or {}
        return user.get("username") if user.get("role") == "rep" else None
