"""Enrol: server address, username, password; the tablet remembers its device afterwards.

A user who must choose a new password (a new user's first sign-in, or a password a manager
reset: the server's 403 ``password_change_required``, ``first_sign_in`` telling which) sees the
新密码 field and the hint saying which case it is. Both are kept on the tablet
(meta ``password_change``: server, username, first_sign_in) until the enrolment succeeds, so an
app restart mid-way brings them back (QA of issue 12 F12.2) instead of a first submit that fails
again before the field shows."""

from __future__ import annotations

from kivy.properties import BooleanProperty

from shared.fields import password_problem

from ..device_name import install_id, platform_model, suggested_name
from ..i18n import tr
from ..messages import sign_in_failure_text
from ..services.enrol_form import device_name_problem, server_address
from .base import FieldsyncScreen

PENDING_KEY = "password_change"  # meta: the new password the server asked for, kept across restarts


class EnrolScreen(FieldsyncScreen):
    must_change = BooleanProperty(False)
    """The server asked for a new password (first sign-in, or a manager reset it): the
    new-password field shows."""
    first_sign_in = BooleanProperty(False)  # which of the two the hint says

    suggested = ""  # the device name this screen suggested (the user's, a model, this install's id)
    _install: tuple[str, str] | None = None  # (short id, model) once read

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        self.ids.username.bind(text=lambda *_: self._suggest())

    def refresh(self) -> None:
        ids, profile = self.ids, self.app.profile.current
        if not ids.server.text:
            ids.server.text = profile.server_url or self.app.default_server or "http://"
        if not ids.device.text and profile.device_name:
            ids.device.text = profile.device_name
        store = self.app.store
        self.app.tasks.run(lambda: store.get_meta(PENDING_KEY), self._restore_pending)
        if self._install is None:
            self.app.tasks.run(lambda: (install_id(store), platform_model()), self._installed)

    def _installed(self, install: tuple[str, str]) -> None:
        self._install = install
        self._suggest()

    def _suggest(self) -> None:
        """Suggest a name that tells this tablet apart (QA5 F6b: every tablet said tablet-vm):
        only while the field is empty or still holds the last suggestion."""
        if self._install is None or self.ids.device.text not in ("", self.suggested):
            return
        self.suggested = suggested_name(self.t("enrol.device_word"), *self._install)
        self.ids.device.text = self.suggested

    def _restore_pending(self, pending) -> None:
        """The password change the server asked for before the app was closed: the field and
        the hint come back with the username (the passwords are never kept)."""
        if not isinstance(pending, dict) or self.must_change:
            return
        ids = self.ids
        if pending.get("server") and (not ids.server.text or ids.server.text == "http://"):
            ids.server.text = pending["server"]
        if not ids.username.text:
            ids.username.text = pending.get("username") or ""
        if ids.username.text.strip() != (pending.get("username") or ""):
            return  # another user signs in on this tablet now
        self.first_sign_in, self.must_change = bool(pending.get("first_sign_in")), True
        self.say(self.pending_hint(), "warn")

    def pending_hint(self) -> str:
        """What to do, in the app's language: a first sign-in or a reset password."""
        key = "signin.first_password" if self.first_sign_in else "signin.password_change_required"
        return tr(key, self.app.lang)

    def submit(self) -> None:
        ids = self.ids
        server, username, password, device = (server_address(ids.server.text), ids.username.text.strip(),
                                              ids.password.text, ids.device.text.strip())
        new_password = ids.new_password.text if self.must_change else ""
        word = self.t("enrol.device_word")  # the suggestion's word, read here on the UI thread
        missing_keys = [k for k, v in (("enrol.server", server), ("enrol.username", username),
                                       ("enrol.password", password),
                                       ("enrol.new_password", new_password or not self.must_change)) if not v]
        if missing_keys:
            self.say(lambda: self.t("msg.missing", label=self.join(self.t(k) for k in missing_keys)), "error")
            return
        named = device_name_problem(device)  # too long, or turning text around (QA of issue 14, L3, M6)
        if named is not None:
            self.say(lambda: self.t("signin.failed", message=self.t(named[0], **named[1])), "error")
            return
        if server != ids.server.text.strip():
            ids.server.text = server  # http:// put in front: the clerk sees the address used
        problem = password_problem(new_password) if self.must_change else None
        if problem or password_problem(password) == "password_control":  # what no server would take
            self.say(lambda: self.t("signin.failed", message=self.t(f"signin.{problem or 'password_control'}")), "error")
            return
        self.say(self.t("enrol.working"))
        ids.submit.disabled = True

        store = self.app.store

        def failed(exc: BaseException) -> None:
            ids.submit.disabled = False
            if getattr(exc, "code", "") == "password_change_required":
                # show the new-password field; the message says what to do; kept for a restart
                self.first_sign_in = bool(getattr(exc, "details", {}).get("first_sign_in"))
                self.must_change = True
                pending = {"server": server, "username": username, "first_sign_in": self.first_sign_in}
                self.app.tasks.run(lambda: store.set_meta(**{PENDING_KEY: pending}))
            self.say(lambda: self.t("signin.failed", message=sign_in_failure_text(exc, self.app.lang)), "error")

        def done(user: dict) -> None:
            ids.submit.disabled = False
            ids.password.text = ids.new_password.text = ""
            self.must_change = False
            self.app.signed_in(user)

        def enroll() -> dict:
            # submitted before the suggestion arrived (its read runs off this thread too): the same one
            name = device or suggested_name(word, install_id(store), platform_model())
            user = self.app.client.enroll(server, username, password, name, new_password or None)
            store.set_meta(**{PENDING_KEY: None})  # the password is chosen: nothing to bring back
            self.app.profile.load()  # the new user and server, in memory before the home screen shows
            return user

        self.app.tasks.run(enroll, done, failed)
