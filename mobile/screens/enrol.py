"""Enrol: server address, username, password; the tablet remembers its device afterwards."""

from __future__ import annotations

import socket

from .base import FieldsyncScreen


class EnrolScreen(FieldsyncScreen):
    def refresh(self) -> None:
        ids = self.ids
        if not ids.server.text:
            ids.server.text = self.app.store.get_meta("server_url") or self.app.default_server or "http://"
        if not ids.device.text:
            ids.device.text = self.app.store.get_meta("device_name") or f"tablet-{socket.gethostname()}"[:40]

    def submit(self) -> None:
        ids = self.ids
        server, username, password, device = (ids.server.text.strip(), ids.username.text.strip(),
                                              ids.password.text, ids.device.text.strip())
        missing = [self.t(k) for k, v in (("enrol.server", server), ("enrol.username", username),
                                         ("enrol.password", password)) if not v]
        if missing:
            self.say(self.t("common.required", fields="、".join(missing)), "error")
            return
        self.say(self.t("enrol.working"))
        ids.submit.disabled = True

        def failed(exc: BaseException) -> None:
            ids.submit.disabled = False
            self.say(self.t("enrol.failed", message=str(exc)), "error")

        def done(user: dict) -> None:
            ids.submit.disabled = False
            ids.password.text = ""
            self.app.signed_in(user)

        self.app.tasks.run(lambda: self.app.client.enroll(server, username, password, device), done, failed)
