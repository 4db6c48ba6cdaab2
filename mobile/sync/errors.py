"""Errors of the sync client. Every message says what a person can do next.

Hierarchy::

    SyncError                  base of every sync failure
    ├── NetworkError           no answer, timeout or 5xx: retried with backoff
    ├── AuthRequired           401: sign in again on the enrol screen
    ├── Forbidden              403: device revoked or role not allowed
    ├── ResyncRequired         410 resync: rebuild the replica, keep the outbox
    └── RequestRejected        any other 4xx: never retried blindly
"""

from __future__ import annotations

__all__ = ["SyncError", "NetworkError", "AuthRequired", "Forbidden", "ResyncRequired", "RequestRejected",
           "error_for_status"]


class SyncError(Exception):
    """A sync step failed. ``code`` is the server's error code when it gave one."""

    retryable = False

    def __init__(self, message: str, code: str = "", status: int = 0):
        super().__init__(message)
        self.code, self.status = code, status


class NetworkError(SyncError):
    retryable = True


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
    if status >= 500:
        return NetworkError(message or f"The server had a problem (HTTP {status}); will retry.", code, status)
    if status == 401:
        return AuthRequired(message or "Sign in again: the server no longer accepts this tablet's key.", code, status)
    if status == 403:
        return Forbidden(message or "This tablet or user may not do that; ask the manager.", code, status)
    if status == 410:
        return ResyncRequired(message or "The server asks for a full refresh.", code or "resync", status)
    return RequestRejected(message or f"The server refused the request (HTTP {status}).", code, status)
