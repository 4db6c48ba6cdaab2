"""One-time answers of the console (issue 12 QA): a temporary password is shown once, on the
page a POST redirects to, never in the POST's own answer (reloading that answer posted the
form again: the password was reset again).

The POST keeps ``Reveal`` on the server for the manager's sign-in only
(``Store.set_console_reveal`` under the sign-in's id hash); the next page takes it
(``take_reveal``: read and cleared at once), so a reload, another tab's sign-in or another
manager never sees it again. The password is sealed with a key derived from the sign-in's
random id, which only the manager's cookie holds (the store keeps the id's SHA-256): a copy of
the database shows no temporary password. Sealing: ``cryptography``'s Fernet under a key
HKDF-derived from the sign-in's id; a temporary password has 10 characters, at most 64 bytes
are kept.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..storage.base import Store
from .session import ConsoleSession, sid_hash

__all__ = ["Reveal", "keep_reveal", "take_reveal", "SEALED_MAX_BYTES"]

SEALED_MAX_BYTES = 64


@dataclass(frozen=True)
class Reveal:
    """What the next page shows once: ``kind`` ``reset`` | ``added``, whose, and the temporary
    password the server made (None when the manager typed one: it is not shown back)."""

    kind: str
    username: str
    password: str | None


def _fernet(sid: str) -> Fernet:
    """Fernet (AES-128-CBC + HMAC-SHA256) under a key HKDF-derived from the sign-in's random id."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"fieldsync-console-reveal").derive(sid.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _seal(sid: str, password: str) -> str:
    return _fernet(sid).encrypt(password.encode()[:SEALED_MAX_BYTES]).decode()


def _open(sid: str, text: str) -> str | None:
    try:
        return _fernet(sid).decrypt(text.encode()).decode()
    except (InvalidToken, ValueError, UnicodeDecodeError):
        return None


def keep_reveal(store: Store, session: ConsoleSession, reveal: Reveal) -> None:
    """Keep ``reveal`` for ``session``'s sign-in (replacing one not yet shown)."""
    if not session.sid:
        return
    body = {"k": reveal.kind, "u": reveal.username,
            "p": _seal(session.sid, reveal.password) if reveal.password else None}
    store.set_console_reveal(sid_hash(session.sid), json.dumps(body, ensure_ascii=False))


def take_reveal(store: Store, session: ConsoleSession) -> Reveal | None:
    """The sign-in's one-time answer, cleared as it is read; None when already shown (or none)."""
    if not session.sid:
        return None
    text = store.take_console_reveal(sid_hash(session.sid))
    if text is None:
        return None
    try:
        body = json.loads(text)
        return Reveal(str(body["k"]), str(body["u"]), _open(session.sid, body["p"]) if body.get("p") else None)
    except (ValueError, KeyError, TypeError):
        return None
