"""The tablet's local store: outbox of own records, replica of server data, clock anchors."""

from .local_store import LocalStore, OutboxEntry
from .migrations import MIGRATIONS, migrate
from .refusals import RecordRefused, ReplicaUserChanged, StoreError

__all__ = ["LocalStore", "OutboxEntry", "StoreError", "ReplicaUserChanged", "RecordRefused", "MIGRATIONS", "migrate"]
