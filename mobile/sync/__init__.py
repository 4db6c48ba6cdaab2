"""Talking to the sync server: transport seam, client, background worker."""

from .client import MAX_PUSH, SyncClient, SyncReport
from .errors import (
           AuthRequired,
           Forbidden,
           NetworkError,
           RequestRejected,
           ResyncRequired,
           ServerError,
           SyncError,
)
from .transport import RequestsTransport, Response, Transport
from .worker import SyncStatus, SyncWorker, backoff_delay

__all__ = ["SyncClient", "SyncReport", "MAX_PUSH", "SyncError", "NetworkError", "ServerError", "AuthRequired", "Forbidden",
           "ResyncRequired", "RequestRejected", "Transport", "RequestsTransport", "Response", "SyncWorker",
           "SyncStatus", "backoff_delay"]
