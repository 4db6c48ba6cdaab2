"""Enrol: server address, username, password; the tablet remembers its device afterwards."""

from __future__ import annotations

import socket

from kivy.properties import BooleanProperty

from shared.fields import password_problem

from ..messages import sign_in_failure_text
from .base import FieldsyncScreen


class EnrolScreen(FieldsyncScreen):
    must_change = BooleanProperty(False)
    """The server asked for a new password (a manager reset it): the new-password field shows."""

    def refresh(self) -> None:
        ids, profile = self.ids, self.app.profile.current
        if not ids.server.text:
            ids.server.text = profile.server_url or self.app.default_server or "http://"
        if not ids.device.text:
            ids.device.text = profile.device_name or f"tablet-{socket.gethostname()}"[:40]

    def submit(self) -> None:
        ids = self.ids
        server, username, password, device = (ids.server.text.strip(), ids.username.text.strip(),
                                              ids.password.text, ids.device.text.strip())
        new_password = ids.new_password.text if self.must_change else ""
        missing = [self.t(k) for k, v in (("enrol.server", server), ("enrol.username", username),
                                         ("enrol.password", password),
                                         ("enrol.new_password", new_password or not self.must_change)) if not v]
        if missing:
            self.say(self.t("msg.missing", label=self.join(missing)), "error")
            return
        problem = password_problem(new_password) if self.must_change else None
        if problem or password_problem(password) == "password_control":  # what no server would take
            self.say(self.t("signin.failed", message=self.t(f"signin.{problem or 'password_control'}")), "error")
            return
        self.say(self.t("enrol.working"))
        ids.submit.disabled = True

        def failed(exc: BaseException) -> None:
            ids.submit.disabled = False
            if getattr(exc, "code", "") == "password_change_required":
                self.must_change = True  # show the new-password field; the message says what to do
            self.say(self.t("signin.failed", message=sign_in_failure_text(exc, self.app.lang)), "error")

        def done(user: dict) -> None:
            ids.submit.disabled = False
            ids.password.text = ids.new_password.text = ""
            self.must_change = False
            self.app.signed_in(user)

        def enroll() -> dict:
            user = self.app.client.enroll(server, username, password, device, new_password or None)
            self.app.profile.load()  # the new user and server, in memory before the home screen shows
            return user

        self.app.tasks.run(enroll, done, failed)
