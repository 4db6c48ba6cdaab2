"""Errors of the sync client. Every message says what a person can do next.

Hierarchy::

    SyncError                  base of every sync failure
    ├── NetworkError           no answer at all (no connection, timeout): retried with backoff
    ├── ServerError            a 5xx: the server answered but failed (a server bug, or it is
    │                          overloaded/starting); retried with backoff, shown with its status
    ├── AuthRequired           401: sign in again on the enrol screen
    ├── Forbidden              403: device revoked or role not allowed
    ├── ResyncRequired         410 resync: rebuild the replica, keep the outbox
    └── RequestRejected        any other 4xx: never retried blindly
"""

from __future__ import annotations

__all__ = ["SyncError", "NetworkError", "ServerError", "AuthRequired", "Forbidden", "ResyncRequired", "RequestRejected",
           "error_for_status"]


class SyncError(Exception):
    """A sync step failed. ``code``/``field`` are the server's when it gave them; ``status`` the
    HTTP status (0: no answer)."""

    retryable = False

    def __init__(self, message: str, code: str = "", status: int = 0, field: str = "",
                 details: dict | None = None):
        super().__init__(message)
        self.code, self.status, self.field = code, status, field
        # the error body's documented extra facts (docs/errors.md), e.g. ``first_sign_in``
        self.details: dict = details or {}


class NetworkError(SyncError):
    retryable = True


class ServerError(SyncError):
    """The server answered 5xx. ``transient`` for 502/503/504 (starting, overloaded, behind a
    proxy that lost it): the whole batch is retried later. Any other 5xx is a server bug that
    a record may trigger: the client isolates that record so the others go through."""

    retryable = True

    @property
    def transient(self) -> bool:
        return self.status in (502, 503, 504)


class AuthRequired(SyncError):
    pass


class Forbidden(SyncError):
    pass


class ResyncRequired(SyncError):
    pass


class RequestRejected(SyncError):
    pass


def error_for_status(status: int, body: object) -> SyncError:
    """The SyncError for a non-2xx answer, carrying the server's words."""
    error = body.get("error") if isinstance(body, dict) else None
    code = (error or {}).get("code", "") if isinstance(error, dict) else ""
    message = (error or {}).get("message", "") if isinstance(error, dict) else ""
    field = str((error or {}).get("field") or "") if isinstance(error, dict) else ""
    if status >= 500:
        said = f": {message}" if message else ""
        return ServerError(f"Server error ({status}{', ' + code if code else ''}){said}. Records stay on this "
                           "tablet and are retried; tell the administrator if it keeps happening.",
                           code or "server_error", status)
    if status == 401:
        return AuthRequired(message or "Sign in again: the server no longer accepts this tablet's key.", code, status)
    if status == 403:
        details = {k: v for k, v in error.items() if k not in ("code", "message", "field", "messages")} if (
            isinstance(error, dict)) else {}
        return Forbidden(message or "This tablet or user may not do that; ask the manager.", code, status,
                         details=details)
    if status == 410:
        return ResyncRequired(message or "The server asks for a full refresh.", code or "resync", status)
    return RequestRejected(message or f"The server refused the request (HTTP {status}).", code, status, field)
