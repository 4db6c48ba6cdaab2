"""Errors the server answers with. Every HTTP error has one body shape::

    {"error": {"code": "<stable code>", "message": "<what to do>", "field": "<optional>"}}

Hierarchy::

    ApiError (status, code, message)        raised by services and routes
    ├── NotAuthenticated  401  missing/bad token or credentials
    ├── Forbidden         403  revoked device, role without the right, other site
    ├── NotFound          404
    ├── Conflict          409  e.g. deciding a conflict that is already decided
    ├── Gone              410  a pull cursor the server cannot serve (code resync)
    ├── TooLarge          413  too many records or too large a body
    ├── Unprocessable     422  a request that is not the documented shape
    ├── TooManyAttempts   429  sign-in throttle, phone look-up budget (Retry-After)
    └── Unavailable       503  the store does not answer
"""

from __future__ import annotations

from shared.boundary import printable

__all__ = ["ApiError", "NotAuthenticated", "Forbidden", "NotFound", "Conflict", "Gone", "TooLarge",
           "Unprocessable", "TooManyAttempts", "Unavailable", "error_body", "request_lang"]


class ApiError(Exception):
    status = 400

    def __init__(self, code: str, message: str, field: str | None = None, details: dict | None = None,
                 zh: str | None = None):
        super().__init__(message)
        self.code, self.message, self.field, self.details, self.zh = code, message, field, details, zh

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``zh`` or ``en``): English where no Chinese one was written."""
        return self.zh if lang == "zh" and self.zh else self.message

    def body(self, lang: str = "en") -> dict:
        """The error body; ``message`` in ``lang`` when the error has it in both languages (then
        ``messages`` holds both, ``{"zh", "en"}``), else the English one."""
        body = error_body(self.code, self.text(lang), self.field)
        if self.zh:
            body["error"]["messages"] = {"zh": printable(self.zh, 2000), "en": printable(self.message, 2000)}
        if self.details:  # extra facts a client may show (documented per code), never replacing the three
            body["error"].update({k: v for k, v in self.details.items() if k not in body["error"]})
        return body


class NotAuthenticated(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class Gone(ApiError):
    status = 410


class TooLarge(ApiError):
    status = 413


class Unprocessable(ApiError):
    status = 422


class TooManyAttempts(ApiError):
    """429: too many failed sign-ins, or a user's phone look-ups over budget; ``retry_after_s``
    goes out as the Retry-After header (seconds)."""

    status = 429

    def __init__(self, code: str, message: str, retry_after_s: int, zh: str | None = None,
                 details: dict | None = None):
        super().__init__(code, message, details=details, zh=zh)
        self.retry_after_s = retry_after_s


class Unavailable(ApiError):
    status = 503


def request_lang(accept_language: str | None) -> str:
    """``zh`` or ``en`` for an ``Accept-Language`` header: the language it prefers most (by
    ``q``) among Chinese and English; English when it names neither."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower()[:2]
        if lang not in ("zh", "en"):
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q and q > 0:  # q=0: not acceptable
            best, best_q = lang, q
    return best


def error_body(code: str, message: str, field: str | None = None) -> dict:
    """The one error shape. Message and field may echo what a client sent: they are made
    printable (no lone surrogates, bounded length) so the body can always be written."""
    error = {"code": code, "message": printable(message, 2000)}
    if field:
        error["field"] = printable(field, 200)
    return {"error": error}
